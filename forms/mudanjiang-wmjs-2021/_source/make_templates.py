"""Builds the templates in forms/mudanjiang-wmjs-2021/ (run by hand:
`python forms/mudanjiang-wmjs-2021/_source/make_templates.py`).

The 20th provincial and city 精神文明建设先进集体 nominations (牡丹江, 2021): the notice asks for a
推荐报告 "含推荐名单及各单位申报表" (四(二)). Three templates, named after the campaign's forms:
- report.docx       推荐报告: the report's parts, the 附件说明 and 落款, then the 推荐名单 as its 附件
                    on a page of its own (one row per nominee: 名称, 申报类别, 级别, 单位类型);
- list.xlsx         推荐名单 (Excel): one row per nominee, the columns the campaign's
                    `[forms.list] collective_fields` name; every value goes in as text;
- application.docx  申报表, one per nominee: category and level, the unit's facts, the earlier
                    honours, 创建工作主要成效 (going on onto "(续)" rows when longer than its box),
                    the 破格 reason, the self-check (自检得分 and the kind's attestations as tick
                    boxes) and three signature/seal boxes on the back page.

The house typography and the table machinery are the Liaoning generator's, imported rather than
copied (forms/liaoning-zwgk-2025/_source/make_templates.py): A4 portrait, GB/T 9704 margins for
the report (37/35/28/26 mm) and the form margins for the 申报表 (25/22/28/26 mm); titles
方正小标宋简体 (fallback 黑体), text 仿宋_GB2312 (fallback 仿宋), headings 黑体, page numbers 宋体
"— 1 —"; fonts named as Windows names them and registered with their fallbacks in the font table;
fixed table geometry, exact row heights that export fits the text to (nominator/export/fit.py),
labels written as the lines they print on and checked to fit their column.

ASSUMPTIONS (the notice shows no form; these are what such forms usually hold, and the campaign
file marks the same ones): the 申报表's rows and their order; 主管部门 as a field; the three
opinion boxes (申报单位, 县(市)区文明办或主管部门, 市文明办); the 申报表 as one sheet printed on
both sides (page contract 2, "(续)" pages between when the 主要成效 is long); the 推荐名单 as the
report's 附件 after the 落款, and its columns.

Placeholders (forms/mudanjiang-wmjs-2021/README.md lists them with what fills them): a field's id
prints the field as its type prints it (`{{ name }}`, `{{ prior_honours }}` joined with "、"),
`category` and `level` print the category's label and the level, text fields are paragraph lists
(`{%p for para in deeds %}`, `deeds.first` / `deeds.more` for "(续)"), `attestations` is the
kind's attestations, each `a.box` (☑ or ☐) and `a.text` (the campaign's wording).
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMS = Path(__file__).resolve().parent.parent
REPO = FORMS.parent.parent
sys.path.insert(0, str(REPO))  # the repository, for nominator.export


def _house(file: str = "make_templates.py", name: str = "house_templates") -> ModuleType:
    """The Liaoning generator as a library: its fonts, paragraphs, tables and page numbers (and,
    from make_form4.py, how a list sheet is printed and saved)."""
    path = REPO / "forms" / "liaoning-zwgk-2025" / "_source" / file
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


house = _house()
sheet = _house("make_form4.py", "house_sheet")
P, C, R = house.P, house.C, house.R
label, value = house.label, house.value

CONSTANT_DATE = "2021-09-01T00:00:00Z"  # the notice's date: the templates' package dates


def campaign_file() -> Path:
    """This template set's campaign: shipped, or (until step 3 of issue 17) the test fixture."""
    shipped = REPO / "resources" / "campaigns" / f"{FORMS.name}.toml"
    return shipped if shipped.is_file() else REPO / "tests" / "fixtures" / "campaigns" / f"{FORMS.name}.toml"


def campaign() -> dict:  # type: ignore[type-arg]
    return tomllib.loads(campaign_file().read_text(encoding="utf-8"))


# Labels are checked against what `{{ issuer }}` prints in *this* campaign, and the packages carry
# this notice's date.
house._issuer = lambda: str(campaign()["issuer"])
house.CONSTANT_DATE = CONSTANT_DATE


# ---------------------------------------------------------------- 申报表 (application.docx)

LABEL_MM = 30  # six characters of 小四 on a line, with room to spare
VALUE_MM = (house.TEXT_WIDTH_MM - 2 * LABEL_MM) / 2  # 48
WIDTHS = [LABEL_MM, VALUE_MM, LABEL_MM, VALUE_MM]
TWO_COLUMNS = [LABEL_MM, house.TEXT_WIDTH_MM - LABEL_MM]

# Back page: heights (mm) of the 破格 reason, the self-check and each of the three opinion boxes.
# The 破格 reason at its limit (300 characters) fits at 小五; the boxes take the page together.
EXCEPTION_MM, SELF_CHECK_MM, OPINION_MM = 58, 28, 50


def text_box(expression: str, span: int, *, empty: str = "") -> C:
    """A free-text box, one paragraph per paragraph, indented two characters; `empty` prints
    when the text is blank (the 破格 reason of an application that is not 破格)."""
    para = f'{{{{ para or "{empty}" }}}}' if empty else "{{ para }}"
    return C(
        [
            P(f"{{%p for para in {expression} %}}"),
            P(para, align="both", indent_chars=2, exact_pt=house.TEXT_PITCH_PT),
            P("{%p endfor %}"),
        ],
        span=span,
        valign="top",
        top_tw=57,
    )


def self_check_box(span: int) -> C:
    """自检得分, then each attestation of the kind as a tick box and the campaign's wording."""
    pitch = house.TEXT_PITCH_PT
    return C(
        [
            P("对照{{ level }}{{ category }}测评体系自检得分:{{ self_score }}分", exact_pt=pitch),
            P("{%p for a in attestations %}"),
            P("{{ a.box }} {{ a.text }}", hanging_chars=1.5, exact_pt=pitch),
            P("{%p endfor %}"),
        ],
        span=span,
        valign="top",
        top_tw=57,
    )


def sign_box(span: int, *, signer: str = "") -> C:
    """A signature and seal box: who signs (if anyone), (盖章) and the date, at the bottom."""
    paras = [P(signer, indent_chars=2, exact_pt=house.CELL_PITCH_PT, after_pt=14)] if signer else []
    return C(
        [
            *paras,
            P("(盖章)", align="right", right_indent_chars=4, exact_pt=house.CELL_PITCH_PT),
            P(
                "年    月    日",
                align="right",
                right_indent_chars=1,
                exact_pt=house.CELL_PITCH_PT,
                after_pt=6,
            ),
        ],
        span=span,
        valign="bottom",
    )


FRONT = [
    R([label("申报类别"), value("{{ category }}"), label("申报级别"), value("{{ level }}")], 9),
    R([label("单位(家庭)", "名称"), value("{{ name }}", 3)], 12),
    R(
        [
            label("单位类型"),
            value("{{ unit_type }}"),
            label("职工(家庭", "成员)人数"),
            value("{{ staff_count }}人"),
        ],
        12,
    ),
    R([label("主管部门"), value("{{ authority }}", 3)], 12),
    R([label("负责人", "(户主)", "及职务"), value("{{ leader }}", 3)], 16),
    R([label("地    址"), value("{{ address }}", 3)], 12),
    R([label("联 系 人"), value("{{ contact }}"), label("联系电话"), value("{{ phone }}")], 9),
    R([label("往届所获", "文明荣誉"), value('{{ prior_honours or "无" }}', 3)], 22),
]


def application(title: str) -> object:
    doc = house.new_document(title, form=True)
    house.form_heading(doc, unit_line=True)
    room = (
        house.FORM_TEXT_HEIGHT_MM - house.PAGE_SLACK_MM - house.HEADING_MM - sum(r.height_mm for r in FRONT)
    )
    deeds = R([label("创建工作", "主要成效"), house.text_block("deeds.first", 3)], room)
    house.add_table(doc, WIDTHS, [*FRONT, deeds])
    house._continuation(doc, TWO_COLUMNS, [("deeds", "创建工作\n主要成效", False)])
    # the back page: the 破格 reason, the self-check and the three signature/seal boxes, one table
    # whose rows never split, so no box parts from its label or from the others
    house.page_break(doc)
    back = [
        R([label("破格申报", "理由"), text_box("exception_reason", 1, empty="无")], EXCEPTION_MM),
        R([label("自检自查", "情况"), self_check_box(1)], SELF_CHECK_MM),
        R([label("申报单位", "意见"), sign_box(1, signer="负责人(签字):")], OPINION_MM),
        R([label("县(市)区", "文明办或", "主管部门", "推荐意见"), sign_box(1)], OPINION_MM),
        R([label("{{ issuer }}", "审核意见"), sign_box(1)], OPINION_MM),
    ]
    assert sum(r.height_mm for r in back) <= house.FORM_TEXT_HEIGHT_MM - house.PAGE_SLACK_MM
    house.add_table(doc, TWO_COLUMNS, back)
    house.add_paragraph(doc, house.HAIRLINE)
    return doc


# ---------------------------------------------------------------- 推荐报告 (report.docx)

LIST_WIDTHS = [12, 62, 30, 16, 36]  # 序号, 名称, 申报类别, 级别, 单位类型
LIST_COLUMNS = [
    ("序号", "{{ c.index }}", "center"),
    ("名    称", "{{ c.name }}", "left"),
    ("申报类别", "{{ c.category }}", "center"),
    ("级别", "{{ c.level }}", "center"),
    ("单位类型", "{{ c.unit_type }}", "center"),
]


def report(title: str) -> object:
    doc = house.new_document(title, form=False)
    body = {"size": house.REPORT_TEXT_PT, "exact_pt": 28.95}
    add = house.add_paragraph
    add(doc, P("{{ report_title }}", align="center", font=house.TITLE_FONT, size=house.TITLE_PT, exact_pt=32))
    add(doc, P("", **body))  # type: ignore[arg-type]
    add(doc, P("{{ addressee }}:", align="left", **body))  # type: ignore[arg-type]
    add(doc, P("{%p for s in sections %}", **body))  # type: ignore[arg-type]
    add(doc, P("{%p set last_part = loop.last %}", **body))  # type: ignore[arg-type]
    add(
        doc,
        P("{{ s.number }}、{{ s.heading }}", font=house.HEADING_FONT, indent_chars=2, keep_next=True, **body),
    )  # type: ignore[arg-type]
    add(doc, P("{%p for para in s.paragraphs %}", **body))  # type: ignore[arg-type]
    # The report's last paragraph (its last two lines at least, widow control) keeps with the
    # 附件说明 and the 落款, so the 落款 never stands alone on a page. The template does this
    # itself: the 附件 follows the 落款, and export's keep_signature works from the body's end.
    add(doc, P("{%p if last_part and loop.last %}", **body))  # type: ignore[arg-type]
    add(doc, P("{{ para }}", align="both", indent_chars=2, widow_control=True, keep_next=True, **body))  # type: ignore[arg-type]
    add(doc, P("{%p else %}", **body))  # type: ignore[arg-type]
    add(doc, P("{{ para }}", align="both", indent_chars=2, widow_control=True, **body))  # type: ignore[arg-type]
    add(doc, P("{%p endif %}", **body))  # type: ignore[arg-type]
    add(doc, P("{%p endfor %}", **body))  # type: ignore[arg-type]
    add(doc, P("{%p endfor %}", **body))  # type: ignore[arg-type]
    # GB/T 9704: the 附件说明 after a blank line, two characters in, a long name wrapping under
    # itself (after "附件:")
    add(doc, P("", keep_next=True, **body))  # type: ignore[arg-type]
    note = add(doc, P("附件:{{ summary_title }}", align="left", keep_next=True, **body))  # type: ignore[arg-type]
    em = house.REPORT_TEXT_PT * 20
    ind = note._p.get_or_add_pPr().get_or_add_ind()
    for attr, chars in (("left", 5), ("hanging", 3)):
        ind.set(house.qn(f"w:{attr}Chars"), str(chars * 100))
        ind.set(house.qn(f"w:{attr}"), str(chars * em))
    for text in ("", "{{ unit_name }}"):
        add(doc, P(text, align="right", right_indent_chars=4, keep_next=True, **body))  # type: ignore[arg-type]
    add(doc, P("{{ report_date }}", align="right", right_indent_chars=4, **body))  # type: ignore[arg-type]
    # the 附件: the 推荐名单, on a page of its own, its column headings repeated on every page
    add(doc, P("附件", font=house.HEADING_FONT, page_break_before=True, **body))  # type: ignore[arg-type]
    add(
        doc,
        P(
            "{{ summary_title }}",
            align="center",
            font=house.TITLE_FONT,
            size=house.TITLE_PT,
            exact_pt=32,
            after_pt=12,
        ),
    )
    rows = [
        R([label(head) for head, _v, _a in LIST_COLUMNS], 10, header=True),
        house.jinja_row("{%tr for c in collectives %}", len(LIST_COLUMNS)),
        R([house.member_value(v, align=a) for _h, v, a in LIST_COLUMNS], 10, rule="atLeast"),
        house.jinja_row("{%tr endfor %}", len(LIST_COLUMNS)),
    ]
    house.add_table(doc, LIST_WIDTHS, rows)
    add(doc, house.HAIRLINE)
    house._page_numbers(doc)
    return doc


# ---------------------------------------------------------------- 推荐名单 (list.xlsx)

XLSX_BODY_FONT, XLSX_HEAD_FONT, XLSX_SECTION_FONT = "仿宋_GB2312", "宋体", "黑体"
XLSX_PT, XLSX_ROW_PT = 11, 18
# (heading, placeholder, width in characters, left-aligned): the campaign's collective_fields, with
# 序号 first and 备注 last; A4 landscape, one page wide
LIST_SHEET = [
    ("序号", "{{ c.index }}", 6, False),
    ("名称", "{{ c.name }}", 28, True),
    ("申报类别", "{{ c.category }}", 14, False),
    ("申报级别", "{{ c.level }}", 9, False),
    ("单位类型", "{{ c.unit_type }}", 13, False),
    ("负责人(户主)及职务", "{{ c.leader }}", 22, True),
    ("往届所获文明荣誉", "{{ c.prior_honours }}", 28, True),
    ("联系人", "{{ c.contact }}", 10, False),
    ("联系电话", "{{ c.phone }}", 18, False),  # an 0453-… number on one line
    ("备注", "{{ c.note }}", 12, True),
]
HEADER_LINE = (
    "推荐单位(盖章):{{ unit_name }}      联系人:{{ contact }}      "
    "联系电话:{{ phone }}      填报日期:{{ fill_date }}"
)
TOTALS = "共推荐{{ collective_label }} {{ collective_count }} 个。"
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _banner(ws: Worksheet, row: int, text: str, *, size: float, font: str, bold: bool = False,
            align: str = "left", height: float = 20) -> None:  # fmt: skip
    cell = ws.cell(row, 1, text)
    cell.font = Font(name=font, size=size, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(LIST_SHEET))
    ws.row_dimensions[row].height = height


def _boxed_row(ws: Worksheet, row: int, texts: list[tuple[str, bool]], *, heading: bool) -> None:
    for col, (text, left) in enumerate(texts, start=1):
        cell = ws.cell(row, col, text)
        cell.font = Font(name=XLSX_HEAD_FONT if heading else XLSX_BODY_FONT, size=XLSX_PT, bold=heading)
        cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
        cell.border = _BOX
        if not heading:
            cell.number_format = "@"  # text: what a clerk types over a value stays text as well
    ws.row_dimensions[row].height = XLSX_ROW_PT + (2 if heading else 0)


def list_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "推荐名单"
    for n, (_h, _v, width, _left) in enumerate(LIST_SHEET, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    _banner(ws, 1, "{{ attachment }}", size=14, font=XLSX_SECTION_FONT, bold=True, height=18)
    _banner(ws, 2, "{{ form_title }}", size=18, font=XLSX_HEAD_FONT, bold=True, align="center", height=28)
    _banner(ws, 3, HEADER_LINE, size=12, font=XLSX_BODY_FONT)
    _boxed_row(ws, 4, [(head, False) for head, _v, _w, _left in LIST_SHEET], heading=True)
    _boxed_row(ws, 5, [(placeholder, left) for _h, placeholder, _w, left in LIST_SHEET], heading=False)
    _banner(ws, 6, TOTALS, size=12, font=XLSX_BODY_FONT)
    sheet.print_setup(
        wb,
        ws,
        columns=len(LIST_SHEET),
        rows=6,
        title="推荐名单(模板)",
        font=XLSX_HEAD_FONT,
        date=CONSTANT_DATE,
    )
    return wb


def build(folder: Path) -> list[Path]:
    """Write the three templates into `folder` (the same bytes every time)."""
    forms = campaign()["forms"]
    docs = {
        "report": report(forms["report"]["title"]),
        "application": application(forms["application"]["title"]),
    }
    written = []
    for key, doc in docs.items():
        path = folder / f"{key}.docx"
        house._deterministic_save(doc, path)
        written.append(path)
    path = folder / "list.xlsx"
    path.write_bytes(sheet.deterministic_bytes(list_workbook(), CONSTANT_DATE))
    return [*written, path]


def main() -> None:
    for path in build(FORMS):
        print(path)


if __name__ == "__main__":
    main()
