"""Builds the templates in forms/liaoning-zwgk-2025/ (run by hand: `python forms/liaoning-zwgk-2025/_source/make_templates.py`).

The Word templates are built here; form4.xlsx (附件4, Excel) by the sibling `make_form4.py`,
which this script runs too.

The committed .docx files are what export reads; this script only makes them reproducible.
After a layout change here, re-run it, look at the result in Word/LibreOffice and commit both.
A unit that receives the official layout edits or replaces the .docx directly instead.

Conventions (forms-layout.md, GB/T 9704-2012):
- A4 portrait, margins top 37 / bottom 35 / left 28 / right 26 mm; text width 156 mm.
- Every run carries explicit fonts (ascii, hAnsi, eastAsia, cs); every style carries an
  eastAsia font. Word has no per-run fallback list, so the fallback lives in the font table:
  仿宋_GB2312 is declared with altName 仿宋 and 仿宋's PANOSE/charset, 方正小标宋简体 with
  altName 黑体, so Word/WPS on a stock Windows 10 substitute those instead of a random font.
- Tables: fixed layout, tblW = sum of gridCol = text width, every tcW = its grid span.
  Rows that hold a box that must stay whole carry cantSplit; rows with free text (事迹, 简历,
  荣誉) may break across pages so that long text is never cut off.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FORMS = Path(__file__).resolve().parent.parent

BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"

TEXT_WIDTH_MM = 210 - 28 - 26
TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH_TW = round(TEXT_WIDTH_MM * TWIPS_PER_MM)  # 8844

FORM_TEXT_PT = 12  # 小四
REPORT_TEXT_PT = 16  # 三号
TITLE_PT = 22  # 二号

CONSTANT_DATE = "2025-12-11T00:00:00Z"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# name, PANOSE, charset, family, pitch, altName
_FONTS = [
    ("Times New Roman", "02020603050405020304", "00", "roman", "variable", None),
    ("宋体", "02010600030101010101", "86", "auto", "variable", "SimSun"),
    ("黑体", "02010609060101010101", "86", "modern", "fixed", "SimHei"),
    ("仿宋", "02010609060101010101", "86", "modern", "fixed", "FangSong"),
    (BODY_FONT, "02010609060101010101", "86", "modern", "fixed", BODY_FALLBACK),
    (TITLE_FONT, "02010609060101010101", "86", "modern", "fixed", TITLE_FALLBACK),
]


def _font_table() -> str:
    fonts = []
    for name, panose, charset, family, pitch, alt in _FONTS:
        alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
        fonts.append(
            f'<w:font w:name="{name}">{alt_xml}<w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{_W}">{"".join(fonts)}</w:fonts>'


def _rfonts(font: str) -> str:
    return f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'


def _styles() -> str:
    body = _rfonts(BODY_FONT)
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults>
<w:rPrDefault><w:rPr>{body}<w:kern w:val="2"/><w:sz w:val="24"/><w:szCs w:val="24"/>
<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/>
<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
<w:rPr>{body}</w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>
<w:rPr>{body}</w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr>{body}</w:rPr>
<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
<w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
</w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>
<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
<w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>{_rfonts(TITLE_FONT)}<w:sz w:val="44"/>
<w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>
<w:rPr>{_rfonts(PAGE_NUMBER_FONT)}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
</w:styles>"""


def _settings() -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{_W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>
<w:characterSpacingControl w:val="compressPunctuation"/>
<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>
<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"""


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _base_docx(title: str) -> bytes:
    """A minimal, clean package: no theme fonts, no Latin-only defaults, constant properties."""
    files = {
        "[Content_Types].xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="jpeg" ContentType="image/jpeg"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>""",
        "_rels/.rels": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>""",
        "docProps/core.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{title}</dc:title><dc:creator>推荐材料助手</dc:creator><cp:revision>1</cp:revision>
<dcterms:created xsi:type="dcterms:W3CDTF">{CONSTANT_DATE}</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">{CONSTANT_DATE}</dcterms:modified>
</cp:coreProperties>""",
        "docProps/app.xml": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>推荐材料助手</Application></Properties>""",
        "word/_rels/document.xml.rels": """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
</Relationships>""",
        "word/document.xml": f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:sectPr>
<w:pgSz w:w="11906" w:h="16838"/>
<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/>
<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr></w:body></w:document>""",
        "word/styles.xml": _styles(),
        "word/settings.xml": _settings(),
        "word/fontTable.xml": _font_table(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(_entry(name), text.encode("utf-8"))
    return out.getvalue()


def new_document(title: str) -> DocumentObject:
    doc = Document(io.BytesIO(_base_docx(title)))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)
    return doc


# ---------------------------------------------------------------- runs and paragraphs


def set_run_font(run_el: object, font: str, size_pt: float, *, bold: bool = False) -> None:
    r_pr = run_el.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    if bold:
        r_pr.append(OxmlElement("w:b"))
        r_pr.append(OxmlElement("w:bCs"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(round(size_pt * 2)))
        r_pr.append(el)


def add_text(
    par: Paragraph, text: str, *, font: str = BODY_FONT, size: float = FORM_TEXT_PT, bold: bool = False
) -> None:
    run = par.add_run(text)
    set_run_font(run._r, font, size, bold=bold)


@dataclass(frozen=True)
class P:
    """One paragraph of a cell or the body."""

    text: str = ""
    align: str = "left"  # left | center | right | both
    font: str = BODY_FONT
    size: float = FORM_TEXT_PT
    indent_chars: int = 0  # first-line indent in characters (2 for running text)
    exact_pt: float | None = None  # exact line spacing; None = single
    before_pt: float = 0
    after_pt: float = 0
    right_indent_chars: int = 0
    bold: bool = False


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "both": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def format_paragraph(par: Paragraph, spec: P) -> None:
    fmt = par.paragraph_format
    par.alignment = _ALIGN[spec.align]
    fmt.space_before, fmt.space_after = Pt(spec.before_pt), Pt(spec.after_pt)
    if spec.exact_pt:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(spec.exact_pt)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p_pr = par._p.get_or_add_pPr()
    # Snap-to-grid off: the document grid would otherwise stretch table rows in Word.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p_pr.insert(0, snap)
    if spec.indent_chars or spec.right_indent_chars:
        ind = p_pr.get_or_add_ind()
        if spec.indent_chars:
            ind.set(qn("w:firstLineChars"), str(spec.indent_chars * 100))
            ind.set(qn("w:firstLine"), str(round(spec.indent_chars * spec.size * 20)))
        if spec.right_indent_chars:
            ind.set(qn("w:rightChars"), str(spec.right_indent_chars * 100))
            ind.set(qn("w:right"), str(round(spec.right_indent_chars * spec.size * 20)))
    # paragraph mark gets the same font, so empty paragraphs keep their height in CJK
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), spec.font)
    r_pr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(round(spec.size * 2)))
        r_pr.append(el)
    p_pr.append(r_pr)
    if spec.text:
        add_text(par, spec.text, font=spec.font, size=spec.size, bold=spec.bold)


def add_paragraph(doc: DocumentObject, spec: P) -> Paragraph:
    par = doc.add_paragraph()
    format_paragraph(par, spec)
    return par


def form_heading(doc: DocumentObject, *, unit_line: bool) -> None:
    add_paragraph(doc, P("{{ attachment }}", font=HEADING_FONT, size=16, exact_pt=20))
    add_paragraph(
        doc, P("{{ form_title }}", align="center", font=TITLE_FONT, size=TITLE_PT, exact_pt=30, after_pt=4)
    )
    if unit_line:
        par = add_paragraph(doc, P("推荐单位(盖章):{{ unit_name }}", exact_pt=18, after_pt=2))
        par.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
        add_text(par, "\t填表日期:{{ fill_date }}")


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class C:
    """One cell: its paragraphs, how many grid columns it spans, and whether it is a label."""

    paras: Sequence[P | str]
    span: int = 1
    label: bool = False
    valign: str = "center"  # center | top
    vmerge: str | None = None  # "restart" | "continue"
    margins_tw: int | None = None  # left/right cell margins; None = the table's


@dataclass(frozen=True)
class R:
    cells: Sequence[C]
    height_mm: float = 10
    cant_split: bool = True
    header: bool = False


CELL_LINE_PT = 18


def label(text: str, span: int = 1) -> C:
    return C([P(text, align="center", exact_pt=CELL_LINE_PT)], span=span, label=True)


def value(text: str, span: int = 1, *, align: str = "left") -> C:
    return C([P(text, align=align, exact_pt=CELL_LINE_PT)], span=span)


def text_block(field: str, span: int, *, hint: str = "") -> C:
    """A free-text box: one paragraph per paragraph of the text, indented two characters."""
    paras: list[P | str] = [
        P(f"{{%p for para in {field} %}}"),
        P("{{ para }}", align="both", indent_chars=2, exact_pt=20),
        P("{%p endfor %}"),
    ]
    if hint:
        paras.append(P(hint, align="right", size=10.5))
    return C(paras, span=span, valign="top")


def opinion_box(span: int, *, text: str = "") -> C:
    paras: list[P | str] = [P(text, indent_chars=2)] if text else []
    return C(
        [
            *paras,
            P("(盖章)", align="right", right_indent_chars=4, exact_pt=CELL_LINE_PT),
            P("年    月    日", align="right", right_indent_chars=1, exact_pt=CELL_LINE_PT, after_pt=4),
        ],
        span=span,
        valign="bottom",
    )


def _set_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 8), ("left", 8), ("bottom", 8), ("right", 8), ("insideH", 4), ("insideV", 4)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _fix_table_geometry(table: Table, widths_tw: Sequence[int]) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblStyle", "w:tblLook"):
        for el in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(el)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(sum(widths_tw)))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_pr.append(tbl_w)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    tbl_pr.append(jc)
    _set_borders(table)  # schema order: tblW, jc, tblBorders, tblLayout
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_tw, strict=True):
        col.set(qn("w:w"), str(width))


def mm_widths(widths_mm: Sequence[float]) -> list[int]:
    """Grid widths in twips that sum exactly to the text width."""
    assert abs(sum(widths_mm) - TEXT_WIDTH_MM) < 0.01, (sum(widths_mm), widths_mm)
    tw = [round(w * TWIPS_PER_MM) for w in widths_mm]
    tw[-1] += TEXT_WIDTH_TW - sum(tw)
    return tw


def add_table(doc: DocumentObject, widths_mm: Sequence[float], rows: Sequence[R]) -> Table:
    widths = mm_widths(widths_mm)
    table = doc.add_table(rows=len(rows), cols=len(widths))
    _fix_table_geometry(table, widths)
    for r_index, row_spec in enumerate(rows):
        row = table.rows[r_index]
        row.height = Mm(row_spec.height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        tr_pr = row._tr.get_or_add_trPr()
        if row_spec.cant_split:
            tr_pr.append(OxmlElement("w:cantSplit"))
        if row_spec.header:
            tr_pr.append(OxmlElement("w:tblHeader"))
        col = 0
        for cell_spec in row_spec.cells:
            cell = row.cells[col]
            if cell_spec.span > 1:
                cell = cell.merge(row.cells[col + cell_spec.span - 1])
            _fill_cell(cell, cell_spec, sum(widths[col : col + cell_spec.span]))
            col += cell_spec.span
        assert col == len(widths), (r_index, col)
    return table


def _fill_cell(cell: _Cell, spec: C, width_tw: int) -> None:
    cell.width = Twips(width_tw)
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_w = tc_pr.find(qn("w:tcW"))
    tc_w.set(qn("w:type"), "dxa")
    # tcPr children in schema order: tcW, gridSpan, vMerge, …, tcMar, …, vAlign
    if spec.margins_tw is not None:
        mar = OxmlElement("w:tcMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), str(spec.margins_tw))
            el.set(qn("w:type"), "dxa")
            mar.append(el)
        tc_pr.append(mar)
    if spec.vmerge:
        vm = tc_pr.get_or_add_vMerge()
        if spec.vmerge == "restart":
            vm.set(qn("w:val"), "restart")
    cell.vertical_alignment = {
        "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
        "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
        "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
    }[spec.valign]
    paras = list(spec.paras) or [P()]
    first = True
    for item in paras:
        pspec = item if isinstance(item, P) else P(item)
        par = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        format_paragraph(par, pspec)


def photo_cell() -> C:
    return C([P("{{ photo }}", align="center")])


# ---------------------------------------------------------------- the forms

_COLLECTIVE_WIDTHS = [30, 48, 30, 48]
_INDIVIDUAL_WIDTHS = [21, 20, 16, 21, 20, 22, 36]  # the photo column: 35 mm + 0.5 mm each side


def collective_form(key: str, title: str, *, formal: bool) -> DocumentObject:
    doc = new_document(title)
    form_heading(doc, unit_line=True)
    deeds = "deeds_full" if formal else "deeds_brief"
    rows = [
        R([label("集体名称"), value("{{ name }}", 3)], 12),
        R([label("层    级"), value("{{ level }}"), label("单位性质"), value("{{ nature }}")], 11),
        R(
            [label("负责人及职务"), value("{{ leader }}"), label("在编人数"), value("{{ staff_count }}人")],
            11,
        ),
        R([label("联 系 人"), value("{{ contact }}"), label("联系电话"), value("{{ phone }}")], 11),
        R([label("主要事迹"), text_block(deeds, 3)], 80 if not formal else 120, cant_split=False),
        R([label("曾获荣誉"), text_block("honors", 3)], 16, cant_split=False),
        R(
            [label("公示情况"), value("公示时间:{{ publicity_period }}\n公示结果:{{ publicity_result }}", 3)],
            14,
        ),
        R([label("推荐单位\n意    见"), opinion_box(3)], 34 if not formal else 36),
    ]
    if formal:
        rows += _upper_opinions(3)
    add_table(doc, _COLLECTIVE_WIDTHS, rows)
    return doc


def _upper_opinions(span: int) -> list[R]:
    return [
        R([label("市级(主管部门)评选机构意见"), opinion_box(span)], 36),
        R([label("省评选表彰办意见"), opinion_box(span)], 36),
        R([label("省人力资源社会保障厅意见"), opinion_box(span)], 36),
    ]


def individual_form(key: str, title: str, *, formal: bool) -> DocumentObject:
    doc = new_document(title)
    form_heading(doc, unit_line=True)
    deeds = "deeds_full" if formal else "deeds_brief"
    photo_top = C([P("{{ photo }}", align="center")], vmerge="restart", margins_tw=0)
    photo_rest = C([P()], vmerge="continue")
    rows = [
        R(
            [
                label("姓    名"),
                value("{{ name }}", align="center"),
                label("性  别"),
                value("{{ gender }}", align="center"),
                label("出生年月"),
                value("{{ birth_month }}", align="center"),
                photo_top,
            ],
            17,
        ),
        R(
            [
                label("民    族"),
                value("{{ ethnicity }}", align="center"),
                label("政治面貌"),
                value("{{ political_status }}", align="center"),
                label("参加工作时间"),
                value("{{ work_start }}", align="center"),
                photo_rest,
            ],
            17,
        ),
        R(
            [
                label("学历(学位)"),
                value("{{ education }}", align="center"),
                label("职  级"),
                value("{{ rank }}", align="center"),
                label("从事政务公开工作年限"),
                value("{{ years_in_field }}年", align="center"),
                photo_rest,
            ],
            17,
        ),
        R([label("工作单位及职务"), value("{{ unit_and_title }}", 6)], 13),
        R([label("近三年年度考核结果"), value("{{ assessments }}", 6)], 15),
    ]
    if formal:
        rows.append(R([label("简    历"), text_block("resume", 6)], 40, cant_split=False))
    rows += [
        R([label("主要事迹"), text_block(deeds, 6)], 52 if not formal else 100, cant_split=False),
        R([label("曾获荣誉"), text_block("honors", 6)], 12, cant_split=False),
        R(
            [label("公示情况"), value("公示时间:{{ publicity_period }}  公示结果:{{ publicity_result }}", 6)],
            12,
        ),
        R([label("推荐单位意见"), opinion_box(6)], 24 if not formal else 36),
    ]
    if formal:
        rows += _upper_opinions(6)
    add_table(doc, _INDIVIDUAL_WIDTHS, rows)
    return doc


def consultation_form(title: str, *, individual: bool) -> DocumentObject:
    doc = new_document(title)
    form_heading(doc, unit_line=False)
    if individual:
        widths = [26, 30, 20, 22, 26, 32]
        head = [
            R(
                [
                    label("姓    名"),
                    value("{{ name }}", align="center"),
                    label("性  别"),
                    value("{{ gender }}", align="center"),
                    label("出生年月"),
                    value("{{ birth_month }}", align="center"),
                ],
                13,
            ),
            R(
                [
                    label("政治面貌"),
                    value("{{ political_status }}", align="center"),
                    label("职  级"),
                    value("{{ rank }}", 3, align="center"),
                ],
                13,
            ),
            R([label("工作单位及职务"), value("{{ unit_and_title }}", 5)], 15),
            R([label("推荐单位"), value("{{ unit_name }}", 5)], 13),
        ]
        span = 5
    else:
        widths = [30, 126]
        head = [
            R([label("集体名称"), value("{{ name }}")], 15),
            R([label("负责人及职务"), value("{{ leader }}")], 13),
            R([label("推荐单位"), value("{{ unit_name }}")], 13),
        ]
        span = 1
    rows = [
        *head,
        R([label("组织人事部门意见"), opinion_box(span)], 68),
        R([label("纪检监察机关意见"), opinion_box(span)], 68),
    ]
    add_table(doc, widths, rows)
    add_paragraph(
        doc,
        P("注:按照干部管理权限,分别征求组织人事部门和纪检监察机关意见。", size=10.5, before_pt=4),
    )
    return doc


def members_form(title: str) -> DocumentObject:
    doc = new_document(title)
    form_heading(doc, unit_line=False)
    widths = [13, 20, 57, 30, 36]
    rows = [
        R(
            [label("序号"), label("姓  名"), label("单位及职务"), label("工作机构职务"), label("联系电话")],
            11,
            header=True,
        ),
        R([value("{%tr for m in members %}"), value(""), value(""), value(""), value("")], 6),
        R(
            [
                value("{{ m.index }}", align="center"),
                value("{{ m.name }}", align="center"),
                value("{{ m.unit_and_title }}"),
                value("{{ m.role }}", align="center"),
                value("{{ m.phone }}", align="center"),
            ],
            11,
        ),
        R([value("{%tr endfor %}"), value(""), value(""), value(""), value("")], 6),
    ]
    add_table(doc, widths, rows)
    return doc


def report(title: str) -> DocumentObject:
    doc = new_document(title)
    body = {"size": REPORT_TEXT_PT, "exact_pt": 28.95}
    add_paragraph(doc, P("{{ report_title }}", align="center", font=TITLE_FONT, size=TITLE_PT, exact_pt=32))
    add_paragraph(doc, P("", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{{ addressee }}:", align="left", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p for s in sections %}", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{{ s.number }}、{{ s.heading }}", font=HEADING_FONT, indent_chars=2, **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p for para in s.paragraphs %}", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{{ para }}", align="both", indent_chars=2, **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p endfor %}", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p endfor %}", **body))  # type: ignore[arg-type]
    # the signature block stays together and never stands alone on a page without the blank line
    for text in ("", "{{ unit_name }}"):
        par = add_paragraph(doc, P(text, align="right", right_indent_chars=4, **body))  # type: ignore[arg-type]
        par.paragraph_format.keep_with_next = True
    add_paragraph(doc, P("{{ report_date }}", align="right", right_indent_chars=4, **body))  # type: ignore[arg-type]
    _page_numbers(doc)
    return doc


def _page_numbers(doc: DocumentObject) -> None:
    """ "— 1 —" in 宋体 四号: odd pages at the right, even pages at the left, one character in."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        spec = P("", align=align, font=PAGE_NUMBER_FONT, size=14)
        format_paragraph(par, spec)
        ind = par._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:right" if align == "right" else "w:left"), "280")
        add_text(par, "— ", font=PAGE_NUMBER_FONT, size=14)
        _field(par, "PAGE")
        add_text(par, " —", font=PAGE_NUMBER_FONT, size=14)


def _field(par: Paragraph, instruction: str) -> None:
    def run_with(child: object) -> None:
        run = par.add_run()
        set_run_font(run._r, PAGE_NUMBER_FONT, 14)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    run = par.add_run("1")
    set_run_font(run._r, PAGE_NUMBER_FONT, 14)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _deterministic_save(doc: DocumentObject, path: Path) -> None:
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(_entry(info.filename), src.read(info.filename))
    path.write_bytes(out.getvalue())


def main() -> None:
    docs = {
        "report_initial": report("初审推荐工作报告"),
        "report_formal": report("正式推荐工作报告"),
        "form2": collective_form("form2", "先进集体初审推荐登记表", formal=False),
        "form3": individual_form("form3", "先进个人初审推荐登记表", formal=False),
        "form5": collective_form("form5", "先进集体推荐审批表", formal=True),
        "form6": individual_form("form6", "先进个人推荐审批表", formal=True),
        "form7": consultation_form("先进集体征求意见表", individual=False),
        "form8": consultation_form("先进个人征求意见表", individual=True),
        "form9": members_form("工作机构成员名单"),
    }
    for key, doc in docs.items():
        path = FORMS / f"{key}.docx"
        _deterministic_save(doc, path)
        print(path)
    # 附件4 is an Excel template, built by the sibling script (which also runs on its own)
    import make_form4

    make_form4.main()


if __name__ == "__main__":
    main()
