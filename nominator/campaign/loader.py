"""Reading a campaign file: TOML text → a checked `Campaign`, or one Chinese message.

A campaign file comes from a provincial office, a colleague or the clerk's own editing, so every
value is checked for presence, type and meaning before anything uses it. A problem is reported
once, naming the file, the key and (where it can be found) the line, and saying how to fix it;
nothing is half-loaded. Unknown keys are refused too: a misspelt key would otherwise be a rule
silently not applied.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from nominator import gate
from nominator.campaign.model import (
    BUILT_IN_CHOICES,
    FIELD_TYPES,
    PAPER_SIZES_MM,
    AllocationRules,
    Campaign,
    Contact,
    EligibilityRules,
    EmailRules,
    Exclusion,
    FieldGroup,
    FieldSpec,
    FormSpec,
    KindSpec,
    PhotoRules,
    PrintRules,
    PublicityLevel,
    PublicityRules,
    QuotaRules,
    ReportSection,
    ReviewStep,
    ShareMax,
    ShareMin,
    StageRules,
    UnitKind,
    ValidationRules,
    WorkdayOverrides,
)
from nominator.errors import UserError

SUPPORTED_FORMAT = 2
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
MAX_FILE_BYTES = 1_000_000  # a campaign file is a few kilobytes; anything near this is not one

# The record fields the store can hold for each kind (issue 17 opens this to any field).
RECORD_FIELDS = {
    "collective": frozenset(
        {
            "name", "level", "nature", "leader", "staff_count", "contact", "phone", "deeds_brief",
            "deeds_full", "honors", "deputy_bureau_or_above", "county_government_or_above",
        }
    ),
    "individual": frozenset(
        {
            "name", "gender", "ethnicity", "birth_date", "political_status", "education", "work_start",
            "unit_and_title", "rank", "level", "years_in_field", "phone", "resume", "deeds_brief",
            "deeds_full", "honors",
        }
    ),
    "member": frozenset({"name", "unit_and_title", "role", "phone"}),
    "unit": frozenset({"name", "contact", "phone"}),
}  # fmt: skip
# What a form may print besides a record's own fields.
FORM_EXTRAS = {
    "collective": frozenset({"unit.name"}),
    "individual": frozenset({"assessments", "photo", "unit.name"}),
    "unit": frozenset({"unit.name", "unit.contact", "unit.phone", "report", "members"}),
}
FORM_CONTENTS = {"report": ("unit",), "members": ("unit",), "summary": ("unit",)}

_MISSING: Any = object()
_TYPE_NAMES = {str: "文字", int: "整数", float: "数字", bool: "true 或 false", dt.date: "日期(如 2025-12-25)"}


class CampaignFileError(UserError):
    """A campaign file that cannot be used: the message names the file, the key and the line."""

    def __init__(self, file_name: str, message: str, *, key: str = "", line: int | None = None) -> None:
        where = f"第{line}行," if line else ""
        what = f"“{key}”" if key else ""
        super().__init__(f"活动规则文件“{file_name}”{where}{what}{message}")
        self.file_name, self.key, self.line = file_name, key, line


# ---- the entry point ------------------------------------------------------------------------


def parse_campaign(text: str, *, file_name: str, forms_dir: Path) -> Campaign:
    """The campaign a file's text declares; CampaignFileError when anything is wrong."""
    if len(text) > MAX_FILE_BYTES:
        raise CampaignFileError(file_name, "文件过大,不是活动规则文件。请确认选择的文件。")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _decode_error_line(str(exc), text)
        raise CampaignFileError(
            file_name, f"格式有误({_plain_toml_error(str(exc))}),请按 TOML 格式改正。", line=line
        ) from None
    doc = _Doc(file_name, text)
    data = _clean(data, "", doc)
    top = _Reader(data, "", doc)
    fmt = top.integer("format", 1, minimum=1)
    if fmt > SUPPORTED_FORMAT:
        top.fail(
            "format",
            f"为{fmt},需要更新版本的推荐材料助手(本程序只能读取到第{SUPPORTED_FORMAT}版)。请安装新版本后再使用此活动。",
        )
    if fmt < SUPPORTED_FORMAT:
        top.fail("format", f"为{fmt}:这是旧版的活动规则文件,请使用随本程序提供的新版文件。")
    campaign = _build(top, forms_dir, text)
    top.done()
    return campaign


# ---- reading values with their place --------------------------------------------------------


def _clean(value: Any, path: str, doc: _Doc) -> Any:
    """Every text as the program keeps text from outside (NFC, one kind of line break); a control
    or invisible character is a mistake in a rule book, so it is named rather than dropped."""
    if isinstance(value, str):
        kept = gate.clean_text(value, where=f"活动规则文件“{doc.file_name}”中的“{path}”")
        if kept != unicodedata.normalize("NFC", value.replace("\r\n", "\n")):
            doc.fail(path, "中有控制字符或看不见的字符,请删除后保存。")
        return kept
    if isinstance(value, list):
        return [_clean(item, f"{path}[{n}]", doc) for n, item in enumerate(value)]
    if isinstance(value, dict):
        return {key: _clean(item, f"{path}.{key}" if path else key, doc) for key, item in value.items()}
    return value


class _Doc:
    def __init__(self, file_name: str, text: str) -> None:
        self.file_name, self.text = file_name, text
        self.lines = text.splitlines()

    def fail(self, path: str, message: str) -> NoReturn:
        raise CampaignFileError(self.file_name, message, key=path, line=line_of(self.lines, path))


class _Reader:
    """One table of the file: typed getters that say which key is wrong, and unknown-key checks."""

    def __init__(self, data: dict[str, Any], path: str, doc: _Doc) -> None:
        self.data, self.path, self.doc = data, path, doc
        self.seen: set[str] = set()
        self.children: list[_Reader] = []
        self._tables: dict[str, _Reader] = {}

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> NoReturn:
        self.doc.fail(self.key_path(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, kinds: tuple[type, ...], default: Any) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if default is _MISSING:
                self.fail(key, "缺少这一项,请补上。")
            return default
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            self._wrong_type(key, kinds)
        if not isinstance(value, kinds):
            self._wrong_type(key, kinds)
        return value

    def _wrong_type(self, key: str, kinds: tuple[type, ...]) -> NoReturn:
        wanted = "或".join(dict.fromkeys(_TYPE_NAMES.get(k, "表") for k in kinds))
        self.fail(key, f"应为{wanted},请修改。")

    def text(self, key: str, default: Any = _MISSING, *, allow_empty: bool = False) -> str:
        value: str = self._get(key, (str,), default)
        if not allow_empty and not value.strip() and default is _MISSING:
            self.fail(key, "不能为空,请填写。")
        return value

    def integer(self, key: str, default: Any = _MISSING, *, minimum: int | None = 0) -> int:
        value: int = self._get(key, (int,), default)
        if minimum is not None and value is not None and value < minimum:
            self.fail(key, f"应不小于{minimum},当前为{value}。")
        return value

    def positive(self, key: str, default: Any = _MISSING) -> float:
        value = self._get(key, (int, float), default)
        if value <= 0:
            self.fail(key, f"应大于0,当前为{value}。")
        return float(value)

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value: bool = self._get(key, (bool,), default)
        return value

    def day(self, key: str, default: Any = _MISSING) -> dt.date:
        value = self._get(key, (dt.date,), default)
        if isinstance(value, dt.datetime):
            self.fail(key, "应为日期(如 2025-12-25),不要带时间。")
        return value  # type: ignore[no-any-return]

    def texts(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self._get(key, (list,), default)
        for n, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为不空的文字。")
        return tuple(value)

    def integers(self, key: str, default: Any = _MISSING) -> tuple[int, ...]:
        value = self._get(key, (list,), default)
        for n, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, int):
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为整数。")
        return tuple(value)

    def dates(self, key: str) -> frozenset[dt.date]:
        value = self._get(key, (list,), [])
        for n, item in enumerate(value):
            if not isinstance(item, dt.date) or isinstance(item, dt.datetime):
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为日期(如 2026-02-16)。")
        return frozenset(value)

    def table(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self._get(key, (dict,), None if optional else _MISSING)
        if value is None:
            return None
        if key not in self._tables:
            self._tables[key] = _Reader(value, self.key_path(key), self.doc)
            self.children.append(self._tables[key])
        return self._tables[key]

    def need_table(self, key: str) -> _Reader:
        found = self.table(key)
        assert found is not None
        return found

    def tables(self, key: str, *, optional: bool = False) -> list[_Reader]:
        value = self._get(key, (list,), [] if optional else _MISSING)
        readers = []
        for n, item in enumerate(value):
            if not isinstance(item, dict):
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为表(用 [[…]] 或 { … } 写出)。")
            child = _Reader(item, f"{self.key_path(key)}[{n}]", self.doc)
            self.children.append(child)
            readers.append(child)
        return readers

    def named_tables(self, key: str) -> dict[str, _Reader]:
        """[key.<name>] tables, in file order."""
        parent = self.need_table(key)
        found = {}
        for name in list(parent.data):
            check_key(parent, name)
            child = parent.need_table(name)
            found[name] = child
        return found

    def words(self, key: str) -> dict[str, str]:
        """A table of key = "text" pairs, in file order."""
        parent = self.need_table(key)
        result = {}
        for name in list(parent.data):
            check_key(parent, name)
            result[name] = parent.text(name)
        return result

    def done(self) -> None:
        for key in self.data:
            if key not in self.seen:
                self.fail(key, "无法识别。请检查拼写,或删除这一项(本程序不使用它)。")
        for child in self.children:
            child.done()


def check_key(reader: _Reader, name: str) -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        reader.fail(name, "名称只能用英文字母、数字和下划线。")


# ---- building the campaign ------------------------------------------------------------------


def _build(top: _Reader, forms_dir: Path, text: str) -> Campaign:
    campaign_id = top.text("id")
    if not ID_PATTERN.fullmatch(campaign_id):
        top.fail("id", f"“{campaign_id}”只能用小写英文字母、数字和“-”,例如 liaoning-zwgk-2026。")
    choices = _choices(top)
    limits = {name: top.need_table("limits").integer(name, minimum=1) for name in _names(top, "limits")}
    kinds = _kinds(top, choices, limits)
    publicity = top.need_table("publicity")
    levels = {
        key: PublicityLevel(key, t.text("label"), t.text("rule"))
        for key, t in publicity.named_tables("levels").items()
    }
    forms = _forms(top, kinds, levels)
    reports = {
        key: tuple(
            ReportSection(s.text("key"), s.text("heading")) for s in top.need_table("reports").tables(key)
        )
        for key in _names(top, "reports")
    }
    stages = _stages(top, forms, reports, levels)
    campaign = Campaign(
        format=top.integer("format"),
        id=campaign_id,
        title=top.text("title"),
        short_title=top.text("short_title"),
        title_prefix=top.text("title_prefix", ""),
        issuer=top.text("issuer"),
        addressee=top.text("addressee", ""),
        notice_date=top.day("notice_date"),
        templates=top.text("templates", campaign_id),
        example=top.flag("example", False),
        notice=top.text("notice", ""),
        contacts=tuple(
            Contact(c.text("role", ""), c.text("name"), c.text("phone", ""))
            for c in top.tables("contacts", optional=True)
        ),
        email=_email(top),
        allocation=_allocation(top),
        unit_kinds=_unit_kinds(top),
        quota=_quota(top, kinds),
        eligibility=_eligibility(top, kinds),
        publicity=PublicityRules(
            working_days=publicity.integer("working_days", minimum=1),
            levels=levels,
            by_stage={key: s.publicity for key, s in stages.items() if s.publicity},
        ),
        workdays=_workdays(top),
        limits=limits,
        validation=_validation(top),
        photo=_photo(top),
        stages=stages,
        forms=forms,
        reports=reports,
        printing=_printing(top),
        forms_dir=forms_dir,
        kinds=kinds,
        choices=choices,
        text=text,
    )
    return campaign


def _names(top: _Reader, key: str) -> list[str]:
    table = top.need_table(key)
    names = list(table.data)
    for name in names:
        check_key(table, name)
    return names


def _choices(top: _Reader) -> dict[str, tuple[str, ...]]:
    table = top.table("choices", optional=True)
    if table is None:
        return dict(BUILT_IN_CHOICES)
    found = dict(BUILT_IN_CHOICES)
    for name in list(table.data):
        check_key(table, name)
        values = table.texts(name)
        if not values:
            table.fail(name, "至少要有一个选项。")
        if len(set(values)) != len(values):
            table.fail(name, "中有重复的选项,请删去重复的。")
        found[name] = values
    return found


def _email(top: _Reader) -> EmailRules:
    t = top.need_table("email")
    to = t.text("to")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", to):
        t.fail("to", f"“{to}”不是有效的邮箱地址。")
    subject = t.text("subject")
    _placeholders(t, "subject", subject, {"unit"}, required={"unit"})
    body = t.text("body", "{addressee}:\n\n    现报送{unit}{short_title}{stage}推荐材料,请查收。\n\n{unit}\n")
    _placeholders(
        t, "body", body, {"addressee", "unit", "short_title", "stage", "copies", "contact", "phone"}
    )
    return EmailRules(
        to=to, subject=subject, mailbox_limit_mb=t.positive("mailbox_limit_mb"), body=body.strip("\n")
    )


def _allocation(top: _Reader) -> AllocationRules:
    t = top.table("allocation", optional=True)
    if t is None:
        return AllocationRules("", "")
    return AllocationRules(source=t.text("source", ""), table=t.text("table", ""))


def _unit_kinds(top: _Reader) -> dict[str, UnitKind]:
    kinds = {}
    for key, t in top.named_tables("unit_kinds").items():
        quota = t.text("quota")
        if quota not in ("allocation", "fixed"):
            t.fail("quota", f"应为“allocation”(按分配名额上浮)或“fixed”(固定上限),当前为“{quota}”。")
        pattern = t.text("name_pattern")
        try:
            re.compile(pattern)
        except re.error as exc:
            t.fail("name_pattern", f"不是有效的正则表达式({exc}),请修改。")
        fixed = quota == "fixed"
        kind = UnitKind(
            key=key,
            label=t.text("label"),
            quota=quota,
            name_pattern=pattern,
            name_rule=t.text("name_rule"),
            name_example=t.text("name_example", ""),
            max_collectives=t.integer("max_collectives") if fixed else t.integer("max_collectives", 0),
            min_individuals=t.integer("min_individuals", 0),
            max_individuals=t.integer("max_individuals") if fixed else t.integer("max_individuals", 0),
            allocation_optional=t.flag("allocation_optional", False),
        )
        if kind.name_example and not re.search(pattern, kind.name_example):
            t.fail(
                "name_example", f"“{kind.name_example}”不符合本类单位的名称规则(name_pattern),请修改其一。"
            )
        kinds[key] = kind
    if not kinds:
        top.fail("unit_kinds", "至少要有一类推荐单位。")
    return kinds


def _quota(top: _Reader, kinds: dict[str, KindSpec]) -> QuotaRules:
    t = top.need_table("quota")
    factor = t.integers("factor")
    if len(factor) != 2 or factor[0] < 1 or factor[1] < 1:
        t.fail("factor", "应写成两个正整数 [分子, 分母],如 [12, 10] 表示上浮20%。")
    share_max = share_min = None
    m = t.table("share_max", optional=True)
    if m is not None:
        share_max = ShareMax(
            field=_record_field(m, "field", kinds, "individual"),
            value=m.text("value"),
            percent=m.integer("percent", minimum=0),
            always_allowed=m.integer("always_allowed", 0),
        )
    n = t.table("share_min", optional=True)
    if n is not None:
        field = n.text("field")
        for kind in ("collective", "individual"):
            if kinds[kind].field(field) is None:
                n.fail("field", f"“{field}”不是{kinds[kind].label}的字段。")
        share_min = ShareMin(field, n.text("value"), _fraction(n, "collectives"), _fraction(n, "individuals"))
    return QuotaRules(factor=(factor[0], factor[1]), share_max=share_max, share_min=share_min)


def _fraction(t: _Reader, key: str) -> tuple[int, int]:
    pair = t.integers(key)
    if len(pair) != 2 or pair[1] < 1 or not 0 <= pair[0] <= pair[1]:
        t.fail(key, "应写成 [分子, 分母],如 [1, 2] 表示一半。")
    return pair[0], pair[1]


def _record_field(t: _Reader, key: str, kinds: dict[str, KindSpec], kind: str) -> str:
    field = t.text(key)
    if kinds[kind].field(field) is None:
        t.fail(key, f"“{field}”不是{kinds[kind].label}的字段。")
    return field


def _eligibility(top: _Reader, kinds: dict[str, KindSpec]) -> EligibilityRules:
    t = top.need_table("eligibility")
    exclusions = []
    for x in t.tables("collective_exclusions", optional=True):
        field = _record_field(x, "field", kinds, "collective")
        spec = kinds["collective"].field(field)
        if spec is not None and spec.type != "check":
            x.fail("field", f'“{field}”应为勾选项(type = "check")。')
        exclusions.append(Exclusion(field, x.text("message"), x.text("name_suffix", "")))
    return EligibilityRules(
        excluded_rank=t.text("excluded_rank", ""),
        good_assessments=t.texts("good_assessments"),
        bad_assessments=t.texts("bad_assessments", ()),
        assessment_years=t.integers("assessment_years"),
        assessment_condition=t.text("assessment_condition", ""),
        individual_attestations=t.words("individual_attestations"),
        collective_attestations=t.words("collective_attestations"),
        collective_exclusions=tuple(exclusions),
        individual_required=_required_fields(t, kinds),
    )


def _required_fields(t: _Reader, kinds: dict[str, KindSpec]) -> dict[str, str]:
    if not t.has("individual_required"):
        t.seen.add("individual_required")
        return {}
    required = t.words("individual_required")
    table = t.need_table("individual_required")
    for name in required:
        if kinds["individual"].field(name) is None:
            table.fail(name, f"“{name}”不是{kinds['individual'].label}的字段。")
    return required


def _workdays(top: _Reader) -> WorkdayOverrides:
    t = top.table("workdays", optional=True)
    if t is None:
        return WorkdayOverrides(frozenset(), frozenset())
    return WorkdayOverrides(t.dates("extra_holidays"), t.dates("extra_workdays"))


def _validation(top: _Reader) -> ValidationRules:
    t = top.need_table("validation")
    return ValidationRules(
        birth_min_year=t.integer("birth_min_year", minimum=1900),
        min_age=t.integer("min_age"),
        work_start_min_age=t.integer("work_start_min_age"),
    )


def _photo(top: _Reader) -> PhotoRules:
    t = top.need_table("photo")
    rules = PhotoRules(
        size_name=t.text("size_name", ""),
        width_mm=t.positive("width_mm"),
        height_mm=t.positive("height_mm"),
        width_px=t.integer("width_px", minimum=50),
        height_px=t.integer("height_px", minimum=50),
        dpi=t.integer("dpi", minimum=72),
        aspect_tolerance=t.positive("aspect_tolerance"),
        min_bytes=t.integer("min_bytes"),
        max_bytes=t.integer("max_bytes", minimum=1),
        copies=t.integer("copies"),
        back_note=t.text("back_note", ""),
    )
    if rules.min_bytes >= rules.max_bytes:
        t.fail("min_bytes", "应小于 max_bytes。")
    return rules


def _printing(top: _Reader) -> PrintRules:
    t = top.need_table("print")
    paper = t.text("paper")
    if paper not in PAPER_SIZES_MM:
        t.fail("paper", f"应为{'、'.join(PAPER_SIZES_MM)}之一,当前为“{paper}”。")
    return PrintRules(paper=paper, copies=t.integer("copies", minimum=1))


def _kinds(top: _Reader, choices: dict[str, tuple[str, ...]], limits: dict[str, int]) -> dict[str, KindSpec]:
    table = top.need_table("kinds")
    kinds = {}
    for key in list(table.data):
        if key not in RECORD_FIELDS:
            table.fail(key, f"不是本程序支持的推荐对象类别(可用:{'、'.join(RECORD_FIELDS)})。")
        t = table.need_table(key)
        groups = []
        seen: set[str] = set()
        for g in t.tables("groups"):
            fields = []
            for f in g.tables("fields"):
                fields.append(_field(f, key, choices, limits, seen))
            groups.append(FieldGroup(g.text("label"), tuple(fields)))
        kind = KindSpec(
            key=key,
            label=t.text("label"),
            measure=t.text("measure"),
            groups=tuple(groups),
            columns=t.texts("columns", ()),
            form=t.text("form", ""),
        )
        for n, column in enumerate(kind.columns):
            if column not in seen:
                top.doc.fail(f"kinds.{key}.columns[{n}]", f"“{column}”不是本类的字段。")
        kinds[key] = kind
    for needed in RECORD_FIELDS:
        if needed not in kinds:
            table.fail(needed, "缺少这一类推荐对象的说明(label、measure 和 groups)。")
    return kinds


def _field(
    f: _Reader, kind: str, choices: dict[str, tuple[str, ...]], limits: dict[str, int], seen: set[str]
) -> FieldSpec:
    field_id = f.text("id")
    if field_id not in RECORD_FIELDS[kind]:
        known = "、".join(sorted(RECORD_FIELDS[kind]))
        f.fail("id", f"“{field_id}”不是本程序能保存的字段(可用:{known})。")
    if field_id in seen:
        f.fail("id", f"“{field_id}”重复出现,每个字段只写一次。")
    seen.add(field_id)
    field_type = f.text("type")
    if field_type not in FIELD_TYPES:
        f.fail("type", f"应为{'、'.join(FIELD_TYPES)}之一,当前为“{field_type}”。")
    values: tuple[str, ...] = ()
    if field_type == "choice":
        name = f.text("choices")
        if name not in choices:
            f.fail("choices", f"“{name}”不在 [choices] 中,请先在那里列出选项。")
        values = choices[name]
    limit = f.text("limit", "")
    if limit and limit not in limits:
        f.fail("limit", f"“{limit}”不在 [limits] 中。")
    return FieldSpec(
        id=field_id,
        label=f.text("label"),
        type=field_type,
        choices=values,
        limit=limit,
        example=f.text("example", ""),
        lines=f.integer("lines", 4, minimum=1),
        column=f.text("column", ""),
    )


def _forms(
    top: _Reader, kinds: dict[str, KindSpec], levels: dict[str, PublicityLevel]
) -> dict[str, FormSpec]:
    forms = {}
    for key, t in top.named_tables("forms").items():
        per, kind, content = t.text("per"), t.text("kind"), t.text("content", "record")
        if per not in ("unit", "collective", "individual"):
            t.fail("per", f"应为 unit、collective 或 individual,当前为“{per}”。")
        if kind not in ("docx", "xlsx"):
            t.fail("kind", f"应为 docx 或 xlsx,当前为“{kind}”。")
        if content not in ("report", "record", "members", "summary"):
            t.fail("content", f"应为 report、record、members 或 summary,当前为“{content}”。")
        if (content == "record") == (per == "unit") or (content == "summary") != (kind == "xlsx"):
            t.fail("content", f"“{content}”与 per = “{per}”、kind = “{kind}”不相配。")
        allowed = set(FORM_EXTRAS[per]) | {f"publicity.{level}" for level in levels}
        if per != "unit":
            allowed |= {f.id for f in kinds[per].fields()}
        fields = t.texts("fields", ())
        for n, name in enumerate(fields):
            if name not in allowed:
                top.doc.fail(f"forms.{key}.fields[{n}]", f"“{name}”不是这份表格能打印的内容。")
        row_fields = {}
        for kind_key in ("collective", "individual"):
            rows = t.texts(f"{kind_key}_fields", ())
            row_allowed = {f.id for f in kinds[kind_key].fields()} | FORM_EXTRAS[kind_key]
            for n, name in enumerate(rows):
                if name not in row_allowed:
                    top.doc.fail(
                        f"forms.{key}.{kind_key}_fields[{n}]", f"“{name}”不是{kinds[kind_key].label}的字段。"
                    )
            if rows:
                if content != "summary":
                    t.fail(f"{kind_key}_fields", '只用于汇总表(content = "summary")。')
                row_fields[kind_key] = rows
        title = t.text("title")
        _placeholders(t, "title", title, {"unit"})
        heading = t.text("heading", "")
        _placeholders(t, "heading", heading, {"unit", "short_title", "stage"})
        forms[key] = FormSpec(
            key=key,
            number=t.integer("number"),
            title=title,
            per=per,
            kind=kind,
            content=content,
            fields=fields,
            heading=heading,
            row_fields=row_fields,
            pages=t.integer("pages", 0),
            keep_signature=t.flag("keep_signature", False),
            duplex=t.flag("duplex", False),
        )
    return forms


def _stages(
    top: _Reader,
    forms: dict[str, FormSpec],
    reports: dict[str, tuple[ReportSection, ...]],
    levels: dict[str, PublicityLevel],
) -> dict[str, StageRules]:
    stages: dict[str, StageRules] = {}
    for s in top.tables("stages"):
        key = s.text("id")
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,30}", key):
            s.fail("id", f"“{key}”只能用小写英文字母、数字和下划线,且以字母开头。")
        if key in stages:
            s.fail("id", f"“{key}”与前面的阶段重复。")
        stage_forms = s.texts("forms")
        for n, form in enumerate(stage_forms):
            if form not in forms:
                s.doc.fail(f"{s.key_path('forms')}[{n}]", f"“{form}”不在 [forms] 中,请先在那里说明这份表格。")
        report = s.text("report", "")
        if report and report not in reports:
            s.fail("report", f"“{report}”不在 [reports] 中。")
        publicity = s.text("publicity", "")
        if publicity and publicity not in levels:
            s.fail("publicity", f"“{publicity}”不在 [publicity.levels] 中。")
        r = s.table("review", optional=True)
        review = None
        if r is not None:
            review = ReviewStep(
                label=r.text("label"),
                field_label=r.text("field_label", r.data.get("label", "")),
                pending=r.text("pending"),
                kept=r.text("kept"),
                dropped=r.text("dropped"),
                note=r.text("note", ""),
            )
        stages[key] = StageRules(
            key=key,
            name=s.text("name"),
            deadline=s.day("deadline", None),
            report=report,
            forms=stage_forms,
            photos=s.flag("photos", False),
            publicity=publicity,
            review=review,
        )
    if not stages:
        top.fail("stages", "至少要有一个报送阶段。")
    if sum(1 for s in stages.values() if s.review is not None) > 1:
        top.fail("stages", "只能有一个阶段带 review(本程序每个推荐对象只记一次反馈结果)。")
    return stages


def _placeholders(
    t: _Reader, key: str, text: str, allowed: Iterable[str], required: Iterable[str] = ()
) -> None:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        t.fail(key, "中的花括号不成对。要写花括号本身,请写成 {{ 或 }}。")
    allowed = set(allowed)
    unknown = sorted(used - allowed)
    if unknown:
        names = "、".join("{" + name + "}" for name in sorted(allowed))
        t.fail(key, f"中的“{{{unknown[0]}}}”无法识别(可用:{names})。")
    missing = sorted(set(required) - used)
    if missing:
        t.fail(key, f"必须包含“{{{missing[0]}}}”。")


# ---- where a key stands in the file ----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")


def line_of(lines: list[str], path: str) -> int | None:
    """The line of a dotted key (`stages[1].deadline`), best effort: headers, then `key =`."""
    if not path:
        return None
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    start = 0
    table: list[str] = []
    found: int | None = None
    on_key_line = False  # the last part was a `key = …` line, not a [header]
    for part in parts:
        if part.startswith("["):
            index = int(part[1:-1])
            header = None if on_key_line else _find_header(lines, ".".join(table), 0, index=index)
            if header is not None:
                start, found = header + 1, header + 1
                continue
            line = lines[start] if start < len(lines) else ""
            if on_key_line and "]" in line.split("#", 1)[0]:
                continue  # a one-line array: its items are on the key's line
            brace = _nth_brace(lines, start, index)
            if brace is None:
                return found
            start, found = brace, brace + 1
            continue
        table.append(part)
        name = ".".join(table)
        header = _find_header(lines, name, start, index=None)
        if header is not None or _find_header(lines, name, 0, index=0) is not None:
            if header is not None:
                start, found = header + 1, header + 1
            on_key_line = False
            continue
        if any(_header_name(line).startswith(name + ".") for line in lines):
            on_key_line = False
            continue
        key_line = _find_key(lines, part, start)
        if key_line is None:
            return found
        start, found, on_key_line = key_line, key_line + 1, True
    return found


def _header_name(line: str) -> str:
    match = _HEADER.match(line)
    return re.sub(r"\s", "", match.group(2)) if match else ""


def _find_header(lines: list[str], name: str, start: int, *, index: int | None) -> int | None:
    count = -1
    for i in range(len(lines)):
        match = _HEADER.match(lines[i])
        if not match or re.sub(r"\s", "", match.group(2)) != name:
            continue
        if index is None:
            if i >= start:
                return i
        else:
            count += 1
            if count == index:
                return i
    return None


def _find_key(lines: list[str], key: str, start: int) -> int | None:
    pattern = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
    for i in range(start, len(lines)):
        if i > start and _HEADER.match(lines[i]):
            return None
        if pattern.search(lines[i].split("#", 1)[0]):
            return i
    return None


def _nth_brace(lines: list[str], start: int, index: int) -> int | None:
    count = -1
    for i in range(start, len(lines)):
        count += lines[i].split("#", 1)[0].count("{ ")
        if count >= index:
            return i
    return None


def _decode_error_line(message: str, text: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1))
    return len(text.splitlines()) or 1 if "end of document" in message else None


def _plain_toml_error(message: str) -> str:
    return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
