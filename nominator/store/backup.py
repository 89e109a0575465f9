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

KEEP = 10
SUFFIX = ".nominator"


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


def make_backup(store: Path, reason: str) -> Path:
    folder = backup_dir_for(store)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}-{reason}{SUFFIX}"
    partial = target.with_suffix(".part")
    copy_database(store, partial)
    os.replace(partial, target)
    for old in list_backups(store)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def restore_backup(backup: Path, store: Path) -> None:
    """Replace the store's content with a backup's. The store must not be open."""
    partial = store.with_name(store.name + ".restoring")
    copy_database(backup, partial)
    for sidecar in ("-wal", "-shm"):
        Path(str(store) + sidecar).unlink(missing_ok=True)
    os.replace(partial, store)
