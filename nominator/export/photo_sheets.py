"""Print aids for rule F1: each person's photo as many times as the campaign asks, and the labels for their backs.

- write_photo_sheet: a grid of photos at exactly 35 × 49 mm, thin grey cell borders as cut lines.
- write_label_sheet: the same grid with 单位 + 姓名 in each cell, columns mirrored, so that printed
  on the back of the photo sheet (duplex, flip on the long edge) each label falls behind its photo.
- write_label_list: the simple list for printers without duplex: who, which unit, how many.

Both grids share one geometry (page size, margins, cell size, centred table), because a label
lands on its photo only if the two pages are laid out identically. Sizes come from PhotoRules.
"""

from __future__ import annotations

import copy
import os
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from nominator.campaign import PAPER_SIZES_MM, PhotoRules
from nominator.domain.photofix import printable_jpeg
from nominator.export.fit import pictures_without_gap
from nominator.export.ooxml import order_document, put_in_schema_order
from nominator.export.printstream import write_package
from nominator.files import usual_permissions

Person = tuple[str, str, bytes]  # (单位, 姓名, JPEG bytes)
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_CNVPR = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"

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
    sheet = _Sheet(grid, photo_header(rules))
    sheet.write(
        path,
        layout(len(people), rules.copies, grid),
        lambda person: sheet.photo_cell(_printable(people[person][2], rules)),
    )


def write_label_sheet(
    people: Sequence[Person], rules: PhotoRules, path: Path, *, paper: tuple[float, float] = A4
) -> None:
    grid = grid_for(rules, paper)
    sheet = _Sheet(grid, LABEL_HEADER)
    pages = [mirrored(page) for page in layout(len(people), rules.copies, grid)]
    sheet.write(path, pages, lambda person: sheet.label_cell(people[person][0], people[person][1]))


def photo_header(rules: PhotoRules) -> str:
    return f"{rules.size_name}照片({rules.width_mm:g}×{rules.height_mm:g} 毫米),每人 {rules.copies} 张,请沿灰线裁切。"


LABEL_HEADER = "照片背面标签:与照片页双面打印(长边翻转),每个标签正好在对应照片的背面。"


class _Sheet:
    """A photo or label sheet, written page by page.

    Built with python-docx call for call as it always was, but only once: one table of each
    height the pages need, one filled cell of each kind, one page break. Every page is then a
    copy of its table with copies of the filled cells, their picture id, relationship and texts
    set, serialised and compressed at once. python-docx's own way, a search of the whole
    document for a free id and a SHA-1 of every picture so far for each picture added, made the
    sheet of 1,000 people take minutes. tests/export/test_photo_sheets.py compares both."""

    def __init__(self, grid: Grid, header: str) -> None:
        self.grid = grid
        self.doc = _document(grid, header)
        self._tables: dict[int, Any] = {}
        self._breaker: Any = None
        self._photo: Any = None
        self._label: Any = None
        self._pictures: dict[str, str] = {}  # sha1 → rId
        self._shape_id = self.doc.part.next_id
        self._free_rids = self._free_rid_numbers()
        self._image_numbers = {p.partname.idx for p in self.doc.part.package.image_parts}

    # ---- the pieces, built the python-docx way once --------------------------------------

    def _scratch(self, rows: int) -> Table:
        """A table of `rows` empty rows, made by _grid_table and taken out of the document."""
        page: list[list[int | None]] = [[None] * self.grid.columns for _ in range(rows)]
        table = _grid_table(self.doc, self.grid, page, first=True)
        table._tbl.getparent().remove(table._tbl)
        return table

    def table(self, rows: int) -> Any:
        if rows not in self._tables:
            tbl = self._scratch(rows)._tbl
            _finish(tbl)
            self._tables[rows] = tbl
        return copy.deepcopy(self._tables[rows])

    def breaker(self) -> Any:
        if self._breaker is None:
            breaker = self.doc.add_paragraph()
            _font(breaker.add_run(), 1).add_break(WD_BREAK.PAGE)
            _tight(breaker)
            breaker._p.getparent().remove(breaker._p)
            _finish(breaker._p)
            self._breaker = breaker._p
        return copy.deepcopy(self._breaker)

    def photo_cell(self, blob: bytes) -> Any:
        if self._photo is None:
            table = self._scratch(1)
            cell = table.cell(0, 0)
            _borders(cell, CUT_LINE)
            run = _font(_paragraph(cell).add_run(), 1)
            image = DocxImage.from_blob(blob)
            cx, cy = image.scaled_dimensions(Mm(self.grid.cell_w), Mm(self.grid.cell_h))
            run._r.add_drawing(CT_Inline.new_pic_inline(0, "rId0", image.filename, cx, cy))
            _finish(table._tbl)
            self._photo = cell._tc
        tc = copy.deepcopy(self._photo)
        rid, filename = self._picture(blob)
        shape_id = self._shape_id
        self._shape_id += 1
        for doc_pr in tc.iter(_DOCPR):
            doc_pr.set("id", str(shape_id))
            doc_pr.set("name", f"Picture {shape_id}")
        for c_nv_pr in tc.iter(_CNVPR):
            c_nv_pr.set("name", filename)
        for blip in tc.iter(_BLIP):
            blip.set(qn("r:embed"), rid)
        return tc

    def label_cell(self, unit: str, name: str) -> Any:
        if self._label is None:
            table = self._scratch(1)
            cell = table.cell(0, 0)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _font(_paragraph(cell).add_run("单位"), 10)
            _font(_paragraph(cell, new=True).add_run("姓名"), 14, bold=True)
            _finish(table._tbl)
            self._label = cell._tc
        tc = copy.deepcopy(self._label)
        runs = [p.r_lst[0] for p in tc.p_lst]
        runs[0].text, runs[1].text = unit, name  # as add_run(text) writes it: tabs, breaks, spaces
        return tc

    def _picture(self, blob: bytes) -> tuple[str, str]:
        """python-docx's get_or_add_image: one image part per distinct picture (by SHA-1), the
        next /word/media/imageN and the next free rId — from a table, not a search."""
        image = DocxImage.from_blob(blob)
        rid = self._pictures.get(image.sha1)
        if rid is None:
            number = next(n for n in range(1, len(self._image_numbers) + 2) if n not in self._image_numbers)
            self._image_numbers.add(number)
            part = ImagePart(
                PackURI(f"/word/media/image{number}.{image.ext}"), image.content_type, blob, image
            )
            self.doc.part.package.image_parts.append(part)
            rid = f"rId{self._free_rids.pop()}"
            self.doc.part.rels.add_relationship(RT.IMAGE, part, rid)
            self._pictures[image.sha1] = rid
        return rid, image.filename

    def _free_rid_numbers(self) -> list[int]:
        used = {int(r[3:]) for r in self.doc.part.rels if r.startswith("rId") and r[3:].isdigit()}
        return [n for n in range(1, len(used) + 100_000) if n not in used][::-1]

    # ---- writing ------------------------------------------------------------------------

    def write(self, path: Path, pages: list[list[list[int | None]]], fill: Any) -> None:
        order_document(self.doc)
        body = self.doc.element.body
        anchor = body.find(qn("w:sectPr"))
        sentinel = OxmlElement("w:nominatorStream")
        anchor.addprevious(sentinel)
        whole = etree.tostring(self.doc.element, encoding="UTF-8", standalone=True)
        body.remove(sentinel)
        marker = b"<w:nominatorStream/>"
        prefix, suffix = whole[: whole.index(marker)], whole[whole.index(marker) + len(marker) :]
        chunks: list[bytes] = []
        for number, page in enumerate(pages):
            elements = [] if number == 0 else [self.breaker()]
            tbl = self.table(len(page))
            for tr, row in zip(tbl.findall(qn("w:tr")), page, strict=True):
                for tc, person in zip(tr.findall(qn("w:tc")), row, strict=True):
                    if person is not None:
                        tc.addnext(fill(person))
                        tr.remove(tc)
            elements.append(tbl)
            for element in elements:
                anchor.addprevious(element)
            whole = etree.tostring(self.doc.element, encoding="UTF-8", standalone=True)
            for element in elements:
                body.remove(element)
            chunks.append(zlib.compress(whole[len(prefix) : len(whole) - len(suffix)], 1))
        # Written beside the target, then renamed: a half-written sheet never has the real name.
        write_package(path, self.doc, prefix, (zlib.decompress(c) for c in chunks), suffix)
        usual_permissions(path)


def _finish(element: Any) -> None:
    """What _save did to the whole body before saving, done to a piece once."""
    pictures_without_gap(element)
    put_in_schema_order(element)


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
