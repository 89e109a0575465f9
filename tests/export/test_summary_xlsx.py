"""附件4 推荐对象汇总表, reopened with openpyxl."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.export.summary_xlsx import render_summary


def _sheet(dossier: Dossier, campaign: Campaign) -> Worksheet:
    ws = load_workbook(io.BytesIO(render_summary(dossier, campaign))).active
    assert ws is not None
    return ws


def _rows(ws: Worksheet) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _row_starting(rows: list[list[str]], first: str) -> int:
    return next(n for n, row in enumerate(rows) if row[0] == first)


def test_title_and_header_block_name_the_unit_contact_phone_and_date(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    rows = _rows(_sheet(demo_dossier, campaign))
    assert rows[0][0] == "附件4"
    assert rows[1][0] == "辽宁省政务公开工作先进集体和先进个人推荐对象汇总表"
    header = rows[2][0]
    for part in ("推荐单位(盖章):沈阳市", "联系人:郭静", "联系电话:024-22721005", "填报日期:2025年12月20日"):
        assert part in header


def test_collectives_then_individuals_in_the_units_order_with_their_columns(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.individuals[0].order, demo_dossier.individuals[1].order = 2, 1
    rows = _rows(_sheet(demo_dossier, campaign))
    c_head = _row_starting(rows, "序号")
    assert rows[c_head - 1][0] == "一、先进集体(5个)"
    assert [rows[c_head][i] for i in (0, 1, 5, 6, 7, 9)] == [
        "序号",
        "集体名称",
        "层级",
        "单位性质",
        "负责人及职务",
        "备注",
    ]
    assert rows[c_head + 1][:2] == ["1", "沈阳市和平区人民政府办公室政务公开科"]
    assert rows[c_head + 1][5:8] == ["县级及以下", "内设机构", "李晓峰 科长"]
    i_head = _row_starting(rows[c_head + 1 :], "序号") + c_head + 1
    assert rows[i_head - 1][0] == "二、先进个人(10名)"
    assert rows[i_head] == [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "政治面貌",
        "工作单位及职务",
        "职级",
        "层级",
        "备注",
    ]
    assert rows[i_head + 1][:7] == [
        "1",
        "李建国",
        "男",
        "满族",
        "1975.11",
        "中共党员",
        "沈阳市人民政府办公室政务公开处副处长",
    ]
    assert rows[i_head + 2][1] == "王丽娜"
    assert len([r for r in rows[i_head + 1 :] if r[0].isdigit()]) == 10


def test_totals_compare_the_counts_with_the_quota(campaign: Campaign, demo_dossier: Dossier) -> None:
    rows = _rows(_sheet(demo_dossier, campaign))
    assert rows[-1][0] == "推荐先进集体 5 个(名额 6),先进个人 10 名(名额 12),其中县处级 2 名。"


def test_a_department_is_measured_against_one_collective_and_two_individuals(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.unit.kind = "department"
    demo_dossier.unit.name = "省教育厅"
    rows = _rows(_sheet(demo_dossier, campaign))
    assert "(名额 1)" in rows[-1][0] and "(名额 2)" in rows[-1][0]


def test_a_missing_allocation_is_said_not_guessed(campaign: Campaign, demo_dossier: Dossier) -> None:
    demo_dossier.unit.allocation.individuals = None
    assert "先进个人 10 名(名额未填)" in _rows(_sheet(demo_dossier, campaign))[-1][0]


def test_text_that_looks_like_a_formula_stays_text(campaign: Campaign, demo_dossier: Dossier) -> None:
    person = demo_dossier.ordered_individuals()[0]
    person.name = "=SUM(A1)"
    person.unit_and_title = "+86 沈阳"
    person.ethnicity = "-1"
    person.political_status = "@cmd"
    demo_dossier.ordered_collectives()[0].name = '=HYPERLINK("http://x")'
    data = render_summary(demo_dossier, campaign)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    cells = {str(c.value): c for row in ws.iter_rows() for c in row if c.value is not None}
    for text in ("=SUM(A1)", "+86 沈阳", "-1", "@cmd", '=HYPERLINK("http://x")'):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_prints_on_a4_landscape_one_page_wide_with_headings_repeated(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    ws = _sheet(demo_dossier, campaign)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == "$2:$3"


def test_fonts_are_fangsong_for_data_and_song_for_headings(campaign: Campaign, demo_dossier: Dossier) -> None:
    ws = _sheet(demo_dossier, campaign)
    rows = _rows(ws)
    head = _row_starting(rows, "序号") + 1
    assert ws.cell(head, 1).font.name == "宋体" and ws.cell(head, 1).font.b
    assert ws.cell(head + 1, 2).font.name == "仿宋_GB2312"
    assert ws.cell(2, 1).font.name == "宋体"


def test_the_same_data_gives_the_same_workbook_bytes(campaign: Campaign, demo_dossier: Dossier) -> None:
    assert render_summary(demo_dossier, campaign) == render_summary(demo_dossier, campaign)
