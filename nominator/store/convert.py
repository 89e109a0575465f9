"""Rows ⇄ domain records. The only place that knows both shapes."""

from __future__ import annotations

import hashlib
from typing import Any

from nominator.domain.model import (
    Allocation,
    Assessment,
    Member,
    Nominee,
    Period,
    Report,
    Unit,
    new_nominee,
)
from nominator.store.schema import MemberRow, NomineeRow, PhotoRow, ReportRow, UnitRow

MEMBER_FIELDS = ("name", "unit_and_title", "role", "phone")
UNIT_FIELDS = ("name", "kind", "contact", "phone")


def publicity_from_json(value: Any) -> dict[str, Period]:
    """Publicity periods by level, as kept: {"unit": {"start", "end", "result"}, …}."""
    return {
        str(level): Period(str(p.get("start", "")), str(p.get("end", "")), str(p.get("result", "")))
        for level, p in value.items()
    }


def publicity_to_json(publicity: dict[str, Period]) -> dict[str, Any]:
    return {
        level: {"start": p.start, "end": p.end, "result": p.result}
        for level, p in publicity.items()
        if not p.is_empty()
    }


def unit_from_row(row: UnitRow, overrides: dict[str, str]) -> Unit:
    return Unit(
        name=row.name,
        kind=row.kind,
        contact=row.contact,
        phone=row.phone,
        allocation=Allocation.from_cells(row.allocation),  # as kept (0006)
        overrides=overrides,
        extra=dict(row.extra),
    )


def unit_to_row(unit: Unit, row: UnitRow) -> None:
    for name in UNIT_FIELDS:
        setattr(row, name, getattr(unit, name))
    row.allocation = unit.allocation.cells()
    row.extra = dict(unit.extra)


def _bookkeeping(row: Any) -> dict[str, Any]:
    return {
        "attestations": {k: bool(v) for k, v in row.attestations.items()},
        "publicity": publicity_from_json(row.publicity),
        "source": row.source,
        "feedback": row.feedback,
        "id": row.id,
        "extra": dict(row.extra),
    }


def nominee_from_row(row: Any, overrides: dict[str, str], order: int, photo_data: bytes | None) -> Nominee:
    """A nominee as kept (0006): its field values as they were saved, a rows field's rows
    ([{year, result}]) as Assessments."""
    return new_nominee(
        row.kind,
        values={k: _rows_from_json(v) for k, v in row.fields.items()},
        photo=row.photo_name,
        photo_data=photo_data,
        overrides=overrides,
        order=order,
        **_bookkeeping(row),
    )


def nominee_to_row(record: Nominee, row: NomineeRow) -> None:
    """Everything but the photo bytes, which the store sets separately (they are big)."""
    row.kind = record.kind
    row.fields = {k: _rows_to_json(v) for k, v in record.values.items()}
    row.attestations = dict(record.attestations)
    row.publicity = publicity_to_json(record.publicity)
    row.photo_name = record.photo
    row.source = record.source
    row.feedback = record.feedback
    row.extra = dict(record.extra)


def _rows_from_json(value: Any) -> Any:
    if isinstance(value, list) and value and all(isinstance(r, dict) and "year" in r for r in value):
        return [Assessment(r["year"], r.get("result", "")) for r in value]
    return value


def _rows_to_json(value: Any) -> Any:
    if isinstance(value, list) and any(isinstance(r, Assessment) for r in value):
        by_year = {
            r.year: r.result for r in value if isinstance(r, Assessment)
        }  # a repeated year: the last wins
        return [{"year": year, "result": by_year[year]} for year in sorted(by_year, key=_year_order)]
    return value


def _year_order(year: Any) -> tuple[int, str]:
    return (year, "") if isinstance(year, int) else (0, str(year))


def photo_row(data: bytes) -> PhotoRow:
    return PhotoRow(data=data, sha256=hashlib.sha256(data).hexdigest())


def member_from_row(row: MemberRow, order: int) -> Member:
    record = Member(order=order, id=row.id, extra=dict(row.extra))
    for name in MEMBER_FIELDS:
        setattr(record, name, getattr(row, name))
    return record


def member_to_row(record: Member, row: MemberRow) -> None:
    for name in MEMBER_FIELDS:
        setattr(row, name, getattr(record, name))
    row.extra = dict(record.extra)


def report_from_row(row: ReportRow) -> Report:
    return Report(sections={k: str(v) for k, v in row.sections.items()}, date=row.date)


def report_to_row(report: Report, row: ReportRow) -> None:
    row.sections = dict(report.sections)
    row.date = report.date


def plain(value: Any) -> Any:
    """JSON columns hand back what was stored; copy so callers cannot mutate row state."""
    return dict(value) if isinstance(value, dict) else value
