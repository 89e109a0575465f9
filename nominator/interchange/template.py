"""The Excel import template: which sheets and columns it holds (from the campaign's kinds and
fields), and writing the empty template a clerk fills in Excel or WPS (`write_template`).
Reading a filled one is intake.py."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nominator.campaign import Campaign, FieldSpec, KindSpec, rows_years
from nominator.domain.checks import phone_example
from nominator.domain.model import NOMINEE_KINDS
from nominator.errors import UserError
from nominator.files import write_atomically
from nominator.store.session import Kind

TEMPLATE_ID = "nominator-intake-1"
INSTRUCTIONS_SHEET = "填写说明"
LISTS_SHEET = "下拉选项"
TEMPLATE_ROWS = 1000  # rows prepared with dropdowns and formats; more can be added by copying
YES, NO = "是", "否"

_HEAD_FONT = Font(name="宋体", size=11, bold=True)
_REQUIRED_FONT = Font(name="宋体", size=11, bold=True, color="C00000")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


# ---- what the template holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet: where its value goes in the record and how a cell is read."""

    key: str  # a field's id, or "assessments.2029" (a rows field's year), "attestations.no_sanction",
    # "publicity.unit.start", "category", "level"
    header: str
    kind: str  # text | choice | multi (several choices, 、 between) | date | month | count | yesno
    width: int = 14
    choices: tuple[str, ...] = ()
    required: bool = False
    hint: str = ""  # the input message shown when the cell is selected
    comment: str = ""  # the header's comment (attestations: the campaign's wording)


@dataclass(frozen=True)
class SheetSpec:
    kind: Kind
    title: str
    noun: str  # for messages: 先进集体 / 先进个人 / 工作机构成员
    columns: tuple[Column, ...]
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # column key → {label: what is kept}

    @property
    def key_column(self) -> Column:
        return self.columns[0]

    @cached_property
    def positions(self) -> dict[str, int]:
        """Column key → its place in the sheet spec (sorting by `columns.index` compares whole
        dataclasses: seconds for a few thousand rows)."""
        return {column.key: n for n, column in enumerate(self.columns)}


def _publicity_columns(campaign: Campaign) -> list[Column]:
    columns = []
    for level in campaign.publicity.levels.values():
        columns += [
            Column(f"publicity.{level.key}.start", f"{level.label}开始日期", "date", 14),
            Column(f"publicity.{level.key}.end", f"{level.label}结束日期", "date", 14),
            Column(f"publicity.{level.key}.result", f"{level.label}结果", "text", 12, hint="例如:无异议"),
        ]
    return columns


def _attestation_columns(wording: dict[str, str]) -> list[Column]:
    return [
        Column(
            f"attestations.{key}",
            text,
            "yesno",
            18,
            (YES, NO),
            comment=f"承诺事项:{text}。\n符合的填“是”,不符合的填“否”。",
        )
        for key, text in wording.items()
    ]


# The campaign's field types → how a cell is read, and a sensible column width.
_CELL_KINDS = {"line": "text", "text": "text", "choice": "choice", "multichoice": "multi", "date": "date",
               "month": "month", "number": "count", "check": "yesno"}  # fmt: skip
_WIDTHS = {"line": 18, "text": 40, "choice": 12, "multichoice": 24, "date": 12, "month": 12, "number": 10,
           "check": 14}  # fmt: skip


def _field_column(field: FieldSpec, kind: KindSpec, phone_example: str, limits: dict[str, int]) -> Column:
    first = field is kind.fields()[0]
    if first:
        hint = f"每行一{kind.measure}{kind.label}。"
    elif field.id == "phone":
        hint = (
            f"固定电话带区号(如 {phone_example})或11位手机号。"
            if phone_example
            else "固定电话带区号或11位手机号。"
        )
    elif field.type == "number":
        hint = f"填写整数,例如 {field.example or 5}。"
    elif field.example and field.type in ("line", "text"):
        hint = f"例如:{field.example}"
    else:
        hint = ""
    width = _WIDTHS[field.type]
    limit = limits.get(field.limit) if field.limit else None
    if field.type == "line":  # as wide as its limit suggests: 60 characters → 36
        width = max(10, min(36, round(limit * 0.6))) if limit else (16 if field.id == "phone" else 12)
    choices = (YES, NO) if field.type == "check" else field.choices
    header = field.header if field.type != "check" or field.column else f"是否{field.label}"
    return Column(field.id, header, _CELL_KINDS[field.type], width, choices, required=first, hint=hint)


def sheet_specs(campaign: Campaign) -> tuple[SheetSpec, ...]:
    """A data sheet per nominee kind and for the members, made from the campaign's kinds: each
    field a column (a rows field a column per year its rule asks about), the category and level
    after the name where the kind has them, then the attestations and the publicity."""
    phone = phone_example(campaign)
    specs = []
    for key in [*(k for k in NOMINEE_KINDS if k in campaign.kinds), "member"]:
        kind = campaign.kinds.get(key)
        if kind is None:
            continue
        columns: list[Column] = []
        codes: dict[str, dict[str, str]] = {}
        for f in kind.fields():
            if f.type == "rows":
                columns += _rows_columns(f, campaign)
            elif f.type != "photo":
                columns.append(_field_column(f, kind, phone, campaign.limits))
            if kind.categories and f is kind.fields()[0]:
                labels = {c.label: c.id for c in kind.categories}
                codes["category"] = labels
                levels = tuple(
                    dict.fromkeys(level for c in kind.categories for level in kind.levels_of(c.id))
                )
                columns.append(Column("category", "类别", "choice", 14, tuple(labels), required=True))
                if levels:
                    columns.append(Column("level", "级别", "choice", 8, levels, required=True))
        if key in NOMINEE_KINDS:
            columns += [*_attestation_columns(kind.attestations), *_publicity_columns(campaign)]
        specs.append(SheetSpec(key, kind.label, kind.label, tuple(columns), codes))  # type: ignore[arg-type]
    return tuple(specs)


def _rows_columns(f: FieldSpec, campaign: Campaign) -> list[Column]:
    """A rows field (近三年考核): a column per year a `rows_in` rule asks about."""
    years = rows_years(campaign.rules, f.id)
    return [Column(f"{f.id}.{year}", f"{year}{f.label}", "choice", 12, f.choices) for year in years]


# ---- writing the template -------------------------------------------------------------------

_DATE_HINT = "请按“YYYY-MM-DD”填写,例如 1986-03-14。"
_MONTH_HINT = "请按“YYYY-MM”填写,例如 2008-07。"


def write_template(path: Path, campaign: Campaign) -> None:
    """Write the empty import template (.xlsx) atomically: a whole file or none."""
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"导入模板应保存为 .xlsx 文件,当前为“{path.name}”。")
    if not path.parent.is_dir():
        raise UserError(f"文件夹“{path.parent}”不存在。请先创建它或换一个位置。")
    buffer = io.BytesIO()
    build_template(campaign).save(buffer)
    write_atomically(path, buffer.getvalue(), suffix=".xlsx")


def build_template(campaign: Campaign) -> Workbook:
    specs = sheet_specs(campaign)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = INSTRUCTIONS_SHEET
    lists = _write_lists(wb, specs)
    for spec in specs:
        _write_data_sheet(wb.create_sheet(spec.title), spec, lists)
    _write_instructions(guide, campaign, specs)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb[LISTS_SHEET].sheet_state = "hidden"
    wb.active = 0
    wb.properties.creator = "推荐材料助手"
    wb.properties.title = f"{campaign.short_title}推荐材料导入模板"
    wb.properties.subject = campaign.id
    wb.properties.keywords = TEMPLATE_ID
    return wb


def _write_lists(wb: Workbook, specs: Iterable[SheetSpec]) -> dict[tuple[str, ...], str]:
    """Every dropdown's choices in a column of a hidden sheet; returns choices → range reference.

    Inline lists are capped at 255 characters (the 56 民族 do not fit) and break on commas,
    so every dropdown refers to a range instead.
    """
    ws = wb.create_sheet(LISTS_SHEET)
    refs: dict[tuple[str, ...], str] = {}
    for spec in specs:
        for column in spec.columns:
            if not column.choices or column.choices in refs:
                continue
            col = len(refs) + 1
            letter = get_column_letter(col)
            ws.cell(1, col, column.header)
            for n, choice in enumerate(column.choices, start=2):
                ws.cell(n, col, choice)
            refs[column.choices] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"
    return refs


def _write_data_sheet(ws: Worksheet, spec: SheetSpec, lists: dict[tuple[str, ...], str]) -> None:
    last = TEMPLATE_ROWS + 1
    tallest = 1
    for n, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(n)
        cell = ws.cell(1, n, column.header)
        cell.font = _REQUIRED_FONT if column.required else _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        tallest = max(tallest, -(-len(column.header) * 2 // max(column.width - 1, 1)))
        ws.column_dimensions[letter].width = column.width
        if column.kind in ("text", "date", "month", "choice", "multi"):
            # typed as text: 024-… keeps its zero, 1986-03-14 is not turned into a number
            ws.column_dimensions[letter].number_format = "@"
        if column.comment or column.required:
            note = column.comment or f"必填。{column.hint}"
            comment = Comment(note, "推荐材料助手")
            comment.width, comment.height = 240, 110
            cell.comment = comment
        validation = _validation(column, lists)
        validation.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(validation)
    ws.row_dimensions[1].height = max(30, 15 * tallest + 6)
    ws.freeze_panes = "B2"  # the header row and the name stay in view


def _validation(column: Column, lists: dict[tuple[str, ...], str]) -> DataValidation:
    title = column.header[:32]
    if column.kind == "multi":
        prompt = f"可选一项或多项,多项之间用“、”分隔:{'、'.join(column.choices)}"
        dv = DataValidation(allow_blank=True)  # a list rule would allow one item only
    elif column.choices:
        prompt = column.hint or "请从下拉列表中选择。"
        dv = DataValidation(type="list", formula1=lists[column.choices], allow_blank=True)
        dv.error = f"请从下拉列表中选择{column.header}。"
        dv.errorTitle = "填写有误"
        dv.showErrorMessage = True
    elif column.kind == "count":
        prompt = column.hint
        dv = DataValidation(
            type="whole", operator="between", formula1="0", formula2="100000", allow_blank=True
        )
        dv.error = "请填写不小于0的整数。"
        dv.errorTitle = "填写有误"
        dv.showErrorMessage = True
    else:
        prompt = {"date": _DATE_HINT, "month": _MONTH_HINT}.get(column.kind, column.hint)
        dv = DataValidation(allow_blank=True)  # no rule: only the input message
    dv.promptTitle = title
    dv.prompt = prompt[:255]
    dv.showInputMessage = bool(prompt)
    return dv


def _write_instructions(ws: Worksheet, campaign: Campaign, specs: Iterable[SheetSpec]) -> None:
    specs = list(specs)
    sheets = "".join(f"“{spec.title}”" for spec in specs)
    months = (
        "、".join(
            dict.fromkeys(
                f.label for kind in campaign.kinds.values() for f in kind.fields() if f.type == "month"
            )
        )
        or "年月"
    )
    lines = [
        f"{campaign.title} 推荐材料导入模板",
        "",
        f"1. 在{sheets}三张工作表中,每行填写一条记录;不需要的工作表留空即可。",
        "2. 请不要修改、删除或调换第一行的列名,也不要改工作表名称,否则无法导入。",
        f"3. 带下拉箭头的栏目请从列表中选择;日期填“YYYY-MM-DD”(如 1986-03-14),{months}填“YYYY-MM”(如 2008-07)。",
        "4. 承诺事项各列填“是”或“否”,完整内容见列名上的批注。",
        "5. 红色列名为必填项;其他栏目可以先空着,导入后在程序中补填,检查时会提示还缺什么。",
        "6. 请直接填写内容,不要使用公式。导入时会逐行检查,有误的单元格会列出行号和列名,改正后可再次导入。",
        "7. 照片不在此表中填写:导入后用“按文件夹匹配照片”,照片文件名为“姓名-出生日期.jpg”,如“张某某-19660101.jpg”。",
        "",
    ]
    for n, text in enumerate(lines, start=1):
        ws.cell(n, 1, text).alignment = Alignment(vertical="center", wrap_text=True)
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=4)  # one line across the table
    ws.cell(1, 1).font = Font(name="黑体", size=14, bold=True)
    row = len(lines) + 1
    for n, head in enumerate(("工作表", "列名", "是否必填", "填写要求"), start=1):
        cell = ws.cell(row, n, head)
        cell.font = _HEAD_FONT
        cell.fill = _HEAD_FILL
        cell.border = _BOX
    for spec in specs:
        for column in spec.columns:
            row += 1
            values = (spec.title, column.header, "必填" if column.required else "", _requirement(column))
            for n, value in enumerate(values, start=1):
                cell = ws.cell(row, n, value)
                cell.border = _BOX
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.cell(row + 2, 1, f"模板标识:{TEMPLATE_ID} / {campaign.id}")
    for letter, width in zip("ABCD", (14, 40, 10, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _requirement(column: Column) -> str:
    if column.kind == "multi":
        return f"可选一项或多项,用“、”分隔:{'、'.join(column.choices)}。"
    if column.kind == "yesno":
        return f"填“是”或“否”。{column.comment.split(chr(10))[0] if column.comment else ''}"
    if column.choices:
        if len(column.choices) > 15:
            return f"从下拉列表中选择(共{len(column.choices)}项,如“{column.choices[0]}”)。"
        return f"从下拉列表中选择:{'、'.join(column.choices)}。"
    if column.kind == "date":
        return _DATE_HINT
    if column.kind == "month":
        return _MONTH_HINT
    if column.kind == "count":
        return column.hint or "填写整数。"
    return column.hint or "文字。"
