"""附件4 推荐对象汇总表: one workbook per unit, filled from the Excel template forms/form4.xlsx.

The template is an ordinary workbook a clerk may restyle in Excel/WPS (see forms/README.md). Its
first sheet holds `{{ name }}` placeholders in cells, replaced by plain text (nothing is
evaluated), and one sample row per section: the row with `{{ c.… }}` is written once per
collective, the row with `{{ p.… }}` once per individual, in the unit's order, each copy with the
sample's cell styles, borders, height and in-row merges. Everything else — titles, headings,
totals, column widths, print set-up — comes from the template as the clerk left it; rows below a
sample row move down, and print titles, print area and frozen panes move with them.

Every filled-in value goes in as text — a name typed as `=SUM(A1)` or `+86…` can never become a
formula (CSV/formula injection); only a cell that is exactly one number-valued placeholder (such
as `{{ c.index }}`) is written as a number. A row grows taller when its text needs more lines
than the template's height allows, so nothing is cut off in print.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.pagebreak import Break, RowBreak

from nominator.campaign import Campaign, FormSpec
from nominator.domain.model import NOMINEE_KINDS, Dossier
from nominator.domain.quota import quota_ceiling
from nominator.errors import UserError
from nominator.export.documents import fixed_timestamp, normalize_package
from nominator.export.fit import count_lines
from nominator.export.templates import PLACEHOLDER, ROW_ITEMS, load_sheet_template
from nominator.export.values import clean, cn_date, nominee_rows

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
DEFAULT_WIDTH = 8.43  # Excel's standard column width, in characters
DEFAULT_HEIGHT = 15.0  # points
_LINE_EM = 1.45  # a wrapped line's height per point of font size (仿宋 and the CJK fallbacks)


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


def summary_values(
    dossier: Dossier, campaign: Campaign, stage: str
) -> tuple[dict[str, object], dict[str, list[dict[str, Any]]]]:
    """The template's free fields, and the row fields of each collective (`c`) and individual (`p`)."""
    spec = summary_spec(campaign)
    unit = dossier.unit
    report = dossier.reports.get(campaign.stages[stage].report)
    quota = Quota(*quota_ceiling(unit, campaign))
    kinds = [k for k in NOMINEE_KINDS if k in campaign.kinds]
    values: dict[str, object] = {
        "attachment": spec.attachment,
        "form_title": spec.title_for(unit.name),
        "unit_name": clean(unit.name),
        "contact": clean(unit.contact),
        "phone": clean(unit.phone),
        "fill_date": cn_date(report.date if report else ""),
        "stage_name": campaign.stages[stage].name,
        "issuer": campaign.issuer,
    }
    rows: dict[str, list[dict[str, Any]]] = {}
    for kind in kinds:
        records = dossier.ordered(kind)
        values[f"{kind}_label"] = campaign.kinds[kind].label
        values[f"{kind}_count"] = len(records)
        if "kind" in campaign.allocation.by:
            values[f"{kind}_quota"] = _quota_text(
                quota.collectives if kind == "collective" else quota.individuals
            )
        rows[ROW_ITEMS[kind]] = nominee_rows(records, campaign.kinds[kind], campaign, stage)
    share = campaign.quota.share_max
    if share is not None:
        people = dossier.ordered_individuals()
        values["county_rank"] = share.value
        values["county_count"] = sum(1 for p in people if p.get(share.field, "") == share.value)
    return values, rows


def summary_spec(campaign: Campaign) -> FormSpec:
    spec = campaign.form_for("summary")
    if spec is None:
        raise UserError(f"活动“{campaign.title}”没有汇总表。")
    return spec


def build_summary(
    dossier: Dossier, campaign: Campaign, stage: str | None = None, *, forms: Path | None = None
) -> Workbook:
    spec = summary_spec(campaign)
    stage = stage or next(
        (k for k, s in campaign.stages.items() if spec.key in s.forms), campaign.first_stage()
    )
    template = load_sheet_template(spec, campaign, forms=forms or campaign.forms_dir)
    values, rows = summary_values(dossier, campaign, stage)
    wb = template.fresh()
    fill_sheet(wb.worksheets[0], template.sample_rows, values, rows)
    when = dt.datetime.combine(campaign.notice_date, dt.time())
    wb.properties.creator = "推荐材料助手"
    wb.properties.lastModifiedBy = None
    wb.properties.title = spec.title_for(dossier.unit.name)
    wb.properties.created = when
    wb.properties.modified = when
    return wb


def render_summary(
    dossier: Dossier, campaign: Campaign, stage: str | None = None, *, forms: Path | None = None
) -> bytes:
    out = io.BytesIO()
    build_summary(dossier, campaign, stage, forms=forms).save(out)
    return normalize_package(out.getvalue(), fixed_timestamp(campaign))


def _quota_text(ceiling: int | None) -> str:
    return "名额未填" if ceiling is None else f"名额 {ceiling}"


# ---------------------------------------------------------------- filling the sheet


@dataclass
class _TemplateCell:
    column: int
    value: Any
    data_type: str
    style: Any  # openpyxl StyleArray
    comment: Any
    font_size: float | None = None


@dataclass
class _TemplateRow:
    cells: list[_TemplateCell]
    height: float | None
    hidden: bool
    outline_level: int
    merges: list[tuple[int, int]]  # (first column, last column) of merges within the row


def fill_sheet(ws: Any, sample_rows: Mapping[str, int], values: dict[str, object],
               rows: dict[str, list[dict[str, Any]]]) -> None:  # fmt: skip
    """Rewrite the sheet: template rows in order, each sample row once per record of its item.

    The printed pages are laid out here too, the same in Excel, WPS and LibreOffice: where a
    section's rows go on onto another page, a page break goes before the row and the section's
    column headings (the template row just above its sample row) are repeated at the top of the
    new page; a section's heading lines never stay alone at the foot of a page."""
    widths = _column_widths(ws)
    last = max(ws.max_row, *sample_rows.values())
    template = {r: _snapshot(ws, r) for r in range(1, last + 1)}
    tall_merges = [
        (m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges if m.min_row != m.max_row
    ]
    item_of = {row: item for item, row in sample_rows.items()}
    heading_of = {
        item: row - 1 for item, row in sample_rows.items() if row - 1 >= 1 and row - 1 not in item_of
    }
    page = _Pages(ws, widths, template, values)

    ws.merged_cells = MultiCellRange()
    ws.delete_rows(1, ws.max_row)
    ws.row_dimensions.clear()
    ws.row_breaks = RowBreak()

    first_out: dict[int, int] = {}  # template row → first output row at or after it
    last_out: dict[int, int] = {}  # template row → last output row up to it
    out = 0
    for r in range(1, last + 1):
        first_out[r] = out + 1
        item = item_of.get(r)
        records = rows.get(item, []) if item else [None]
        if item is None:
            # keep a section's heading lines with its first row (look ahead to its sample row)
            ahead = next((s for s in sorted(item_of) if s > r), None)
            if ahead is not None and ahead - r <= 2 and not any(x in item_of for x in range(r + 1, ahead)):
                first = rows.get(item_of[ahead], [])
                need = sum(page.height(x, values) for x in range(r, ahead))
                need += page.height(ahead, _record_fields(values, item_of[ahead], first[0])) if first else 0
                if page.breaks_before(need) and out:
                    ws.row_breaks.append(Break(id=out))
                    page.new_page()
        for n, record in enumerate(records):
            fields = values if record is None else _record_fields(values, item, record)  # type: ignore[arg-type]
            height = page.height(r, fields)
            # the last row of a section keeps the line after it (the totals) company
            after = (
                page.height(r + 1, values)
                if record is not None and n == len(records) - 1 and r + 1 <= last and r + 1 not in item_of
                else 0.0
            )
            if record is None and page.breaks_before(height) and out:
                ws.row_breaks.append(Break(id=out))  # where any program would break anyway
                page.new_page()
            elif record is not None and page.breaks_before(height + after) and out:
                ws.row_breaks.append(Break(id=out))
                page.new_page()
                heading = heading_of.get(item)  # type: ignore[arg-type]
                if heading is not None:
                    out += 1
                    _write_row(ws, out, template[heading], values, widths, static=True)
                    page.add(page.height(heading, values))
            out += 1
            _write_row(ws, out, template[r], fields, widths, static=record is None)
            page.add(height)
        last_out[r] = out

    for min_row, min_col, max_row, max_col in tall_merges:
        start, end = first_out[min_row], last_out[max_row]
        if end > start:
            ws.merge_cells(start_row=start, start_column=min_col, end_row=end, end_column=max_col)
    _move_print_settings(ws, first_out, last_out, last)


def _record_fields(values: dict[str, object], item: str, record: dict[str, Any]) -> dict[str, object]:
    return values | {f"{item}.{k}": v for k, v in record.items()}


# paper sizes (points, portrait) by openpyxl's paperSize number
_PAPER = {9: (595.3, 841.9), 8: (841.9, 1190.6), 11: (419.5, 595.3)}


class _Pages:
    """The sheet's printed pages, measured as Excel and LibreOffice lay them out: the printable
    height at the print scale (one page wide: the columns scaled to the paper), less the rows
    repeated on every page. A little is kept spare, so that neither program breaks earlier."""

    SPARE = 0.96

    def __init__(self, ws: Any, widths: dict[int, float], template: dict[int, _TemplateRow],
                 values: dict[str, object]) -> None:  # fmt: skip
        self.template = template
        self.widths = widths
        self.default_width = float(ws.sheet_format.defaultColWidth or DEFAULT_WIDTH)
        setup, margins = ws.page_setup, ws.page_margins
        width, height = _PAPER.get(int(setup.paperSize or 9), _PAPER[9])
        if setup.orientation == "landscape":
            width, height = height, width
        room_w = width - 72 * (float(margins.left or 0.7) + float(margins.right or 0.7))
        room_h = height - 72 * (float(margins.top or 0.75) + float(margins.bottom or 0.75))
        last_col = max([c.column for row in template.values() for c in row.cells] or [1])
        sheet_w = sum(_column_points(widths.get(c, self.default_width)) for c in range(1, last_col + 1))
        fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        if fit and int(setup.fitToWidth or 1) == 1:
            scale = min(1.0, math.floor(100 * room_w / sheet_w) / 100) if sheet_w else 1.0
        else:
            scale = float(setup.scale or 100) / 100
        titles = 0.0
        if ws.print_title_rows:
            top, _, bottom = ws.print_title_rows.replace("$", "").partition(":")
            titles = sum(self.height(r, values) for r in range(int(top), int(bottom or top) + 1))
        self.first_room = room_h / scale * self.SPARE
        self.room = self.first_room - titles
        self.used = 0.0
        self.pages = 1

    def height(self, r: int, fields: dict[str, object]) -> float:
        tpl = self.template.get(r)
        if tpl is None:
            return DEFAULT_HEIGHT
        return _row_height(tpl, fields, self.widths, self.default_width)

    def breaks_before(self, height: float) -> bool:
        limit = self.first_room if self.pages == 1 else self.room
        return self.used + height > limit

    def new_page(self) -> None:
        self.pages += 1
        self.used = 0.0

    def add(self, height: float) -> None:
        self.used += height


def _column_points(width_chars: float) -> float:
    """A column's printed width: Excel's character width (7 px at 96 dpi for the default font)."""
    return math.floor(width_chars * 7 + 0.5) * 0.75


def _snapshot(ws: Any, r: int) -> _TemplateRow:
    cells = [
        _TemplateCell(
            cell.column,
            cell.value,
            cell.data_type,
            copy(cell._style),
            copy(cell.comment),
            float(cell.font.sz) if cell.font is not None and cell.font.sz else None,
        )
        for cell in ws[r]
        if cell.has_style or cell.value is not None or cell.comment is not None
    ]
    merges = [(m.min_col, m.max_col) for m in ws.merged_cells.ranges if m.min_row == m.max_row == r]
    dim = ws.row_dimensions.get(r)
    return _TemplateRow(
        cells=cells,
        height=dim.height if dim is not None else None,
        hidden=bool(dim.hidden) if dim is not None else False,
        outline_level=int(dim.outlineLevel or 0) if dim is not None else 0,
        merges=sorted(merges),
    )


def _write_row(ws: Any, row: int, tpl: _TemplateRow, fields: dict[str, object], widths: dict[int, float],
               *, static: bool) -> None:  # fmt: skip
    """One output row from a template row; `static` for rows that are not repeated."""
    default_width = float(ws.sheet_format.defaultColWidth or DEFAULT_WIDTH)
    for source in tpl.cells:
        cell = ws.cell(row, source.column)
        cell._style = copy(source.style)
        if source.comment is not None and static:
            cell.comment = copy(source.comment)
        value = source.value
        if isinstance(value, str) and "{{" in value:
            whole = PLACEHOLDER.fullmatch(value.strip())
            if whole and isinstance(fields.get(whole.group(1)), int):
                cell.value = fields[whole.group(1)]
                continue
            set_text(cell, _filled(value, fields))
        elif isinstance(value, str) and source.data_type != "f":
            set_text(cell, value)
        else:
            cell.value = value
    for first, last in tpl.merges:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    height = _row_height(tpl, fields, widths, default_width)
    if height != (tpl.height or DEFAULT_HEIGHT) or tpl.height is not None or tpl.hidden or tpl.outline_level:
        dim = ws.row_dimensions[row]
        dim.height = height
        dim.hidden = tpl.hidden
        dim.outlineLevel = tpl.outline_level


def _filled(value: str, fields: dict[str, object]) -> str:
    return PLACEHOLDER.sub(lambda m: _text(fields.get(m.group(1), m.group(0))), value)


def _row_height(
    tpl: _TemplateRow, fields: dict[str, object], widths: dict[int, float], default_width: float
) -> float:
    """The template's height, or more when a filled-in text needs more lines: every row of one
    kind that holds one line is as tall as the sample row, each further line adds one line."""
    spans = dict(tpl.merges)
    lines_needed = 1
    size_of_tallest = 11.0
    for source in tpl.cells:
        value = source.value
        if not (isinstance(value, str) and "{{" in value):
            continue
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole and isinstance(fields.get(whole.group(1)), int):
            continue
        text = clean(_filled(value, fields))
        span = range(source.column, spans.get(source.column, source.column) + 1)
        width = sum(_column_points(widths.get(c, default_width)) for c in span) - 6  # cell padding
        size = source.font_size or 11.0
        lines = count_lines(text, width / size)
        if lines > lines_needed:
            lines_needed, size_of_tallest = lines, size
    height = tpl.height or DEFAULT_HEIGHT
    if lines_needed > 1:
        height += (lines_needed - 1) * size_of_tallest * _LINE_EM
    return round(height * 4) / 4


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _column_widths(ws: Any) -> dict[int, float]:
    """Width of each column that has one, in characters (a dimension may cover several columns)."""
    default = float(ws.sheet_format.defaultColWidth or DEFAULT_WIDTH)
    widths: dict[int, float] = {}
    for key, dim in ws.column_dimensions.items():
        first = dim.min or column_index_from_string(key)
        for col in range(first, (dim.max or first) + 1):
            widths[col] = float(dim.width) if dim.width else default
    return widths


def _move_print_settings(ws: Any, first_out: dict[int, int], last_out: dict[int, int], last: int) -> None:
    """Print titles, print area and frozen panes follow the rows they pointed at."""

    def start(r: int) -> int:
        return first_out.get(r, r + last_out[last] - last)

    def end(r: int) -> int:
        return last_out.get(r, r + last_out[last] - last)

    if ws.print_title_rows:
        top, _, bottom = ws.print_title_rows.replace("$", "").partition(":")
        ws.print_title_rows = f"{start(int(top))}:{end(int(bottom or top))}"
    if ws.print_area:
        areas = []
        for part in ws.print_area.split(","):
            ref = part.rpartition("!")[2].replace("$", "")
            min_col, min_row, max_col, max_row = range_boundaries(ref)
            areas.append(
                f"{get_column_letter(min_col)}{start(min_row)}:{get_column_letter(max_col)}{end(max_row)}"
            )
        ws.print_area = areas
    if ws.freeze_panes:
        min_col, min_row, _c, _r = range_boundaries(ws.freeze_panes)
        ws.freeze_panes = f"{get_column_letter(min_col)}{start(min_row)}"
