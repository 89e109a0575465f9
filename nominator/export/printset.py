# Over 500 lines: the print set and its checklist read the same list of what to print, in which order and
# how many copies.
"""The print set (打印合集): one .docx that prints a whole stage in order, each document on new
pages with its own page set-up, so one print job of 5 collated copies gives the five dossiers;
and the 报送材料清单, a one-page checklist for the top of each dossier.

Joining keeps each document's section (margins, orientation): before a document is appended its
final section properties are moved into a section break at its end. Footers are then set per
section: the reports keep their "— 1 —" page numbers, restarting at 1; forms get none.
"""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_HEADER_FOOTER, WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt
from docxcompose.composer import Composer
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from nominator.campaign import PAPER_SIZES_MM
from nominator.export.fit import pictures_without_gap
from nominator.export.ooxml import order_document

_FOOTER_TYPES = {
    "default": WD_HEADER_FOOTER.PRIMARY,
    "even": WD_HEADER_FOOTER.EVEN_PAGE,
    "first": WD_HEADER_FOOTER.FIRST_PAGE,
}

BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"


@dataclass(frozen=True)
class PrintItem:
    title: str  # as listed on the checklist
    path: Path  # .docx or .xlsx
    numbered: bool = False  # reports carry page numbers
    duplex: bool = False  # one sheet printed on both sides: starts on a front (odd) page


@dataclass(frozen=True)
class ChecklistRow:
    title: str
    pages: int | None  # None when no office suite could count them
    copies: int


def _font(run: object, name: str, size: float, *, bold: bool = False) -> None:
    r = run  # python-docx Run
    r.font.name = name  # type: ignore[attr-defined]
    r.font.size = Pt(size)  # type: ignore[attr-defined]
    r.font.bold = bold  # type: ignore[attr-defined]
    rpr = r._element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


A4 = PAPER_SIZES_MM["A4"]  # the paper when none is named; the campaign names its own ([print] paper)


def _page(section: object, paper: tuple[float, float] = A4, *, landscape: bool = False) -> None:
    s = section
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    short, long = Mm(paper[0]), Mm(paper[1])
    width, height = (long, short) if landscape else (short, long)
    s.page_width, s.page_height = width, height  # type: ignore[attr-defined]
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)  # type: ignore[attr-defined]
    s.left_margin, s.right_margin = Mm(28), Mm(26)  # type: ignore[attr-defined]
    if landscape:
        s.top_margin, s.bottom_margin = Mm(20), Mm(20)  # type: ignore[attr-defined]
        s.left_margin, s.right_margin = Mm(20), Mm(20)  # type: ignore[attr-defined]


# ---- 附件4 inside the print set ------------------------------------------------------------


def workbook_as_document(xlsx: Path | io.BytesIO, paper: tuple[float, float] = A4) -> bytes:
    """The workbook's first sheet as a Word section that prints like the sheet's own page.

    The page set-up (orientation, margins) comes from the sheet; lines without borders (the
    attachment number, title, unit line, section headings, totals) become paragraphs, and each
    run of boxed rows a table whose first row — the column headings — Word and LibreOffice repeat
    on every page the table goes on to (the headings the export repeated after a page break in
    the sheet are left out: they would appear twice). Widths, heights, fonts, sizes, bold,
    alignment and each cell's own borders come from the sheet, at the sheet's print scale."""
    ws = load_workbook(xlsx).worksheets[0]
    doc = Document()
    section = doc.sections[0]
    landscape = ws.page_setup.orientation == "landscape"
    _page(section, paper, landscape=landscape)
    margins = ws.page_margins
    section.left_margin, section.right_margin = Inches(margins.left or 0.7), Inches(margins.right or 0.7)
    section.top_margin, section.bottom_margin = Inches(margins.top or 0.75), Inches(margins.bottom or 0.75)
    max_col = _last_column(ws)
    widths_pt = [_column_pt(ws, c) for c in range(1, max_col + 1)]
    usable = (section.page_width - section.left_margin - section.right_margin) / 12700  # type: ignore[operator]
    scale = min(1.0, usable / sum(widths_pt)) if sum(widths_pt) else 1.0
    spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
    covered = {
        (row, col)
        for r in ws.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for col in range(r.min_col, r.max_col + 1)
        if (row, col) != (r.min_row, r.min_col)
    }
    breaks = {b.id for b in ws.row_breaks.brk}
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)  # python-docx's default document starts with an empty paragraph
    table = None
    heading: list[object] = []
    for r in range(1, ws.max_row + 1):
        values = [ws.cell(r, c).value for c in range(1, max_col + 1)]
        if all(v in (None, "") for v in values):
            continue
        height = float(ws.row_dimensions[r].height or 15) * scale
        if not _boxed(ws, r, max_col):
            table = None
            _sheet_paragraph(doc, ws.cell(r, 1), height, scale)
            continue
        if table is not None and r - 1 in breaks and values == heading:
            continue  # the headings the sheet repeats after its own page break
        if table is None:
            table = _sheet_table(doc, [w * scale for w in widths_pt])
            heading = values
            header = True
        else:
            header = False
        _sheet_row(table, ws, r, max_col, spans, covered, height, scale, header=header)
    doc.add_paragraph()  # a document ends with a paragraph
    tail = doc.paragraphs[-1]
    tail.paragraph_format.line_spacing = Pt(1)
    order_document(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _last_column(ws: Any) -> int:
    if ws.print_area:
        ref = ws.print_area[0] if isinstance(ws.print_area, list) else str(ws.print_area).split(",")[0]
        _c0, _r0, c1, _r1 = range_boundaries(ref.rpartition("!")[2].replace("$", ""))
        return int(c1)
    return int(ws.max_column)


def _column_pt(ws: Any, column: int) -> float:
    width = ws.column_dimensions[get_column_letter(column)].width or ws.sheet_format.defaultColWidth or 8.43
    return math.floor(float(width) * 7 + 0.5) * 0.75


def _boxed(ws: Any, row: int, max_col: int) -> bool:
    for c in range(1, max_col + 1):
        border = ws.cell(row, c).border
        if border is not None and any(
            side is not None and side.style for side in (border.left, border.right, border.top, border.bottom)
        ):
            return True
    return False


def _sheet_font(cell: Any, scale: float) -> tuple[str, float, bool]:
    font = cell.font
    name = font.name if font is not None and font.name else BODY_FONT
    size = float(font.sz or 11) if font is not None else 11.0
    return name, max(7.5, round(size * scale * 2) / 2), bool(font is not None and font.b)


_H_ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _sheet_paragraph(doc: Any, cell: Any, height: float, scale: float) -> None:
    """A line of the sheet without borders, as tall as its row."""
    paragraph = doc.add_paragraph()
    horizontal = cell.alignment.horizontal if cell.alignment is not None else None
    paragraph.alignment = _H_ALIGN.get(horizontal or "", WD_ALIGN_PARAGRAPH.LEFT)
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(max(height, 1))
    fmt.keep_with_next = True  # a heading line never stays alone at the foot of a page
    name, size, bold = _sheet_font(cell, scale)
    _font(paragraph.add_run("" if cell.value is None else str(cell.value)), name, size, bold=bold)


def _sheet_table(doc: Any, widths_pt: list[float]) -> Any:
    table = doc.add_table(rows=0, cols=len(widths_pt))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    for el in tbl_pr.findall(qn("w:tblStyle")):
        tbl_pr.remove(el)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(sum(widths_pt) * 20)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.append(width)
    _cell_margins(table, 57)
    _fixed_grid(table, [round(w * 12700) for w in widths_pt])
    return table


_BORDER_SIZES = {"hair": 2, "thin": 4, "medium": 12, "thick": 18, "double": 4, "dashed": 4, "dotted": 4}


def _sheet_row(table: Any, ws: Any, r: int, max_col: int, spans: dict[tuple[int, int], int],
               covered: set[tuple[int, int]], height: float, scale: float, *, header: bool) -> None:  # fmt: skip
    row = table.add_row()
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    row.height = Pt(height)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    cells = row.cells
    widths = [int(w) for w in (col.get(qn("w:w")) for col in table._tbl.tblGrid.findall(qn("w:gridCol")))]
    for c in range(1, max_col + 1):
        if (r, c) in covered:
            continue
        last = min(spans.get((r, c), c), max_col)
        target = cells[c - 1].merge(cells[last - 1]) if last > c else cells[c - 1]
        tc_pr = target._tc.get_or_add_tcPr()
        tc_w = tc_pr.find(qn("w:tcW"))
        if tc_w is None:
            tc_w = OxmlElement("w:tcW")
            tc_pr.append(tc_w)
        tc_w.set(qn("w:w"), str(sum(widths[c - 1 : last])))
        tc_w.set(qn("w:type"), "dxa")
        source = ws.cell(r, c)
        tc_pr.append(_cell_borders(source, ws.cell(r, last)))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        horizontal = source.alignment.horizontal if source.alignment is not None else None
        paragraph.alignment = _H_ALIGN.get(horizontal or "", WD_ALIGN_PARAGRAPH.LEFT)
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        name, size, bold = _sheet_font(source, scale)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(size * 1.3)
        _font(paragraph.add_run("" if source.value is None else str(source.value)), name, size, bold=bold)


def _cell_borders(first: Any, last: Any) -> Any:
    """tcBorders from the sheet: top, bottom and left of the first cell, right of the last."""
    borders = OxmlElement("w:tcBorders")
    for edge, cell in (("top", first), ("left", first), ("bottom", first), ("right", last)):
        side = getattr(cell.border, edge, None) if cell.border is not None else None
        el = OxmlElement(f"w:{edge}")
        if side is not None and side.style:
            el.set(qn("w:val"), "double" if side.style == "double" else "single")
            el.set(qn("w:sz"), str(_BORDER_SIZES.get(side.style, 4)))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    return borders


def _fixed_grid(table: object, widths: list[int]) -> None:
    """Fixed layout with gridCol widths: Word, WPS and LibreOffice then agree on the columns."""
    tbl = table._tbl  # type: ignore[attr-defined]
    tbl_pr = tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLayout")):
        tbl_pr.remove(old)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width / 635)))  # EMU → twentieths of a point


def _cell_margins(table: object, side_twips: int) -> None:
    """Cell margins on the table itself (LibreOffice does not read them from a table style)."""
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", 0), ("left", side_twips), ("bottom", 0), ("right", side_twips)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(size))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)  # type: ignore[attr-defined]


def _cell_widths(table: object, widths: list[int]) -> None:
    """Each cell's tcW as the sum of the grid columns it spans."""
    for tr in table._tbl.tr_lst:  # type: ignore[attr-defined]
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = sum(widths[col : col + span])
            col += span


# ---- joining -------------------------------------------------------------------------------


class _LinearComposer(Composer):  # type: ignore[misc]
    """docxcompose renumbers bookmarks and drawing ids over the whole document after every
    append, which makes joining n documents cost n². Here that runs once, at the end."""

    def renumber_bookmarks(self) -> None:
        pass

    def renumber_docpr_ids(self) -> None:
        pass

    def renumber_nvpicpr_ids(self) -> None:
        pass

    def finish(self) -> None:
        Composer.renumber_bookmarks(self)
        Composer.renumber_docpr_ids(self)
        Composer.renumber_nvpicpr_ids(self)


def _end_with_section_break(document: object, kind: str = "nextPage") -> None:
    """Move the body's final sectPr into a paragraph at the end: a section break; `kind` is how
    this document's section starts ("oddPage": on a front page, for a sheet printed duplex)."""
    body = document.element.body  # type: ignore[attr-defined]
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        return
    body.remove(sect)
    sect = copy.deepcopy(sect)
    _set_section_type(sect, kind)
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(sect)
    paragraph.append(ppr)
    body.append(paragraph)


# Children of w:sectPr that must come after w:type (ECMA-376 order); Word repairs files otherwise.
_AFTER_TYPE = (
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
)


def _set_section_type(sect: object, value: str) -> None:
    kind = sect.find(qn("w:type"))  # type: ignore[attr-defined]
    if kind is None:
        kind = OxmlElement("w:type")
        successor = next((c for c in sect if c.tag in {qn(f"w:{n}") for n in _AFTER_TYPE}), None)  # type: ignore[attr-defined]
        if successor is not None:
            successor.addprevious(kind)
        else:
            sect.append(kind)  # type: ignore[attr-defined]
    kind.set(qn("w:val"), value)


def _section_count(document: object) -> int:
    return len(document.sections)  # type: ignore[attr-defined]


def _page_footer(section: object) -> None:
    """A centred "— PAGE —" footer on odd and even pages."""
    for footer in (section.footer, section.even_page_footer):  # type: ignore[attr-defined]
        _page_number(footer)


def _set_page_start(sect: object) -> None:
    """Number this section's pages from 1 (each report counts its own pages)."""
    num = sect.find(qn("w:pgNumType"))  # type: ignore[attr-defined]
    if num is None:
        num = OxmlElement("w:pgNumType")
        successor = next((c for c in sect if c.tag in {qn(f"w:{n}") for n in _AFTER_TYPE[6:]}), None)  # type: ignore[attr-defined]
        if successor is not None:
            successor.addprevious(num)
        else:
            sect.append(num)  # type: ignore[attr-defined]
    num.set(qn("w:start"), "1")


def _page_number(footer: object) -> None:
    footer.is_linked_to_previous = False  # type: ignore[attr-defined]
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()  # type: ignore[attr-defined]
    for child in list(paragraph._p):
        if child.tag in (qn("w:r"), qn("w:fldSimple")):
            paragraph._p.remove(child)
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), "宋体", 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), "宋体", 14)


def _blank_footer(section: object) -> None:
    for footer in (section.footer, section.even_page_footer, section.first_page_footer):  # type: ignore[attr-defined]
        footer.is_linked_to_previous = False
        for paragraph in footer.paragraphs:
            for child in list(paragraph._p):
                if child.tag in (qn("w:r"), qn("w:fldSimple"), qn("w:hyperlink")):
                    paragraph._p.remove(child)


def compose_print_set(items: list[PrintItem], out: Path, *, paper: tuple[float, float] = A4) -> None:
    """Join the items, in order, into one .docx at `out`."""
    documents = []
    for item in items:
        source = (
            workbook_as_document(item.path, paper)
            if item.path.suffix.lower() == ".xlsx"
            else item.path.read_bytes()
        )
        documents.append((item, Document(io.BytesIO(source))))
    if not documents:
        raise ValueError("nothing to print")
    spans = [(item, _section_count(document)) for item, document in documents]
    last_item, last_document = documents[-1]
    last_sect = last_document.element.body.find(qn("w:sectPr"))
    if last_sect is not None and last_item.duplex and len(documents) > 1:
        _set_section_type(last_sect, "oddPage")
    for item, document in documents[:-1]:
        _end_with_section_break(document, "oddPage" if item.duplex else "nextPage")  # its own page set-up
    master = documents[0][1]
    composer = _LinearComposer(master)
    for _item, document in documents[1:]:
        composer.append(document)
    composer.finish()
    body = composer.doc.element.body
    if body.find(qn("w:sectPr")) is None and last_sect is not None:
        body.append(copy.deepcopy(last_sect))  # the last document's set-up closes the body
    result = composer.doc
    sections = list(result.sections)
    index = 0
    shared: dict[bool, list[tuple[str, str]]] = {}  # numbered? → the footer references to reuse
    for item, count in spans:
        for k in range(count):
            if index >= len(sections):
                break
            if item.numbered and k == 0:
                _shared_footer(sections[index], shared, numbered=True)
            elif not item.numbered:
                _shared_footer(sections[index], shared, numbered=False)
            index += 1
    pictures_without_gap(result.element.body)
    order_document(result)
    result.save(str(out))


def _shared_footer(section: object, shared: dict[bool, list[tuple[str, str]]], *, numbered: bool) -> None:
    """One footer part per kind, referenced from every section that needs it: making a part per
    section costs a scan of the whole package each time."""
    sect = section._sectPr  # type: ignore[attr-defined]
    if numbered:
        _set_page_start(sect)
    if numbered not in shared:
        (_page_footer if numbered else _blank_footer)(section)
        shared[numbered] = [
            (ref.get(qn("w:type")), ref.get(qn("r:id"))) for ref in sect.findall(qn("w:footerReference"))
        ]
        return
    for ref in sect.findall(qn("w:footerReference")):
        sect.remove(ref)
    for kind, rid in shared[numbered]:
        sect.add_footerReference(_FOOTER_TYPES[kind], rid)


# ---- the checklist -------------------------------------------------------------------------


def write_checklist(
    rows: list[ChecklistRow],
    *,
    unit_name: str,
    stage_name: str,
    email: str,
    out: Path,
    paper_note: str,
    photos: int = 0,
    photo_copies: int = 0,
    photo_title: str = "",
    pages_source: str = "",
    paper: tuple[float, float] = A4,
) -> None:
    doc = Document()
    section = doc.sections[0]
    _page(section, paper)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(f"{unit_name}{stage_name}推荐材料报送清单"), TITLE_FONT, 22)
    line = doc.add_paragraph()
    _font(line.add_run(f"报送单位:{unit_name}(盖章)        {paper_note}"), BODY_FONT, 12)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # = the 156 mm text width; each heading fits its column on one line, "每人5张" too
    widths = [int(w) for w in (Mm(13), Mm(89), Mm(14), Mm(18), Mm(22))]
    _fixed_grid(table, widths)
    _cell_margins(table, 57)
    for cell, text in zip(table.rows[0].cells, ["序号", "材料名称", "页数", "份数", "已备齐"], strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), "黑体", 12)
    lines = [
        [str(n), r.title, "—" if r.pages is None else str(r.pages), f"×{r.copies}", "☐"]
        for n, r in enumerate(rows, 1)
    ]
    if photos:
        lines.append([str(len(lines) + 1), photo_title, "—", f"每人{photo_copies}张", "☐"])
    prototype = None  # the first row as python-docx makes it; the others are copies of it
    for values in lines:
        if prototype is not None:
            tr = copy.deepcopy(prototype)
            for tc, value in zip(tr.tc_lst, values, strict=True):
                tc.p_lst[0].r_lst[0].text = value  # what add_run(value) writes
            table._tbl.append(tr)
            continue
        cells = table.add_row().cells
        for k, (cell, value) in enumerate(zip(cells, values, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if k == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(value), BODY_FONT, 10.5)
        prototype = copy.deepcopy(table._tbl.tr_lst[-1])
    _cell_widths(table, widths)
    note = doc.add_paragraph()
    counted = all(r.pages is not None for r in rows)  # the photo row never has pages
    pages_note = pages_source + ("" if counted else "页数栏为“—”的,请打印后自行填写。")
    _font(
        note.add_run(f"电子版发送至 {email},邮件主题见材料包中的 .eml 文件。{pages_note}"),
        BODY_FONT,
        11,
    )
    order_document(doc)
    doc.save(str(out))
