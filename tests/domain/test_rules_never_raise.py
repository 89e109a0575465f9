"""A campaign that loads never makes the checker raise, whatever the records hold.

Hypothesis draws variants of the two format-3 fixtures that a province could write (rules left
out, other numbers, other severities, other categories and levels, other years) and dossiers a
clerk, an Excel import or an exchange file could bring (any number of records, values of the
right type and of the wrong one, unknown categories and levels, negative and missing
allocations, any day). `check_records` answers each with Problems whose rule IDs are the file's
own or the fields' own checks (rules.md), never with an exception.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nominator.campaign import Campaign, CampaignFileError, FieldSpec
from nominator.domain.checks import check_records
from nominator.domain.model import Allocation, Unit, allocation_key
from nominator.domain.rules import Record
from tests.campaign import hostile

# The checker's own checks of fields, cited with their rules.md IDs whatever the campaign says.
FIELD_CHECKS = {"V1", "V2", "V3", "F1", "F2", "F3", "P3"}
FIXTURES = {"liaoning": hostile.REWRITE, "wenming": hostile.WENMING}
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # a failure is shown as drawn: shrinking
    # a campaign and a dossier takes minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ---- campaigns: variants a province could write -------------------------------------------------


@st.composite
def variants(draw: st.DrawFn, name: str) -> tuple[Campaign, dict[str, Any]]:
    data = copy.deepcopy(hostile.read(FIXTURES[name]))
    notice_year = data["notice_date"].year
    kept = []
    for rule in data.get("rules", []):
        if not draw(st.booleans()) and rule["kind"] not in ("ceiling",):
            continue  # a rule left out
        rule = dict(rule)
        if "severity" in rule or draw(st.booleans()):
            rule["severity"] = draw(st.sampled_from(["error", "warning"]))
        if rule["kind"] in ("ceiling", "category_quota"):
            rule["factor"] = [draw(st.integers(1, 30)), draw(st.integers(1, 30))]
        if "percent" in rule:
            rule["percent"] = draw(st.integers(0, 100))
            rule["always_allowed"] = draw(st.integers(0, 5))
        if "share" in rule:
            den = draw(st.integers(1, 200))
            rule["share"] = [draw(st.integers(0, den)), den]
        if rule["kind"] == "rows_in":
            rule["years"] = sorted(draw(st.sets(st.integers(2015, 2030), min_size=1, max_size=4)))
        if rule["kind"] == "date_range":
            rule["years_before_today"] = draw(st.integers(0, 60))
            rule["earliest_year"] = draw(st.integers(1900, notice_year - rule["years_before_today"]))
        if rule["kind"] == "date_after":
            rule["years"] = draw(st.integers(0, 60))
        if rule["kind"] == "requires_prior" and "level" in rule:
            kind = data["kinds"]["collective"]
            category = draw(st.sampled_from(kind["categories"]))
            rule["category"] = category["id"]
            rule["level"] = draw(st.sampled_from(category.get("levels") or kind["levels"]))
        if rule["kind"] == "fixed_max":
            rule["max"] = {k: draw(st.integers(0, 5)) for k in rule["max"]}
            rule["min"] = {k: draw(st.integers(0, rule["max"].get(k, 0))) for k in rule.get("min", {})}
        if rule not in kept:
            kept.append(rule)
    data["rules"] = kept
    text = hostile.dump(data).text
    verdict = hostile.judge(text, FIXTURES[name].name, hostile.words_of_file(data))
    assert not isinstance(verdict, CampaignFileError), verdict  # the variants are all valid
    return verdict, data


# ---- records: what a store, an Excel import or an exchange file could hold ----------------------

JUNK = st.one_of(
    st.none(),
    st.text(max_size=6),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


def _value(field: FieldSpec) -> st.SearchStrategy[Any]:
    choices = list(field.choices) or ["甲"]
    typed: dict[str, st.SearchStrategy[Any]] = {
        "choice": st.sampled_from(choices),
        "multichoice": st.lists(st.sampled_from(choices), max_size=4),
        "date": st.one_of(
            st.dates(dt.date(1890, 1, 1), dt.date(2040, 12, 31)).map(dt.date.isoformat),
            st.sampled_from(["2021-02-30", "1966-1-1", "19660101", "明年"]),
        ),
        "month": st.one_of(
            st.dates(dt.date(1890, 1, 1), dt.date(2040, 12, 31)).map(lambda d: d.strftime("%Y-%m")),
            st.sampled_from(["2021-13", "2021.07", "1988-7"]),
        ),
        "number": st.integers(-5, 10**9),
        "check": st.booleans(),
        "rows": st.lists(
            st.fixed_dictionaries(
                {
                    "year": st.one_of(st.integers(2010, 2032), JUNK),
                    "result": st.one_of(st.sampled_from(choices), JUNK),
                }
            ),
            max_size=5,
        ),
    }
    right = typed.get(field.type, st.text(max_size=40))
    return st.one_of(right, right, JUNK)


@st.composite
def records(draw: st.DrawFn, campaign: Campaign, kind: str) -> list[Record]:
    spec = campaign.kinds[kind]
    found = []
    for n in range(draw(st.integers(0, 6))):
        values = {f.id: draw(_value(f)) for f in spec.fields() if draw(st.integers(0, 5))}
        categories = [c.id for c in spec.categories] + ["", "no_such_category"]
        levels = [*spec.levels, "", "国家级"]
        found.append(
            Record(
                kind=kind,
                values=values,
                category=draw(st.sampled_from(categories)),
                level=draw(st.sampled_from(levels)),
                attestations={k: draw(st.booleans()) for k in spec.attestations if draw(st.booleans())},
                overrides=draw(
                    st.dictionaries(st.sampled_from(["Q3", "E1", "W2", "X9"]), st.text(max_size=5))
                ),
                id=n + 1,
                index=n,
            )
        )
    return found


@st.composite
def units(draw: st.DrawFn, campaign: Campaign) -> Unit:
    maybe = st.one_of(st.none(), st.integers(-3, 40))
    keys = [
        allocation_key(c.id, level)
        for spec in campaign.kinds.values()
        for c in spec.categories
        for level in (*spec.levels_of(c.id), "")
    ]
    table = {k: draw(st.integers(-2, 6)) for k in keys if draw(st.booleans())}
    return Unit(
        name=draw(st.sampled_from(["沈阳市", "西安区文明办", "省教育厅", "", "某单位"])),
        kind=draw(st.sampled_from([*campaign.unit_kinds, "no_such_kind"])),
        allocation=Allocation(draw(maybe), draw(maybe), table=table),
        overrides=draw(st.dictionaries(st.sampled_from(["Q1", "Q4", "W1"]), st.text(max_size=5))),
    )


@pytest.mark.parametrize("name", FIXTURES)
@SETTINGS
@given(data=st.data())
def test_a_campaign_that_loads_never_makes_the_checker_raise(name: str, data: st.DataObject) -> None:
    campaign, _ = data.draw(variants(name))
    unit = data.draw(units(campaign))
    dossier = {kind: data.draw(records(campaign, kind)) for kind in campaign.nominee_kinds()}
    stage = data.draw(st.sampled_from(list(campaign.stages)))
    today = data.draw(st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)))
    problems = check_records(campaign, unit, dossier, stage, today=today)
    cited = (
        {r.id for r in campaign.rules}
        | FIELD_CHECKS
        | {level.rule for level in campaign.publicity.levels.values()}
    )
    for p in problems:
        assert p.rule in cited, p
        assert p.severity in ("error", "warning") and p.message.strip(), p
        assert "None" not in p.message and "Traceback" not in p.message, p


def test_the_fixtures_hold_the_checks_the_test_draws() -> None:
    """The variants above start from files that declare each kind of rule the checker runs."""
    kinds = {r["kind"] for path in FIXTURES.values() for r in hostile.read(path)["rules"]}
    assert kinds >= {
        "ceiling", "fixed_max", "category_quota", "share_at_most", "share_at_least", "requires_prior",
        "excluded_value", "required", "rows_in", "attestations", "date_range", "date_after", "unique", "hook",
    }  # fmt: skip
