"""The templates in forms/: which placeholders each may use, and checking them on load.

A clerk may edit a template in Word (or, for 附件4, in Excel/WPS). When it is loaded, every
placeholder it uses is compared with the fields this program fills for that template: a required
field that is missing, or a name (or a loop item's attribute such as `m.nmae`) that the program
does not know, stops the export with a message naming the file and the placeholder — before
anything is printed.

Word templates (.docx) are docxtpl/Jinja2 templates. The Excel template (form4.xlsx) is a plain
workbook: `{{ name }}` in a cell is replaced by text, nothing is evaluated; the one row holding
`{{ c.… }}` is the sample row repeated for every collective, the one holding `{{ p.… }}` the
sample row for every individual (see `sheet_fields`, `load_sheet_template`).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, nodes
from openpyxl import load_workbook

from nominator.campaign import Campaign, FormSpec
from nominator.errors import UserError
from nominator.export.placeholders import (
    COMMON_FIELDS,
    REPORT_FIELDS,
    ROW_ITEMS,
    SampleRow,
    SheetFields,
    TemplateFields,
    missing,
    sheet_fields,
    template_fields,
)


def jinja_env() -> Environment:
    """The environment templates render in: data is escaped, an unknown name is an error."""
    return Environment(autoescape=True, undefined=StrictUndefined)


def template_path(form_key: str, forms: Path, *, suffix: str = ".docx") -> Path:
    return forms / f"{form_key}{suffix}"


@dataclass(frozen=True)
class LoadedTemplate:
    """A checked template's bytes; `fresh()` gives a DocxTemplate ready for one render."""

    form_key: str
    path: Path
    data: bytes

    def fresh(self) -> DocxTemplate:
        return DocxTemplate(io.BytesIO(self.data))


_checked: dict[tuple[str, str], None] = {}


def load_template(spec: FormSpec, campaign: Campaign, *, forms: Path) -> LoadedTemplate:
    """Read forms/<id>/<form key>.docx and check its placeholders (once per distinct content)."""
    if spec.kind != "docx":
        raise UserError(f"“{spec.key}”不是 Word 文书模板。")
    path = template_path(spec.key, forms)
    data = _read(path)
    key = (repr(template_fields(spec, campaign)), hashlib.sha256(data).hexdigest())
    if key not in _checked:
        _raise_if(check_template(spec, campaign, data, path.name))
        _checked[key] = None
    return LoadedTemplate(spec.key, path, data)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(
            f"找不到模板“{path.name}”(应在 {path.parent} 中)。请恢复该文件或重新安装推荐材料助手。"
        ) from None
    except OSError as exc:
        raise UserError(f"无法读取模板“{path.name}”:{exc.strerror}。请关闭正在编辑它的程序后重试。") from None


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise UserError(
            "\n".join(problems) + "\n请对照 forms/README.md 中的占位符清单修改模板,或恢复原始模板。"
        )


def check_template(spec: FormSpec, campaign: Campaign, data: bytes, file_name: str) -> list[str]:
    """Chinese messages, one per broken placeholder; empty when the template is usable."""
    fields = template_fields(spec, campaign)
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        used = tpl.get_undeclared_template_variables(jinja_env=jinja_env())
        source = _template_source(tpl)
        tree = jinja_env().parse(source)
    except TemplateSyntaxError as exc:
        return [f"模板“{file_name}”中的占位符写法有误({exc.message}),请检查 {{{{ }}}} 与 {{% %}} 是否成对。"]
    except Exception as exc:  # a damaged or non-Word file: python-docx/zipfile raise many kinds
        return [f"模板“{file_name}”无法打开({type(exc).__name__}),请确认它是 Word 文档(.docx)。"]
    problems = [f"模板“{file_name}”缺少占位符 {need}" for need in missing(fields.required, used)]
    problems += [
        f"模板“{file_name}”中的占位符 {{{{ {name} }}}} 无法识别" for name in sorted(used - fields.known)
    ]
    for loop_var, item, attr in _loop_attributes(tree, fields.loops):
        problems.append(
            f"模板“{file_name}”中的占位符 {{{{ {item}.{attr} }}}} 无法识别({loop_var} 中没有 {attr})"
        )
    for name in sorted(set(_FIRST_PART.findall(source)) - set(_MORE_PART.findall(source))):
        problems.append(
            f"模板“{file_name}”用 {{{{ {name}.first }}}} 排了第一页能容纳的部分,却没有续页行 "
            f"{{{{ {name}.more }}}}:超出的文字会丢失。请加上“(续)”行,或改用 {{{{ {name} }}}}。"
        )
    return problems


# A text box that holds only what fits (`deeds_full.first`) needs its "(续)" rows (`.more`).
_FIRST_PART = re.compile(r"\b(\w+)\.first\b")
_MORE_PART = re.compile(r"\b(\w+)\.more\b")


def _template_source(tpl: DocxTemplate) -> str:
    """The Jinja source of body, headers and footers, as docxtpl renders it."""
    tpl.init_docx()
    xml = tpl.patch_xml(tpl.get_xml())
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _key, part in tpl.get_headers_footers(uri):
            xml += tpl.patch_xml(tpl.get_part_xml(part))
    return str(xml)


def _loop_attributes(
    tree: nodes.Template, loops: Mapping[str, frozenset[str]]
) -> Iterator[tuple[str, str, str]]:
    """(list field, loop variable, attribute) for each `{{ item.attr }}` whose attr is unknown."""
    for loop in tree.find_all(nodes.For):
        if not (isinstance(loop.iter, nodes.Name) and isinstance(loop.target, nodes.Name)):
            continue
        allowed = loops.get(loop.iter.name)
        if allowed is None:
            continue
        item = loop.target.name
        seen: set[str] = set()
        for body_node in loop.body:
            for getattr_node in body_node.find_all(nodes.Getattr):
                target = getattr_node.node
                if isinstance(target, nodes.Name) and target.name == item:
                    attr = getattr_node.attr
                    if attr not in allowed and attr not in seen:
                        seen.add(attr)
                        yield loop.iter.name, item, attr


# ---------------------------------------------------------------- the Excel template (附件4)

# `{{ name }}` or `{{ c.name }}` in a cell; anything else between braces is reported.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*\}\}")
_BRACES = re.compile(r"\{\{(.*?)\}\}")


@dataclass(frozen=True)
class LoadedSheet:
    """A checked workbook template's bytes and its sample rows (item → 1-based row number)."""

    form_key: str
    path: Path
    data: bytes
    sample_rows: Mapping[str, int]

    def fresh(self) -> Any:
        """A new openpyxl Workbook of the template, for one render."""
        return open_workbook(self.data)


def open_workbook(data: bytes) -> Any:
    # Excel/WPS write extensions openpyxl does not read (and says so); the template still loads.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_workbook(io.BytesIO(data))


_sheets_checked: dict[tuple[str, str], Mapping[str, int]] = {}


def load_sheet_template(spec: FormSpec, campaign: Campaign, *, forms: Path) -> LoadedSheet:
    """Read forms/<id>/<form key>.xlsx and check its placeholders and sample rows (once per content)."""
    if spec.kind != "xlsx":
        raise UserError(f"“{spec.key}”不是 Excel 表格模板。")
    path = template_path(spec.key, forms, suffix=".xlsx")
    data = _read(path)
    fields = sheet_fields(campaign)
    key = (repr(fields), hashlib.sha256(data).hexdigest())
    if key not in _sheets_checked:
        problems, rows = check_sheet_template(fields, data, path.name)
        _raise_if(problems)
        _sheets_checked[key] = rows
    return LoadedSheet(spec.key, path, data, _sheets_checked[key])


def check_sheet_template(
    fields: SheetFields, data: bytes, file_name: str
) -> tuple[list[str], dict[str, int]]:
    """(Chinese messages, sample rows): no messages when the template is usable."""
    try:
        ws = open_workbook(data).worksheets[0]
    except Exception as exc:  # not a zip, not a workbook, damaged: openpyxl raises many kinds
        return [f"模板“{file_name}”无法打开({type(exc).__name__}),请确认它是 Excel 工作簿(.xlsx)。"], {}
    return scan_sheet(ws, fields, file_name)


def scan_sheet(ws: Any, fields: SheetFields, file_name: str) -> tuple[list[str], dict[str, int]]:
    """Check every placeholder in the sheet's cells; find the sample row of each loop item."""
    problems: list[str] = []
    used: set[str] = set()
    item_rows: dict[str, list[int]] = {item: [] for item in fields.rows}
    item_used: dict[str, set[str]] = {item: set() for item in fields.rows}
    unknown: set[str] = set()
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or ("{" not in cell.value and "}" not in cell.value):
                continue
            text = cell.value
            rest = PLACEHOLDER.sub("", text)
            for bad in _BRACES.findall(rest):
                problems.append(
                    f"模板“{file_name}”中的占位符 {{{{{bad}}}}} 无法识别(单元格 {cell.coordinate})"
                )
            leftover = _BRACES.sub("", rest)
            if "{{" in leftover or "}}" in leftover or "{%" in leftover:
                problems.append(
                    f"模板“{file_name}”单元格 {cell.coordinate} 中的占位符写法有误,请检查 {{{{ }}}} 是否成对。"
                )
            for name in PLACEHOLDER.findall(text):
                item, dot, attr = name.partition(".")
                if not dot:
                    if name in fields.known:
                        used.add(name)
                    elif name not in unknown:
                        unknown.add(name)
                        problems.append(
                            f"模板“{file_name}”中的占位符 {{{{ {name} }}}} 无法识别(单元格 {cell.coordinate})"
                        )
                    continue
                sample = fields.rows.get(item)
                if sample is None or attr not in sample.known:
                    if name not in unknown:
                        unknown.add(name)
                        problems.append(
                            f"模板“{file_name}”中的占位符 {{{{ {name} }}}} 无法识别(单元格 {cell.coordinate})"
                        )
                    continue
                item_used[item].add(attr)
                if cell.row not in item_rows[item]:
                    item_rows[item].append(cell.row)
    problems += [f"模板“{file_name}”缺少占位符 {need}" for need in missing(fields.required, used)]
    sample_rows: dict[str, int] = {}
    for item, sample in fields.rows.items():
        rows = item_rows[item]
        if not rows:
            problems.append(
                f"模板“{file_name}”缺少{sample.label}的样例行:应有一行含 {{{{ {item}.name }}}} 等占位符,"
                f"每个{sample.label}按这一行的格式填一行。"
            )
            continue
        if len(rows) > 1:
            listed = "、".join(str(r) for r in sorted(rows))
            problems.append(
                f"模板“{file_name}”第 {listed} 行都含 {{{{ {item}.… }}}} 占位符,{sample.label}只能有一行样例行。"
            )
            continue
        sample_rows[item] = rows[0]
        problems += [
            f"模板“{file_name}”缺少占位符 {need}"
            for need in missing(
                {"|".join(f"{item}.{a}" for a in r.split("|")) for r in sample.required},
                {f"{item}.{a}" for a in item_used[item]},
            )
        ]
    by_row: dict[int, str] = {}
    for item, row_number in sample_rows.items():
        if row_number in by_row:
            problems.append(
                f"模板“{file_name}”第 {row_number} 行同时含 {{{{ {by_row[row_number]}.… }}}} 和 {{{{ {item}.… }}}},"
                "两类样例行应各占一行。"
            )
        by_row[row_number] = item
    for merged in sorted(ws.merged_cells.ranges, key=lambda m: m.bounds):
        if merged.min_row == merged.max_row:
            continue
        for row_number in by_row:
            if merged.min_row <= row_number <= merged.max_row:
                problems.append(
                    f"模板“{file_name}”的样例行(第 {row_number} 行)与其他行合并了单元格 {merged.coord},"
                    "样例行只能在本行内合并。"
                )
    return problems, sample_rows


def check_campaign_templates(campaign: Campaign) -> list[str]:
    """Every form of the campaign has its template, and each template's placeholders match the
    fields the campaign says the form prints. Chinese messages; empty when all is well."""
    if not campaign.forms_dir.is_dir():
        return [
            f"找不到活动“{campaign.id}”的表格模板文件夹“{campaign.forms_dir}”,请把模板放在 forms/{campaign.id}/ 中。"
        ]
    problems: list[str] = []
    used = {key for stage in campaign.stages.values() for key in stage.forms}
    for key in sorted(used):
        spec = campaign.forms[key]
        path = template_path(spec.key, campaign.forms_dir, suffix=f".{spec.kind}")
        if not path.is_file():
            problems.append(
                f"活动“{campaign.id}”缺少表格“{spec.title_for('')}”的模板文件 {path.name}(应在 {campaign.forms_dir} 中)。"
            )
            continue
        data = path.read_bytes()
        if spec.kind == "docx":
            problems += check_template(spec, campaign, data, path.name)
        else:
            problems += check_sheet_template(sheet_fields(campaign), data, path.name)[0]
    return problems + paper_problems(campaign)


def paper_problems(campaign: Campaign) -> list[str]:
    """A Word template laid out for another paper than the campaign's ([print] paper) is named."""
    import zipfile

    want = campaign.printing.paper_mm
    problems = []
    for key in sorted({k for stage in campaign.stages.values() for k in stage.forms}):
        spec = campaign.forms[key]
        path = template_path(spec.key, campaign.forms_dir, suffix=f".{spec.kind}")
        if spec.kind != "docx" or not path.is_file():
            continue
        try:
            xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
        except (zipfile.BadZipFile, KeyError, OSError):
            continue  # check_template names a damaged file
        for w, h in re.findall(r'<w:pgSz\b[^>]*?w:w="(\d+)"[^>]*?w:h="(\d+)"', xml):
            size = sorted((int(w) / 56.6929, int(h) / 56.6929))  # twips → mm
            if abs(size[0] - want[0]) > 2 or abs(size[1] - want[1]) > 2:
                problems.append(
                    f"模板“{path.name}”的纸张是 {size[0]:.0f}×{size[1]:.0f} 毫米,"
                    f"活动要求 {campaign.printing.paper}({want[0]:g}×{want[1]:g} 毫米):请在 Word 中改“纸张大小”后保存。"
                )
                break
    return problems


__all__ = [
    "COMMON_FIELDS",
    "PLACEHOLDER",
    "REPORT_FIELDS",
    "ROW_ITEMS",
    "LoadedSheet",
    "LoadedTemplate",
    "SampleRow",
    "SheetFields",
    "TemplateFields",
    "check_campaign_templates",
    "check_sheet_template",
    "check_template",
    "jinja_env",
    "load_sheet_template",
    "load_template",
    "open_workbook",
    "paper_problems",
    "scan_sheet",
    "sheet_fields",
    "template_fields",
    "template_path",
]
