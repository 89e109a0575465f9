"""A format-3 campaign's rules in the shape format 2 had (`QuotaRules`, `EligibilityRules`,
`ValidationRules`), for the window's pages and the demo that still read that shape."""

from __future__ import annotations

from nominator.campaign.model import (
    EligibilityRules,
    Exclusion,
    KindSpec,
    QuotaRules,
    ShareMax,
    ShareMin,
    ValidationRules,
)
from nominator.campaign.rulebook import Rule


def quota_view(rules: tuple[Rule, ...]) -> QuotaRules:
    ceiling = next((r for r in rules if r.kind == "ceiling"), None)
    most = next((r for r in rules if r.kind == "share_at_most"), None)
    share_max = ShareMax(most.field, most.value, most.percent, most.always_allowed) if most else None
    least = {r.of[0]: r for r in rules if r.kind == "share_at_least" and len(r.of) == 1}
    share_min = None
    c, i = least.get("collective"), least.get("individual")
    if c is not None and i is not None and (c.field, c.value) == (i.field, i.value):
        share_min = ShareMin(c.field, c.value, c.share, i.share)
    return QuotaRules(factor=ceiling.factor if ceiling else (1, 1), share_max=share_max, share_min=share_min)


def eligibility_view(rules: tuple[Rule, ...], kinds: dict[str, KindSpec]) -> EligibilityRules:
    rows = next((r for r in rules if r.kind == "rows_in"), None)
    required = next((r for r in rules if r.kind == "required" and "individual" in r.of), None)
    excluded_rank = next(
        (r.values[0] for r in rules if r.kind == "excluded_value" and r.field == "rank" and r.values), ""
    )
    exclusions = tuple(
        Exclusion(r.field, r.message.removesuffix(_EXCLUSION_TAIL), r.name_suffix)
        for r in rules
        if r.kind == "excluded_value" and "collective" in r.of and not r.values
    )
    return EligibilityRules(
        excluded_rank=excluded_rank,
        good_assessments=rows.good if rows else (),
        bad_assessments=rows.bad if rows else (),
        assessment_years=rows.years if rows else (),
        assessment_condition=rows.condition if rows else "",
        individual_attestations=dict(kinds["individual"].attestations) if "individual" in kinds else {},
        collective_attestations=dict(kinds["collective"].attestations) if "collective" in kinds else {},
        collective_exclusions=exclusions,
        individual_required=dict(required.reasons) if required else {},
    )


def validation_view(rules: tuple[Rule, ...]) -> ValidationRules:
    span = next((r for r in rules if r.kind == "date_range"), None)
    after = next((r for r in rules if r.kind == "date_after"), None)
    return ValidationRules(
        birth_min_year=span.earliest_year if span else 1900,
        min_age=span.span if span else 0,
        work_start_min_age=after.span if after else 0,
    )


# A warning's closing words: a warned record may still go ahead with a written reason.
_EXCLUSION_TAIL = "。如确需推荐,请填写理由。"


def rows_years(rules: tuple[Rule, ...], field: str) -> tuple[int, ...]:
    """The years a rows field (近三年考核) is filled for: those its `rows_in` rule asks about."""
    return next((r.years for r in rules if r.kind == "rows_in" and r.field == field), ())
