"""The Word templates in forms/: which placeholders each may use, and checking them on load.

A clerk may edit a template in Word. When it is loaded, every placeholder it uses is compared
with the fields this program fills for that template: a required field that is missing, or a
name (or a loop item's attribute such as `m.nmae`) that the program does not know, stops the
export with a message naming the file and the placeholder — before anything is printed.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, nodes

from nominator.errors import UserError
from nominator.paths import forms_dir

# Fields every document may use.
COMMON_FIELDS = frozenset({"attachment", "form_title", "unit_name", "fill_date", "stage_name"})

COLLECTIVE_FIELDS = frozenset(
    {
        "index", "name", "level", "nature", "leader", "staff_count", "contact", "phone",
        "deeds_brief", "deeds_full", "honors", "publicity_period", "publicity_result",
    }
)  # fmt: skip

INDIVIDUAL_FIELDS = frozenset(
    {
        "index", "name", "gender", "ethnicity", "birth_month", "birth_date", "political_status",
        "education", "work_start", "unit_and_title", "rank", "level", "years_in_field", "phone",
        "assessments", "assessment_list", "resume", "deeds_brief", "deeds_full", "honors",
        "publicity_period", "publicity_result", "photo",
    }
)  # fmt: skip

REPORT_FIELDS = frozenset({"report_title", "addressee", "sections", "report_date"})

# List fields and the attributes of their items; text blocks iterate over plain strings.
LOOP_ITEMS: Mapping[str, frozenset[str]] = {
    "members": frozenset({"index", "name", "unit_and_title", "role", "phone"}),
    "assessment_list": frozenset({"year", "result"}),
    "sections": frozenset({"number", "heading", "paragraphs"}),
}

_COLLECTIVE_REQUIRED = {
    "name", "level", "nature", "leader", "staff_count", "contact", "phone", "honors",
    "publicity_period", "publicity_result",
}  # fmt: skip
_INDIVIDUAL_REQUIRED = {
    "name", "gender", "ethnicity", "birth_month", "political_status", "education", "work_start",
    "unit_and_title", "rank", "years_in_field", "assessments", "honors", "publicity_period",
    "publicity_result", "photo",
}  # fmt: skip


@dataclass(frozen=True)
class TemplateFields:
    """What a template must contain and what it may contain."""

    required: frozenset[str]
    known: frozenset[str]
    loops: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _fields(required: set[str], known: frozenset[str]) -> TemplateFields:
    return TemplateFields(
        required=frozenset(required),
        known=known | COMMON_FIELDS,
        loops={k: v for k, v in LOOP_ITEMS.items() if k in known},
    )


FIELDS: Mapping[str, TemplateFields] = {
    "report_initial": _fields({"report_title", "sections", "unit_name", "report_date"}, REPORT_FIELDS),
    "report_formal": _fields({"report_title", "sections", "unit_name", "report_date"}, REPORT_FIELDS),
    "form2": _fields(_COLLECTIVE_REQUIRED | {"deeds_brief"}, COLLECTIVE_FIELDS),
    "form5": _fields(_COLLECTIVE_REQUIRED | {"deeds_full"}, COLLECTIVE_FIELDS),
    "form7": _fields({"name", "unit_name"}, COLLECTIVE_FIELDS),
    "form3": _fields(_INDIVIDUAL_REQUIRED | {"deeds_brief"}, INDIVIDUAL_FIELDS),
    "form6": _fields(_INDIVIDUAL_REQUIRED | {"resume", "deeds_full"}, INDIVIDUAL_FIELDS),
    "form8": _fields({"name", "unit_and_title", "unit_name"}, INDIVIDUAL_FIELDS),
    "form9": _fields({"members"}, frozenset({"members"})),
}


def jinja_env() -> Environment:
    """The environment templates render in: data is escaped, an unknown name is an error."""
    return Environment(autoescape=True, undefined=StrictUndefined)


def template_path(form_key: str, forms: Path | None = None) -> Path:
    return (forms or forms_dir()) / f"{form_key}.docx"


@dataclass(frozen=True)
class LoadedTemplate:
    """A checked template's bytes; `fresh()` gives a DocxTemplate ready for one render."""

    form_key: str
    path: Path
    data: bytes

    def fresh(self) -> DocxTemplate:
        return DocxTemplate(io.BytesIO(self.data))


_checked: dict[tuple[str, str], None] = {}


def load_template(form_key: str, *, forms: Path | None = None) -> LoadedTemplate:
    """Read forms/<form_key>.docx and check its placeholders (once per distinct file content)."""
    if form_key not in FIELDS:
        raise UserError(f"没有名为“{form_key}”的文书模板。")
    path = template_path(form_key, forms)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(
            f"找不到模板“{path.name}”(应在 {path.parent} 中)。请恢复该文件或重新安装推荐材料助手。"
        ) from None
    except OSError as exc:
        raise UserError(f"无法读取模板“{path.name}”:{exc.strerror}。请关闭正在编辑它的程序后重试。") from None
    key = (form_key, hashlib.sha256(data).hexdigest())
    if key not in _checked:
        problems = check_template(form_key, data, path.name)
        if problems:
            raise UserError(
                "\n".join(problems) + "\n请对照 forms/README.md 中的占位符清单修改模板,或恢复原始模板。"
            )
        _checked[key] = None
    return LoadedTemplate(form_key, path, data)


def check_template(form_key: str, data: bytes, file_name: str) -> list[str]:
    """Chinese messages, one per broken placeholder; empty when the template is usable."""
    fields = FIELDS[form_key]
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        used = tpl.get_undeclared_template_variables(jinja_env=jinja_env())
        source = _template_source(tpl)
        tree = jinja_env().parse(source)
    except TemplateSyntaxError as exc:
        return [f"模板“{file_name}”中的占位符写法有误({exc.message}),请检查 {{{{ }}}} 与 {{% %}} 是否成对。"]
    except Exception as exc:  # a damaged or non-Word file: python-docx/zipfile raise many kinds
        return [f"模板“{file_name}”无法打开({type(exc).__name__}),请确认它是 Word 文档(.docx)。"]
    problems = [f"模板“{file_name}”缺少占位符 {{{{ {name} }}}}" for name in sorted(fields.required - used)]
    problems += [
        f"模板“{file_name}”中的占位符 {{{{ {name} }}}} 无法识别" for name in sorted(used - fields.known)
    ]
    for loop_var, item, attr in _loop_attributes(tree, fields.loops):
        problems.append(
            f"模板“{file_name}”中的占位符 {{{{ {item}.{attr} }}}} 无法识别({loop_var} 中没有 {attr})"
        )
    return problems


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
