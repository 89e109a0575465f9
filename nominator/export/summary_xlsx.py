"""附件4 推荐对象汇总表: one workbook per unit, built in code with openpyxl.

The layout (columns, section order, print set-up) lives here rather than in an .xlsx template:
a workbook whose rows grow with the data is easier to keep right in code than to template, and
the province's column list is short. Every string goes in as text — a name typed as
`=SUM(A1)` or `+86…` can never become a formula (CSV/formula injection).
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.domain.quota import quota_ceiling
from nominator.export.documents import clean, cn_date, dotted_month, fixed_timestamp, normalize_package

BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "宋体"
BODY_PT = 11
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

# Ten columns; the individuals' section uses each, the collectives' merges some (see _COLLECTIVE).
_WIDTHS = [6, 10, 6, 9, 10, 12, 40, 12, 12, 22]
_INDIVIDUAL_HEAD = [
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
# (heading, first column, last column), 1-based
_COLLECTIVE: list[tuple[str, int, int]] = [
    ("序号", 1, 1),
    ("集体名称", 2, 5),
    ("层级", 6, 6),
    ("单位性质", 7, 7),
    ("负责人及职务", 8, 9),
    ("备注", 10, 10),
]

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LINE_PT = 18


@dataclass(frozen=True)
class Quota:
    collectives: int | None
    individuals: int | None


def set_text(cell: Cell, value: object) -> None:
    """Write a value as text, never as a formula, whatever it starts with."""
    text = clean(str(value)) if value is not None else ""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def _style(cell: Cell, *, bold: bool = False, font: str = BODY_FONT, size: float = BODY_PT,
           align: str = "center", border: bool = True) -> None:  # fmt: skip
    cell.font = Font(name=font, size=size, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if border:
        cell.border = _BOX


def _lines(text: str, width: float) -> int:
    """Wrapped lines a text needs in a column `width` characters wide (CJK counts double)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return max(1, math.ceil(units / max(width - 1, 1)))


def _width(first: int, last: int) -> float:
    return sum(_WIDTHS[first - 1 : last])


def _row(ws: Worksheet, row: int, spans: Sequence[tuple[object, int, int]], *, bold: bool = False,
         left_from: int = 99) -> None:  # fmt: skip
    """Cells with borders and merges; the row is as tall as its longest wrapped text."""
    lines = 1
    for value, first, last in spans:
        for col in range(first, last + 1):
            _style(ws.cell(row, col), bold=bold, font=HEAD_FONT if bold else BODY_FONT)
        cell = ws.cell(row, first)
        set_text(cell, value)
        if first >= left_from:
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        lines = max(lines, _lines(str(cell.value), _width(first, last)))
    ws.row_dimensions[row].height = max(24, lines * _LINE_PT + 6)


def _banner(ws: Worksheet, row: int, text: str, *, size: float, bold: bool, font: str,
            align: str = "left", height: float = 24) -> None:  # fmt: skip
    cell = ws.cell(row, 1)
    set_text(cell, text)
    _style(cell, bold=bold, font=font, size=size, align=align, border=False)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_WIDTHS))
    ws.row_dimensions[row].height = height


def build_summary(dossier: Dossier, campaign: Campaign, stage: str = "initial") -> Workbook:
    spec = campaign.forms["form4"]
    unit = dossier.unit
    report = dossier.reports.get(stage)
    ceilings = quota_ceiling(unit, campaign)
    quota = Quota(*ceilings)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "推荐对象汇总表"
    for n, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width

    _banner(ws, 1, f"附件{spec.number}", size=14, bold=True, font="黑体")
    _banner(ws, 2, spec.title_for(unit.name), size=18, bold=True, font=HEAD_FONT, align="center", height=36)
    header = (
        f"推荐单位(盖章):{clean(unit.name)}      联系人:{clean(unit.contact)}      "
        f"联系电话:{clean(unit.phone)}      填报日期:{cn_date(report.date if report else '')}"
    )
    _banner(ws, 3, header, size=12, bold=False, font=BODY_FONT, height=28)

    row = 4
    collectives = dossier.ordered_collectives()
    _banner(ws, row, f"一、先进集体({len(collectives)}个)", size=12, bold=True, font="黑体")
    row += 1
    _row(ws, row, [(h, a, b) for h, a, b in _COLLECTIVE], bold=True)
    for n, c in enumerate(collectives, start=1):
        row += 1
        values = [n, c.name, c.level, c.nature, c.leader, _note(c.overrides)]
        _row(ws, row, [(v, a, b) for v, (_h, a, b) in zip(values, _COLLECTIVE, strict=True)], left_from=2)

    row += 1
    individuals = dossier.ordered_individuals()
    _banner(ws, row, f"二、先进个人({len(individuals)}名)", size=12, bold=True, font="黑体")
    row += 1
    _row(ws, row, [(h, n, n) for n, h in enumerate(_INDIVIDUAL_HEAD, start=1)], bold=True)
    county = 0
    for n, p in enumerate(individuals, start=1):
        row += 1
        county += p.rank == campaign.quota.county_rank
        values = [
            n, p.name, p.gender, p.ethnicity, dotted_month(p.birth_date), p.political_status,
            p.unit_and_title, p.rank, p.level, _note(p.overrides),
        ]  # fmt: skip
        spans = [(v, col, col) for col, v in enumerate(values, start=1)]
        _row(ws, row, spans, left_from=7)
        for col in (8, 9, 10):
            ws.cell(row, col).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    row += 1
    totals = (
        f"推荐先进集体 {len(collectives)} 个({_quota_text(quota.collectives)}),"
        f"先进个人 {len(individuals)} 名({_quota_text(quota.individuals)}),"
        f"其中{campaign.quota.county_rank} {county} 名。"
    )
    _banner(ws, row, totals, size=12, bold=False, font=BODY_FONT, height=28)

    _page_setup(ws)
    when = dt.datetime.combine(campaign.notice_date, dt.time())
    wb.properties.creator = "推荐材料助手"
    wb.properties.title = spec.title_for(unit.name)
    wb.properties.created = when
    wb.properties.modified = when
    return wb


def _note(overrides: dict[str, str]) -> str:
    return ";".join(clean(reason) for reason in overrides.values() if reason)


def _quota_text(ceiling: int | None) -> str:
    return "名额未填" if ceiling is None else f"名额 {ceiling}"


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = 0.7
    ws.page_margins.bottom = 0.7
    # title and unit line on every printed page, so a loose second sheet still says whose it is
    ws.print_title_rows = "2:3"
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
    ws.oddFooter.center.font = HEAD_FONT
    ws.oddFooter.center.size = 10


def render_summary(dossier: Dossier, campaign: Campaign, stage: str = "initial") -> bytes:
    out = io.BytesIO()
    build_summary(dossier, campaign, stage).save(out)
    return normalize_package(out.getvalue(), fixed_timestamp(campaign))
