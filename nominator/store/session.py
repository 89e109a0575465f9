"""Opening, creating and changing a store file.

A store is one SQLite file per unit. Opening one: look at it read-only first (is it ours, is it
whole, is it from a newer version — then refuse without touching it), take the one-writer lock,
back it up, migrate it to the current schema, then serve whole-dossier loads and small, committed
edits. Every edit is its own transaction: when a method returns, the change is on disk.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import os
import re
import secrets
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine, create_engine, delete, event, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from nominator import __version__, gate
from nominator.campaign import Campaign, from_text, load_campaign, stage_or_fail, template_digests
from nominator.domain.model import Collective, Dossier, Individual, Member, Report, Unit
from nominator.errors import UserError
from nominator.files import describe_os_error
from nominator.store import backup, convert
from nominator.store.errors import describe_database_error, describe_unavailable, is_damage
from nominator.store.lock import StoreLock
from nominator.store.schema import (
    CollectiveRow,
    IndividualRow,
    MemberRow,
    MetaRow,
    OverrideRow,
    PhotoRow,
    ReportRow,
    UnitRow,
)

APPLICATION_ID = 0x4E4D4E52  # "NMNR": marks a file as a Nominator store
CAMPAIGN_FILE = "campaign_file"  # meta: the campaign file as it was when adopted
CAMPAIGN_TEMPLATES = "campaign_templates"  # meta: its templates' digests then (JSON)
STORE_SUFFIX = ".nominator"
# The longest name SQLite and we add to a store's own (-journal, .restoring, .lock, .part): a
# store whose name leaves no room for it cannot be created, restored or copied.
SIDECAR_ROOM = len(".restoring")
MAX_NAME_BYTES = 255 - SIDECAR_ROOM

Kind = Literal["collective", "individual", "member"]
Row = CollectiveRow | IndividualRow | MemberRow
ROW_TYPES: dict[str, Any] = {
    "collective": CollectiveRow,
    "individual": IndividualRow,
    "member": MemberRow,
}


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


def _upgrade(conn: Any) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


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
        raise UserError(_not_ours_message(path) if len(header) < 100 else _damaged_message(path))
    try:
        conn = _connect_readonly(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise UserError(_damaged_message(path))
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
        raise UserError(_classified(exc, path)) from exc
    if app_id != APPLICATION_ID:
        raise UserError(_not_ours_message(path))
    if revision is None:  # ours, but without the table every store gets when it is created
        raise UserError(_tampered_message(path))
    if revision not in known_revisions():
        raise UserError(
            f"“{name}”由更新版本的推荐材料助手创建,当前版本无法打开。请升级本程序后再打开,文件未被改动。"
        )
    return FileFacts(revision=revision, application_id=app_id)


def _connect_readonly(path: Path) -> sqlite3.Connection:
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


def _classified(exc: BaseException, path: Path) -> str:
    """The clerk's message for a database error: unavailable (fix the place) or damaged (backup)."""
    return describe_unavailable(exc, path.name) or _damaged_message(path)


def _not_ours_message(path: Path) -> str:
    return f"“{path.name}”不是推荐材料助手的推荐库文件。请选择扩展名为 {STORE_SUFFIX} 的文件。"


def _damaged_message(path: Path) -> str:
    return f"推荐库“{path.name}”已损坏或不是有效的推荐库文件。{_backup_hint(path)}"


def _tampered_message(path: Path) -> str:
    return (
        f"推荐库“{path.name}”的内容不完整或被其他程序改动过(缺少表或栏目,或数据格式不对),无法读取。"
        f"{_backup_hint(path)}"
    )


def _backup_hint(path: Path) -> str:
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
        f"{_backup_hint(path)}"
    )


ReadMode = Literal["write", "read", "read-only", "immutable"]


def _engine(path: Path, mode: ReadMode = "write") -> Engine:
    """`write`: the writer's engine. `read`: the same file, for a reader that takes no lock (it
    never writes, and SQLite keeps its snapshot consistent). `read-only`/`immutable`: SQLite's own
    read-only modes, for a store on read-only media."""
    if mode in ("read-only", "immutable"):
        query = {"mode": "ro", "uri": "true", **({"immutable": "1"} if mode == "immutable" else {})}
        engine = create_engine(URL.create("sqlite", database=path.resolve().as_uri(), query=query))
    else:
        engine = create_engine(URL.create("sqlite", database=str(path)))

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # The driver's own transaction handling starts a transaction only at the first write,
        # so the reads of one session could see two states of the file (a photo replaced
        # between reading a row and reading its photo). We issue BEGIN ourselves instead.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if mode == "write":
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # an edit reported as saved survives a crash
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _note_changes(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")  # every session reads one consistent snapshot (WAL)
        conn.info["changes"] = conn.connection.driver_connection.total_changes

    @event.listens_for(engine, "commit")
    def _stamp_identity(conn: Any) -> None:
        # Write the store's identity into page 1 with every edit, so each -wal it leaves carries
        # it and a -wal copied in from another store is recognised (inspect_file).
        raw = conn.connection.driver_connection
        if raw.total_changes == conn.info.get("changes", raw.total_changes):
            return
        identity = raw.execute("PRAGMA user_version").fetchone()[0] or secrets.randbelow(2**31 - 1) + 1
        raw.execute(f"PRAGMA user_version={int(identity)}")

    return engine


def check_store_name(path: Path) -> None:
    """Refuse a store name too long for the files kept beside it (SQLite's -journal, a restore's
    .restoring): creating it would fail half-way and leave an empty file behind."""
    name = path.name
    size = len(name.encode("utf-16-le")) // 2 if sys.platform == "win32" else len(os.fsencode(name))
    if size > MAX_NAME_BYTES:
        room = (MAX_NAME_BYTES - len(STORE_SUFFIX)) // (1 if sys.platform == "win32" else 3)
        raise UserError(f"推荐库文件名“{gate.shown(name, 40)}”过长,请缩短到{room}个字以内后重试。")


class ReadOnlyPlace(UserError):
    """The store's folder cannot be written (read-only media, no permission): it can be read, not edited."""


class _Tampered(Exception):
    """A row holds what this version never writes (wrong type, a JSON column that is not JSON)."""


T = TypeVar("T")


def _tidy(value: T) -> T:
    """A copy of a record (or any value of one) with every text normalised (nominator.gate):
    what comes out of the store, and what goes in, holds no control characters, no lone
    surrogates and is NFC, whoever wrote it (an older version, a window, an import)."""
    if isinstance(value, str):
        return gate.repair_text(value)  # type: ignore[return-value]
    if isinstance(value, (bytes, bool, int, float)) or value is None:
        return value
    if isinstance(value, dict):
        return {_tidy(str(k)): _tidy(v) for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [_tidy(v) for v in value]  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _tidy(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    tidied: T = gate.clean_tree(value, where="", repair=True)
    return tidied


_FIELD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "int | None": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "bool": lambda v: isinstance(v, bool),
}


def _validated(record: T) -> T:
    """Raise _Tampered when a field of a loaded record has a type this version never writes."""
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return record
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        kind = str(f.type)
        ok = _FIELD_CHECKS.get(kind)
        if ok is not None and not ok(value):
            raise _Tampered(f"{type(record).__name__}.{f.name}: {type(value).__name__}")
        if kind.startswith("dict[") and not isinstance(value, dict):
            raise _Tampered(f"{type(record).__name__}.{f.name}: {type(value).__name__}")
        if kind.startswith("list[") and not isinstance(value, list):
            raise _Tampered(f"{type(record).__name__}.{f.name}: {type(value).__name__}")
        for item in (
            value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        ):
            _validated(item)
    return record


def _loaded(convert_row: Callable[..., T], *args: Any) -> T:
    """A record read from its row, checked and tidied; a row this version could not have written
    (a column of the wrong type or shape) raises _Tampered, which the session turns into a message."""
    try:
        record = convert_row(*args)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise _Tampered(str(exc)) from exc
    return _tidy(_validated(record))


class _NoLock(StoreLock):
    """A reader's stand-in for the writer's lock: readers never take it."""

    def acquire(self) -> None:
        return None

    def release(self) -> None:
        return None


class Store:
    """An open store file. Use as a context manager; `close()` releases the lock."""

    def __init__(self, path: Path, engine: Engine, lock: StoreLock) -> None:
        self.path = path
        self.engine = engine
        self._lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # ---- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, *, campaign: str | Campaign) -> Store:
        """A new store bound to a campaign: its id, a full copy of its file and its templates' digests."""
        rules = campaign if isinstance(campaign, Campaign) else load_campaign(campaign)
        if path.exists():
            raise UserError(f"文件“{path}”已存在。请换一个文件名,或用“打开”打开它。")
        if not path.parent.is_dir():
            raise UserError(f"文件夹“{path.parent}”不存在。请先创建它或换一个位置。")
        check_store_name(path)
        lock = StoreLock(path)
        lock.acquire()
        try:
            engine = _engine(path)
            try:
                with engine.begin() as conn:
                    conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                    _upgrade(conn)
                store = cls(path, engine, lock)
                with store._session() as s:
                    s.add(UnitRow(id=1, campaign=rules.id))
                    s.merge(MetaRow(key="created_by", value=__version__))
                    _write_rules(s, rules)
            except BaseException:
                engine.dispose()
                raise
            return store
        except BaseException as exc:
            # Nothing half-made is left behind: an empty file would later be "not a store".
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            lock.release()
            if isinstance(exc, (OperationalError, DatabaseError)):
                message = describe_database_error(str(exc.orig), path.name) or describe_unavailable(
                    exc, path.name
                )
                if message:
                    raise UserError(message) from exc
            raise

    @classmethod
    def open(cls, path: Path, *, backup_on_open: bool = True) -> Store:
        facts = inspect_file(path)
        lock = StoreLock(path)
        try:
            lock.acquire()
        except OSError as exc:  # EROFS and the like: the folder cannot hold the lock file
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise ReadOnlyPlace(
                    f"推荐库“{path.name}”在只读的位置(例如光盘、写保护的U盘),推荐库不能在只读位置编辑,"
                    "但可以检查和导出。请把文件复制到“文档”等可写文件夹后再打开;推荐库文件本身没有损坏。"
                ) from exc
            raise UserError(f"{describe_os_error(exc)}推荐库文件本身没有损坏。") from exc
        try:
            if backup_on_open:
                backup.make_backup(path, "open")
            engine = _engine(path)
            if facts.revision != schema_head():
                if not backup_on_open:
                    backup.make_backup(path, "before-upgrade")
                with engine.begin() as conn:
                    _upgrade(conn)
            store = cls(path, engine, lock)
            store.campaign  # noqa: B018 - fails early on a file without its unit row
            return store
        except (OperationalError, DatabaseError) as exc:
            lock.release()
            message = describe_database_error(str(exc.orig), path.name) or _classified(exc, path)
            raise UserError(message) from exc
        except OSError as exc:  # the backup beside it could not be written (disk full, …)
            lock.release()
            raise UserError(f"{describe_os_error(exc)}推荐库文件本身没有损坏,尚未打开。") from exc
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_for_reading(cls, path: Path) -> Store:
        """For commands that only read (check, export, export-data): no lock and no backup, so
        they work while a window holds the store and on read-only media (architecture.md:
        readers never wait for the writer). A store of an older schema is upgraded first, which
        is a write and goes through `open`."""
        facts = inspect_file(path)
        if facts.revision != schema_head():
            try:
                return cls.open(path, backup_on_open=False)
            except ReadOnlyPlace as exc:
                raise UserError(
                    f"推荐库“{path.name}”由旧版本的推荐材料助手创建,需要先升级才能读取,但它在只读的位置。"
                    "请把文件复制到“文档”等可写文件夹后再打开;推荐库文件本身没有损坏。"
                ) from exc
        failure: BaseException | None = None
        for mode in ("read", "read-only", "immutable"):
            engine = _engine(path, mode)
            store = cls(path, engine, _NoLock(path))
            try:
                store.campaign  # noqa: B018 - reads the unit row: the file is usable
                return store
            except UserError as exc:
                engine.dispose()
                failure = exc
                cause = exc.__cause__
                if cause is None or is_damage(cause) or describe_unavailable(cause, path.name) is None:
                    raise
        assert failure is not None
        raise failure

    def close(self) -> None:
        self.engine.dispose()
        self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @staticmethod
    def delete_files(path: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (OperationalError, DatabaseError) as exc:
            # The file went away (USB stick pulled), the disk is full or read-only: say so; the
            # transaction was rolled back, so nothing is reported as saved that is not.
            message = describe_database_error(str(exc.orig), self.path.name)
            if message is None:
                message = _tampered_message(self.path) if is_damage(exc) else _classified(exc, self.path)
            raise UserError(message) from exc
        except (_Tampered, json.JSONDecodeError, UnicodeDecodeError) as exc:
            # A column holds what this version never writes: a store changed by another program
            # or a migration cut short. Said as such, never a traceback.
            raise UserError(_tampered_message(self.path)) from exc

    # ---- whole dossier -------------------------------------------------------------------

    @property
    def campaign(self) -> str:
        with self._session() as s:
            return self._unit_row(s).campaign

    def load_dossier(self, *, with_photos: bool = True) -> Dossier:
        with self._session() as s:
            unit_row = self._unit_row(s)
            overrides = self._overrides(s)
            photos: dict[int, bytes] = {}
            if with_photos:
                photos = {row.id: row.data for row in s.execute(select(PhotoRow.id, PhotoRow.data))}
            collectives = [
                _loaded(convert.collective_from_row, row, overrides.get(("collective", row.id), {}), n + 1)
                for n, row in enumerate(s.scalars(select(CollectiveRow).order_by(CollectiveRow.position)))
            ]
            individuals = [
                _loaded(
                    convert.individual_from_row,
                    row,
                    overrides.get(("individual", row.id), {}),
                    n + 1,
                    photos.get(row.photo_id) if row.photo_id is not None else None,
                )
                for n, row in enumerate(s.scalars(select(IndividualRow).order_by(IndividualRow.position)))
            ]
            members = [
                _loaded(convert.member_from_row, row, n + 1)
                for n, row in enumerate(s.scalars(select(MemberRow).order_by(MemberRow.position)))
            ]
            reports = {
                row.stage: _loaded(convert.report_from_row, row) for row in s.scalars(select(ReportRow))
            }
            return Dossier(
                campaign=unit_row.campaign,
                unit=_loaded(convert.unit_from_row, unit_row, overrides.get(("unit", 1), {})),
                collectives=collectives,
                individuals=individuals,
                members=members,
                reports=reports,
                extra=dict(unit_row.extra.get("_dossier", {})),
            )

    def replace_dossier(self, dossier: Dossier) -> None:
        """Replace everything in the store by `dossier`, in one transaction."""
        dossier = _tidy(dossier)
        with self._session() as s:
            for table in (OverrideRow, CollectiveRow, IndividualRow, MemberRow, ReportRow, PhotoRow):
                s.execute(delete(table))
            unit_row = self._unit_row(s)
            unit_row.campaign = dossier.campaign
            convert.unit_to_row(dossier.unit, unit_row)
            unit_row.extra = {**dossier.unit.extra, **({"_dossier": dossier.extra} if dossier.extra else {})}
            self._write_overrides(s, "unit", 1, dossier.unit.overrides)
            for pos, c in enumerate(dossier.ordered_collectives()):
                crow = CollectiveRow(position=pos)
                convert.collective_to_row(c, crow)
                s.add(crow)
                s.flush()
                self._write_overrides(s, "collective", crow.id, c.overrides)
            for pos, i in enumerate(dossier.ordered_individuals()):
                irow = IndividualRow(position=pos)
                convert.individual_to_row(i, irow)
                if i.photo_data is not None:
                    irow.photo_id = self._photo_id(s, i.photo_data)
                s.add(irow)
                s.flush()
                self._write_overrides(s, "individual", irow.id, i.overrides)
            for pos, m in enumerate(dossier.ordered_members()):
                mrow = MemberRow(position=pos)
                convert.member_to_row(m, mrow)
                s.add(mrow)
            for stage, report in dossier.reports.items():
                rrow = ReportRow(stage=stage)
                convert.report_to_row(report, rrow)
                s.add(rrow)

    # ---- the campaign the store follows ----------------------------------------------------

    def rules(self) -> Campaign:
        """The campaign as the store keeps it (a copy made when the store was created), so a
        dossier copied to another PC follows the same rules. A store from before copies were
        kept gets the installed campaign of its id, and keeps a copy from then on."""
        text = self.meta(CAMPAIGN_FILE)
        if text:
            return from_text(text)
        campaign = load_campaign(self.campaign)
        if isinstance(self._lock, _NoLock):
            return campaign  # a reader never writes (it holds no lock)
        with contextlib.suppress(UserError), self._session() as s:  # read-only media: no copy kept
            _write_rules(s, campaign)
        return campaign

    def set_rules(self, campaign: Campaign) -> Campaign:
        """Adopt another version of the store's campaign (or another campaign); returns the one it
        followed before, for undo."""
        before = self.rules()
        with self._session() as s:
            self._unit_row(s).campaign = campaign.id
            _write_rules(s, campaign)
        return before

    def recorded_template_digests(self) -> dict[str, str]:
        text = self.meta(CAMPAIGN_TEMPLATES)
        return dict(json.loads(text)) if text else {}

    def meta(self, key: str) -> str | None:
        with self._session() as s:
            row = s.get(MetaRow, key)
            return row.value if row else None

    def records(self, kind: Kind, *, with_photos: bool = False) -> list[Collective | Individual | Member]:
        """All records of a kind in recommendation order; photo bytes only when asked (tables don't)."""
        with self._session() as s:
            row_type = ROW_TYPES[kind]
            rows = list(s.scalars(select(row_type).order_by(row_type.position)))
            photos: dict[int, bytes] = {}
            if with_photos and kind == "individual":
                wanted = select(PhotoRow.id, PhotoRow.data).join(
                    IndividualRow, IndividualRow.photo_id == PhotoRow.id
                )
                photos = {row.id: row.data for row in s.execute(wanted)}
            overrides = self._overrides(s)
            result: list[Collective | Individual | Member] = []
            for n, row in enumerate(rows):
                own = overrides.get((kind, row.id), {})
                if isinstance(row, CollectiveRow):
                    result.append(_loaded(convert.collective_from_row, row, own, n + 1))
                elif isinstance(row, IndividualRow):
                    data = photos.get(row.photo_id) if row.photo_id is not None else None
                    record = _loaded(convert.individual_from_row, row, own, n + 1, data)
                    result.append(record)
                else:
                    result.append(_loaded(convert.member_from_row, row, n + 1))
            return result

    def save_copy(self, target: Path) -> None:
        """另存为: a consistent copy of the open store at `target` (SQLite's online backup)."""
        if target.exists():
            raise UserError(f"文件“{target}”已存在。请换一个文件名。")
        partial = target.with_name(target.name + ".part")
        backup.copy_database(self.path, partial)
        partial.replace(target)

    def is_empty(self) -> bool:
        with self._session() as s:
            return all(s.scalar(select(row.id).limit(1)) is None for row in ROW_TYPES.values())

    # ---- small edits (the window's operations; each returns what undo needs) ---------------

    def unit(self) -> Unit:
        with self._session() as s:
            return _loaded(convert.unit_from_row, self._unit_row(s), self._overrides(s).get(("unit", 1), {}))

    def update_unit(self, unit: Unit) -> Unit:
        """Store `unit` (overrides included); returns the previous value."""
        with self._session() as s:
            row = self._unit_row(s)
            old = _loaded(convert.unit_from_row, row, self._overrides(s).get(("unit", 1), {}))
            convert.unit_to_row(_tidy(unit), row)
            s.execute(delete(OverrideRow).where(OverrideRow.target_kind == "unit"))
            self._write_overrides(s, "unit", 1, unit.overrides)
            return old

    def ids(self, kind: Kind) -> list[int]:
        row_type = ROW_TYPES[kind]
        with self._session() as s:
            return list(s.scalars(select(row_type.id).order_by(row_type.position)))

    def get(self, kind: Kind, record_id: int) -> Collective | Individual | Member:
        with self._session() as s:
            return self._record(s, kind, record_id)

    def add(self, kind: Kind, record: Collective | Individual | Member, position: int | None = None) -> int:
        """Insert a record at `position` (0-based; default: last). Returns its id."""
        with self._session() as s:
            row = self._new_row(s, kind, record, record.id)
            self._place(s, kind, row, position)
            return row.id

    def add_many(self, records: Sequence[tuple[Kind, Collective | Individual | Member]]) -> list[int]:
        """Append records after the existing ones of their kind, in the given order, all in one
        transaction (bulk intake, merge): either every record is stored or none. Returns their ids."""
        with self._session() as s:
            next_position = {
                kind: (s.scalar(select(func.max(row_type.position))) or 0) + 1
                for kind, row_type in ROW_TYPES.items()
            }
            ids = []
            for kind, record in records:
                row = self._new_row(s, kind, record, None)
                row.position = next_position[kind]
                next_position[kind] += 1
                ids.append(row.id)
            return ids

    def update(
        self, kind: Kind, record: Collective | Individual | Member
    ) -> Collective | Individual | Member:
        """Store every field of `record` (photo bytes included when given); returns the old record."""
        assert record.id is not None
        with self._session() as s:
            old = self._record(s, kind, record.id)
            row = s.get_one(ROW_TYPES[kind], record.id)
            self._fill_row(s, kind, record, row)
            return old

    def update_many(
        self, kind: Kind, records: Sequence[Collective | Individual | Member]
    ) -> list[Collective | Individual | Member]:
        """`update` for several records in one transaction (photos by folder); returns the old ones."""
        with self._session() as s:
            old = []
            for record in records:
                assert record.id is not None
                old.append(self._record(s, kind, record.id))
                self._fill_row(s, kind, record, s.get_one(ROW_TYPES[kind], record.id))
            return old

    def delete(self, kind: Kind, record_id: int) -> tuple[Collective | Individual | Member, int]:
        """Remove a record; returns it (photo included) and its position, for undo."""
        with self._session() as s:
            old = self._record(s, kind, record_id)
            ids = list(s.scalars(select(ROW_TYPES[kind].id).order_by(ROW_TYPES[kind].position)))
            row = s.get_one(ROW_TYPES[kind], record_id)
            photo_id = row.photo_id if isinstance(row, IndividualRow) else None
            s.delete(row)
            if photo_id is not None:
                self._drop_photo_if_unused(s, photo_id)
            s.execute(
                delete(OverrideRow).where(OverrideRow.target_kind == kind, OverrideRow.target_id == record_id)
            )
            return old, ids.index(record_id)

    def reorder(self, kind: Kind, ordered_ids: list[int]) -> list[int]:
        """Set the recommendation order; returns the previous order."""
        row_type = ROW_TYPES[kind]
        with self._session() as s:
            old = list(s.scalars(select(row_type.id).order_by(row_type.position)))
            if sorted(old) != sorted(ordered_ids):
                raise ValueError("reorder must name every record exactly once")
            for pos, rid in enumerate(ordered_ids):
                s.get_one(row_type, rid).position = pos
            return old

    def report(self, stage: str) -> Report:
        with self._session() as s:
            row = s.get(ReportRow, stage)
            return _loaded(convert.report_from_row, row) if row else Report()

    def set_report(self, stage: str, report: Report) -> Report:
        with self._session() as s:
            row = s.get(ReportRow, stage)
            old = _loaded(convert.report_from_row, row) if row else Report()
            if row is None:
                row = ReportRow(stage=stage)
                s.add(row)
            convert.report_to_row(_tidy(report), row)
            return old

    # ---- helpers -------------------------------------------------------------------------

    def _unit_row(self, s: Session) -> UnitRow:
        row = s.get(UnitRow, 1)
        if row is None:
            raise UserError(_damaged_message(self.path))
        return row

    @staticmethod
    def _overrides(s: Session) -> dict[tuple[str, int], dict[str, str]]:
        found: dict[tuple[str, int], dict[str, str]] = {}
        for row in s.scalars(select(OverrideRow)):
            found.setdefault((row.target_kind, row.target_id), {})[row.rule] = row.reason
        return found

    @staticmethod
    def _write_overrides(s: Session, kind: str, target_id: int, overrides: dict[str, str]) -> None:
        for rule, reason in _tidy(overrides).items():
            s.add(OverrideRow(target_kind=kind, target_id=target_id, rule=rule, reason=reason))

    def _record(self, s: Session, kind: Kind, record_id: int) -> Collective | Individual | Member:
        row = s.get(ROW_TYPES[kind], record_id)
        if row is None:
            raise UserError(f"找不到这条{self.rules().kinds[kind].label}记录,它可能已被删除。")
        ids = list(s.scalars(select(ROW_TYPES[kind].id).order_by(ROW_TYPES[kind].position)))
        order = ids.index(record_id) + 1
        overrides = {
            o.rule: o.reason
            for o in s.scalars(
                select(OverrideRow).where(OverrideRow.target_kind == kind, OverrideRow.target_id == record_id)
            )
        }
        if isinstance(row, CollectiveRow):
            return _loaded(convert.collective_from_row, row, overrides, order)
        if isinstance(row, IndividualRow):
            data = s.get_one(PhotoRow, row.photo_id).data if row.photo_id is not None else None
            return _loaded(convert.individual_from_row, row, overrides, order, data)
        return _loaded(convert.member_from_row, row, order)

    def _new_row(
        self, s: Session, kind: Kind, record: Collective | Individual | Member, record_id: int | None
    ) -> CollectiveRow | IndividualRow | MemberRow:
        row: Row = ROW_TYPES[kind](position=0)
        if record_id is not None:
            row.id = record_id  # undo of a delete brings the same id back
        s.add(row)
        self._fill_row(s, kind, record, row)
        s.flush()
        return row

    def _fill_row(
        self,
        s: Session,
        kind: Kind,
        record: Collective | Individual | Member,
        row: CollectiveRow | IndividualRow | MemberRow,
    ) -> None:
        if isinstance(row, CollectiveRow) and isinstance(record, Collective):
            convert.collective_to_row(_tidy(record), row)
        elif isinstance(row, IndividualRow) and isinstance(record, Individual):
            convert.individual_to_row(_tidy(record), row)
            self._set_photo(s, row, record.photo_data)
        elif isinstance(row, MemberRow) and isinstance(record, Member):
            convert.member_to_row(_tidy(record), row)
        else:
            raise TypeError(f"{type(record).__name__} is not a {kind}")
        if not isinstance(record, Member):
            s.flush()
            s.execute(
                delete(OverrideRow).where(OverrideRow.target_kind == kind, OverrideRow.target_id == row.id)
            )
            self._write_overrides(s, kind, row.id, record.overrides)

    @staticmethod
    def _photo_id(s: Session, data: bytes) -> int:
        """The row holding these bytes: an existing one with the same content, else a new one.
        Each photo is stored once however many people it belongs to."""
        digest = hashlib.sha256(data).hexdigest()
        same = select(PhotoRow.id).where(PhotoRow.sha256 == digest, func.length(PhotoRow.data) == len(data))
        found = s.scalar(same.limit(1))
        if found is not None:
            return int(found)
        photo = convert.photo_row(data)
        s.add(photo)
        s.flush()
        return photo.id

    @staticmethod
    def _drop_photo_if_unused(s: Session, photo_id: int) -> None:
        s.flush()
        if s.scalar(select(IndividualRow.id).where(IndividualRow.photo_id == photo_id).limit(1)) is None:
            s.execute(delete(PhotoRow).where(PhotoRow.id == photo_id))

    def _set_photo(self, s: Session, row: IndividualRow, data: bytes | None) -> None:
        current = row.photo_id
        wanted = self._photo_id(s, data) if data is not None else None
        if wanted == current:
            return
        row.photo_id = wanted
        if current is not None:
            self._drop_photo_if_unused(s, current)

    @staticmethod
    def _place(
        s: Session, kind: Kind, row: CollectiveRow | IndividualRow | MemberRow, position: int | None
    ) -> None:
        row_type = ROW_TYPES[kind]
        ids = [rid for rid in s.scalars(select(row_type.id).order_by(row_type.position)) if rid != row.id]
        ids.insert(len(ids) if position is None else min(position, len(ids)), row.id)
        for pos, rid in enumerate(ids):
            s.get_one(row_type, rid).position = pos


def _write_rules(s: Session, campaign: Campaign) -> None:
    s.merge(MetaRow(key=CAMPAIGN_FILE, value=campaign.text))
    s.merge(MetaRow(key=CAMPAIGN_TEMPLATES, value=json.dumps(template_digests(campaign), sort_keys=True)))


def load_dossier(path: Path, *, with_photos: bool = True) -> Dossier:
    """Open, load and close: for commands that only read (check, export, export-data). Works
    while a window holds the store and on read-only media."""
    with Store.open_for_reading(path) as store:
        return store.load_dossier(with_photos=with_photos)


def check_readable(path: Path) -> None:
    """Raise UserError unless `path` is a store this version can open and read whole (restore
    validation: a backup must be one that would work). Never changes `path`: a store of an older
    schema is upgraded in a temporary copy."""
    facts = inspect_file(path)
    if facts.revision == schema_head():
        load_with_rules(path, with_photos=False)
        return
    with tempfile.TemporaryDirectory(prefix="nominator-check-") as folder:
        copy = Path(folder) / "check.nominator"
        backup.copy_database(path, copy)
        engine = _engine(copy)
        try:
            with engine.begin() as conn:
                _upgrade(conn)
            upgraded = Store(copy, engine, _NoLock(copy))
            upgraded.load_dossier(with_photos=False)
            upgraded.rules()
        except (OperationalError, DatabaseError) as exc:
            raise UserError(_tampered_message(path)) from exc
        except UserError as exc:
            raise UserError(str(exc).replace("check.nominator", path.name)) from exc
        finally:
            engine.dispose()


def load_with_rules(path: Path, *, with_photos: bool = True) -> tuple[Dossier, Campaign]:
    """The dossier and the campaign the store follows, for commands that only read. Works while
    a window holds the store and on read-only media."""
    with Store.open_for_reading(path) as store:
        return store.load_dossier(with_photos=with_photos), store.rules()


def open_dossier_for_check(path: Path, stage: str) -> list[Any]:
    from nominator.domain.checks import check

    dossier, campaign = load_with_rules(path)
    return check(dossier, campaign, stage_or_fail(campaign, stage))


__all__ = ["Store", "inspect_file", "load_dossier", "load_with_rules"]
