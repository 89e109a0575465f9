"""A first, read-only look at a file before anything opens it for real: is it ours, whole, of a
schema this version knows, with no foreign -wal beside it? And the messages that tell a store
that is only unavailable (read-only, locked, on a pulled stick) from a damaged one."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nominator import gate
from nominator.errors import UserError
from nominator.files import describe_os_error
from nominator.store import backup
from nominator.store.errors import describe_unavailable

APPLICATION_ID = 0x4E4D4E52  # "NMNR": marks a file as a Nominator store
STORE_SUFFIX = ".nominator"
# The longest name SQLite and we add to a store's own (-journal, .restoring, .lock, .part): a
# store whose name leaves no room for it cannot be created, restored or copied.
SIDECAR_ROOM = len(".restoring")
MAX_NAME_BYTES = 255 - SIDECAR_ROOM

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"""^(revision|down_revision)\s*=\s*(?:["']([^"']*)["']|None)""", re.MULTILINE)


@cache
def _revisions() -> dict[str, str | None]:
    """revision → the one it revises, read from the migration files' headers.

    Opening a store needs only this; Alembic itself (a third of a second to import) is loaded
    when a file is created or upgraded.
    """
    graph: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _REVISION.finditer(script.read_text(encoding="utf-8"))}
        if found.get("revision"):
            graph[str(found["revision"])] = found.get("down_revision")
    return graph


def schema_head() -> str:
    graph = _revisions()
    revised = {down for down in graph.values() if down}
    [head] = [rev for rev in graph if rev not in revised]
    return head


def known_revisions() -> set[str]:
    return set(_revisions())


@dataclass(frozen=True)
class FileFacts:
    revision: str | None
    application_id: int


def inspect_file(path: Path) -> FileFacts:
    """Read-only look at a file: ours? whole? which schema? Raises UserError otherwise, telling a
    store that is only unavailable (read-only, locked, on a pulled stick) from a damaged one."""
    name = path.name
    if not path.is_file():
        raise UserError(f"找不到推荐库文件“{path}”。请检查路径,或用“新建”创建推荐库。")
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise UserError(f"无法读取推荐库“{name}”:{describe_os_error(exc)}推荐库文件本身未必损坏。") from exc
    if header and not header.startswith(b"SQLite format 3\x00"):
        raise UserError(_not_ours_message(path) if len(header) < 100 else damaged_message(path))
    try:
        conn = connect_readonly(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise UserError(damaged_message(path))
            if _foreign_wal(header, app_id, conn.execute("PRAGMA user_version").fetchone()[0]):
                raise UserError(_foreign_wal_message(path))
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserError(classified(exc, path)) from exc
    if app_id != APPLICATION_ID:
        raise UserError(_not_ours_message(path))
    if revision is None:  # ours, but without the table every store gets when it is created
        raise UserError(tampered_message(path))
    if revision not in known_revisions():
        raise UserError(
            f"“{name}”由更新版本的推荐材料助手创建,当前版本无法打开。请升级本程序后再打开,文件未被改动。"
        )
    return FileFacts(revision=revision, application_id=app_id)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; on media where SQLite cannot even create its shared-memory file
    (a write-protected stick, a CD) the file is opened as immutable: nobody can write there."""
    try:
        conn = sqlite3.connect(backup.readonly_uri(path), uri=True, timeout=1)
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_CANTOPEN or not path.is_file():
            raise
    return sqlite3.connect(backup.readonly_uri(path) + "&immutable=1", uri=True, timeout=1)


def classified(exc: BaseException, path: Path) -> str:
    """The clerk's message for a database error: unavailable (fix the place) or damaged (backup)."""
    return describe_unavailable(exc, path.name) or damaged_message(path)


def _not_ours_message(path: Path) -> str:
    return f"“{path.name}”不是推荐材料助手的推荐库文件。请选择扩展名为 {STORE_SUFFIX} 的文件。"


def damaged_message(path: Path) -> str:
    return f"推荐库“{path.name}”已损坏或不是有效的推荐库文件。{backup_hint(path)}"


def tampered_message(path: Path) -> str:
    return (
        f"推荐库“{path.name}”的内容不完整或被其他程序改动过(缺少表或栏目,或数据格式不对),无法读取。"
        f"{backup_hint(path)}"
    )


def backup_hint(path: Path) -> str:
    if backup.is_backup(path):  # a backup being checked: its own backups are not the point
        return ""
    good = backup.newest_good_backup(path)
    return f"最近的完好备份是“{good.name}”,可用“从备份恢复”找回。" if good else "没有找到它的完好备份。"


def _foreign_wal(header: bytes, app_id: int, user_version: int) -> bool:
    """The -wal beside the file belongs to another store: SQLite would silently show that store's
    pages. Each store carries a random identity in its header's user_version, written again with
    every edit (see `_engine`), so a foreign -wal shows a different one than the file itself."""
    if len(header) < 100 or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return False
    on_disk = int.from_bytes(header[60:64], "big")
    return app_id != APPLICATION_ID or (on_disk != 0 and user_version != on_disk)


def _foreign_wal_message(path: Path) -> str:
    wal = f"{path.name}-wal"
    return (
        f"推荐库“{path.name}”旁边的“{wal}”不属于这个推荐库(可能是从别处一起复制来的),"
        f"打开会混入其他推荐库的内容,因此没有打开,文件未被改动。请把“{wal}”移到别处后重新打开;"
        f"{backup_hint(path)}"
    )


def check_store_name(path: Path) -> None:
    """Refuse a store name too long for the files kept beside it (SQLite's -journal, a restore's
    .restoring): creating it would fail half-way and leave an empty file behind."""
    name = path.name
    size = len(name.encode("utf-16-le")) // 2 if sys.platform == "win32" else len(os.fsencode(name))
    if size > MAX_NAME_BYTES:
        room = (MAX_NAME_BYTES - len(STORE_SUFFIX)) // (1 if sys.platform == "win32" else 3)
        raise UserError(f"推荐库文件名“{gate.shown(name, 40)}”过长,请缩短到{room}个字以内后重试。")
