"""Opening and creating a store file, and the reads and transactions it serves.

A store is one SQLite file per unit. Opening one: look at it read-only first (is it ours, is it
whole, is it from a newer version — then refuse without touching it: inspect.py), take the
one-writer lock, back it up, migrate it to the current schema. Then every read is one snapshot
(records.py) and every change one transaction (`Store.transaction()`, writer.py): when the `with`
block ends the change is on disk, or nothing is. A reader (`open_for_reading`) takes no lock and
never writes, so `check`, `export` and `export-data` work while a window holds the store.
"""

from __future__ import annotations

import contextlib
import errno
import json
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from nominator import __version__
from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import Dossier, Report, Unit
from nominator.errors import UserError
from nominator.files import describe_os_error
from nominator.store import backup
from nominator.store.errors import describe_database_error, describe_unavailable, is_damage
from nominator.store.inspect import (
    APPLICATION_ID,
    MAX_NAME_BYTES,
    MIGRATIONS,
    SIDECAR_ROOM,
    STORE_SUFFIX,
    FileFacts,
    check_store_name,
    classified,
    inspect_file,
    known_revisions,
    schema_head,
    tampered_message,
)
from nominator.store.lock import StoreLock
from nominator.store.records import (
    CAMPAIGN_TEMPLATES,
    Kind,
    Record,
    Snapshot,
    Tampered,
)
from nominator.store.schema import MetaRow, UnitRow
from nominator.store.writer import Writer


def _upgrade(conn: Any) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


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


class ReadOnlyPlace(UserError):
    """The store's folder cannot be written (read-only media, no permission): it can be read, not edited."""


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
    def create(cls, path: Path, *, campaign: str | Campaign, unit: Unit | None = None) -> Store:
        """A new store bound to a campaign (its id, a full copy of its file and its templates'
        digests), holding `unit` (the wizard's answers) when given."""
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
                    writer = Writer(s, path)
                    writer.keep_rules(rules)
                    if unit is not None:
                        s.flush()
                        writer.update_unit(unit)
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
            message = describe_database_error(str(exc.orig), path.name) or classified(exc, path)
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
                message = tampered_message(self.path) if is_damage(exc) else classified(exc, self.path)
            raise UserError(message) from exc
        except (Tampered, json.JSONDecodeError, UnicodeDecodeError) as exc:
            # A column holds what this version never writes: a store changed by another program
            # or a migration cut short. Said as such, never a traceback.
            raise UserError(tampered_message(self.path)) from exc

    # ---- whole dossier -------------------------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """Reads that all see one state of the file."""
        with self._session() as s:
            yield Snapshot(s, self.path)

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """One change of the store: everything done through the Writer is committed together when
        the block ends, or rolled back whole when it raises. The window reaches this only through
        its operations (nominator.operations); a reader has none."""
        if isinstance(self._lock, _NoLock):
            raise RuntimeError("a store opened for reading is never written")
        with self._session() as s:
            yield Writer(s, self.path)

    # ---- reads (each one snapshot) -----------------------------------------------------------

    @property
    def campaign(self) -> str:
        with self.snapshot() as r:
            return r.campaign_id()

    def load_dossier(self, *, with_photos: bool = True) -> Dossier:
        with self.snapshot() as r:
            return r.load_dossier(with_photos=with_photos)

    def records(self, kind: Kind, *, with_photos: bool = False) -> list[Record]:
        """All records of a kind in recommendation order; photo bytes only when asked (tables don't)."""
        with self.snapshot() as r:
            return r.records(kind, with_photos=with_photos)

    def ids(self, kind: Kind) -> list[int]:
        with self.snapshot() as r:
            return r.ids(kind)

    def get(self, kind: Kind, record_id: int) -> Record:
        with self.snapshot() as r:
            return r.get(kind, record_id)

    def unit(self) -> Unit:
        with self.snapshot() as r:
            return r.unit()

    def report(self, stage: str) -> Report:
        with self.snapshot() as r:
            return r.report(stage)

    def is_empty(self) -> bool:
        with self.snapshot() as r:
            return r.is_empty()

    def meta(self, key: str) -> str | None:
        with self.snapshot() as r:
            return r.meta(key)

    def rules(self) -> Campaign:
        """The campaign as the store keeps it (a copy made when the store was created), so a
        dossier copied to another PC follows the same rules. A store from before copies were
        kept gets the installed campaign of its id, and keeps a copy from then on."""
        with self.snapshot() as r:
            kept, campaign_id = r.kept_rules(), r.campaign_id()
        if kept is not None:
            return kept
        campaign = load_campaign(campaign_id)
        if isinstance(self._lock, _NoLock):
            return campaign  # a reader never writes (it holds no lock)
        with contextlib.suppress(UserError), self.transaction() as w:  # read-only media: no copy kept
            w.keep_rules(campaign)
        return campaign

    def recorded_template_digests(self) -> dict[str, str]:
        text = self.meta(CAMPAIGN_TEMPLATES)
        return dict(json.loads(text)) if text else {}

    def save_copy(self, target: Path) -> None:
        """另存为: a consistent copy of the open store at `target` (SQLite's online backup)."""
        if target.exists():
            raise UserError(f"文件“{target}”已存在。请换一个文件名。")
        partial = target.with_name(target.name + ".part")
        backup.copy_database(self.path, partial)
        partial.replace(target)


def load_dossier(path: Path, *, with_photos: bool = True) -> Dossier:
    """Open, load and close: for commands that only read (check, export, export-data). Works
    while a window holds the store and on read-only media."""
    with Store.open_for_reading(path) as store:
        return store.load_dossier(with_photos=with_photos)


def load_with_rules(path: Path, *, with_photos: bool = True) -> tuple[Dossier, Campaign]:
    """The dossier and the campaign the store follows, for commands that only read. Works while
    a window holds the store and on read-only media; both come from one snapshot."""
    with Store.open_for_reading(path) as store, store.snapshot() as r:
        return r.load_dossier(with_photos=with_photos), r.rules()


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
            raise UserError(tampered_message(path)) from exc
        except UserError as exc:
            raise UserError(str(exc).replace("check.nominator", path.name)) from exc
        finally:
            engine.dispose()


__all__ = [
    "APPLICATION_ID",
    "MAX_NAME_BYTES",
    "MIGRATIONS",
    "SIDECAR_ROOM",
    "STORE_SUFFIX",
    "FileFacts",
    "Kind",
    "ReadOnlyPlace",
    "Record",
    "Store",
    "Writer",
    "check_readable",
    "check_store_name",
    "inspect_file",
    "known_revisions",
    "load_dossier",
    "load_with_rules",
    "schema_head",
]
