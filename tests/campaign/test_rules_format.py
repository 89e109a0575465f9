"""Campaign file format 3: the rules as data.

The shipped Liaoning file (format 2: [quota], [eligibility], [validation], fixed field meanings)
and its format-3 rewrite (tests/fixtures/campaigns/liaoning-zwgk-2025-format3.toml, [[rules]])
give the same `Campaign.rules`, and the checker says exactly the same about the same dossier under
either. A broken rule is named with its file, key and line, like any other key.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from nominator.campaign import Campaign, CampaignFileError, installed, load_campaign, parse_campaign
from nominator.cli import main
from nominator.domain.checks import check
from nominator.domain.model import Allocation, Assessment, Dossier
from nominator.interchange.demo import build_demo_dossier

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "campaigns"
REWRITE = FIXTURES / "liaoning-zwgk-2025-format3.toml"
WENMING = Path(__file__).resolve().parents[2] / "resources" / "campaigns" / "mudanjiang-wmjs-2021.toml"


def load(path: Path, text: str | None = None, *, open_kinds: bool = False) -> Campaign:
    return parse_campaign(
        path.read_text(encoding="utf-8") if text is None else text,
        file_name=path.name,
        forms_dir=Path("forms"),
        open_kinds=open_kinds,
    )


@pytest.fixture(scope="module")
def both() -> tuple[Campaign, Campaign]:
    return load_campaign("liaoning-zwgk-2025"), load(REWRITE)


def test_the_two_formats_give_equal_rules(both: tuple[Campaign, Campaign]) -> None:
    old, new = both
    assert (old.format, new.format) == (2, 3)
    assert new.rules == old.rules
    ids = [r.id for r in old.rules]
    for rule_id in ("Q1", "Q2", "Q3", "Q4", "E1", "E2", "E3", "E4", "E5", "V2", "V4"):
        assert rule_id in ids
    # the views the window and the demo read are the same too, and so is every other part
    for part in (
        "quota",
        "eligibility",
        "validation",
        "unit_kinds",
        "forms",
        "stages",
        "reports",
        "publicity",
    ):
        assert getattr(new, part) == getattr(old, part), part
    # every kind too: format 2's meanings (曾获荣誉 “无” when empty, 出生年月, 简历's dated lines, the
    # 近三年考核 rows kept apart) are what format 3 says with `blank`, `prints` and a rows field
    for kind in ("unit", "collective", "individual", "member"):
        assert new.kinds[kind] == old.kinds[kind], kind


def _variants(demo: Dossier) -> list[Dossier]:
    """The demo, and versions of it that break every rule the campaign file declares."""
    found = [demo]
    crowded = copy.deepcopy(demo)
    crowded.unit.allocation = Allocation(1, 1)
    crowded.collectives += copy.deepcopy(crowded.collectives)  # V4 and Q1
    found.append(crowded)
    wrong = copy.deepcopy(demo)
    c, i = wrong.collectives[0], wrong.individuals[0]
    c.deputy_bureau_or_above, c.staff_count, c.attestations = True, 0, {}
    i.rank, i.unit_and_title, i.years_in_field = "副厅级及以上", "", -1
    i.birth_date, i.work_start = "1940-02-30", "2099-01"
    i.assessments = [Assessment(2022, "不称职"), Assessment(2023, "很好")]
    i.attestations = {}
    i.overrides = {"E1": "确需推荐"}
    found.append(wrong)
    leaning = copy.deepcopy(demo)
    for person in leaning.individuals:
        person.rank, person.level = "县处级", "市直"
    for group in leaning.collectives:
        group.level = "市直"
    found.append(leaning)
    fixed = copy.deepcopy(demo)
    fixed.unit.kind, fixed.unit.name, fixed.unit.allocation = "department", "省教育厅", Allocation(-1, None)
    found.append(fixed)
    return found


@pytest.mark.parametrize("stage", ["initial", "formal"])
def test_the_checker_says_the_same_under_either_format(both: tuple[Campaign, Campaign], stage: str) -> None:
    old, new = both
    today = dt.date(2026, 1, 20)  # after both deadlines: D1 too
    said = set()
    for dossier in _variants(build_demo_dossier(old)):
        before = check(dossier, old, stage, today=today)
        assert check(dossier, new, stage, today=today) == before
        said |= {p.rule for p in before}
    assert {"Q1", "Q2", "Q3", "Q4", "E1", "E2", "E3", "E4", "E5", "V2", "V4", "D1"} <= said


def test_the_wenming_campaign_reads_with_its_categories_levels_and_rules() -> None:
    campaign = load(WENMING, open_kinds=True)
    kind = campaign.kinds["collective"]
    assert campaign.nominee_kinds() == ("collective",)
    assert campaign.allocation.by == ("category", "level")
    assert kind.category_label("unit_model", "省级") == "省级文明单位标兵"
    assert kind.levels_of("family") == ("省级", "市级")
    assert set(kind.attestations) == {"self_checked", "no_negative_list"}
    assert kind.field("exception_reason") is not None and kind.field("exception_reason").required is False
    assert kind.field("prior_honours").type == "multichoice"
    assert campaign.stages["recommend"].sealed_pdf
    assert {r.kind for r in campaign.rules} >= {
        "category_quota",
        "requires_prior",
        "excluded_value",
        "attestations",
    }
    w2 = [r for r in campaign.rules if r.id == "W2" and r.exception is not None]
    assert [(r.categories, r.levels, r.exception.values) for r in w2] == [
        (("unit",), ("省级",), ("新经济组织", "新社会组织"))
    ]
    assert all(r.of == ("collective",) for r in campaign.rules)  # `of` left out: the one kind
    assert campaign.contacts[1].categories == ("campus_model", "campus", "family")


def test_a_campaign_in_categories_and_levels_is_read_for_use() -> None:
    """The store keeps a nominee's category and level and the window edits them: the 文明 campaign
    is read as it is, without asking for kinds the store cannot hold."""
    campaign = load(WENMING)
    assert campaign.kinds["collective"].levels_of("unit") == ("省级", "市级")


def test_a_campaign_whose_kinds_the_store_cannot_hold_is_refused_for_use(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A nominee kind the store has no list for must not make a store."""
    text = WENMING.read_text(encoding="utf-8").replace("kinds.collective", "kinds.volunteer")
    with pytest.raises(CampaignFileError) as err:
        load(WENMING, text)
    assert "“kinds.volunteer”是新的推荐对象类别,本版本程序还不能保存" in str(err.value)
    path = tmp_path / WENMING.name
    path.write_text(text, encoding="utf-8")
    before = [e.campaign.id for e in installed()]
    assert main(["campaign", "add", str(path)]) == 2
    _, said = capsys.readouterr()
    assert len(said.strip().splitlines()) == 1 and "请使用更新版本的推荐材料助手" in said
    assert [e.campaign.id for e in installed()] == before


def line_of(text: str, needle: str) -> int:
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


# (what is changed in the rewrite, the key the message names, the line it points at, its words)
BROKEN = [
    pytest.param(
        ('kind = "share_at_most"', 'kind = "share_at_mots"'),
        "rules[3].kind",
        'kind = "share_at_mots"',
        "不是本程序认识的规则类型",
        id="unknown-kind",
    ),
    pytest.param(
        ("always_allowed = 1\n", "always_allowed = 1\nalways = 2\n"),
        "rules[3].always",
        "always = 2",
        "无法识别",
        id="unknown-key",
    ),
    pytest.param(
        ('field = "rank"\nvalue', 'field = "grade"\nvalue'),
        "rules[3].field",
        'field = "grade"',
        "不是先进个人的字段",
        id="unknown-field",
    ),
    pytest.param(
        ('hook = "positive"', 'hook = "positiv"'),
        "rules[10].hook",
        'hook = "positiv"',
        "不是本程序的检查函数",
        id="unknown-hook",
    ),
    pytest.param(
        ('unit_kinds = ["department"]', 'unit_kinds = ["ministry"]'),
        "rules[1].unit_kinds",
        'unit_kinds = ["ministry"]',
        "不在 [unit_kinds] 中",
        id="unknown-unit-kind",
    ),
    pytest.param(
        (
            'severity = "warning"\nof = "individual"\nfield = "rank"',
            'severity = "notice"\nof = "individual"\nfield = "rank"',
        ),
        "rules[3].severity",
        'severity = "notice"',
        "应为 error",
        id="bad-severity",
    ),
    pytest.param(
        ("{value}干部{count}", "{value}干部{number}"),
        "rules[3].message",
        "{value}干部{number}",
        "无法识别",
        id="bad-placeholder",
    ),
    pytest.param(
        ('of = "individual"\nhook', 'of = "person"\nhook'),
        "rules[9].of",
        'of = "person"',
        "不是本活动的推荐对象类别",
        id="unknown-of",
    ),
    pytest.param(('id = "Q1"', 'id = "q-1"'), "rules[0].id", 'id = "q-1"', "规则编号", id="bad-id"),
    pytest.param(
        ("[[stages]]", "[quota]\nfactor = [12, 10]\n\n[[stages]]"),
        "quota",
        "[quota]",
        "第2版",
        id="format-2-table",
    ),
]


@pytest.mark.parametrize(("change", "key", "line_text", "words"), BROKEN)
def test_a_broken_rule_is_named_with_its_key_and_line(
    change: tuple[str, str], key: str, line_text: str, words: str
) -> None:
    text = REWRITE.read_text(encoding="utf-8")
    old, new = change
    assert old in text, old
    text = text.replace(old, new, 1)
    with pytest.raises(CampaignFileError) as err:
        load(REWRITE, text)
    message = str(err.value)
    assert message.startswith(f"活动规则文件“{REWRITE.name}”")
    assert f"“{key}”" in message and words in message
    assert f"第{line_of(text, line_text)}行" in message


def test_a_category_a_rule_names_must_exist() -> None:
    text = WENMING.read_text(encoding="utf-8").replace(
        'category = "unit_model"\nlevel = "省级"', 'category = "unit_modle"\nlevel = "省级"', 1
    )
    with pytest.raises(CampaignFileError) as err:
        load(WENMING, text, open_kinds=True)
    assert "“unit_modle”不是精神文明建设先进集体的类别" in str(err.value)
    assert f"第{line_of(text, 'unit_modle')}行" in str(err.value)


def test_rules_are_plain_values() -> None:
    """A rule is data: equal when its parameters are, whatever file it came from."""
    campaign = load(WENMING, open_kinds=True)
    again = load(WENMING, open_kinds=True)
    assert campaign.rules == again.rules
    assert dataclasses.replace(campaign.rules[0], id="W9") != campaign.rules[0]


def test_every_rule_kind_is_read_and_run() -> None:
    """A kind the loader accepts has its function, and a hook a file may name has its Python."""
    from nominator.campaign.rulebook import HOOK_NAMES, RULE_KINDS, RULE_PHASES
    from nominator.campaign.rules_loader import RULE_READERS
    from nominator.domain.rules import HOOKS, RECORD_RULES, UNIT_RULES

    assert set(RULE_READERS) == set(RULE_KINDS)
    assert set(UNIT_RULES) | set(RECORD_RULES) == set(RULE_KINDS)
    for kind, phase in RULE_PHASES.items():
        assert (kind in UNIT_RULES) == (phase in ("unit", "list")), kind
    assert tuple(HOOKS) == HOOK_NAMES


def test_a_changed_rule_is_told_once_in_the_clerks_words() -> None:
    """The window lists what an updated campaign changes: a rule once, never as a dump of data."""
    from nominator.campaign import differences

    shipped = load_campaign("liaoning-zwgk-2025")
    text = (Path(shipped.home or "") / "liaoning-zwgk-2025.toml").read_text(encoding="utf-8")
    raised = load(REWRITE, text.replace("factor = [12, 10]", "factor = [13, 10]"))
    assert differences(shipped, raised) == ["名额上浮比例:12、10 → 13、10"]
    rewrite = load(REWRITE)
    raised = load(REWRITE, REWRITE.read_text(encoding="utf-8").replace("percent = 20", "percent = 25"))
    assert differences(rewrite, raised) == ["规则Q3(share_at_most)·percent:20 → 25"]


# (what is changed in the 文明 file, the key the message names, the line it points at, its words)
BROKEN_SHAPE = [
    pytest.param(
        ('by = ["category", "level"]', 'by = ["level"]'),
        "allocation.by",
        'by = ["level"]',
        '应为["kind"]',
        id="allocation-by",
    ),
    pytest.param(
        ('reason = "exception_reason" }   #', 'reason = "reason" }   #'),
        "rules[11].exception.reason",
        'reason = "reason" }',
        "不是精神文明建设先进集体的字段",
        id="exception-reason",
    ),
    pytest.param(
        ("lines = 3, required = false }", 'lines = 3, required = "no" }'),
        "kinds.collective.groups[1].fields[3].required",
        'required = "no"',
        "应为true 或 false",
        id="required-flag",
    ),
    pytest.param(
        ('type = "multichoice"', 'type = "multiple"'),
        "kinds.collective.groups[1].fields[0].type",
        'type = "multiple"',
        "multichoice",
        id="field-type",
    ),
    pytest.param(
        (
            'level = "省级"\nfield = "prior_honours"\nany_of = ["往届省级文明乡镇"',
            'level = "国家级"\nfield = "prior_honours"\nany_of = ["往届省级文明乡镇"',
        ),
        "rules[1].level",
        'level = "国家级"',
        "不是精神文明建设先进集体的级别",
        id="unknown-level",
    ),
]


@pytest.mark.parametrize(("change", "key", "line_text", "words"), BROKEN_SHAPE)
def test_a_broken_shape_is_named_with_its_key_and_line(
    change: tuple[str, str], key: str, line_text: str, words: str
) -> None:
    text = WENMING.read_text(encoding="utf-8")
    old, new = change
    assert old in text, old
    text = text.replace(old, new, 1)
    with pytest.raises(CampaignFileError) as err:
        load(WENMING, text, open_kinds=True)
    message = str(err.value)
    assert f"“{key}”" in message and words in message, message
    assert f"第{line_of(text, line_text)}行" in message, message
