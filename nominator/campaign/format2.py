"""Format 2's fixed meanings, said as format-3 rules.

A format-2 campaign file writes its conditions in `[quota]`, `[eligibility]`, `[validation]` and the
unit kinds' maxima, and the program knew what each key meant for which field. Here that knowledge
is written once more, as the `[[rules]]` a format-3 file would hold, so every store that keeps a
format-2 copy is checked by the same rule functions, with the same messages, as before
(tests/campaign/test_rules_format.py compares the two forms of the Liaoning file).
"""

from __future__ import annotations

from dataclasses import replace

from nominator.campaign.builtin import LIST_NAMES
from nominator.campaign.model import (
    EligibilityRules,
    Exclusion,
    FieldGroup,
    FieldSpec,
    KindSpec,
    PhotoFields,
    QuotaRules,
    ShareMax,
    ShareMin,
    UnitKind,
    ValidationRules,
)
from nominator.campaign.reading import AGE_MOST, FACTOR_HINT, YEAR_FIRST, YEAR_LAST, Reader
from nominator.campaign.rulebook import Rule

WARNED = "。如确需推荐,请填写理由。"  # how a warning the clerk may accept with a reason closes
RECOMMENDED = ("collective", "individual")


def rules_of_format2(
    quota: QuotaRules,
    eligibility: EligibilityRules,
    validation: ValidationRules,
    unit_kinds: dict[str, UnitKind],
    kinds: dict[str, KindSpec],
) -> tuple[Rule, ...]:
    """The rules, in the order the checker has always reported them."""
    rules = [Rule("Q1", "ceiling", of=RECOMMENDED, factor=quota.factor)]
    for key, kind in unit_kinds.items():
        if not kind.uses_allocation:
            rules.append(
                Rule(
                    "Q2",
                    "fixed_max",
                    of=RECOMMENDED,
                    unit_kinds=(key,),
                    maximum={"collective": kind.max_collectives, "individual": kind.max_individuals},
                    minimum={"individual": kind.min_individuals} if kind.min_individuals else {},
                )
            )
    if quota.share_max is not None:
        m = quota.share_max
        rules.append(
            Rule(
                "Q3",
                "share_at_most",
                "warning",
                of=("individual",),
                field=m.field,
                value=m.value,
                percent=m.percent,
                always_allowed=m.always_allowed,
                message="{value}干部{count}{measure},占{label}{total}{measure}的{share}%,"
                "超过原则上{percent}%的比例。请调整,或填写说明。",
            )
        )
    if quota.share_min is not None:
        n = quota.share_min
        by_allocation = tuple(key for key, kind in unit_kinds.items() if kind.uses_allocation)
        found = "{label}中{value}仅{count}{measure}(共{total}{measure})"
        for kind_key, share, closing in (
            (
                "collective",
                n.collectives,
                ",少于{fraction}。评选面向基层一线,请优先推荐{value}单位,或填写说明。",
            ),
            ("individual", n.individuals, ",低于全省{num}/{den}的比例。请优先推荐基层一线人员,或填写说明。"),
        ):
            rules.append(
                Rule(
                    "Q4",
                    "share_at_least",
                    "warning",
                    of=(kind_key,),
                    field=n.field,
                    value=n.value,
                    share=share,
                    unit_kinds=by_allocation,
                    message=found + closing,
                )
            )
    if eligibility.individual_required:
        rules.append(
            Rule("E2", "required", of=("individual",), reasons=dict(eligibility.individual_required))
        )
    rules += [
        Rule(
            "V2",
            "date_range",
            of=("individual",),
            field="birth_date",
            earliest_year=validation.birth_min_year,
            span=validation.min_age,
        ),
        Rule(
            "V2",
            "date_after",
            of=("individual",),
            field="work_start",
            after="birth_date",
            span=validation.work_start_min_age,
        ),
        Rule(
            "V2", "hook", of=("individual",), hook="years_within", field="years_in_field", after="work_start"
        ),
        Rule("V2", "hook", of=("collective",), hook="positive", field="staff_count"),
    ]
    for x in eligibility.collective_exclusions:
        rules.append(
            Rule(
                "E1",
                "excluded_value",
                "warning",
                of=("collective",),
                field=x.field,
                name_suffix=x.name_suffix,
                message=x.message.replace("{", "{{").replace("}", "}}") + WARNED,
            )
        )
    if eligibility.excluded_rank:
        rules.append(
            Rule(
                "E1",
                "excluded_value",
                "warning",
                of=("individual",),
                field="rank",
                values=(eligibility.excluded_rank,),
                message="为{value}干部,一般不参评" + WARNED,
            )
        )
    if eligibility.assessment_years:
        rules.append(
            Rule(
                "E3",
                "rows_in",
                of=("individual",),
                field="assessments",
                years=eligibility.assessment_years,
                good=eligibility.good_assessments,
                bad=eligibility.bad_assessments,
                condition=eligibility.assessment_condition,
                label=ASSESSMENTS_LABEL,
            )
        )
    if eligibility.individual_attestations:
        rules.append(Rule("E4", "attestations", of=("individual",)))
    if eligibility.collective_attestations:
        rules.append(Rule("E5", "attestations", of=("collective",)))
    rules += [
        Rule("V4", "unique", of=("collective",), fields=("name",)),
        Rule("V4", "unique", of=("individual",), fields=("name", "birth_date")),
    ]
    return tuple(rules)


def format2_kinds(kinds: dict[str, KindSpec], eligibility: EligibilityRules) -> dict[str, KindSpec]:
    """What format 3 says with each kind and format 2 left to the program: the attestations (kept
    in [eligibility]), the exchange file's list names, and whose photo is named after which fields."""
    found = dict(kinds)
    for key, spec in kinds.items():
        found[key] = replace(spec, json=LIST_NAMES.get(key, ""))
    for key, words in (
        ("individual", eligibility.individual_attestations),
        ("collective", eligibility.collective_attestations),
    ):
        if key in found:
            found[key] = replace(found[key], attestations=dict(words))
    if "individual" in found:
        found["individual"] = replace(found["individual"], photo=PhotoFields("name", "birth_date"))
    for key, spec in found.items():
        groups = tuple(
            FieldGroup(group.label, tuple(_printing(key, f) for f in group.fields)) for group in spec.groups
        )
        if key == "individual" and spec.field("assessments") is None:
            rows = FieldSpec(
                "assessments",
                ASSESSMENTS_LABEL,
                "rows",
                choices=(*eligibility.good_assessments, *eligibility.bad_assessments),
                prints={"assessment_list": "list"},
            )
            # after the first group's fields, where the import template always had its year columns
            groups = (FieldGroup(groups[0].label, (*groups[0].fields, rows)), *groups[1:])
        found[key] = replace(spec, groups=groups)
    return found


# How format 2's forms print its fields, which format 3 says with `blank` and `prints`: 曾获荣誉
# “无” when empty, 出生年月 beside 出生日期, 简历 in dated lines, and 近三年考核 (kept apart in
# format 2, a rows field in format 3) also as a list of years.
ASSESSMENTS_LABEL = "年度考核结果"
_PRINTS = {
    ("collective", "honors"): {"blank": "无"},
    ("individual", "honors"): {"blank": "无"},
    ("individual", "birth_date"): {"prints": {"birth_month": "month"}},
    ("individual", "resume"): {"prints": {"resume": "dated"}},
}


def _printing(kind: str, field: FieldSpec) -> FieldSpec:
    how = _PRINTS.get((kind, field.id))
    return replace(field, **how) if how else field  # type: ignore[arg-type]


# ---- reading format 2's sections ---------------------------------------------------------------


def read_quota(top: Reader, kinds: dict[str, KindSpec]) -> QuotaRules:
    t = top.need_table("quota")
    factor = t.integers("factor")
    if len(factor) != 2 or factor[0] < 1 or factor[1] < 1:
        t.fail("factor", FACTOR_HINT)
    share_max = share_min = None
    m = t.table("share_max", optional=True)
    if m is not None:
        share_max = ShareMax(
            field=_record_field(m, "field", kinds, "individual"),
            value=m.text("value"),
            percent=m.integer("percent", minimum=0, maximum=100),
            always_allowed=m.integer("always_allowed", 0),
        )
    n = t.table("share_min", optional=True)
    if n is not None:
        field = n.text("field")
        for kind in ("collective", "individual"):
            if kinds[kind].field(field) is None:
                n.fail("field", f"“{field}”不是{kinds[kind].label}的字段。")
        share_min = ShareMin(field, n.text("value"), _fraction(n, "collectives"), _fraction(n, "individuals"))
    return QuotaRules(factor=(factor[0], factor[1]), share_max=share_max, share_min=share_min)


def _fraction(t: Reader, key: str) -> tuple[int, int]:
    pair = t.integers(key)
    if len(pair) != 2 or pair[1] < 1 or not 0 <= pair[0] <= pair[1]:
        t.fail(key, "应写成 [分子, 分母],如 [1, 2] 表示一半。")
    return pair[0], pair[1]


def _record_field(t: Reader, key: str, kinds: dict[str, KindSpec], kind: str) -> str:
    field = t.text(key)
    if kinds[kind].field(field) is None:
        t.fail(key, f"“{field}”不是{kinds[kind].label}的字段。")
    return field


def read_eligibility(top: Reader, kinds: dict[str, KindSpec]) -> EligibilityRules:
    t = top.need_table("eligibility")
    exclusions = []
    for x in t.tables("collective_exclusions", optional=True):
        field = _record_field(x, "field", kinds, "collective")
        spec = kinds["collective"].field(field)
        if spec is not None and spec.type != "check":
            x.fail("field", f'“{field}”应为勾选项(type = "check")。')
        exclusions.append(Exclusion(field, x.text("message"), x.text("name_suffix", "")))
    return EligibilityRules(
        excluded_rank=t.text("excluded_rank", ""),
        good_assessments=t.texts("good_assessments"),
        bad_assessments=t.texts("bad_assessments", ()),
        assessment_years=t.integers("assessment_years", minimum=YEAR_FIRST, maximum=YEAR_LAST),
        assessment_condition=t.text("assessment_condition", ""),
        individual_attestations=t.words("individual_attestations"),
        collective_attestations=t.words("collective_attestations"),
        collective_exclusions=tuple(exclusions),
        individual_required=_required_fields(t, kinds),
    )


def _required_fields(t: Reader, kinds: dict[str, KindSpec]) -> dict[str, str]:
    if not t.has("individual_required"):
        t.seen.add("individual_required")
        return {}
    required = t.words("individual_required")
    table = t.need_table("individual_required")
    for name in required:
        if kinds["individual"].field(name) is None:
            table.fail(name, f"“{name}”不是{kinds['individual'].label}的字段。")
    return required


def read_validation(top: Reader) -> ValidationRules:
    t = top.need_table("validation")
    return ValidationRules(
        birth_min_year=t.integer("birth_min_year", minimum=YEAR_FIRST, maximum=YEAR_LAST),
        min_age=t.integer("min_age", maximum=AGE_MOST),
        work_start_min_age=t.integer("work_start_min_age", maximum=AGE_MOST),
    )
