"""附件4 from forms/form4.xlsx: a clerk's edits in Excel show up, a broken template is named."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import shutil
from collections.abc import Callable
from copy import copy
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.export.documents import render_stage_documents
from nominator.export.summary_xlsx import render_summary
from nominator.export.templates import check_sheet_template, load_sheet_template, sheet_fields

GENERATOR = load_campaign().forms_dir / "_source" / "make_form4.py"


@pytest.fixture()
def forms(tmp_path: Path) -> Path:
    """A private copy of forms/ that a test may edit."""
    target = tmp_path / "forms"
    shutil.copytree(load_campaign().forms_dir, target, ignore=shutil.ignore_patterns("_source", "*.md"))
    return target


def edit_sheet(forms: Path, change: Callable[[Worksheet], None]) -> None:
    """Open form4.xlsx, change its sheet and save it, as a clerk would in Excel."""
    path = forms / "form4.xlsx"
    wb = load_workbook(path)
    change(wb.worksheets[0])
    wb.save(path)


def cell_with(ws: Worksheet, text: str) -> Cell:
    return next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and text in c.value)


def look(cell: Cell) -> tuple[object, ...]:
    """A cell's font, border and alignment, comparable across workbooks."""
    return (copy(cell.font), copy(cell.border), copy(cell.alignment))


def delete_row(ws: Worksheet, row: int) -> None:
    """Delete a row with its merges, moving the merges below up (openpyxl leaves them behind)."""
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row == row:
            ws.unmerge_cells(merged.coord)
    ws.delete_rows(row)
    for merged in ws.merged_cells.ranges:
        if merged.min_row > row:
            merged.shift(row_shift=-1)


def export(dossier: Dossier, campaign: Campaign, forms: Path | None = None) -> Worksheet:
    ws = load_workbook(io.BytesIO(render_summary(dossier, campaign, forms=forms))).worksheets[0]
    return ws


def broken(forms: Path) -> str:
    with pytest.raises(UserError) as err:
        load_sheet_template(load_campaign().forms["form4"], load_campaign(), forms=forms)
    return str(err.value)


def test_the_shipped_template_loads_clean_with_one_sample_row_per_section() -> None:
    template = load_sheet_template(
        load_campaign().forms["form4"], load_campaign(), forms=load_campaign().forms_dir
    )
    assert template.path.name == "form4.xlsx"
    assert dict(template.sample_rows) == {"c": 6, "p": 9}


def test_every_excel_form_of_the_campaign_has_a_template(campaign: Campaign) -> None:
    xlsx_forms = {key for key, spec in campaign.forms.items() if spec.kind == "xlsx"}
    assert xlsx_forms == {spec.key for spec in campaign.forms.values() if spec.content == "summary"}
    assert {p.stem for p in load_campaign().forms_dir.glob("*.xlsx")} == xlsx_forms


def test_the_generator_makes_the_same_bytes_every_time() -> None:
    spec = importlib.util.spec_from_file_location("make_form4", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first = module.deterministic_bytes(module.build())
    assert first == module.deterministic_bytes(module.build())
    assert check_sheet_template(sheet_fields(load_campaign()), first, "form4.xlsx") == ([], {"c": 6, "p": 9})


def test_a_clerks_edits_show_up_in_the_next_export(
    forms: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    def change(ws: Worksheet) -> None:
        cell_with(ws, "工作单位及职务").value = "工作单位及职务(全称)"
        ws.column_dimensions["G"].width = 55
        ws["A9"].fill = PatternFill("solid", fgColor="FFFF00")  # the individuals' sample row
        # the totals move two rows down, reworded, and a line for the person filling in follows
        ws.unmerge_cells("A10:J10")
        ws["A10"].value = None
        ws["A12"].value = (
            "合计:先进个人 {{ individual_count }} 名({{ individual_quota }}),"
            "先进集体 {{ collective_count }} 个({{ collective_quota }}),其中县处级 {{ county_count }} 名。"
        )
        ws.merge_cells("A12:J12")
        ws["A13"].value = "填表人:{{ contact }}"

    edit_sheet(forms, change)
    ws = export(demo_dossier, campaign, forms)
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert "工作单位及职务(全称)" in rows[11]
    assert ws.column_dimensions["G"].width == 55
    people = range(13, 13 + len(demo_dossier.individuals))  # after 5 collectives and 2 heading rows
    assert all(ws.cell(r, 1).fill.fgColor.rgb == "00FFFF00" for r in people)
    assert ws.cell(12, 1).fill.fill_type is None  # the heading row stays as it was
    last = people[-1]
    assert ws.cell(last + 1, 1).value in (None, "")
    assert (
        ws.cell(last + 3, 1).value == "合计:先进个人 10 名(名额 12),先进集体 5 个(名额 6),其中县处级 2 名。"
    )
    assert f"A{last + 3}:J{last + 3}" in {str(m) for m in ws.merged_cells.ranges}
    assert ws.cell(last + 4, 1).value == "填表人:郭静"
    assert not any("{{" in str(v) for row in rows for v in row if v is not None)


def test_data_rows_copy_the_sample_rows_styles_merges_and_height(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    template = load_workbook(load_campaign().forms_dir / "form4.xlsx").worksheets[0]
    ws = export(demo_dossier, campaign)
    merges = {str(m) for m in ws.merged_cells.ranges}
    for r in range(6, 11):  # the collectives
        assert {f"B{r}:E{r}", f"H{r}:I{r}"} <= merges
        for col in range(1, 11):
            assert look(ws.cell(r, col)) == look(template.cell(6, col)), (r, col)
        assert ws.row_dimensions[r].height >= template.row_dimensions[6].height
    assert ws.cell(6, 1).value == 1 and ws.cell(6, 1).data_type == "n"  # 序号 as a number
    assert ws.cell(6, 2).data_type == "s"


def test_a_misspelled_placeholder_is_named(forms: Path) -> None:
    def change(ws: Worksheet) -> None:
        cell_with(ws, "{{ p.name }}").value = "{{ p.nmae }}"
        cell = cell_with(ws, "{{ unit_name }}")
        cell.value = cell.value.replace("{{ unit_name }}", "{{ unit_nmae }}")

    edit_sheet(forms, change)
    message = broken(forms)
    assert "模板“form4.xlsx”中的占位符 {{ p.nmae }} 无法识别" in message
    assert "模板“form4.xlsx”缺少占位符 {{ p.name }}" in message
    assert "模板“form4.xlsx”中的占位符 {{ unit_nmae }} 无法识别" in message
    assert "模板“form4.xlsx”缺少占位符 {{ unit_name }}" in message


def test_a_placeholder_that_is_not_a_name_or_lacks_a_brace_is_named(forms: Path) -> None:
    def change(ws: Worksheet) -> None:
        ws["J6"].value = "{{ 备注 }}"
        ws["J9"].value = "{{ p.note }"

    edit_sheet(forms, change)
    message = broken(forms)
    assert "模板“form4.xlsx”中的占位符 {{ 备注 }} 无法识别(单元格 J6)" in message
    assert "模板“form4.xlsx”单元格 J9 中的占位符写法有误" in message


def test_a_deleted_sample_row_is_reported(forms: Path) -> None:
    edit_sheet(forms, lambda ws: delete_row(ws, 6))
    message = broken(forms)
    assert "模板“form4.xlsx”缺少先进集体的样例行" in message
    assert "{{ c.name }}" in message


def test_a_second_sample_row_is_reported(forms: Path) -> None:
    def change(ws: Worksheet) -> None:
        ws["A11"].value = "{{ p.name }}"  # a clerk pasted a sample cell below the totals

    edit_sheet(forms, change)
    assert "模板“form4.xlsx”第 9、11 行都含 {{ p.… }} 占位符,先进个人只能有一行样例行" in broken(forms)


def test_a_file_that_is_not_a_workbook_is_named(forms: Path) -> None:
    (forms / "form4.xlsx").write_text("not a workbook", encoding="utf-8")
    assert "模板“form4.xlsx”无法打开" in broken(forms)


def test_a_missing_template_is_named(forms: Path) -> None:
    (forms / "form4.xlsx").unlink()
    assert "找不到模板“form4.xlsx”" in broken(forms)


def test_a_broken_sheet_template_stops_the_export_before_any_file_is_written(
    forms: Path, campaign: Campaign, demo_dossier: Dossier, tmp_path: Path
) -> None:
    edit_sheet(forms, lambda ws: setattr(cell_with(ws, "{{ c.level }}"), "value", "{{ c.levle }}"))
    out = tmp_path / "out"
    with pytest.raises(UserError, match=r"form4\.xlsx"):
        render_stage_documents(demo_dossier, campaign, "initial", out, forms=forms)
    assert not out.exists() or not any(out.iterdir())


def test_no_collectives_leaves_the_headings_and_no_data_rows(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.collectives.clear()
    ws = export(demo_dossier, campaign)
    assert ws["A4"].value == "一、先进集体(0个)"
    assert ws["A5"].value == "序号" and ws["A6"].value == "二、先进个人(10名)"
    assert ws.max_row == 9 + 10 - 1


def test_four_hundred_individuals_keep_their_styles_and_the_print_set_up(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    base = demo_dossier.ordered_individuals()
    demo_dossier.individuals = [
        dataclasses.replace(base[n % len(base)], name=f"测试{n:03d}", order=n) for n in range(400)
    ]
    demo_dossier.individuals[399].unit_and_title = "沈阳市" + "很长的单位名称" * 8 + "科员"
    ws = export(demo_dossier, campaign)
    head = 12  # the individuals' headings, after 5 collectives
    heading = [ws.cell(head, c).value for c in range(1, 11)]
    data = [r for r in range(head + 1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]
    first, last = data[0], data[-1]
    assert [ws.cell(r, 2).value for r in data] == [f"测试{n:03d}" for n in range(400)]
    assert ws.cell(last, 1).value == 400
    sample = [look(ws.cell(first, c)) for c in range(1, 11)]
    for r in data:
        assert [look(ws.cell(r, c)) for c in range(1, 11)] == sample, r
    assert (
        ws.cell(last, 7).alignment.horizontal == "left" and ws.cell(last, 8).alignment.horizontal == "center"
    )
    assert ws.row_dimensions[last].height > ws.row_dimensions[first].height  # long text: taller row
    assert ws.cell(last + 1, 1).value.startswith("推荐先进集体 5 个")
    # every page the individuals go on to starts with their column headings, after a page break
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) >= 400 // 30
    for brk in breaks:
        assert [ws.cell(brk + 1, c).value for c in range(1, 11)] == heading, brk
    assert set(range(head + 1, last + 1)) == set(data) | {b + 1 for b in breaks}
    assert ws.print_title_rows == "$2:$3"
    assert ws.print_area.endswith(f"$A$1:$J${last + 1}")
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_print_area_and_frozen_panes_follow_the_rows_they_covered(
    forms: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    def change(ws: Worksheet) -> None:
        ws.print_area = "A1:J10"
        ws.freeze_panes = "A13"  # below the totals row
        ws.merge_cells("A11:A12")  # a two-row box after the sample rows
        ws["A11"].value = "注"

    edit_sheet(forms, change)
    ws = export(demo_dossier, campaign, forms)
    last = 5 + 5 + 2 + 10 + 1  # title rows, collectives, headings, individuals, totals
    assert ws.print_area.endswith(f"$A$1:$J${last}")
    assert ws.freeze_panes == f"A{last + 3}"
    assert f"A{last + 1}:A{last + 2}" in {str(m) for m in ws.merged_cells.ranges}
