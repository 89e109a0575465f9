"""Reading a store inside one transaction: rows become records (checked and tidied), and every
read of one `Snapshot` sees the same state of the file. `Writer` (writer.py) adds the writes."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from nominator import gate
from nominator.campaign import Campaign, from_text, load_campaign
from nominator.domain.model import Assessment, Dossier, Member, Nominee, Report, Unit
from nominator.errors import UserError
from nominator.store import convert
from nominator.store.inspect import damaged_message
from nominator.store.schema import (
    MemberRow,
    MetaRow,
    NomineeRow,
    OverrideRow,
    PhotoRow,
    PhotoVerdictRow,
    ReportRow,
    UnitRow,
)

CAMPAIGN_FILE = "campaign_file"  # meta: the campaign file as it was when adopted
CAMPAIGN_TEMPLATES = "campaign_templates"  # meta: its templates' digests then (JSON)

Kind = Literal["collective", "individual", "member"]
Record = Nominee | Member
Row = NomineeRow | MemberRow


def row_type(kind: str) -> Any:
    """The table a kind's records live in: members their own, every nominee kind `nominee` (0006)."""
    return MemberRow if kind == "member" else NomineeRow


def of_kind(kind: str, query: Any) -> Any:
    """`query` narrowed to the records of `kind`."""
    return query if kind == "member" else query.where(NomineeRow.kind == kind)


class Tampered(Exception):
    """A row holds what this version never writes (wrong type, a JSON column that is not JSON)."""


T = TypeVar("T")


def tidy(value: T) -> T:
    """A record (or any value of one) with every text normalised (nominator.gate): what comes
    out of the store, and what goes in, holds no control characters, no lone surrogates and is
    NFC, whoever wrote it (an older version, a window, an import). A value with nothing to
    change is returned as it is (the same object); one that changes is a new copy, the value
    given is never modified."""
    if isinstance(value, str):
        return gate.repair_text(value)  # type: ignore[return-value]
    if isinstance(value, (bytes, bool, int, float)) or value is None:
        return value
    if isinstance(value, dict):
        items = [(tidy(str(k)), tidy(v)) for k, v in value.items()]
        if all(nk is k and nv is v for (nk, nv), (k, v) in zip(items, value.items(), strict=True)):
            return value
        return dict(items)  # type: ignore[return-value]
    if isinstance(value, list):
        tidied = [tidy(v) for v in value]
        return value if all(a is b for a, b in zip(tidied, value, strict=True)) else tidied  # type: ignore[return-value]
    names = _dataclass_fields(type(value))
    if names is not None:
        changes = {}
        for name in names:
            old = getattr(value, name)
            new = gate.repair_text(old) if type(old) is str else tidy(old)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value  # type: ignore[type-var]
    cleaned: T = gate.clean_tree(value, where="", repair=True)
    return cleaned


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _dataclass_fields(kind: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for other types), looked up once a type."""
    if kind not in _FIELDS:
        is_class = dataclasses.is_dataclass(kind)
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind)) if is_class else None
    return _FIELDS[kind]


FIELD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "int | None": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "bool": lambda v: isinstance(v, bool),
}


_CHECKS: dict[type, tuple[tuple[str, Callable[[Any], bool] | None, str], ...]] = {}


def _field_checks(kind: type) -> tuple[tuple[str, Callable[[Any], bool] | None, str], ...]:
    """Per field of a record type: its name, the check of a plain value, and "dict" or "list"
    for a container (whose items may be records), else ""."""
    if kind not in _CHECKS:
        _CHECKS[kind] = tuple(
            (
                f.name,
                FIELD_CHECKS.get(str(f.type)),
                "dict"
                if str(f.type).startswith("dict[")
                else "list"
                if str(f.type).startswith("list[")
                else "",
            )
            for f in dataclasses.fields(kind)
        )
    return _CHECKS[kind]


def validated(record: T) -> T:
    """Raise Tampered when a field of a loaded record has a type this version never writes."""
    if _dataclass_fields(type(record)) is None:
        return record
    if isinstance(record, Nominee):
        _validate_values(record)
    for name, ok, container in _field_checks(type(record)):
        value = getattr(record, name)
        if ok is not None:
            if not ok(value):
                raise Tampered(f"{type(record).__name__}.{name}: {type(value).__name__}")
            continue
        if container == "dict":
            if not isinstance(value, dict):
                raise Tampered(f"{type(record).__name__}.{name}: {type(value).__name__}")
            items: Any = value.values()
        elif container == "list":
            if not isinstance(value, list):
                raise Tampered(f"{type(record).__name__}.{name}: {type(value).__name__}")
            items = value
        else:
            items = (value,)
        for item in items:
            if _dataclass_fields(type(item)) is not None:
                validated(item)
    return record


def _validate_values(record: Nominee) -> None:
    """A nominee's values of its built-in kind's fields have the type of their defaults (a text,
    a number or nothing, a yes/no, a list of year rows); values of fields a campaign declares
    itself are JSON as saved, and read by the rules as what they should be."""
    values = record.values
    for name, default in record.DEFAULTS.items():
        if name not in values:
            continue
        value = values[name]
        if isinstance(default, list):
            ok = isinstance(value, list) and all(isinstance(row, Assessment) for row in value)
            for row in value if ok else ():
                validated(row)
        else:
            ok = FIELD_CHECKS[_TYPE_OF[type(default)]](value)
        if not ok:
            raise Tampered(f"{record.kind}.{name}: {type(value).__name__}")


_TYPE_OF = {str: "str", type(None): "int | None", bool: "bool", int: "int | None"}


def loaded(convert_row: Callable[..., T], *args: Any) -> T:
    """A record read from its row, checked and tidied; a row this version could not have written
    (a column of the wrong type or shape) raises Tampered, which the session turns into a message."""
    try:
        record = convert_row(*args)
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise Tampered(str(exc)) from exc
    return tidy(validated(record))


class Snapshot:
    """The reads of one transaction (a `Store` opens one per call; a `Writer` is one)."""

    def __init__(self, session: Session, path: Path) -> None:
        self._s = session
        self.path = path

    # ---- the store as a whole ------------------------------------------------------------

    def campaign_id(self) -> str:
        return self._unit_row().campaign

    def meta(self, key: str) -> str | None:
        row = self._s.get(MetaRow, key)
        return row.value if row else None

    def kept_rules(self) -> Campaign | None:
        """The campaign copy the store keeps, or None for a store from before copies were kept."""
        text = self.meta(CAMPAIGN_FILE)
        return from_text(text) if text else None

    def rules(self) -> Campaign:
        """The campaign the store follows: its own copy, else the installed one of its id."""
        return self.kept_rules() or load_campaign(self.campaign_id())

    def is_empty(self) -> bool:
        return all(self._s.scalar(select(row.id).limit(1)) is None for row in (NomineeRow, MemberRow))

    def load_dossier(self, *, with_photos: bool = True) -> Dossier:
        s = self._s
        unit_row = self._unit_row()
        overrides = self._overrides()
        photos: dict[int, bytes] = {}
        verdicts: dict[tuple[str, str], Any] = {}
        if with_photos:
            photos = _photo_bytes(s, select(PhotoRow.id, PhotoRow.data, PhotoRow.sha256))
            verdicts = self.kept_verdicts()
        # Plain rows, not ORM objects: the records are read once and never written back
        # through these rows, and a province's store has hundreds of them.
        collectives, individuals = (
            [
                loaded(
                    convert.nominee_from_row,
                    row,
                    overrides.get((kind, row.id), {}),
                    n + 1,
                    photos.get(row.photo_id) if row.photo_id is not None else None,
                )
                for n, row in enumerate(_rows(s, kind))
            ]
            for kind in ("collective", "individual")
        )
        members = [loaded(convert.member_from_row, row, n + 1) for n, row in enumerate(_rows(s, "member"))]
        reports = {row.stage: loaded(convert.report_from_row, row) for row in s.scalars(select(ReportRow))}
        return Dossier(
            campaign=unit_row.campaign,
            unit=loaded(convert.unit_from_row, unit_row, overrides.get(("unit", 1), {})),
            collectives=collectives,
            individuals=individuals,
            members=members,
            reports=reports,
            extra=dict(unit_row.extra.get("_dossier", {})),
            photo_verdicts=verdicts,
        )

    # ---- records ---------------------------------------------------------------------------

    def ids(self, kind: Kind) -> list[int]:
        table = row_type(kind)
        return list(self._s.scalars(of_kind(kind, select(table.id)).order_by(table.position, table.id)))

    def records(self, kind: Kind, *, with_photos: bool = False) -> list[Record]:
        """All records of a kind in recommendation order; photo bytes only when asked (tables don't)."""
        s = self._s
        rows = list(_rows(s, kind))  # plain rows
        photos: dict[int, bytes] = {}
        if with_photos and kind != "member":
            wanted = select(PhotoRow.id, PhotoRow.data, PhotoRow.sha256).join(
                NomineeRow, NomineeRow.photo_id == PhotoRow.id
            )
            photos = _photo_bytes(s, of_kind(kind, wanted))
        overrides = self._overrides()
        result: list[Record] = []
        for n, row in enumerate(rows):
            own = overrides.get((kind, row.id), {})
            if kind != "member":
                data = photos.get(row.photo_id) if row.photo_id is not None else None
                result.append(loaded(convert.nominee_from_row, row, own, n + 1, data))
            else:
                result.append(loaded(convert.member_from_row, row, n + 1))
        return result

    def get(self, kind: Kind, record_id: int) -> Record:
        """One record, photo bytes included."""
        s = self._s
        row = s.get(row_type(kind), record_id)
        if row is None or (isinstance(row, NomineeRow) and row.kind != kind):
            raise UserError(f"找不到这条{self._kind_label(kind)}记录,它可能已被删除。")
        order = self.ids(kind).index(record_id) + 1
        overrides = {
            o.rule: o.reason
            for o in s.scalars(
                select(OverrideRow).where(OverrideRow.target_kind == kind, OverrideRow.target_id == record_id)
            )
        }
        if isinstance(row, NomineeRow):
            data = None
            if row.photo_id is not None:
                photo = s.get_one(PhotoRow, row.photo_id)
                data = _with_digest(photo.data, photo.sha256)
            return loaded(convert.nominee_from_row, row, overrides, order, data)
        return loaded(convert.member_from_row, row, order)

    def unit(self) -> Unit:
        return loaded(convert.unit_from_row, self._unit_row(), self._overrides().get(("unit", 1), {}))

    def report(self, stage: str) -> Report:
        row = self._s.get(ReportRow, stage)
        return loaded(convert.report_from_row, row) if row else Report()

    # ---- photo verdicts --------------------------------------------------------------------

    def kept_verdicts(self) -> dict[tuple[str, str], Any]:
        """The photo verdicts the store keeps, (rules fingerprint, photo SHA-256) → PhotoVerdict;
        a row that is not one (edited by hand) is passed over."""
        from nominator.domain.photo import verdict_from_json

        found: dict[tuple[str, str], Any] = {}
        for row in self._s.scalars(select(PhotoVerdictRow)):
            with contextlib.suppress(ValueError):
                if isinstance(row.verdict, dict):
                    found[(row.rules, row.sha256)] = verdict_from_json(row.verdict)
        return found

    # ---- helpers ---------------------------------------------------------------------------

    def _unit_row(self) -> UnitRow:
        row = self._s.get(UnitRow, 1)
        if row is None:
            raise UserError(damaged_message(self.path))
        return row

    def _overrides(self) -> dict[tuple[str, int], dict[str, str]]:
        found: dict[tuple[str, int], dict[str, str]] = {}
        for row in self._s.execute(select(OverrideRow.__table__)):
            found.setdefault((row.target_kind, row.target_id), {})[row.rule] = row.reason
        return found

    def _kind_label(self, kind: str) -> str:
        return self.rules().kinds[kind].label


def _rows(s: Session, kind: str) -> Any:
    """A kind's rows, in recommendation order, as plain rows (attributes by column name)."""
    table = row_type(kind).__table__
    return s.execute(of_kind(kind, select(table)).order_by(table.c.position, table.c.id))


def _with_digest(data: bytes, sha256: str) -> bytes:
    """The photo's bytes carrying the digest the store keeps beside them (finding a photo's kept
    verdict then needs no hashing)."""
    from nominator.domain.photo import PhotoBytes

    return PhotoBytes(data, sha256) if len(sha256) == 64 else data


def _photo_bytes(s: Session, query: Any) -> dict[int, bytes]:
    return {row.id: _with_digest(row.data, row.sha256) for row in s.execute(query)}
