"""Print aids for rule F1: each person's photo as many times as the campaign asks, and the labels for their backs.

- write_photo_sheet: a grid of photos at exactly 35 × 49 mm, thin grey cell borders as cut lines.
- write_label_sheet: the same grid with 单位 + 姓名 in each cell, columns mirrored, so that printed
  on the back of the photo sheet (duplex, flip on the long edge) each label falls behind its photo.
- write_label_list: the simple list for printers without duplex: who, which unit, how many.

Both grids share one geometry (page size, margins, cell size, centred table), because a label
lands on its photo only if the two pages are laid out identically. Sizes come from PhotoRules.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from nominator.campaign import PAPER_SIZES_MM, PhotoRules
from nominator.domain.photofix import printable_jpeg
from nominator.export.fit import pictures_without_gap
from nominator.export.ooxml import order_document
from nominator.files import usual_permissions

Person = tuple[str, str, bytes]  # (单位, 姓名, JPEG bytes)

FONT = "仿宋_GB2312"
FALLBACK_FONT = "仿宋"  # what Word/WPS use where 仿宋_GB2312 is not installed
A4 = PAPER_SIZES_MM["A4"]  # the paper when none is named; the campaign names its own ([print] paper)
MIN_MARGIN = 10.0  # most office printers cannot print closer to the edge
TOP_MARGIN = 20.0  # fixed, identical on both sheets: it is what lines the rows up front to back
CUT_LINE = "A6A6A6"  # light grey: visible for the scissors, invisible once cut


@dataclass(frozen=True)
class Grid:
    columns: int
    rows_per_page: int
    cell_w: float  # mm
    cell_h: float
    page_w: float = A4[0]
    page_h: float = A4[1]

    @property
    def side_margin(self) -> float:
        return (self.page_w - self.columns * self.cell_w) / 2


def grid_for(rules: PhotoRules, paper: tuple[float, float] = A4) -> Grid:
    page_w, page_h = paper
    columns = int((page_w - 2 * MIN_MARGIN) // rules.width_mm)
    rows = int((page_h - TOP_MARGIN - MIN_MARGIN) // rules.height_mm)
    return Grid(columns, rows, float(rules.width_mm), float(rules.height_mm), page_w, page_h)


def layout(count: int, copies: int, grid: Grid) -> list[list[list[int | None]]]:
    """Pages of rows of cells, each cell the index of a person or None.

    Every person starts a new row, so one person's copies are cut from one strip.
    """
    rows: list[list[int | None]] = []
    for person in range(count):
        cells: list[int | None] = [person] * copies
        while cells:
            row, cells = cells[: grid.columns], cells[grid.columns :]
            rows.append(row + [None] * (grid.columns - len(row)))
    return [rows[i : i + grid.rows_per_page] for i in range(0, len(rows), grid.rows_per_page)]


def mirrored(page: list[list[int | None]]) -> list[list[int | None]]:
    """The back of a page printed duplex with a long-edge flip: each row reversed."""
    return [list(reversed(row)) for row in page]


def write_photo_sheet(
    people: Sequence[Person], rules: PhotoRules, path: Path, *, paper: tuple[float, float] = A4
) -> None:
    grid = grid_for(rules, paper)
    doc = _document(
        grid,
        f"{rules.size_name}照片({rules.width_mm:g}×{rules.height_mm:g} 毫米),每人 {rules.copies} 张,请沿灰线裁切。",
    )
    photos = [_printable(photo, rules) for _, _, photo in people]
    for number, page in enumerate(layout(len(people), rules.copies, grid)):
        table = _grid_table(doc, grid, page, first=number == 0)
        for r, row in enumerate(page):
            for c, person in enumerate(row):
                if person is None:
                    continue
                cell = table.cell(r, c)
                _borders(cell, CUT_LINE)
                run = _font(_paragraph(cell).add_run(), 1)
                run.add_picture(io.BytesIO(photos[person]), width=Mm(grid.cell_w), height=Mm(grid.cell_h))
    _save(doc, path)


def write_label_sheet(
    people: Sequence[Person], rules: PhotoRules, path: Path, *, paper: tuple[float, float] = A4
) -> None:
    grid = grid_for(rules, paper)
    doc = _document(grid, "照片背面标签:与照片页双面打印(长边翻转),每个标签正好在对应照片的背面。")
    for number, page in enumerate(layout(len(people), rules.copies, grid)):
        table = _grid_table(doc, grid, mirrored(page), first=number == 0)
        for r, row in enumerate(mirrored(page)):
            for c, person in enumerate(row):
                if person is None:
                    continue
                unit, name, _ = people[person]
                cell = table.cell(r, c)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                _font(_paragraph(cell).add_run(unit), 10)
                _font(_paragraph(cell, new=True).add_run(name), 14, bold=True)
    _save(doc, path)


def write_label_list(people: Sequence[Person], rules: PhotoRules, path: Path) -> None:
    """For single-sided printing: a list to copy onto the backs by hand (or to cut and glue)."""
    doc = Document()
    _setup(doc, top=20.0, side=20.0, bottom=20.0)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading.add_run("照片背面标签清单"), 16, bold=True)
    note = doc.add_paragraph()
    _font(note.add_run(f"请在每张照片背面写明单位和姓名(每人 {rules.copies} 张)。"), 12)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("序号", "单位", "姓名", "照片张数"), strict=True):
        _font(_paragraph(cell).add_run(text), 12, bold=True)
    for number, (unit, name, _) in enumerate(people, start=1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(number), unit, name, str(rules.copies)), strict=True):
            _font(_paragraph(cell).add_run(text), 12)
    _save(doc, path)


# --- document plumbing ------------------------------------------------------------------------


def _printable(data: bytes, rules: PhotoRules) -> bytes:
    # The same normalised copy the forms embed: upright, baseline JFIF, cut to 5:7 so that Word
    # never stretches a face; a photo already exactly right goes in untouched.
    return printable_jpeg(data, rules)


def _document(grid: Grid, header: str) -> DocumentObject:
    doc = Document()
    _setup(doc, top=TOP_MARGIN, side=grid.side_margin, bottom=MIN_MARGIN, paper=(grid.page_w, grid.page_h))
    section = doc.sections[0]
    section.header_distance = Mm(8)
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run(header), 9)
    return doc


def _setup(
    doc: DocumentObject, *, top: float, side: float, bottom: float, paper: tuple[float, float] = A4
) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(paper[0]), Mm(paper[1])
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin = section.right_margin = Mm(side)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _declare_fallback_font(doc)


def _grid_table(doc: DocumentObject, grid: Grid, page: list[list[int | None]], *, first: bool) -> Table:
    if not first:
        breaker = doc.add_paragraph()
        _font(breaker.add_run(), 1).add_break(WD_BREAK.PAGE)
        _tight(breaker)
    table: Table = doc.add_table(rows=len(page), cols=grid.columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout (w:tblLayout), once
    tbl_pr = table._tbl.tblPr
    # No cell padding: a cell is exactly one photo, so its borders are the photo's edges.
    tbl_pr.append(
        parse_xml(
            f"<w:tblCellMar {nsdecls('w')}>"
            + "".join(f'<w:{side} w:w="0" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
            + "</w:tblCellMar>"
        )
    )
    for column in table.columns:
        column.width = Mm(grid.cell_w)
    for row in table.rows:
        row.height = Mm(grid.cell_h)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        for cell in row.cells:
            cell.width = Mm(grid.cell_w)
            _tight(cell.paragraphs[0])
    return table


def _paragraph(cell: _Cell, *, new: bool = False) -> Paragraph:
    paragraph: Paragraph = cell.add_paragraph() if new else cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _tight(paragraph)
    return paragraph


def _tight(paragraph: Paragraph) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    # The paragraph mark's own font adds to the line height under an inline picture; keep it tiny.
    p_pr = paragraph._p.get_or_add_pPr()
    mark = p_pr.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        p_pr.append(mark)
    if mark.find(qn("w:sz")) is None:
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "2")
        mark.append(size)


def _borders(cell: _Cell, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="2" w:space="0" w:color="{colour}"/>'
        for edge in ("top", "left", "bottom", "right")
    )
    tc_pr.append(parse_xml(f"<w:tcBorders {nsdecls('w')}>{edges}</w:tcBorders>"))


def _font(run: Run, size: float, *, bold: bool = False) -> Run:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    # python-docx sets only the Latin font; Chinese text uses w:eastAsia.
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _declare_fallback_font(doc: DocumentObject) -> None:
    # Word and WPS substitute a missing font by the font table's altName; tell them 仿宋.
    from lxml import etree

    for part in doc.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        if root.find(f"{qn('w:font')}[@{qn('w:name')}='{FONT}']") is None:
            root.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{FONT}"><w:altName w:val="{FALLBACK_FONT}"/>'
                    '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                )
            )
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _save(doc: DocumentObject, path: Path) -> None:
    # Pictures say they keep no distance from the text (LibreOffice would otherwise push each
    # photo 3.2 mm right and clip it at its cell), and every part is in the schema's order.
    pictures_without_gap(doc.element.body)
    order_document(doc)
    # Written beside the target, then renamed: a half-written sheet never has the real name.
    fd, tmp = tempfile.mkstemp(prefix=".sheet-", suffix=".docx", dir=path.parent)
    os.close(fd)
    try:
        doc.save(tmp)
        usual_permissions(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
