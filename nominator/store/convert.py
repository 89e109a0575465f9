"""Rows ⇄ domain records. The only place that knows both shapes."""

from __future__ import annotations

import hashlib
from typing import Any

from nominator.domain.model import (
    Allocation,
    Assessment,
    Collective,
    Individual,
    Member,
    Period,
    Report,
    Unit,
)
from nominator.store.schema import MemberRow, NomineeRow, PhotoRow, ReportRow, UnitRow

# The field values of the two record types the domain still types out (issue 17 makes them one
# generic nominee); the store keeps them as a nominee's field values by these names (0006).
COLLECTIVE_FIELDS = (
    "name", "level", "nature", "leader", "staff_count", "contact", "phone", "deeds_brief",
    "deeds_full", "honors", "deputy_bureau_or_above", "county_government_or_above",
)  # fmt: skip
INDIVIDUAL_FIELDS = (
    "name", "gender", "ethnicity", "birth_date", "political_status", "education", "work_start",
    "unit_and_title", "rank", "level", "years_in_field", "phone", "resume", "deeds_brief",
    "deeds_full", "honors",
)  # fmt: skip
MEMBER_FIELDS = ("name", "unit_and_title", "role", "phone")
UNIT_FIELDS = ("name", "kind", "contact", "phone")
ROWS_FIELD = "assessments"  # the individual's year-by-year rows, [{year, result}]


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
        allocation=allocation_from_json(row.allocation),
        overrides=overrides,
        extra=dict(row.extra),
    )


def unit_to_row(unit: Unit, row: UnitRow) -> None:
    for name in UNIT_FIELDS:
        setattr(row, name, getattr(unit, name))
    row.allocation = allocation_to_json(unit.allocation)
    row.extra = dict(unit.extra)


def allocation_from_json(value: Any) -> Allocation:
    """The unit's allocation as kept (0006): one number per kind, or per category and level."""
    table = {str(k): v for k, v in value.items()}
    return Allocation(table.pop("collective", None), table.pop("individual", None), table)


def allocation_to_json(allocation: Allocation) -> dict[str, Any]:
    by_kind = {"collective": allocation.collectives, "individual": allocation.individuals}
    return {**{k: v for k, v in by_kind.items() if v is not None}, **allocation.table}


def _bookkeeping(row: Any) -> dict[str, Any]:
    return {
        "attestations": {k: bool(v) for k, v in row.attestations.items()},
        "publicity": publicity_from_json(row.publicity),
        "source": row.source,
        "feedback": row.feedback,
        "id": row.id,
        "extra": dict(row.extra),
    }


def collective_from_row(row: Any, overrides: dict[str, str], order: int) -> Collective:
    fields = row.fields
    record = Collective(overrides=overrides, order=order, **_bookkeeping(row))
    for name in COLLECTIVE_FIELDS:
        if name in fields:
            setattr(record, name, fields[name])
    return record


def _to_row(record: Collective | Individual, row: NomineeRow, fields: dict[str, Any]) -> None:
    row.fields = fields
    row.attestations = dict(record.attestations)
    row.publicity = publicity_to_json(record.publicity)
    row.source = record.source
    row.feedback = record.feedback
    row.extra = dict(record.extra)


def collective_to_row(record: Collective, row: NomineeRow) -> None:
    row.kind = "collective"
    _to_row(record, row, {name: getattr(record, name) for name in COLLECTIVE_FIELDS})


def individual_from_row(
    row: Any, overrides: dict[str, str], order: int, photo_data: bytes | None
) -> Individual:
    fields = row.fields
    record = Individual(
        photo=row.photo_name, photo_data=photo_data, overrides=overrides, order=order, **_bookkeeping(row)
    )
    for name in INDIVIDUAL_FIELDS:
        if name in fields:
            setattr(record, name, fields[name])
    record.assessments = [Assessment(a["year"], a["result"]) for a in fields.get(ROWS_FIELD, [])]
    return record


def individual_to_row(record: Individual, row: NomineeRow) -> None:
    """Everything but the photo bytes, which the store sets separately (they are big)."""
    row.kind = "individual"
    fields: dict[str, Any] = {name: getattr(record, name) for name in INDIVIDUAL_FIELDS}
    by_year = {a.year: a.result for a in record.assessments}  # a repeated year: the last one wins
    fields[ROWS_FIELD] = [
        {"year": year, "result": by_year[year]} for year in sorted(by_year, key=_year_order)
    ]
    _to_row(record, row, fields)
    row.photo_name = record.photo


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
