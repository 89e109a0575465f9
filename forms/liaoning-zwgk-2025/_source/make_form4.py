"""Builds forms/liaoning-zwgk-2025/form4.xlsx, the Excel template of 附件4 推荐对象汇总表.

Run by hand (`python forms/liaoning-zwgk-2025/_source/make_form4.py`, or `make_templates.py`, which runs this too).
The committed .xlsx is what export reads; this script only makes it reproducible, byte for byte.
A unit that receives the province's own layout edits form4.xlsx in Excel/WPS instead.

The sheet, top to bottom: 附件4; the title; the header line (推荐单位 联系人 联系电话 填报日期);
the collectives' section heading, column headings and ONE sample row (`{{ c.… }}`); the
individuals' section heading, column headings and ONE sample row (`{{ p.… }}`); the totals row.
Export repeats each sample row once per nominee with its styles, borders, height and merges.
Print set-up: A4 landscape, one page wide, print area A:J, rows 2–3 repeated on every page, page
numbers in the footer; export repeats each section's column headings on the pages it goes on to.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nominator.export.documents import normalize_package

FORMS = Path(__file__).resolve().parent.parent
CONSTANT_DATE = "2025-12-11T00:00:00Z"

BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "宋体"
SECTION_FONT = "黑体"
BODY_PT = 11
ROW_PT = 18  # a row of one line; rows with longer text grow by a line's height per line

# Ten columns; the individuals' section uses each, the collectives' merges some. They fill an A4
# landscape page between 0.5" margins at 100 %: 集体名称 (B:E) holds 19 characters on a line,
# 序号 and 性别 their two.
WIDTHS = [6, 15, 6, 9, 10, 12, 42, 12, 12, 22]

# (heading, placeholder, first column, last column, left-aligned)
COLLECTIVE = [
    ("序号", "{{ c.index }}", 1, 1, False),
    ("集体名称", "{{ c.name }}", 2, 5, True),
    ("层级", "{{ c.level }}", 6, 6, True),
    ("单位性质", "{{ c.nature }}", 7, 7, True),
    ("负责人及职务", "{{ c.leader }}", 8, 9, True),
    ("备注", "{{ c.note }}", 10, 10, True),
]
INDIVIDUAL = [
    ("序号", "{{ p.index }}", 1, 1, False),
    ("姓名", "{{ p.name }}", 2, 2, False),
    ("性别", "{{ p.gender }}", 3, 3, False),
    ("民族", "{{ p.ethnicity }}", 4, 4, False),
    ("出生年月", "{{ p.birth_month }}", 5, 5, False),
    ("政治面貌", "{{ p.political_status }}", 6, 6, False),
    ("工作单位及职务", "{{ p.unit_and_title }}", 7, 7, True),
    ("职级", "{{ p.rank }}", 8, 8, False),
    ("层级", "{{ p.level }}", 9, 9, False),
    ("备注", "{{ p.note }}", 10, 10, False),
]

HEADER_LINE = (
    "推荐单位(盖章):{{ unit_name }}      联系人:{{ contact }}      "
    "联系电话:{{ phone }}      填报日期:{{ fill_date }}"
)
TOTALS = (
    "推荐{{ collective_label }} {{ collective_count }} 个({{ collective_quota }}),"
    "{{ individual_label }} {{ individual_count }} 名({{ individual_quota }}),"
    "其中{{ county_rank }} {{ county_count }} 名。"
)

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _banner(ws: Worksheet, row: int, text: str, *, size: float, bold: bool, font: str,
            align: str = "left", height: float = 24) -> None:  # fmt: skip
    """A line across all columns, without borders."""
    cell = ws.cell(row, 1, text)
    cell.font = Font(name=font, size=size, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    ws.row_dimensions[row].height = height


def _table_row(ws: Worksheet, row: int, spans: Sequence[tuple[str, int, int, bool]], *, bold: bool) -> None:
    """Boxed cells, merged across their span; headings bold 宋体, data 仿宋_GB2312."""
    for text, first, last, left in spans:
        for col in range(first, last + 1):
            cell = ws.cell(row, col)
            cell.font = Font(name=HEAD_FONT if bold else BODY_FONT, size=BODY_PT, bold=bold)
            cell.alignment = Alignment(
                horizontal="left" if left else "center", vertical="center", wrap_text=True
            )
            cell.border = _BOX
        ws.cell(row, first).value = text
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    ws.row_dimensions[row].height = ROW_PT + (2 if bold else 0)


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "推荐对象汇总表"
    for n, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width

    _banner(ws, 1, "{{ attachment }}", size=14, bold=True, font=SECTION_FONT, height=18)
    _banner(ws, 2, "{{ form_title }}", size=18, bold=True, font=HEAD_FONT, align="center", height=28)
    _banner(ws, 3, HEADER_LINE, size=12, bold=False, font=BODY_FONT, height=20)
    _banner(
        ws,
        4,
        "一、{{ collective_label }}({{ collective_count }}个)",
        size=12,
        bold=True,
        font=SECTION_FONT,
        height=18,
    )
    _table_row(ws, 5, [(head, a, b, False) for head, _v, a, b, _left in COLLECTIVE], bold=True)
    _table_row(ws, 6, [(value, a, b, left) for _h, value, a, b, left in COLLECTIVE], bold=False)
    _banner(
        ws,
        7,
        "二、{{ individual_label }}({{ individual_count }}名)",
        size=12,
        bold=True,
        font=SECTION_FONT,
        height=18,
    )
    _table_row(ws, 8, [(head, a, b, False) for head, _v, a, b, _left in INDIVIDUAL], bold=True)
    _table_row(ws, 9, [(value, a, b, left) for _h, value, a, b, left in INDIVIDUAL], bold=False)
    _banner(ws, 10, TOTALS, size=12, bold=False, font=BODY_FONT, height=20)

    print_setup(
        wb,
        ws,
        columns=len(WIDTHS),
        rows=10,
        title="附件4 推荐对象汇总表(模板)",
        font=HEAD_FONT,
        date=CONSTANT_DATE,
    )
    return wb


def print_setup(
    wb: Workbook, ws: Worksheet, *, columns: int, rows: int, title: str, font: str, date: str
) -> None:
    """The house's printing of a list sheet: A4 landscape one page wide, centred, GB/T-like
    margins, title and unit line on every page, 第 N 页 in the footer, and fixed package dates."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.35  # the page number 9 mm above the edge
    # title and unit line on every printed page, so a loose second sheet still says whose it is;
    # the export repeats a section's column headings where the section goes on onto a new page
    ws.print_title_rows = "2:3"
    ws.print_area = f"A1:{get_column_letter(columns)}{rows}"
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
    ws.oddFooter.center.font = font
    ws.oddFooter.center.size = 10
    when = datetime.fromisoformat(date.removesuffix("Z"))
    wb.properties.creator = "推荐材料助手"
    wb.properties.title = title
    wb.properties.created = when
    wb.properties.modified = when


def deterministic_bytes(wb: Workbook, date: str = CONSTANT_DATE) -> bytes:
    """The saved workbook with constant zip entry dates and created/modified properties."""
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_package(buf.getvalue(), date)


def main() -> None:
    path = FORMS / "form4.xlsx"
    path.write_bytes(deterministic_bytes(build()))
    print(path)


if __name__ == "__main__":
    main()
