"""Rotating backups of a store: on open, before a migration and before an import.

Backups live in the user's own data folder (platformdirs), one folder per store file, and are
made with SQLite's online backup API so they are consistent even while the store is in use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from pathlib import Path

from platformdirs import user_data_dir

from nominator import files
from nominator.errors import UserError
from nominator.store.lock import StoreLock

KEEP = 10
SUFFIX = ".nominator"
APPLICATION_ID = 0x4E4D4E52  # session.APPLICATION_ID, repeated here to avoid an import cycle


def readonly_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def data_dir() -> Path:
    override = os.environ.get("NOMINATOR_DATA_DIR")
    return Path(override) if override else Path(user_data_dir("Nominator", appauthor=False))


def backup_dir_for(store: Path) -> Path:
    key = hashlib.sha1(str(store.resolve()).encode("utf-8")).hexdigest()[:8]
    return data_dir() / "backups" / f"{store.stem}-{key}"


def list_backups(store: Path) -> list[Path]:
    """Newest first."""
    folder = backup_dir_for(store)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.name, reverse=True)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite file (WAL included) through SQLite's online backup API."""
    src = sqlite3.connect(readonly_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def is_backup(path: Path) -> bool:
    """`path` lies in the backup folder (so it is a backup, not a clerk's store)."""
    try:
        return path.resolve().is_relative_to((data_dir() / "backups").resolve())
    except OSError:
        return False


def _is_sound(path: Path) -> bool:
    """SQLite opens it, its quick check passes and it is one of our stores (it may still be
    unreadable to this version: tables missing, a newer schema)."""
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=1)
        try:
            ok: bool = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            return ok and conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def problem_with(backup: Path) -> str | None:
    """Why `backup` cannot be restored (this version could not open or read it), or None."""
    if not _is_sound(backup):
        return "已损坏或不是推荐库"
    from nominator.store.session import check_readable  # session imports this module

    try:
        check_readable(backup)
    except UserError as exc:
        return str(exc).split("。")[0]  # what is wrong; the advice that follows is about stores
    return None


def is_good(backup: Path) -> bool:
    """A backup this version can open and read whole: whole to SQLite, one of our stores, of a
    schema this version knows, with every table and column in place."""
    return problem_with(backup) is None


def newest_good_backup(store: Path) -> Path | None:
    return next((b for b in list_backups(store) if is_good(b)), None)


def make_backup(store: Path, reason: str) -> Path:
    folder = backup_dir_for(store)
    folder.mkdir(parents=True, exist_ok=True)
    files.remove_stale(folder, "*.part")  # a backup cut short by a crash
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}-{reason}{SUFFIX}"
    partial = target.with_suffix(".part")
    copy_database(store, partial)
    os.replace(partial, target)
    for old in list_backups(store)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def restore(store: Path, chosen: Path | None = None) -> tuple[Path, Path | None]:
    """从备份恢复: put `chosen` (default: the newest good backup) in the store's place, holding the
    store's lock so no window or command has it open meanwhile. The current file is backed up
    first, after the chosen backup is copied, so rotation cannot delete the one being restored.
    Returns the backup restored from and the backup of the replaced content (None if no file)."""
    lock = StoreLock(store)
    lock.acquire()
    try:
        if chosen is None:
            chosen = newest_good_backup(store)
            if chosen is None:
                raise UserError(f"没有找到推荐库“{store.name}”的完好备份,无法恢复。")
        elif not chosen.is_file():
            raise UserError(f"找不到备份文件“{chosen}”。可用 --list 列出全部备份。")
        else:
            problem = problem_with(chosen)
            if problem is not None:
                raise UserError(
                    f"备份“{chosen.name}”不能用来恢复:{problem}。请选择另一个备份,现有推荐库未被改动。"
                )
        partial = store.with_name(store.name + ".restoring")
        copy_database(chosen, partial)
        try:
            saved = _save_current(store) if store.exists() else None
            for sidecar in ("-wal", "-shm"):
                Path(str(store) + sidecar).unlink(missing_ok=True)
            os.replace(partial, store)
        finally:
            partial.unlink(missing_ok=True)
        return chosen, saved
    finally:
        lock.release()


def _save_current(store: Path) -> Path:
    """Back up the content about to be replaced; a damaged file is kept byte for byte (as
    `.damaged`, which is never offered for restoring)."""
    if _is_sound(store):
        return make_backup(store, "before-restore")
    folder = backup_dir_for(store)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{dt.datetime.now():%Y%m%d-%H%M%S-%f}-before-restore.damaged"
    partial = target.with_suffix(".part")
    partial.write_bytes(store.read_bytes())
    os.replace(partial, target)
    return target
