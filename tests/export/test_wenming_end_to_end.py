"""The 文明 campaign (collectives only, in categories and levels, fields of its own) through the same
code as Liaoning's: a store holds its nominees, `check` runs its rules on what the store gave back,
the exchange file carries them to another unit's store unchanged, and the export fills its
templates (推荐报告 with its 推荐名单, the list as xlsx, one 申报表 per collective) — no code path names
the campaign, its kinds or its fields (issue 17).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from nominator.campaign import Campaign, parse_campaign
from nominator.domain.checks import check
from nominator.domain.model import Allocation, Dossier, Nominee, Report, Unit, new_nominee
from nominator.export.package import export_stage
from nominator.export.templates import check_campaign_templates
from nominator.interchange.exchange import read_exchange, write_exchange
from nominator.store.session import Store

REPO = Path(__file__).resolve().parents[2]
WENMING = REPO / "resources" / "campaigns" / "mudanjiang-wmjs-2021.toml"
DAY = dt.date(2021, 9, 10)


@pytest.fixture(scope="module")
def wenming() -> Campaign:
    text = WENMING.read_text(encoding="utf-8")
    return parse_campaign(
        text, file_name=WENMING.name, forms_dir=REPO / "forms" / "mudanjiang-wmjs-2021", open_kinds=True
    )


def collective(name: str, category: str, level: str, **values: object) -> Nominee:
    record = new_nominee(
        "collective",
        values={
            "name": name,
            "unit_type": "事业单位",
            "leader": "李明 主任",
            "staff_count": 24,
            "authority": "林口县教育局",
            "address": "林口县某路1号",
            "contact": "王芳",
            "phone": "0453-6171905",
            "prior_honours": [],
            "self_score": 92,
            "deeds": "坚持以社会主义核心价值观引领创建工作。\n志愿服务常态化。",
            "exception_reason": "",
            "category": category,
            "level": level,
            **values,
        },
    )
    record.attestations = {"self_checked": True, "no_negative_list": True}
    return record


def make_store(path: Path, campaign: Campaign, nominees: list[Nominee], table: dict[str, int]) -> Dossier:
    unit = Unit(
        name="林口县文明办",
        kind="county",
        contact="张三",
        phone="0453-3521234",
        allocation=Allocation(table=table),
    )
    with Store.create(path, campaign=campaign, unit=unit) as store:
        with store.transaction() as writer:
            for record in nominees:
                writer.add("collective", record)
            writer.set_report(
                "recommend",
                Report(
                    sections={
                        "process": "按照通知要求组织推荐。",
                        "review": "逐项初审。",
                        "recommendation": "同意推荐。",
                    },
                    date="2021-09-10",
                ),
            )
        return store.load_dossier()


def test_the_store_keeps_a_campaigns_own_fields_category_and_level(tmp_path: Path, wenming: Campaign) -> None:
    school = collective("林口县第一中学", "campus", "市级", prior_honours=["第十九届市级文明校园"])
    dossier = make_store(tmp_path / "wm.nominator", wenming, [school], {"campus.市级": 1})
    [kept] = dossier.collectives
    assert kept.values == school.values  # every field of the campaign's own, a list value too
    assert (kept.category, kept.level, kept.prior_honours) == ("campus", "市级", ["第十九届市级文明校园"])
    assert dossier.unit.allocation.table == {"campus.市级": 1}


def test_check_runs_the_campaigns_rules_on_what_the_store_gave_back(
    tmp_path: Path, wenming: Campaign
) -> None:
    over = [collective(f"林口县第{n}单位", "unit", "市级") for n in range(1, 4)]
    school = collective("林口县实验小学", "unit", "市级", unit_type="全日制学校")
    dossier = make_store(tmp_path / "wm.nominator", wenming, [*over, school], {"unit.市级": 2})
    rules = {p.rule for p in check(dossier, wenming, "recommend", today=DAY)}
    assert "W1" in rules  # four 市级文明单位 against an allocation of two
    assert any(
        p.rule == "W3" and "林口县实验小学" in p.message
        for p in check(dossier, wenming, "recommend", today=DAY)
    )


def test_the_exchange_file_carries_every_field_to_another_store(tmp_path: Path, wenming: Campaign) -> None:
    sent = [
        collective(
            "林口县第一中学", "campus", "市级", prior_honours=["第十九届市级文明校园", "市级文明校园标兵"]
        ),
        collective("林口县某某家庭", "family", "省级", unit_type="家庭", staff_count=5, authority=""),
    ]
    dossier = make_store(tmp_path / "ours.nominator", wenming, sent, {"campus.市级": 1, "family.省级": 1})
    path = write_exchange(dossier, tmp_path / "林口县.zip", wenming)
    with zipfile.ZipFile(path) as archive:
        assert b'"collectives"' in archive.read("exchange.json")  # the kind's json name, as declared
    received, notices = read_exchange(path, wenming)
    assert notices == []
    assert [r.values for r in received.collectives] == [r.values for r in dossier.collectives]
    assert received.unit.allocation.table == {"campus.市级": 1, "family.省级": 1}


def test_the_export_fills_the_campaigns_own_templates(tmp_path: Path, wenming: Campaign) -> None:
    assert check_campaign_templates(wenming) == []  # its templates hold what its fields print
    nominees = [
        collective("林口县第一中学", "campus", "市级", prior_honours=["第十九届市级文明校园"]),
        collective("林口县某某社区", "community", "市级", unit_type="社区", authority=""),
    ]
    dossier = make_store(
        tmp_path / "wm.nominator", wenming, nominees, {"campus.市级": 1, "community.市级": 1}
    )
    result = export_stage(dossier, wenming, "recommend", tmp_path / "out", today=DAY, make_pdf=False)
    names = [p.name for p in result.electronic]
    assert len(names) == 4 and names[0].endswith("推荐报告.docx")  # report, list, two 申报表
    report = "\n".join(p.text for p in Document(result.electronic[0]).paragraphs)
    assert "林口县文明办关于推荐第二十届省级、市级精神文明建设先进集体的报告" in report
    report_cells = [
        c.text for t in Document(result.electronic[0]).tables for row in t.rows for c in row.cells
    ]
    assert "林口县第一中学" in report_cells and "文明校园" in report_cells  # the 推荐名单 in its 附件
    sheet = load_workbook(io.BytesIO(result.electronic[1].read_bytes())).worksheets[0]
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"林口县第一中学", "林口县某某社区", "文明社区", "第十九届市级文明校园"} <= cells
    form = Document(result.electronic[2])
    text = "\n".join(c.text for t in form.tables for row in t.rows for c in row.cells)
    assert "文明校园" in text and "市级" in text and "第十九届市级文明校园" in text
    assert "☑ 已对照本类别测评体系(2021年版)逐项自检自查" in text
    assert "无" in text  # not 破格: its reason box says so


def filled_template(path: Path, campaign: Campaign, row: dict[str, object]) -> list[str]:
    """The campaign's Excel template with one collective typed in by header; its headers."""
    from nominator.interchange.template import write_template

    write_template(path, campaign)
    wb = load_workbook(path)
    ws = wb[campaign.kinds["collective"].label]
    headers = [str(c.value) for c in ws[1]]
    for n, header in enumerate(headers, start=1):
        if header in row:
            ws.cell(2, n, row[header])  # type: ignore[arg-type]
    wb.save(path)
    return headers


def test_the_excel_template_has_the_campaigns_columns_and_reads_them_back(
    tmp_path: Path, wenming: Campaign
) -> None:
    from nominator.interchange.intake import read_template

    path = tmp_path / "模板.xlsx"
    row = {
        "申报单位(家庭)名称": "林口县第一中学",
        "类别": "文明校园",
        "级别": "市级",
        "单位类型": "事业单位",
        "往届所获文明荣誉": "第十九届市级文明校园、市级文明校园标兵",
        "职工(家庭成员)人数": 120,
        "对照测评体系自检得分": 92,
    }
    headers = filled_template(path, wenming, row)
    assert headers[:3] == ["申报单位(家庭)名称", "类别", "级别"]  # the name first, then category and level
    assert "往届所获文明荣誉" in headers
    assert "个人" not in "".join(load_workbook(path).sheetnames)  # no sheet for a kind it does not have
    [read] = read_template(path, wenming).rows
    assert read.errors == []
    assert read.record.values["category"] == "campus"  # the label typed, the category's id kept
    assert read.record.level == "市级"
    assert read.record.prior_honours == ["第十九届市级文明校园", "市级文明校园标兵"]
    assert (read.record.staff_count, read.record.self_score) == (120, 92)


def test_a_choice_the_campaign_does_not_list_is_named_with_the_choices(
    tmp_path: Path, wenming: Campaign
) -> None:
    from nominator.interchange.intake import read_template

    path = tmp_path / "模板.xlsx"
    row = {"申报单位(家庭)名称": "林口县某某社区", "往届所获文明荣誉": "市级文明社区、全国文明单位"}
    filled_template(path, wenming, row)
    [read] = read_template(path, wenming).rows
    assert any("全国文明单位" in e.message and "往届所获文明荣誉" in e.message for e in read.errors)
    assert read.record.prior_honours == ["市级文明社区"]  # what is right is kept


def test_merging_county_files_finds_the_same_collective_by_the_campaigns_own_key(
    tmp_path: Path, wenming: Campaign
) -> None:
    from nominator.interchange.merge import preview_merge

    city = make_store(
        tmp_path / "city.nominator", wenming, [collective("林口县第一中学", "campus", "市级")], {}
    )
    county = make_store(
        tmp_path / "county.nominator",
        wenming,
        [collective("林口县 第一中学", "campus", "市级"), collective("林口县某某社区", "community", "市级")],
        {},
    )
    county.unit.name = "林口县文明办(下级)"
    file = write_exchange(county, tmp_path / "下级.zip", wenming)
    preview = preview_merge(city, [file], wenming, today=DAY)
    assert [i.name for i in preview.incoming] == ["林口县 第一中学", "林口县某某社区"]
    assert [i.is_duplicate for i in preview.incoming] == [True, False]  # V4's key: the name, spaces aside
    assert "本单位已有的第1个精神文明建设先进集体" in preview.incoming[0].duplicate_of


def test_the_campaigns_own_demo_passes_its_rules_and_exports(tmp_path: Path, wenming: Campaign) -> None:
    """`[demo]` in the campaign file: a plausible 县 unit (nominator demo --campaign …)."""
    from nominator.interchange.demo import create_demo_store

    assert wenming.demo is not None
    db = create_demo_store(tmp_path / "demo.nominator", campaign=wenming)
    with Store.open(db) as store:
        dossier = store.load_dossier()
    assert dossier.unit.name == "林口县文明办" and len(dossier.collectives) == len(
        wenming.demo.nominees["collective"]
    )
    assert {c.category for c in dossier.collectives} >= {"village", "unit", "campus", "family"}
    for stage in wenming.stages:
        errors = [p for p in check(dossier, wenming, stage) if p.is_error or not p.overridden]
        assert errors == [], stage
    result = export_stage(dossier, wenming, "recommend", tmp_path / "out", make_pdf=False)
    assert len(result.electronic) == 2 + len(dossier.collectives)  # report, list, one 申报表 each


def test_a_demo_that_breaks_the_campaigns_fields_is_refused_naming_the_key(wenming: Campaign) -> None:
    from nominator.campaign import CampaignFileError

    text = WENMING.read_text(encoding="utf-8").replace(
        'prior_honours = ["最美家庭"]', 'prior_honours = ["全国文明家庭"]'
    )
    with pytest.raises(CampaignFileError, match=r"demo\.nominees\.collective"):
        parse_campaign(text, file_name=WENMING.name, forms_dir=wenming.forms_dir, open_kinds=True)
