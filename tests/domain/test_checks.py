"""The checker: every rule of rules.md, each pinned at its edge, starting from the valid demo."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from nominator.campaign import Campaign
from nominator.domain.checks import check, summarize
from nominator.domain.model import Allocation, Assessment, Collective, Dossier, Individual, Period, Unit
from nominator.domain.problems import Problem

BEFORE_DEADLINE = dt.date(2025, 12, 21)


def run(
    dossier: Dossier, campaign: Campaign, stage: str = "initial", today: dt.date = BEFORE_DEADLINE
) -> list[Problem]:
    return check(dossier, campaign, stage, today=today)


def rules(problems: list[Problem], severity: str | None = None) -> set[str]:
    return {p.rule for p in problems if severity is None or p.severity == severity}


def only(problems: list[Problem], rule: str) -> list[Problem]:
    return [p for p in problems if p.rule == rule]


def with_individuals(dossier: Dossier, n: int, **fields: object) -> Dossier:
    """The demo with exactly n individuals, copies of the first (distinct names)."""
    template = dossier.individuals[0]
    people = []
    for k in range(n):
        person = copy.deepcopy(template)
        person.name = f"测试{k:03d}"
        person.photo = f"测试{k:03d}-{person.birth_date.replace('-', '')}.jpg"
        person.order = k + 1
        for key, value in fields.items():
            setattr(person, key, value)
        people.append(person)
    dossier.individuals = people
    return dossier


def with_collectives(dossier: Dossier, n: int, level: str = "县级及以下") -> Dossier:
    template = dossier.collectives[0]
    groups = []
    for k in range(n):
        c = copy.deepcopy(template)
        c.name = f"测试单位{k:03d}政务公开科"
        c.level = level
        c.order = k + 1
        groups.append(c)
    dossier.collectives = groups
    return dossier


# ---- the demo is clean ---------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["initial", "formal"])
def test_demo_has_no_problems_before_the_deadline(
    demo_dossier: Dossier, campaign: Campaign, stage: str
) -> None:
    assert run(demo_dossier, campaign, stage) == []


def test_summary_counts_errors_and_unaccepted_warnings(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.unit.overrides = {"D1": "已电话报备"}
    demo_dossier.individuals[0].birth_date = "1986-02-30"
    summary = summarize("initial", run(demo_dossier, campaign, today=dt.date(2026, 1, 5)))
    assert summary["stage"] == "initial"
    assert summary["errors"] >= 1
    assert summary["warnings"] == 0  # D1 is accepted with a reason
    d1 = [p for p in summary["problems"] if p["rule"] == "D1"]
    assert d1 == [
        {
            "rule": "D1",
            "severity": "warning",
            "target": "unit",
            "message": d1[0]["message"],
            "overridden": True,
        }
    ]


# ---- Q1 / Q2: quotas -----------------------------------------------------------------------


def test_region_at_its_ceiling_passes_and_one_more_is_an_error(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.unit.allocation = Allocation(collectives=5, individuals=10)
    with_individuals(demo_dossier, 12, rank="科员及以下", level="县级及以下")
    assert only(run(demo_dossier, campaign), "Q1") == []
    with_individuals(demo_dossier, 13, rank="科员及以下", level="县级及以下")
    [problem] = only(run(demo_dossier, campaign), "Q1")
    assert problem.severity == "error"
    assert problem.target.path == "individuals"
    assert "13" in problem.message and "12" in problem.message and "删减1" in problem.message


@pytest.mark.parametrize(("allocated", "allowed"), [(1, 1), (2, 2), (3, 4), (8, 10), (13, 16)])
def test_region_collective_ceiling_follows_the_allocation(
    demo_dossier: Dossier, campaign: Campaign, allocated: int, allowed: int
) -> None:
    demo_dossier.unit.allocation = Allocation(collectives=allocated, individuals=10)
    with_collectives(demo_dossier, allowed)
    assert only(run(demo_dossier, campaign), "Q1") == []
    with_collectives(demo_dossier, allowed + 1)
    assert [p.target.path for p in only(run(demo_dossier, campaign), "Q1")] == ["collectives"]


def test_region_without_allocation_is_asked_for_it(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.unit.allocation = Allocation(collectives=None, individuals=10)
    [problem] = only(run(demo_dossier, campaign), "Q1")
    assert problem.target.path == "unit.allocation.collectives"
    assert "附件10" in problem.message


def department(dossier: Dossier) -> Dossier:
    dossier.unit = Unit(name="省教育厅", kind="department", contact="王某", phone="024-12345678")
    return dossier


def test_department_with_two_collectives_is_an_error(demo_dossier: Dossier, campaign: Campaign) -> None:
    department(demo_dossier)
    with_collectives(demo_dossier, 2, level="省直")
    with_individuals(demo_dossier, 2, rank="科员及以下", level="省直")
    problems = only(run(demo_dossier, campaign), "Q2")
    assert [(p.severity, p.target.path) for p in problems] == [("error", "collectives")]
    assert "省直单位原则上推荐先进集体1个" in problems[0].message


def test_department_may_recommend_nobody(demo_dossier: Dossier, campaign: Campaign) -> None:
    department(demo_dossier)
    demo_dossier.collectives = []
    demo_dossier.individuals = []
    assert rules(run(demo_dossier, campaign)) == set()


def test_department_with_three_individuals_is_an_error(demo_dossier: Dossier, campaign: Campaign) -> None:
    department(demo_dossier)
    with_collectives(demo_dossier, 1, level="省直")
    with_individuals(demo_dossier, 3, rank="科员及以下", level="省直")
    assert [p.target.path for p in only(run(demo_dossier, campaign), "Q2")] == ["individuals"]


# ---- Q3 / Q4: the mix ----------------------------------------------------------------------


def test_exactly_twenty_percent_county_rank_passes_and_one_more_warns(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    with_individuals(demo_dossier, 10, rank="科员及以下", level="县级及以下")
    for person in demo_dossier.individuals[:2]:
        person.rank = "县处级"
    assert only(run(demo_dossier, campaign), "Q3") == []
    demo_dossier.individuals[2].rank = "县处级"
    [problem] = only(run(demo_dossier, campaign), "Q3")
    assert problem.severity == "warning"
    assert "3名" in problem.message and "30%" in problem.message


def test_region_leaning_away_from_grassroots_is_warned(demo_dossier: Dossier, campaign: Campaign) -> None:
    with_collectives(demo_dossier, 4, level="市直")
    demo_dossier.collectives[0].level = "县级及以下"
    demo_dossier.collectives[1].level = "县级及以下"
    assert only(run(demo_dossier, campaign), "Q4") == []  # exactly half
    demo_dossier.collectives[1].level = "市直"
    assert [p.target.path for p in only(run(demo_dossier, campaign), "Q4")] == ["collectives"]


def test_individuals_below_92_of_180_grassroots_are_warned(demo_dossier: Dossier, campaign: Campaign) -> None:
    with_individuals(demo_dossier, 10, rank="科员及以下", level="市直")
    for person in demo_dossier.individuals[:6]:
        person.level = "县级及以下"
    assert only(run(demo_dossier, campaign), "Q4") == []  # 6/10 ≥ 92/180
    demo_dossier.individuals[5].level = "市直"
    assert [p.target.path for p in only(run(demo_dossier, campaign), "Q4")] == ["individuals"]


# ---- E1–E5: eligibility --------------------------------------------------------------------


def test_deputy_bureau_cadre_is_a_warning_until_a_reason_is_written(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    person = demo_dossier.individuals[1]
    person.rank = "副厅级及以上"
    [problem] = only(run(demo_dossier, campaign), "E1")
    assert (problem.severity, problem.target.path, problem.overridden) == (
        "warning",
        "individuals[1].rank",
        False,
    )
    person.overrides["E1"] = "   "
    assert not only(run(demo_dossier, campaign), "E1")[0].overridden  # blank is not a reason
    person.overrides["E1"] = "经市委组织部同意推荐"
    assert only(run(demo_dossier, campaign), "E1")[0].overridden


def test_county_government_as_collective_is_flagged_even_without_the_tick(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.collectives[0].name = "康平县人民政府"
    [problem] = only(run(demo_dossier, campaign), "E1")
    assert "县级以上政府" in problem.message


def test_errors_cannot_be_overridden(demo_dossier: Dossier, campaign: Campaign) -> None:
    person = demo_dossier.individuals[0]
    person.assessments[1] = Assessment(person.assessments[1].year, "基本称职")
    person.overrides["E3"] = "想推荐"
    [problem] = only(run(demo_dossier, campaign), "E3")
    assert problem.severity == "error" and not problem.overridden


@pytest.mark.parametrize("result", ["称职", "合格", "优秀"])
def test_good_assessments_pass(demo_dossier: Dossier, campaign: Campaign, result: str) -> None:
    demo_dossier.individuals[0].assessments = [
        Assessment(y, result) for y in campaign.eligibility.assessment_years
    ]
    assert only(run(demo_dossier, campaign), "E3") == []


@pytest.mark.parametrize("result", ["基本称职", "不称职", "不定等次", "基本合格", "不合格"])
def test_weak_assessment_is_an_error_naming_the_year(
    demo_dossier: Dossier, campaign: Campaign, result: str
) -> None:
    year = campaign.eligibility.assessment_years[0]
    demo_dossier.individuals[0].assessments[0] = Assessment(year, result)
    [problem] = only(run(demo_dossier, campaign), "E3")
    assert problem.target.path == f"individuals[0].assessments.{year}"
    assert f"{year}年度考核结果为“{result}”" in problem.message


def test_missing_assessment_year_is_asked_for(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.individuals[0].assessments.pop()
    [problem] = only(run(demo_dossier, campaign), "E3")
    assert f"请填写{campaign.eligibility.assessment_years[-1]}年度考核结果" in problem.message


def test_unticked_attestation_quotes_the_notice(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.individuals[0].attestations["no_sanction"] = False
    demo_dossier.collectives[0].attestations.pop("rates_below_average")
    problems = run(demo_dossier, campaign)
    assert [p.target.path for p in only(problems, "E4")] == ["individuals[0].attestations.no_sanction"]
    assert "未受过组织处理或处分" in only(problems, "E4")[0].message
    assert [p.target.path for p in only(problems, "E5")] == [
        "collectives[0].attestations.rates_below_average"
    ]


def test_person_not_in_the_field_is_refused(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.individuals[0].years_in_field = 0
    demo_dossier.individuals[0].unit_and_title = ""
    assert {p.target.path for p in only(run(demo_dossier, campaign), "E2")} == {
        "individuals[0].years_in_field",
        "individuals[0].unit_and_title",
    }


# ---- P1 / P2 / P3: publicity ---------------------------------------------------------------


def test_unit_publicity_of_five_working_days_across_new_year_passes_four_fails(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    person = demo_dossier.individuals[0]
    person.publicity["unit"] = Period("2025-12-29", "2026-01-05", "无异议")
    assert only(run(demo_dossier, campaign), "P1") == []
    person.publicity["unit"] = Period("2025-12-29", "2026-01-04", "无异议")
    [problem] = only(run(demo_dossier, campaign), "P1")
    assert problem.target.path == "individuals[0].publicity.unit"
    assert "只有4个工作日" in problem.message and "应不少于5个工作日" in problem.message


def test_missing_publicity_is_an_error_at_each_stage(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.collectives[0].publicity = {}
    assert [p.target.path for p in only(run(demo_dossier, campaign, "initial"), "P1")] == [
        "collectives[0].publicity.unit"
    ]
    formal = run(demo_dossier, campaign, "formal")
    assert [p.target.path for p in only(formal, "P2")] == ["collectives[0].publicity.region"]


def test_region_publicity_is_only_required_for_the_formal_stage(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.individuals[0].publicity.pop("region")
    assert only(run(demo_dossier, campaign, "initial"), "P2") == []
    assert len(only(run(demo_dossier, campaign, "formal"), "P2")) == 1


def test_publicity_in_a_year_without_holiday_data_is_counted_mon_fri_and_says_so(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.individuals[0].publicity["unit"] = Period("2031-01-06", "2031-01-10", "无异议")
    problems = run(demo_dossier, campaign)
    assert only(problems, "P1") == []
    [note] = only(problems, "P3")
    assert note.severity == "warning" and "2031年" in note.message and "周一至周五" in note.message


def test_publicity_ending_before_it_starts_is_a_date_error(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.individuals[0].publicity["unit"] = Period("2025-12-12", "2025-12-08", "无异议")
    assert [p.target.path for p in only(run(demo_dossier, campaign), "V2")] == [
        "individuals[0].publicity.unit"
    ]


# ---- V1–V4: the data itself ----------------------------------------------------------------


def test_required_fields_follow_what_the_stage_prints(demo_dossier: Dossier, campaign: Campaign) -> None:
    person = demo_dossier.individuals[0]
    person.resume = ""  # printed on the 审批表 (formal) only
    person.deeds_brief = ""  # printed on the 登记表 (initial) only
    assert [p.target.path for p in only(run(demo_dossier, campaign, "initial"), "V1")] == [
        "individuals[0].deeds_brief"
    ]
    assert [p.target.path for p in only(run(demo_dossier, campaign, "formal"), "V1")] == [
        "individuals[0].resume"
    ]


def test_honors_may_be_none_written_as_wu(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.collectives[0].honors = "无"
    assert run(demo_dossier, campaign) == []
    demo_dossier.collectives[0].honors = " "
    [problem] = only(run(demo_dossier, campaign), "V1")
    assert "没有的填“无”" in problem.message


@pytest.mark.parametrize("birth", ["1966-02-30", "19660101", "1966/01/01", "1949-12-31", "2010-01-01"])
def test_impossible_or_out_of_range_birth_dates_are_refused(
    demo_dossier: Dossier, campaign: Campaign, birth: str
) -> None:
    demo_dossier.individuals[0].birth_date = birth
    assert "individuals[0].birth_date" in {p.target.path for p in only(run(demo_dossier, campaign), "V2")}


def test_work_start_before_age_16_is_refused(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.individuals[0].birth_date = "1990-06-01"
    demo_dossier.individuals[0].work_start = "2005-07"
    assert "individuals[0].work_start" in {p.target.path for p in only(run(demo_dossier, campaign), "V2")}


@pytest.mark.parametrize(("phone", "ok"), [
    ("024-12345678", True), ("02412345678", True), ("0411-1234567", True), ("13800000000", True),
    ("12345678", False), ("1380000000", False), ("024-123", False), ("电话", False),
])  # fmt: skip
def test_phone_numbers_are_landlines_with_area_code_or_mobiles(
    demo_dossier: Dossier, campaign: Campaign, phone: str, ok: bool
) -> None:
    demo_dossier.members[0].phone = phone
    assert (only(run(demo_dossier, campaign), "V2") == []) is ok


def test_ethnicity_must_be_one_of_the_56(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.individuals[0].ethnicity = "汉"
    [problem] = only(run(demo_dossier, campaign), "V2")
    assert "56个民族" in problem.message


def test_text_over_its_limit_shows_the_limit_and_the_excess(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    limit = campaign.limits["deeds_full"]
    demo_dossier.individuals[0].deeds_full = "事" * limit
    assert only(run(demo_dossier, campaign, "formal"), "V3") == []
    demo_dossier.individuals[0].deeds_full = "事" * (limit + 7)
    [problem] = only(run(demo_dossier, campaign, "formal"), "V3")
    assert problem.target.path == "individuals[0].deeds_full"
    assert f"超过{limit}字" in problem.message and "精简7字" in problem.message


def test_the_same_person_twice_is_refused(demo_dossier: Dossier, campaign: Campaign) -> None:
    twin = copy.deepcopy(demo_dossier.individuals[0])
    twin.order = 99
    demo_dossier.individuals.append(twin)
    [problem] = only(run(demo_dossier, campaign), "V4")
    assert problem.target.path == f"individuals[{len(demo_dossier.individuals) - 1}].name"
    assert "与第1名重复" in problem.message


def test_same_name_different_birth_is_not_a_duplicate(demo_dossier: Dossier, campaign: Campaign) -> None:
    other = copy.deepcopy(demo_dossier.individuals[0])
    other.birth_date = "1987-03-14"
    other.photo = f"{other.name}-19870314.jpg"
    other.order = 99
    demo_dossier.individuals.append(other)
    assert only(run(demo_dossier, campaign), "V4") == []


def test_the_same_collective_twice_is_refused(demo_dossier: Dossier, campaign: Campaign) -> None:
    twin = Collective(**{**demo_dossier.collectives[2].__dict__, "order": 99, "id": None})
    demo_dossier.collectives.append(twin)
    assert [p.rule for p in run(demo_dossier, campaign) if p.target.path.endswith(".name")] == ["V4"]


# ---- D1, M4, F2 ----------------------------------------------------------------------------


def test_deadline_warns_the_day_after_not_on_the_day(demo_dossier: Dossier, campaign: Campaign) -> None:
    assert only(run(demo_dossier, campaign, today=dt.date(2025, 12, 25)), "D1") == []
    [late] = only(run(demo_dossier, campaign, today=dt.date(2025, 12, 26)), "D1")
    assert late.severity == "warning" and "已过期1天" in late.message
    assert only(run(demo_dossier, campaign, "formal", today=dt.date(2026, 1, 12)), "D1") == []


@pytest.mark.parametrize(("kind", "name", "ok"), [
    ("region", "沈阳市", True), ("region", "省沈抚改革创新示范区", True), ("region", "沈阳", False),
    ("region", "沈阳 市", False), ("department", "省教育厅", True), ("department", "省卫生健康委", True),
    ("department", "教育厅", False), ("department", "", False),
])  # fmt: skip
def test_unit_name_must_make_a_valid_email_subject(
    demo_dossier: Dossier, campaign: Campaign, kind: str, name: str, ok: bool
) -> None:
    demo_dossier.unit.kind = kind
    demo_dossier.unit.name = name
    assert (only(run(demo_dossier, campaign), "M4") == []) is ok


def test_missing_photo_is_an_error_for_the_formal_stage(demo_dossier: Dossier, campaign: Campaign) -> None:
    person: Individual = demo_dossier.individuals[3]
    person.photo = ""
    person.photo_data = None
    [problem] = only(run(demo_dossier, campaign, "formal"), "F2")
    assert problem.target.path == "individuals[3].photo" and problem.severity == "error"


def test_photo_named_for_someone_else_is_refused_with_the_right_name(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    person = demo_dossier.individuals[0]
    person.photo = "张某某-19660101.jpg"
    problems = only(run(demo_dossier, campaign, "formal"), "F2")
    assert problems and all(p.target.path == "individuals[0].photo" for p in problems)
    assert any(f"{person.name}-{person.birth_date.replace('-', '')}.jpg" in p.message for p in problems)


def test_nominee_dropped_after_initial_review_leaves_the_formal_stage_only(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    dropped = demo_dossier.individuals[1]  # 县处级: the remaining 9 keep the 20% share
    dropped.feedback = "dropped"
    dropped.resume = ""  # would be a formal-stage error if it still counted
    dropped.publicity.pop("region")
    assert run(demo_dossier, campaign, "formal") == []
    # the initial stage still sees everyone
    assert len(demo_dossier.for_stage("initial", campaign).individuals) == 10
    assert [i.name for i in demo_dossier.for_stage("formal", campaign).individuals] == [
        i.name for i in demo_dossier.individuals if i is not dropped
    ]


def test_formal_quota_counts_only_the_kept(demo_dossier: Dossier, campaign: Campaign) -> None:
    demo_dossier.unit.allocation = Allocation(collectives=5, individuals=8)  # ceiling 10
    extra = copy.deepcopy(demo_dossier.individuals[0])
    extra.name, extra.photo, extra.order = "另一人", f"另一人-{extra.birth_date.replace('-', '')}.jpg", 11
    demo_dossier.individuals.append(extra)
    assert [p.target.path for p in only(run(demo_dossier, campaign, "formal"), "Q1")] == ["individuals"]
    extra.feedback = "dropped"
    assert only(run(demo_dossier, campaign, "formal"), "Q1") == []
