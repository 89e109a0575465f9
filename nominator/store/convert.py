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
from nominator.store.schema import (
    AssessmentRow,
    CollectiveRow,
    IndividualRow,
    MemberRow,
    PhotoRow,
    PublicityColumns,
    ReportRow,
    UnitRow,
)

LEVELS = ("unit", "region")

# Scalar fields copied one to one between a record and its row.
COLLECTIVE_FIELDS = (
    "name", "level", "nature", "leader", "staff_count", "contact", "phone", "deeds_brief",
    "deeds_full", "honors", "deputy_bureau_or_above", "county_government_or_above", "source",
    "feedback",
)  # fmt: skip
INDIVIDUAL_FIELDS = (
    "name", "gender", "ethnicity", "birth_date", "political_status", "education", "work_start",
    "unit_and_title", "rank", "level", "years_in_field", "phone", "resume", "deeds_brief",
    "deeds_full", "honors", "source", "feedback",
)  # fmt: skip
MEMBER_FIELDS = ("name", "unit_and_title", "role", "phone")
UNIT_FIELDS = ("name", "kind", "contact", "phone")


def publicity_from_row(row: PublicityColumns) -> dict[str, Period]:
    periods = {}
    for level in LEVELS:
        period = Period(
            getattr(row, f"{level}_publicity_start"),
            getattr(row, f"{level}_publicity_end"),
            getattr(row, f"{level}_publicity_result"),
        )
        if not period.is_empty():
            periods[level] = period
    return periods


def publicity_to_row(publicity: dict[str, Period], row: PublicityColumns) -> None:
    for level in LEVELS:
        period = publicity.get(level, Period())
        setattr(row, f"{level}_publicity_start", period.start)
        setattr(row, f"{level}_publicity_end", period.end)
        setattr(row, f"{level}_publicity_result", period.result)


def unit_from_row(row: UnitRow, overrides: dict[str, str]) -> Unit:
    return Unit(
        name=row.name,
        kind=row.kind,
        contact=row.contact,
        phone=row.phone,
        allocation=Allocation(row.allocation_collectives, row.allocation_individuals),
        overrides=overrides,
        extra=dict(row.extra),
    )


def unit_to_row(unit: Unit, row: UnitRow) -> None:
    for name in UNIT_FIELDS:
        setattr(row, name, getattr(unit, name))
    row.allocation_collectives = unit.allocation.collectives
    row.allocation_individuals = unit.allocation.individuals
    row.extra = dict(unit.extra)


def collective_from_row(row: CollectiveRow, overrides: dict[str, str], order: int) -> Collective:
    record = Collective(
        attestations={k: bool(v) for k, v in row.attestations.items()},
        publicity=publicity_from_row(row),
        overrides=overrides,
        order=order,
        id=row.id,
        extra=dict(row.extra),
    )
    for name in COLLECTIVE_FIELDS:
        setattr(record, name, getattr(row, name))
    return record


def collective_to_row(record: Collective, row: CollectiveRow) -> None:
    for name in COLLECTIVE_FIELDS:
        setattr(row, name, getattr(record, name))
    row.attestations = dict(record.attestations)
    row.extra = dict(record.extra)
    publicity_to_row(record.publicity, row)


def individual_from_row(
    row: IndividualRow, overrides: dict[str, str], order: int, photo_data: bytes | None
) -> Individual:
    record = Individual(
        assessments=[Assessment(a.year, a.result) for a in row.assessments],
        attestations={k: bool(v) for k, v in row.attestations.items()},
        publicity=publicity_from_row(row),
        photo=row.photo_name,
        photo_data=photo_data,
        overrides=overrides,
        order=order,
        id=row.id,
        extra=dict(row.extra),
    )
    for name in INDIVIDUAL_FIELDS:
        setattr(record, name, getattr(row, name))
    return record


def individual_to_row(record: Individual, row: IndividualRow) -> None:
    """Everything but the photo bytes, which the store sets separately (they are big)."""
    for name in INDIVIDUAL_FIELDS:
        setattr(row, name, getattr(record, name))
    row.attestations = dict(record.attestations)
    row.extra = dict(record.extra)
    row.photo_name = record.photo
    publicity_to_row(record.publicity, row)
    # Update rows in place by year: a new row for a year must not meet the old one (unique).
    existing = {a.year: a for a in row.assessments}
    wanted = {a.year: a.result for a in record.assessments}  # a repeated year: the last one wins
    rows = []
    for year, result in wanted.items():
        assessment = existing.get(year) or AssessmentRow(year=year)
        assessment.result = result
        rows.append(assessment)
    row.assessments = rows


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
