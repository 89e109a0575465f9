"""Builds the templates in forms/liaoning-zwgk-2025/ (run by hand: `python forms/liaoning-zwgk-2025/_source/make_templates.py`).

The Word templates are built here; form4.xlsx (附件4, Excel) by the sibling `make_form4.py`,
which this script runs too.

The committed .docx files are what export reads; this script only makes them reproducible.
After a layout change here, re-run it, look at the result in Word/LibreOffice and commit both.
A unit that receives the official layout edits or replaces the .docx directly instead.

How the forms keep to their pages in Word, WPS and LibreOffice alike (the page contracts are in
the campaign file, `[forms.*] pages`):
- A4 portrait. Reports: GB/T 9704-2012 margins (top 37, bottom 35, left 28, right 26 mm).
  Forms: top 25, bottom 22, left 28, right 26 mm; the text width is 156 mm in both.
- Every line in a table has an exact pitch and every row an exact ("固定值") design height, so
  the fonts' own line heights never move a page break. Export fits the text to those boxes
  (nominator/export/fit.py): a text too long for its box steps down in size, a row is never cut.
- Tables carry their cell margins themselves (tblCellMar; LibreOffice ignores the table style's),
  a fixed layout and tblW = sum of gridCol = text width, every tcW = its grid span.
- Labels break only where a word ends: each label is written as the lines it prints on, and each
  line fits its column with room to spare (checked by tests/export/test_render.py).
- 审批表: page 1 holds the person's facts, 简历 and 主要事迹; page 2 曾获荣誉, 公示情况 and the four
  opinion boxes together, so the form is one sheet printed on both sides. A 简历 or 主要事迹 longer
  than its box goes on in "(续)" rows on pages between the two, the row label repeated.
- The photo cell is 1 mm wider than the photo on each side, without padding, so the photo never
  touches the table's lines.
- Every run carries explicit fonts (ascii, hAnsi, eastAsia, cs); every style carries an
  eastAsia font. Word has no per-run fallback list, so the fallback lives in the font table:
  仿宋_GB2312 is declared with altName 仿宋 and 仿宋's PANOSE/charset, 方正小标宋简体 with
  altName 黑体, so Word/WPS on a stock Windows 10 substitute those instead of a random font.
- Every part is written in the schema's element order (nominator/export/ooxml.py).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

FORMS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(FORMS.parent.parent))  # the repository, for nominator.export.ooxml

from nominator.export.ooxml import put_in_schema_order, word_parts  # noqa: E402

BODY_FONT = "仿宋_GB2312"
BODY_FALLBACK = "仿宋"
TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"
HEADING_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"

PAGE_H_MM = 297
TEXT_WIDTH_MM = 210 - 28 - 26
TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH_TW = round(TEXT_WIDTH_MM * TWIPS_PER_MM)  # 8844
FORM_MARGINS_MM = (25, 22)  # top, bottom
FORM_TEXT_HEIGHT_MM = PAGE_H_MM - sum(FORM_MARGINS_MM)  # 250
PAGE_SLACK_MM = 4  # what each designed page leaves free (the 1 pt break paragraphs, rounding)

FORM_TEXT_PT = 12  # 小四
REPORT_TEXT_PT = 16  # 三号
TITLE_PT = 22  # 二号

CELL_PITCH_PT = 14  # labels and short values
TEXT_PITCH_PT = 17  # running text in a box
CELL_SIDE_TW = 57  # 1 mm left and right in every cell
LABEL_SIDE_TW = 28  # ½ mm in label cells (centred, so the lines keep clear of the rules anyway)
LABEL_SPARE_MM = 1.5  # every label line leaves at least this much of its column free

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
    cell_margins = (
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        f'<w:left w:w="{CELL_SIDE_TW}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        f'<w:right w:w="{CELL_SIDE_TW}" w:type="dxa"/></w:tblCellMar>'
    )
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults>
<w:rPrDefault><w:rPr>{body}<w:kern w:val="2"/><w:sz w:val="24"/><w:szCs w:val="24"/>
<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:widowControl w:val="0"/>
<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>
<w:rPr>{body}</w:rPr></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>
<w:rPr>{body}</w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:rPr>{body}</w:rPr>
<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{cell_margins}</w:tblPr></w:style>
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
<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:useFELayout/>
<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>
</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"""


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _base_docx(title: str, *, grid: bool) -> bytes:
    """A minimal, clean package: no theme fonts, no Latin-only defaults, constant properties."""
    doc_grid = '<w:docGrid w:type="lines" w:linePitch="312"/>' if grid else '<w:docGrid w:linePitch="312"/>'
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
<w:cols w:space="425"/>{doc_grid}</w:sectPr></w:body></w:document>""",
        "word/styles.xml": _styles(),
        "word/settings.xml": _settings(),
        "word/fontTable.xml": _font_table(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(_entry(name), text.encode("utf-8"))
    return out.getvalue()


def new_document(title: str, *, form: bool) -> DocumentObject:
    """A4 portrait; a report with GB/T 9704 margins and its line grid, a form with the form margins."""
    doc = Document(io.BytesIO(_base_docx(title, grid=not form)))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(PAGE_H_MM)
    top, bottom = FORM_MARGINS_MM if form else (37, 35)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(12) if form else Mm(28 - 7)
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
    run = par.add_run(text)  # "\n" becomes a line break
    set_run_font(run._r, font, size, bold=bold)


@dataclass(frozen=True)
class P:
    """One paragraph of a cell or the body."""

    text: str = ""
    align: str = "left"  # left | center | right | both
    font: str = BODY_FONT
    size: float = FORM_TEXT_PT
    indent_chars: float = 0  # first-line indent in characters (2 for running text)
    hanging_chars: float = 0  # lines after the first start this far in (简历)
    exact_pt: float | None = None  # exact line spacing; None = single
    before_pt: float = 0
    after_pt: float = 0
    right_indent_chars: int = 0
    bold: bool = False
    keep_next: bool = False
    widow_control: bool = False
    page_break_before: bool = False


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
    if spec.keep_next:
        fmt.keep_with_next = True
    if spec.widow_control:
        fmt.widow_control = True
    if spec.page_break_before:
        fmt.page_break_before = True
    p_pr = par._p.get_or_add_pPr()
    # Snap-to-grid off: the document grid would otherwise stretch lines in Word.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p_pr.append(snap)
    if spec.indent_chars or spec.right_indent_chars or spec.hanging_chars:
        ind = p_pr.get_or_add_ind()
        em = spec.size * 20
        if spec.hanging_chars:
            ind.set(qn("w:leftChars"), str(round(spec.hanging_chars * 100)))
            ind.set(qn("w:left"), str(round(spec.hanging_chars * em)))
            ind.set(qn("w:hangingChars"), str(round(spec.hanging_chars * 100)))
            ind.set(qn("w:hanging"), str(round(spec.hanging_chars * em)))
        if spec.indent_chars:
            ind.set(qn("w:firstLineChars"), str(round(spec.indent_chars * 100)))
            ind.set(qn("w:firstLine"), str(round(spec.indent_chars * em)))
        if spec.right_indent_chars:
            ind.set(qn("w:rightChars"), str(spec.right_indent_chars * 100))
            ind.set(qn("w:right"), str(round(spec.right_indent_chars * em)))
    if spec.hanging_chars:  # a tab after the dates of a post jumps to where its lines wrap
        tab = par.paragraph_format.tab_stops.add_tab_stop(Twips(round(spec.hanging_chars * spec.size * 20)))
        del tab
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


HAIRLINE = P("", size=1, exact_pt=1)  # a paragraph that takes no room: between and after tables


def page_break(doc: DocumentObject) -> None:
    """What follows starts a new page (a 1 pt paragraph with 'page break before')."""
    add_paragraph(doc, P("", size=1, exact_pt=1, page_break_before=True))


def form_heading(doc: DocumentObject, *, unit_line: bool) -> None:
    add_paragraph(doc, P("{{ attachment }}", font=HEADING_FONT, size=16, exact_pt=20))
    add_paragraph(
        doc, P("{{ form_title }}", align="center", font=TITLE_FONT, size=TITLE_PT, exact_pt=30, after_pt=4)
    )
    if unit_line:  # a borderless row, so that a long unit name is fitted like any box
        table = add_table(
            doc,
            [94, 62],
            [
                R(
                    [
                        value("推荐单位(盖章):{{ unit_name }}"),
                        value("填表日期:{{ fill_date }}", align="right"),
                    ],
                    7,
                )
            ],
            borders=False,
        )
        for cell in table.rows[0].cells:
            for side in ("left", "right"):
                _cell_margin(cell, side, 0)
        add_paragraph(doc, HAIRLINE)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class C:
    """One cell: its paragraphs, how many grid columns it spans, and whether it is a label."""

    paras: Sequence[P | str]
    span: int = 1
    label: bool = False
    valign: str = "center"  # center | top | bottom
    vmerge: str | None = None  # "restart" | "continue"
    margins_tw: int | None = None  # all four cell margins; None = the table's
    side_tw: int | None = None  # left and right margins; None = the table's
    top_tw: int = 0  # top margin (text boxes keep off the line above)
    bottom_tw: int = 0


@dataclass(frozen=True)
class R:
    cells: Sequence[C]
    height_mm: float = 10
    rule: str = "exact"  # exact: a designed box; atLeast: grows with its text ("(续)" rows)
    cant_split: bool = True
    header: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def label(*lines: str, span: int = 1) -> C:
    """A label, written as the lines it prints on (each line breaks only between words)."""
    return C(
        [P("\n".join(lines), align="center", exact_pt=CELL_PITCH_PT)], span=span, label=True, side_tw=LABEL_SIDE_TW
    )


def value(text: str, span: int = 1, *, align: str = "left") -> C:
    return C([P(text, align=align, exact_pt=CELL_PITCH_PT)], span=span)


def text_block(expression: str, span: int) -> C:
    """A free-text box: one paragraph per paragraph of the text, indented two characters."""
    return C(
        [
            P(f"{{%p for para in {expression} %}}"),
            P("{{ para }}", align="both", indent_chars=2, exact_pt=TEXT_PITCH_PT),
            P("{%p endfor %}"),
        ],
        span=span,
        valign="top",
        top_tw=57,
    )


def list_block(expression: str, span: int) -> C:
    """曾获荣誉: one honour per line, as typed, without a first-line indent."""
    return C(
        [
            P(f"{{%p for para in {expression} %}}"),
            P("{{ para }}", align="left", exact_pt=TEXT_PITCH_PT),
            P("{%p endfor %}"),
        ],
        span=span,
        valign="top",
        top_tw=57,
    )


def resume_block(expression: str, span: int) -> C:
    """简历: one line per post, the dates first; a long post wraps under its own text."""
    return C(
        [
            P(f"{{%p for para in {expression} %}}"),
            P("{{ para }}", hanging_chars=RESUME_HANG, exact_pt=TEXT_PITCH_PT),
            P("{%p endfor %}"),
        ],
        span=span,
        valign="top",
        top_tw=57,
    )


RESUME_HANG = 9.5  # characters: "2008.07—2012.06" and a space, in any face


def opinion_box(span: int, *, text: str = "") -> C:
    paras: list[P | str] = [P(text, indent_chars=2, exact_pt=TEXT_PITCH_PT)] if text else []
    return C(
        [
            *paras,
            P("(盖章)", align="right", right_indent_chars=4, exact_pt=CELL_PITCH_PT),
            P("年    月    日", align="right", right_indent_chars=1, exact_pt=CELL_PITCH_PT, after_pt=6),
        ],
        span=span,
        valign="bottom",
    )


def jinja_row(tag: str, columns: int) -> R:
    """A row that holds only a `{%tr … %}` tag (docxtpl replaces the whole row by the tag)."""
    return R([C([P(tag)], span=columns)], 5, rule="atLeast")


def _set_borders(table: Table, *, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge, size in (("top", 8), ("left", 8), ("bottom", 8), ("right", 8), ("insideH", 4), ("insideV", 4)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            el.set(qn("w:sz"), str(size))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _fix_table_geometry(table: Table, widths_tw: Sequence[int], *, borders: bool) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblStyle", "w:tblLook", "w:jc", "w:tblCellMar"):
        for el in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(el)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(sum(widths_tw)))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_pr.append(tbl_w)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    tbl_pr.append(jc)
    _set_borders(table, visible=borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    # the cell margins on the table itself: LibreOffice does not read them from the table style
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 0), ("left", CELL_SIDE_TW), ("bottom", 0), ("right", CELL_SIDE_TW)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.append(margins)
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_tw, strict=True):
        col.set(qn("w:w"), str(width))


def mm_widths(widths_mm: Sequence[float]) -> list[int]:
    """Grid widths in twips that sum exactly to the text width."""
    assert abs(sum(widths_mm) - TEXT_WIDTH_MM) < 0.01, (sum(widths_mm), widths_mm)
    tw = [round(w * TWIPS_PER_MM) for w in widths_mm]
    tw[-1] += TEXT_WIDTH_TW - sum(tw)
    return tw


def add_table(doc: DocumentObject, widths_mm: Sequence[float], rows: Sequence[R], *, borders: bool = True) -> Table:
    widths = mm_widths(widths_mm)
    table = doc.add_table(rows=len(rows), cols=len(widths))
    _fix_table_geometry(table, widths, borders=borders)
    for r_index, row_spec in enumerate(rows):
        row = table.rows[r_index]
        tr_pr = row._tr.get_or_add_trPr()
        if row_spec.cant_split:
            tr_pr.append(OxmlElement("w:cantSplit"))
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(round(row_spec.height_mm * TWIPS_PER_MM)))
        height.set(qn("w:hRule"), row_spec.rule)
        tr_pr.append(height)
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


def _cell_margin(cell: _Cell, side: str, twips: int) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    mar = tc_pr.find(qn("w:tcMar"))
    if mar is None:
        mar = OxmlElement("w:tcMar")
        tc_pr.append(mar)
    el = mar.find(qn(f"w:{side}"))
    if el is None:
        el = OxmlElement(f"w:{side}")
        mar.append(el)
    el.set(qn("w:w"), str(twips))
    el.set(qn("w:type"), "dxa")


def _fill_cell(cell: _Cell, spec: C, width_tw: int) -> None:
    cell.width = Twips(width_tw)
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_w = tc_pr.find(qn("w:tcW"))
    tc_w.set(qn("w:type"), "dxa")
    if spec.margins_tw is not None:
        for side in ("top", "left", "bottom", "right"):
            _cell_margin(cell, side, spec.margins_tw)
    if spec.side_tw is not None:
        for side in ("left", "right"):
            _cell_margin(cell, side, spec.side_tw)
    if spec.top_tw:
        _cell_margin(cell, "top", spec.top_tw)
    if spec.bottom_tw:
        _cell_margin(cell, "bottom", spec.bottom_tw)
    if spec.label:
        check_label(spec, width_tw - 2 * (CELL_SIDE_TW if spec.side_tw is None else spec.side_tw))
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


def _issuer() -> str:
    """The organiser as this template set's campaign names it: what `{{ issuer }}` prints here."""
    import tomllib

    campaign = FORMS.parent.parent / "resources" / "campaigns" / f"{FORMS.name}.toml"
    return str(tomllib.loads(campaign.read_text(encoding="utf-8"))["issuer"])


def check_label(spec: C, inner_tw: int) -> None:
    """Each line of a label fits its column with LABEL_SPARE_MM to spare: it never wraps."""
    room_mm = inner_tw / TWIPS_PER_MM - LABEL_SPARE_MM
    for para in spec.paras:
        assert isinstance(para, P)
        for line in para.text.replace("{{ issuer }}", _issuer()).split("\n"):
            needed_mm = len(line.replace(" ", "")) * para.size * 25.4 / 72 + line.count(" ") * para.size * 0.32 * 25.4 / 72
            assert needed_mm <= room_mm, f"label line {line!r} needs {needed_mm:.1f} mm, has {room_mm:.1f}"


def photo_cell() -> C:
    # no padding, 1 mm of the cell left and right of the 35 mm photo; single line spacing, since
    # an exact pitch would clip the picture
    return C([P("{{ photo }}", align="center")], vmerge="restart", margins_tw=0)


# ---------------------------------------------------------------- the forms

LABEL_MM = 19.5  # four characters of 小四 and the margins, with room to spare
NARROW_LABEL_MM = 11.5  # two characters
WIDE_LABEL_MM = 30  # page 2 of the 审批表: six characters
PHOTO_MM = 37  # the 35 mm photo and 1 mm each side

_INDIVIDUAL_WIDTHS = [LABEL_MM, 24, NARROW_LABEL_MM, 24, LABEL_MM, 20.5, PHOTO_MM]
_COLLECTIVE_WIDTHS = [LABEL_MM + 3, 55.5, LABEL_MM + 3, 55.5]
_SECOND_PAGE_WIDTHS = [WIDE_LABEL_MM, TEXT_WIDTH_MM - WIDE_LABEL_MM]

HEADING_MM = (20 + 34) * 25.4 / 72 + 7 + 1 / 72 * 25.4  # 附件 line, title, unit line, hairline


def _opinion_rows(*, span: int = 1, height: float) -> list[R]:
    return [
        R([label("推荐单位意见"), opinion_box(span)], height),
        R([label("市级", "(主管部门)", "评选机构意见"), opinion_box(span)], height),
        R([label("{{ issuer }}", "意见"), opinion_box(span)], height),
        R([label("省人力资源", "社会保障厅", "意见"), opinion_box(span)], height),
    ]


def _second_page(doc: DocumentObject) -> None:
    """审批表 page 2: 曾获荣誉, 公示情况 and the four opinion boxes, on one page together."""
    page_break(doc)
    honors, publicity, opinion = 50, 16, 44
    assert honors + publicity + 4 * opinion <= FORM_TEXT_HEIGHT_MM - PAGE_SLACK_MM
    add_table(
        doc,
        _SECOND_PAGE_WIDTHS,
        [
            R([label("曾获荣誉"), list_block("honors", 1)], honors),
            R([label("公示情况"), value("公示时间:{{ publicity_period }}\n公示结果:{{ publicity_result }}")], publicity),
            *_opinion_rows(height=opinion),
        ],
    )
    add_paragraph(doc, HAIRLINE)


def _continuation(doc: DocumentObject, widths: Sequence[float], texts: Sequence[tuple[str, str, bool]]) -> None:
    """Rows "<label>(续)" for the part of each text that did not fit on page 1, on pages of
    their own between page 1 and the opinions page; nothing when everything fitted."""
    condition = " or ".join(f"{field}.more" for field, _label, _resume in texts)
    add_paragraph(doc, P(f"{{%p if {condition} %}}"))
    page_break(doc)
    rows: list[R] = []
    columns = len(widths)
    for field_name, label_text, resume in texts:
        block = resume_block("part", columns - 1) if resume else text_block("part", columns - 1)
        rows += [
            jinja_row(f"{{%tr for part in {field_name}.more %}}", columns),
            R([label(label_text, "(续)"), block], 10, rule="atLeast"),
            jinja_row("{%tr endfor %}", columns),
        ]
    add_table(doc, widths, rows)
    add_paragraph(doc, P("{%p endif %}"))


def collective_form(title: str, *, formal: bool) -> DocumentObject:
    doc = new_document(title, form=True)
    form_heading(doc, unit_line=True)
    deeds = "deeds_full.first" if formal else "deeds_brief"
    facts = [
        R([label("集体名称"), value("{{ name }}", 3)], 12),
        R([label("层    级"), value("{{ level }}"), label("单位性质"), value("{{ nature }}")], 9),
        R([label("负责人", "及职务"), value("{{ leader }}"), label("在编人数"), value("{{ staff_count }}人")], 12),
        R([label("联 系 人"), value("{{ contact }}"), label("联系电话"), value("{{ phone }}")], 9),
    ]
    room = FORM_TEXT_HEIGHT_MM - PAGE_SLACK_MM - HEADING_MM - sum(r.height_mm for r in facts)
    if formal:
        add_table(doc, _COLLECTIVE_WIDTHS, [*facts, R([label("主要事迹"), text_block(deeds, 3)], room)])
        _continuation(doc, [_COLLECTIVE_WIDTHS[0], TEXT_WIDTH_MM - _COLLECTIVE_WIDTHS[0]], [("deeds_full", "主要事迹", False)])
        _second_page(doc)
        return doc
    honors, publicity, opinion = 52, 13, 40
    rows = [
        *facts,
        R([label("主要事迹"), text_block(deeds, 3)], room - honors - publicity - opinion),
        R([label("曾获荣誉"), list_block("honors", 3)], honors),
        R([label("公示情况"), value("公示时间:{{ publicity_period }}\n公示结果:{{ publicity_result }}", 3)], publicity),
        R([label("推荐单位", "意见"), opinion_box(3)], opinion),
    ]
    add_table(doc, _COLLECTIVE_WIDTHS, rows)
    add_paragraph(doc, HAIRLINE)
    return doc


def individual_form(title: str, *, formal: bool) -> DocumentObject:
    doc = new_document(title, form=True)
    form_heading(doc, unit_line=True)
    photo_rest = C([P()], vmerge="continue")
    facts = [
        R(
            [
                label("姓    名"),
                value("{{ name }}", align="center"),
                label("性别"),
                value("{{ gender }}", align="center"),
                label("出生年月"),
                value("{{ birth_month }}", align="center"),
                photo_cell(),
            ],
            17,
        ),
        R(
            [
                label("民    族"),
                value("{{ ethnicity }}", align="center"),
                label("政治", "面貌"),
                value("{{ political_status }}", align="center"),
                label("参加工作", "时间"),
                value("{{ work_start }}", align="center"),
                photo_rest,
            ],
            17,
        ),
        R(
            [
                label("学    历", "(学位)"),
                value("{{ education }}", align="center"),
                label("职级"),
                value("{{ rank }}", align="center"),
                label("从事", "政务公开", "工作年限"),
                value("{{ years_in_field }}年", align="center"),
                photo_rest,
            ],
            17,
        ),
        R([label("工作单位", "及职务"), value("{{ unit_and_title }}", 6)], 12),
        R([label("近三年", "年度考核", "结果"), value("{{ assessments }}", 6)], 16),
    ]
    room = FORM_TEXT_HEIGHT_MM - PAGE_SLACK_MM - HEADING_MM - sum(r.height_mm for r in facts)
    if formal:
        resume = 48
        rows = [
            *facts,
            R([label("简    历"), resume_block("resume.first", 6)], resume),
            R([label("主要事迹"), text_block("deeds_full.first", 6)], room - resume),
        ]
        add_table(doc, _INDIVIDUAL_WIDTHS, rows)
        _continuation(
            doc,
            [LABEL_MM, TEXT_WIDTH_MM - LABEL_MM],
            [("resume", "简    历", True), ("deeds_full", "主要事迹", False)],
        )
        _second_page(doc)
        return doc
    honors, publicity, opinion = 47, 13, 30
    rows = [
        *facts,
        R([label("主要事迹"), text_block("deeds_brief", 6)], room - honors - publicity - opinion),
        R([label("曾获荣誉"), list_block("honors", 6)], honors),
        R([label("公示情况"), value("公示时间:{{ publicity_period }}\n公示结果:{{ publicity_result }}", 6)], publicity),
        R([label("推荐单位", "意见"), opinion_box(6)], opinion),
    ]
    add_table(doc, _INDIVIDUAL_WIDTHS, rows)
    add_paragraph(doc, HAIRLINE)
    return doc


def consultation_form(title: str, *, individual: bool) -> DocumentObject:
    doc = new_document(title, form=True)
    form_heading(doc, unit_line=False)
    if individual:
        widths = [LABEL_MM, 46, NARROW_LABEL_MM, 28, LABEL_MM, 31.5]
        head = [
            R(
                [
                    label("姓    名"),
                    value("{{ name }}", align="center"),
                    label("性别"),
                    value("{{ gender }}", align="center"),
                    label("出生年月"),
                    value("{{ birth_month }}", align="center"),
                ],
                12,
            ),
            R(
                [
                    label("政治面貌"),
                    value("{{ political_status }}", align="center"),
                    label("职级"),
                    value("{{ rank }}", 3, align="center"),
                ],
                12,
            ),
            R([label("工作单位", "及职务"), value("{{ unit_and_title }}", 5)], 13),
            R([label("推荐单位"), value("{{ unit_name }}", 5)], 11),
        ]
        span = 5
    else:
        widths = [LABEL_MM + 3, TEXT_WIDTH_MM - LABEL_MM - 3]
        head = [
            R([label("集体名称"), value("{{ name }}")], 13),
            R([label("负责人", "及职务"), value("{{ leader }}")], 13),
            R([label("推荐单位"), value("{{ unit_name }}")], 11),
        ]
        span = 1
    note_mm = 10
    heading_mm = (20 + 34) * 25.4 / 72
    box = (FORM_TEXT_HEIGHT_MM - PAGE_SLACK_MM - heading_mm - note_mm - sum(r.height_mm for r in head)) / 2
    rows = [
        *head,
        R([label("组织人事", "部门意见"), opinion_box(span)], box),
        R([label("纪检监察", "机关意见"), opinion_box(span)], box),
    ]
    add_table(doc, widths, rows)
    add_paragraph(
        doc,
        P("注:按照干部管理权限,分别征求组织人事部门和纪检监察机关意见。", size=10.5, exact_pt=14, before_pt=4),
    )
    return doc


def member_value(text: str, *, align: str = "left") -> C:
    """A cell of the members list: the row grows with its text, 1 mm clear above and below."""
    return C([P(text, align=align, exact_pt=CELL_PITCH_PT)], margins_tw=None, top_tw=57, bottom_tw=57)


def members_form(title: str) -> DocumentObject:
    doc = new_document(title, form=True)
    form_heading(doc, unit_line=False)
    widths = [12, 22, 58, 28, 36]
    rows = [
        R(
            [label("序号"), label("姓    名"), label("单位及职务"), label("工作机构职务"), label("联系电话")],
            10,
            header=True,
        ),
        jinja_row("{%tr for m in members %}", 5),
        R(
            [
                member_value("{{ m.index }}", align="center"),
                member_value("{{ m.name }}", align="center"),
                member_value("{{ m.unit_and_title }}"),
                member_value("{{ m.role }}", align="center"),
                member_value("{{ m.phone }}", align="center"),
            ],
            10,
            rule="atLeast",
        ),
        jinja_row("{%tr endfor %}", 5),
    ]
    add_table(doc, widths, rows)
    add_paragraph(doc, HAIRLINE)
    return doc


def report(title: str) -> DocumentObject:
    doc = new_document(title, form=False)
    body = {"size": REPORT_TEXT_PT, "exact_pt": 28.95}
    add_paragraph(doc, P("{{ report_title }}", align="center", font=TITLE_FONT, size=TITLE_PT, exact_pt=32))
    add_paragraph(doc, P("", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{{ addressee }}:", align="left", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p for s in sections %}", **body))  # type: ignore[arg-type]
    add_paragraph(
        doc,
        P("{{ s.number }}、{{ s.heading }}", font=HEADING_FONT, indent_chars=2, keep_next=True, **body),  # type: ignore[arg-type]
    )
    add_paragraph(doc, P("{%p for para in s.paragraphs %}", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{{ para }}", align="both", indent_chars=2, widow_control=True, **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p endfor %}", **body))  # type: ignore[arg-type]
    add_paragraph(doc, P("{%p endfor %}", **body))  # type: ignore[arg-type]
    # the 落款 (unit and date) stays together; export keeps the last paragraph's end with it
    for text in ("", "{{ unit_name }}"):
        add_paragraph(doc, P(text, align="right", right_indent_chars=4, keep_next=True, **body))  # type: ignore[arg-type]
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
        names = set(word_parts(src.namelist()))
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename in names:
                root = put_in_schema_order(etree.fromstring(blob))
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(_entry(info.filename), blob)
    path.write_bytes(out.getvalue())


def main() -> None:
    docs = {
        "report_initial": report("初审推荐工作报告"),
        "report_formal": report("正式推荐工作报告"),
        "form2": collective_form("先进集体初审推荐登记表", formal=False),
        "form3": individual_form("先进个人初审推荐登记表", formal=False),
        "form5": collective_form("先进集体推荐审批表", formal=True),
        "form6": individual_form("先进个人推荐审批表", formal=True),
        "form7": consultation_form("先进集体征求意见表", individual=False),
        "form8": consultation_form("先进个人征求意见表", individual=True),
        "form9": members_form("工作机构成员名单"),
    }
    for key, doc in docs.items():
        path = FORMS / f"{key}.docx"
        _deterministic_save(doc, path)
        print(path)
    # 附件4 is an Excel template, built by the sibling script (which also runs on its own)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import make_form4

    make_form4.main()


if __name__ == "__main__":
    main()
