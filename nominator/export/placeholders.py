"""What a campaign's templates must and may hold, made from its kinds' fields (issue 17): a
nominee's form may print each field under its id and its `prints` names (nominator.export.values),
a printed field must appear under one of them; a report may list each kind by its `json` name; the
summary workbook has a sample row per nominee kind. nominator.export.templates checks templates
against these sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nominator.campaign import Campaign, FormSpec, KindSpec
from nominator.domain.model import NOMINEE_KINDS

# Fields every document may use.
# `issuer` lets a template name the organiser (an opinion box "{{ issuer }}意见") without
# quoting one notice: a template set reused by the next campaign then follows that campaign.
COMMON_FIELDS = frozenset({"attachment", "form_title", "unit_name", "fill_date", "stage_name", "issuer"})

REPORT_FIELDS = frozenset({"report_title", "addressee", "sections", "report_date"})

# List fields and the attributes of their items; text blocks iterate over plain strings.
LOOP_ITEMS: Mapping[str, frozenset[str]] = {
    "members": frozenset({"index", "name", "unit_and_title", "role", "phone"}),
    "assessment_list": frozenset({"year", "result"}),
    "sections": frozenset({"number", "heading", "paragraphs"}),
}


@dataclass(frozen=True)
class TemplateFields:
    """What a template must contain and what it may contain."""

    required: frozenset[str]
    known: frozenset[str]
    loops: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _fields(required: set[str], known: frozenset[str]) -> TemplateFields:
    return TemplateFields(
        required=frozenset(required),
        known=known | COMMON_FIELDS,
        loops={k: v for k, v in LOOP_ITEMS.items() if k in known},
    )


# The loop item of each nominee kind's rows (in the summary sheet and a report's list).
ROW_ITEMS = {"collective": "c", "individual": "p"}


def nominee_placeholders(kind: KindSpec) -> frozenset[str]:
    """What a nominee's forms may print (nominator.export.values): each field under its id and its
    `prints` names, its place, publicity, photo, category and level, attestations."""
    names = {"index", "publicity_period", "publicity_result"}
    for f in kind.fields():
        if f.type != "photo":
            names |= {f.id, *f.prints}
    if kind.photo is not None:
        names.add("photo")
    if kind.categories:
        names |= {"category", "level"}
    if kind.attestations:
        names.add("attestations")
    return frozenset(names)


def nominee_loops(kind: KindSpec) -> dict[str, frozenset[str]]:
    """The loops a nominee's forms may write: a rows field printed as a list, the attestations."""
    loops = {
        name: frozenset({"year", "result"})
        for f in kind.fields()
        if f.type == "rows"
        for name, how in f.prints.items()
        if how == "list"
    }
    if kind.attestations:
        loops["attestations"] = frozenset({"key", "text", "box"})
    return loops


def template_fields(spec: FormSpec, campaign: Campaign) -> TemplateFields:
    """What a form's template must and may hold: every field the campaign says the form prints
    must have its placeholder (so a field can never be required but missing from the paper)."""
    if spec.content == "report":
        known, loops = set(REPORT_FIELDS), dict(LOOP_ITEMS)
        summary = campaign.form_for("summary")
        if summary is not None:
            known.add("summary_title")
        for key in NOMINEE_KINDS:
            if key in campaign.kinds:
                lists = campaign.kinds[key].json
                known |= {lists, f"{key}_count"}
                loops[lists] = (
                    _row_placeholders(campaign, key) if summary is not None else frozenset({"index"})
                )
        return TemplateFields(
            frozenset({"report_title", "sections", "unit_name", "report_date"}),
            frozenset(known) | COMMON_FIELDS,
            {k: v for k, v in loops.items() if k in known},
        )
    if spec.content == "members":
        return _fields({"members"}, frozenset({"members"}))
    kind = campaign.kinds[spec.per]
    return TemplateFields(
        required=placeholders_for(spec.fields, kind),
        known=nominee_placeholders(kind) | COMMON_FIELDS,
        loops=nominee_loops(kind),
    )


def _row_placeholders(campaign: Campaign, kind: str) -> frozenset[str]:
    return nominee_placeholders(campaign.kinds[kind]) | {"note"}


def placeholders_for(fields: Iterable[str], kind: KindSpec | None) -> frozenset[str]:
    """The placeholders that print a form's fields: a field under its id or one of its `prints`
    names ("birth_date|birth_month": either will do), publicity as its period and result, the
    unit's facts as unit_name, contact, phone. A yes/no field needs none (it decides, it is not
    printed)."""
    required: set[str] = set()
    for name in fields:
        if name.startswith("publicity."):
            required |= {"publicity_period", "publicity_result"}
        elif name.startswith("unit."):
            required.add("unit_name" if name == "unit.name" else name.removeprefix("unit."))
        else:
            f = kind.field(name) if kind is not None else None
            if f is not None and f.type == "check":
                continue
            required.add("|".join((name, *f.prints)) if f is not None and f.prints else name)
    return frozenset(required)


def missing(required: Iterable[str], used: set[str]) -> list[str]:
    """The requirements `used` does not meet, each as "{{ a }}" or "{{ a }}或{{ b }}"."""
    return [
        "或".join(f"{{{{ {n} }}}}" for n in need.split("|"))
        for need in sorted(required)
        if not any(n in used for n in need.split("|"))
    ]


@dataclass(frozen=True)
class SampleRow:
    """A row of the sheet that is repeated once per record, its cells using `{{ item.attr }}`."""

    label: str  # 先进集体, for messages
    required: frozenset[str]
    known: frozenset[str]


@dataclass(frozen=True)
class SheetFields:
    required: frozenset[str]
    known: frozenset[str]
    rows: Mapping[str, SampleRow]  # loop item ("c", "p") → its sample row's fields


def sheet_fields(campaign: Campaign) -> SheetFields:
    """The summary workbook's placeholders: a sample row per nominee kind (`c`, `p`), named as the
    campaign names the kinds, holding what the kind's forms may print; counts per kind, and the
    quotas where the campaign allocates by kind."""
    spec = campaign.form_for("summary")
    rows = spec.row_fields if spec else {}
    kinds = [k for k in NOMINEE_KINDS if k in campaign.kinds]
    required = {"form_title", "unit_name", "contact", "phone", "fill_date"} | {f"{k}_count" for k in kinds}
    known = (
        set(COMMON_FIELDS)
        | {"contact", "phone"}
        | {f"{k}_{what}" for k in kinds for what in ("count", "label")}
    )
    if "kind" in campaign.allocation.by:
        required |= {f"{k}_quota" for k in kinds}
        known |= {f"{k}_quota" for k in kinds}
    if campaign.quota.share_max is not None:
        required.add("county_count")
        known |= {"county_rank", "county_count"}
    return SheetFields(
        required=frozenset(required),
        known=frozenset(known),
        rows={
            ROW_ITEMS[k]: SampleRow(
                campaign.kinds[k].label,
                required=placeholders_for(rows.get(k, ("name",)), campaign.kinds[k]),
                known=nominee_placeholders(campaign.kinds[k]) | {"note"},
            )
            for k in kinds
        },
    )
