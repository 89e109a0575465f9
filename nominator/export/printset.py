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
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_HEADER_FOOTER, WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxcompose.composer import Composer
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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


def _a4(section: object, *, landscape: bool = False) -> None:
    s = section
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    s.page_width, s.page_height = width, height  # type: ignore[attr-defined]
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)  # type: ignore[attr-defined]
    s.left_margin, s.right_margin = Mm(28), Mm(26)  # type: ignore[attr-defined]
    if landscape:
        s.top_margin, s.bottom_margin = Mm(20), Mm(20)  # type: ignore[attr-defined]
        s.left_margin, s.right_margin = Mm(20), Mm(20)  # type: ignore[attr-defined]


# ---- 附件4 inside the print set ------------------------------------------------------------


def workbook_as_document(xlsx: Path) -> bytes:
    """The workbook's first sheet as a landscape Word table, so it prints in the same job.

    Fonts, sizes, bold and horizontal alignment come from the cells, widths from the columns,
    so the table looks like the sheet whatever the summary's layout becomes.
    """
    ws = load_workbook(xlsx).worksheets[0]
    doc = Document()
    section = doc.sections[0]
    _a4(section, landscape=True)
    max_row, max_col = ws.max_row, ws.max_column
    table = doc.add_table(rows=0, cols=max_col)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [ws.column_dimensions[get_column_letter(c)].width or 9.0 for c in range(1, max_col + 1)]
    usable = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    emu = [int(usable * w / sum(widths)) for w in widths]
    _fixed_grid(table, emu)
    spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
    covered = {
        (row, col)
        for r in ws.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for col in range(r.min_col, r.max_col + 1)
        if (row, col) != (r.min_row, r.min_col)
    }
    for r in range(1, max_row + 1):
        if all(ws.cell(r, c).value in (None, "") for c in range(1, max_col + 1)):
            continue
        cells = table.add_row().cells
        for c in range(1, max_col + 1):
            if (r, c) in covered:
                continue
            last = spans.get((r, c), c)
            target = cells[c - 1].merge(cells[last - 1]) if last > c else cells[c - 1]
            source = ws.cell(r, c)
            paragraph = target.paragraphs[0]
            align = (source.alignment.horizontal or "left") if source.alignment else "left"
            paragraph.alignment = {
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }.get(align, WD_ALIGN_PARAGRAPH.LEFT)
            size = float(source.font.sz or 11) if source.font else 11.0
            if size <= 12:
                size = max(8.0, round(size * 0.8 * 2) / 2)  # Excel shrinks the sheet to fit; so do we
            name = source.font.name if source.font and source.font.name else BODY_FONT
            run = paragraph.add_run("" if source.value is None else str(source.value))
            _font(run, name, size, bold=bool(source.font and source.font.b))
    _cell_widths(table, emu)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _fixed_grid(table: object, widths: list[int]) -> None:
    """Fixed layout with gridCol widths: Word, WPS and LibreOffice then agree on the columns."""
    tbl = table._tbl  # type: ignore[attr-defined]
    tbl_pr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width / 635)))  # EMU → twentieths of a point
    table.autofit = False  # type: ignore[attr-defined]


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


def _end_with_section_break(document: object) -> None:
    """Move the body's final sectPr into a paragraph at the end: a 'next page' section break."""
    body = document.element.body  # type: ignore[attr-defined]
    sect = body.find(qn("w:sectPr"))
    if sect is None:
        return
    body.remove(sect)
    sect = copy.deepcopy(sect)
    _set_section_type(sect, "nextPage")
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


def compose_print_set(items: list[PrintItem], out: Path) -> None:
    """Join the items, in order, into one .docx at `out`."""
    documents = []
    for item in items:
        source = (
            workbook_as_document(item.path) if item.path.suffix.lower() == ".xlsx" else item.path.read_bytes()
        )
        documents.append((item, Document(io.BytesIO(source))))
    if not documents:
        raise ValueError("nothing to print")
    spans = [(item, _section_count(document)) for item, document in documents]
    last_sect = documents[-1][1].element.body.find(qn("w:sectPr"))
    for _item, document in documents[:-1]:
        _end_with_section_break(document)  # each document keeps its own page set-up
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
) -> None:
    doc = Document()
    section = doc.sections[0]
    _a4(section)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run(f"{unit_name}{stage_name}推荐材料报送清单"), TITLE_FONT, 22)
    line = doc.add_paragraph()
    _font(line.add_run(f"报送单位:{unit_name}(盖章)        {paper_note}"), BODY_FONT, 12)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [int(w) for w in (Mm(14), Mm(94), Mm(14), Mm(18), Mm(16))]  # = the 156 mm text width
    _fixed_grid(table, widths)
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
    for values in lines:
        cells = table.add_row().cells
        for k, (cell, value) in enumerate(zip(cells, values, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if k == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(value), BODY_FONT, 10.5)
    _cell_widths(table, widths)
    note = doc.add_paragraph()
    counted = all(r.pages is not None for r in rows)  # the photo row never has pages
    pages_note = "" if counted else "页数栏为“—”的,请打印后自行填写。"
    _font(
        note.add_run(f"电子版发送至 {email},邮件主题见材料包中的 .eml 文件。{pages_note}"),
        BODY_FONT,
        11,
    )
    doc.save(str(out))
