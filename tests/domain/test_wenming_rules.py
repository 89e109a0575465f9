"""The rule kinds at their edges, on the 文明 campaign (resources/campaigns/mudanjiang-wmjs-2021.toml).

Each test starts from an application that passes every rule and moves one thing across one edge:
a category exactly at its quota and one over, the earlier honour held and not, a 全日制学校 as a
文明单位 and as a 文明校园, 破格 with a written reason and without, the self-check ticked and not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nominator.campaign import Campaign, parse_campaign
from nominator.domain.checks import check_records
from nominator.domain.model import Allocation, Unit, allocation_key
from nominator.domain.problems import Problem
from nominator.domain.rules import Record, Scope, run_rules

WENMING = Path(__file__).resolve().parents[2] / "resources" / "campaigns" / "mudanjiang-wmjs-2021.toml"
TODAY = dt.date(2021, 9, 5)
TICKED = {"self_checked": True, "no_negative_list": True}


@pytest.fixture(scope="module")
def wenming() -> Campaign:
    text = WENMING.read_text(encoding="utf-8")
    return parse_campaign(text, file_name=WENMING.name, forms_dir=Path("forms"), open_kinds=True)


def application(n: int = 0, category: str = "unit", level: str = "市级", **values: Any) -> Record:
    """A 市级文明单位 that meets every condition (no earlier honour is needed for it)."""
    base: dict[str, Any] = {
        "name": f"西安区第{n + 1}单位",
        "unit_type": "事业单位",
        "leader": "李明 主任",
        "staff_count": 24,
        "address": "牡丹江市西安区西三条路",
        "contact": "王芳",
        "phone": "0453-6171905",
        "prior_honours": [],
        "self_score": 92,
        "deeds": "坚持以社会主义核心价值观引领创建工作。",
        "exception_reason": "",
    }
    base.update(values)
    attestations = dict(TICKED)
    return Record("collective", base, category, level, attestations, {}, n + 1, n)


def run(campaign: Campaign, records: list[Record], table: dict[str, int] | None = None) -> list[Problem]:
    unit = Unit(name="西安区文明办", kind="county", allocation=Allocation(table=dict(table or {})))
    for n, record in enumerate(records):
        records[n] = dataclasses.replace(record, index=n, id=n + 1)
    return run_rules(Scope(campaign, unit, {"collective": records}, TODAY))


def enough(records: list[Record]) -> dict[str, int]:
    """An allocation that holds every record."""
    found: dict[str, int] = {}
    for r in records:
        key = allocation_key(r.category, r.level)
        found[key] = found.get(key, 0) + 1
    return found


def test_the_starting_application_passes_every_rule(wenming: Campaign) -> None:
    records = [application(0), application(1, "campus", "市级", unit_type="全日制学校")]
    assert run(wenming, records, enough(records)) == []


# ---- W1: each category and level within its allocation ------------------------------------------


@pytest.mark.parametrize("count", [2, 3])
def test_a_category_at_its_quota_passes_and_one_over_is_refused(wenming: Campaign, count: int) -> None:
    records = [application(n, "unit", "市级") for n in range(count)]
    records.append(application(9, "unit", "省级", prior_honours=["第十九届市级文明单位标兵"]))
    table = {allocation_key("unit", "市级"): 2, allocation_key("unit", "省级"): 1}
    problems = run(wenming, records, table)
    if count == 2:
        assert problems == []
        return
    (p,) = problems
    assert (p.rule, p.severity, p.target.path) == ("W1", "error", "unit.allocation.unit.市级")
    assert p.message == "市级文明单位已填报3个,超过附件1、附件2分配的2个名额。请删减1个。"


def test_the_quota_counts_category_and_level_apart(wenming: Campaign) -> None:
    """Two 省级 and two 市级 文明单位 against 2 + 2: neither level borrows from the other."""
    records = [application(n, "unit", "市级") for n in range(3)]
    records.append(application(5, "unit", "省级", prior_honours=["第十八届市级文明单位标兵"]))
    table = {allocation_key("unit", "市级"): 2, allocation_key("unit", "省级"): 2}
    assert [p.message for p in run(wenming, records, table)] == [
        "市级文明单位已填报3个,超过附件1、附件2分配的2个名额。请删减1个。"
    ]


def test_a_category_without_its_allocation_asks_for_it(wenming: Campaign) -> None:
    records = [application(0, "community", "市级")]
    (p,) = run(wenming, records, {allocation_key("unit", "市级"): 3})
    assert (p.rule, p.target.path) == ("W1", "unit.allocation.community.市级")
    assert p.message == "已填报市级文明社区1个,请按附件1、附件2填写市级文明社区的推荐名额。"


# ---- W2: the chain of earlier honours --------------------------------------------------------


@pytest.mark.parametrize(
    ("honours", "refused"),
    [
        (["第十九届省级文明单位"], False),  # the honour the chain asks for
        (["第十八届省级文明单位标兵", "最美家庭"], False),
        (["第十九届市级文明单位标兵"], True),  # a 市级 honour opens 省级文明单位, not its 标兵
        ([], True),
    ],
)
def test_a_provincial_model_unit_needs_an_earlier_provincial_honour(
    wenming: Campaign, honours: list[str], refused: bool
) -> None:
    record = application(0, "unit_model", "省级", prior_honours=honours)
    problems = run(wenming, [record], enough([record]))
    if not refused:
        assert problems == []
        return
    (p,) = problems
    assert (p.rule, p.severity, p.target.path) == ("W2", "error", "collectives[0].prior_honours")
    assert p.message.startswith("精神文明建设先进集体“西安区第1单位”:申报省级文明单位标兵须曾获")
    assert "“第十九届省级文明单位”" in p.message and "往届所获文明荣誉" in p.message


def test_the_same_honour_is_not_needed_at_the_city_level(wenming: Campaign) -> None:
    record = application(0, "unit", "市级", prior_honours=[])
    assert run(wenming, [record], enough([record])) == []


# ---- W3: a full-time school is not a 文明单位 ---------------------------------------------------


@pytest.mark.parametrize(
    ("category", "unit_type", "refused"),
    [
        ("unit", "全日制学校", True),
        ("unit_model", "全日制学校", True),
        ("unit", "中职学校", False),  # the exclusion names the 全日制 schools only
        ("campus", "全日制学校", False),  # where a school belongs
    ],
)
def test_a_school_is_refused_as_a_civilised_unit(
    wenming: Campaign, category: str, unit_type: str, refused: bool
) -> None:
    honours = ["第十八届市级文明单位"] if category == "unit_model" else []
    record = application(0, category, "市级", unit_type=unit_type, prior_honours=honours)
    problems = run(wenming, [record], enough([record]))
    if not refused:
        assert problems == []
        return
    (p,) = problems
    assert (p.rule, p.severity, p.target.path) == ("W3", "error", "collectives[0].unit_type")
    assert p.message == (
        "精神文明建设先进集体“西安区第1单位”为全日制学校,不再纳入文明单位评选范围,请改为申报文明校园。"
    )


# ---- 破格: without the earlier honour, with a written reason -------------------------------------


@pytest.mark.parametrize(
    ("unit_type", "reason", "expected"),
    [
        ("新经济组织", "创建成效显著,群众满意度高", None),  # 破格 with its reason
        ("新社会组织", "创建成效显著", None),
        ("新经济组织", "", ("W2", "collectives[0].exception_reason")),  # 破格 without a reason
        ("新经济组织", "   ", ("W2", "collectives[0].exception_reason")),  # spaces are no reason
        ("事业单位", "创建成效显著", ("W2", "collectives[0].prior_honours")),  # 破格 is not open to it
    ],
)
def test_breaking_the_chain_needs_a_written_reason(
    wenming: Campaign, unit_type: str, reason: str, expected: tuple[str, str] | None
) -> None:
    record = application(0, "unit", "省级", unit_type=unit_type, exception_reason=reason)
    problems = run(wenming, [record], enough([record]))
    if expected is None:
        assert problems == []
        return
    (p,) = problems
    assert (p.rule, p.target.path) == expected
    if expected[1].endswith("exception_reason"):
        assert p.message.endswith("破格申报省级文明单位须填写“破格申报理由”。")
    else:
        assert "新经济组织" in p.message and "可破格申报" in p.message


@pytest.mark.parametrize(
    ("honours", "reason", "refused"), [(["最美家庭"], "", False), ([], "事迹突出", False), ([], "", True)]
)
def test_a_family_applies_with_an_earlier_honour_or_a_reason(
    wenming: Campaign, honours: list[str], reason: str, refused: bool
) -> None:
    record = application(
        0, "family", "省级", unit_type="家庭", prior_honours=honours, exception_reason=reason
    )
    problems = run(wenming, [record], enough([record]))
    assert [(p.rule, p.target.path) for p in problems] == (
        [("W4", "collectives[0].exception_reason")] if refused else []
    )


# ---- W5: the self-check and the 负面清单 --------------------------------------------------------


@pytest.mark.parametrize(
    "missing", [(), ("self_checked",), ("no_negative_list",), ("self_checked", "no_negative_list")]
)
def test_an_application_without_its_self_check_is_refused(
    wenming: Campaign, missing: tuple[str, ...]
) -> None:
    record = application(0)
    record = dataclasses.replace(record, attestations={k: k not in missing for k in TICKED})
    problems = run(wenming, [record], enough([record]))
    assert [(p.rule, p.target.path) for p in problems] == [
        ("W5", f"collectives[0].attestations.{key}") for key in TICKED if key in missing
    ]
    if "self_checked" in missing:
        assert problems[0].message == (
            "精神文明建设先进集体“西安区第1单位”:请核实并勾选“已对照本类别测评体系(2021年版)逐项自检自查”,不符合的不能推荐。"
        )


def test_the_same_unit_applying_twice_is_named(wenming: Campaign) -> None:
    records = [application(0), application(1, name=" 西安区第1单位")]
    (p,) = run(wenming, records, enough(records))
    assert (p.rule, p.target.path) == ("V4", "collectives[1].name")


def test_a_rule_is_reported_in_the_order_of_the_file(wenming: Campaign) -> None:
    """Several problems of one application come rule by rule, as the campaign file lists them."""
    record = application(0, "unit", "省级", unit_type="全日制学校")
    record = dataclasses.replace(record, attestations={})
    problems = run(wenming, [record], {})
    assert [p.rule for p in problems] == ["W1", "W2", "W3", "W5", "W5"]


# ---- the fields' own checks run on the same records (check_records) ---------------------------


def check_all(campaign: Campaign, records: list[Record], stage: str = "apply") -> list[Problem]:
    unit = Unit(name="西安区文明办", kind="county", allocation=Allocation(table=enough(records)))
    return check_records(campaign, unit, {"collective": records}, stage, today=TODAY)


def test_a_complete_application_passes_the_fields_checks_too(wenming: Campaign) -> None:
    """No honour and no 破格 reason are needed to be filled in where they are not required."""
    assert check_all(wenming, [application(0)]) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"category": "villages"}, ("V2", "collectives[0].category", "请选择申报类别(文明村镇标兵、")),
        ({"level": "县级"}, ("V2", "collectives[0].level", "文明单位的级别应为“省级”或“市级”。")),
        ({"values": {"leader": " "}}, ("V1", "collectives[0].leader", "请填写“负责人(户主)及职务”")),
        (
            {"values": {"prior_honours": ["第十九届省级文明单位", "省级文明单位"]}},
            ("V2", "collectives[0].prior_honours", "“省级文明单位”不在可选项中"),
        ),
        ({"values": {"unit_type": "学校"}}, ("V2", "collectives[0].unit_type", "“学校”不在可选项中")),
        (
            {"values": {"exception_reason": "理由" * 151}},
            ("V3", "collectives[0].exception_reason", "共302字,超过300字的限制"),
        ),
    ],
)
def test_each_field_is_checked_as_declared(
    wenming: Campaign, change: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    record = application(0)
    values = {**record.values, **change.pop("values", {})}
    record = dataclasses.replace(record, values=values, **change)
    problems = check_all(wenming, [record])
    assert [(p.rule, p.target.path) for p in problems] == [expected[:2]]
    assert expected[2] in problems[0].message


def test_a_problem_of_the_allocation_table_is_named_by_its_category_and_level(wenming: Campaign) -> None:
    """The problems panel and `check` say which cell of the table: 分配名额(省级文明校园)."""
    from nominator.domain.model import Dossier
    from nominator.domain.problems import Target
    from nominator.domain.targets import said

    problem = Problem("W1", "error", Target.of_unit("allocation.campus.省级"), "请填写。")
    assert (
        said(problem, Dossier(campaign=wenming.id), wenming) == "推荐单位 · 分配名额(省级文明校园):请填写。"
    )
