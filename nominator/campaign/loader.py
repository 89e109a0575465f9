"""Reading a campaign file: TOML text → a checked `Campaign`, or one Chinese message.

A campaign file comes from a provincial office, a colleague or the clerk's own editing, so every
value is checked for presence, type and meaning before anything uses it. A problem is reported
once, naming the file, the key and (where it can be found) the line, and saying how to fix it;
nothing is half-loaded. Unknown keys are refused too: a misspelt key would otherwise be a rule
silently not applied.

Two formats are read. Format 3 declares the nominee kinds (categories, levels, fields) and the
rules (`[[rules]]`, see `rules_loader`); format 2 wrote the rules as `[quota]`, `[eligibility]`
and `[validation]` for fields whose meaning the program knew, and is translated into the same
rules (`format2`), so a store keeping a format-2 copy is checked exactly as before. The values
are read with `reading`, the kinds with `kinds`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

from nominator.campaign.demo_data import read_demo
from nominator.campaign.format2 import (
    format2_kinds,
    read_eligibility,
    read_quota,
    read_validation,
    rules_of_format2,
)
from nominator.campaign.kinds import RECORD_FIELDS, read_kinds
from nominator.campaign.model import (
    BUILT_IN_CHOICES,
    AllocationRules,
    Campaign,
    Contact,
    FormSpec,
    KindSpec,
    PhotoRules,
    PrintRules,
    PublicityLevel,
    PublicityRules,
    ReportSection,
    ReviewStep,
    StageRules,
    UnitKind,
)
from nominator.campaign.reading import (
    DEPTH,
    CampaignFileError,
    Doc,
    Reader,
    check_key,
    clean,
    decode_error_line,
    line_of,
    placeholders,
    plain_toml_error,
)
from nominator.campaign.rule_views import eligibility_view, quota_view, validation_view
from nominator.campaign.rulebook import Rule
from nominator.campaign.rules_loader import read_rules
from nominator.campaign.sections import email_rules, photo_rules, print_rules, workday_overrides

SUPPORTED_FORMAT = 3
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
MAX_FILE_BYTES = 1_000_000  # a campaign file is a few kilobytes; anything near this is not one
# What a form may print besides a record's own fields.
FORM_EXTRAS = {
    "collective": frozenset({"unit.name"}),
    "individual": frozenset({"assessments", "photo", "unit.name"}),
    "unit": frozenset({"unit.name", "unit.contact", "unit.phone", "report", "members"}),
}
FORM_CONTENTS = {"report": ("unit",), "members": ("unit",), "summary": ("unit",)}
# Format 3 writes these as [[rules]]; a format-3 file holding them was half converted.
FORMAT2_ONLY = ("quota", "eligibility", "validation")
# A campaign without photos or paper rules of its own (format 3 may leave these tables out).
NO_PHOTO = PhotoRules(0.0, 0.0, 0, 0, 0, 0.0, 0, 0, 0)
NO_PUBLICITY_DAYS = 0
# Bounds no notice comes near: a value beyond one is a slip of the keyboard.
PUBLICITY_MOST_DAYS = 100
FORM_NUMBER_MOST, FORM_PAGES_MOST = 999, 50

__all__ = ["RECORD_FIELDS", "SUPPORTED_FORMAT", "CampaignFileError", "line_of", "parse_campaign"]


# ---- the entry point ------------------------------------------------------------------------


def parse_campaign(text: str, *, file_name: str, forms_dir: Path, open_kinds: bool = False) -> Campaign:
    """The campaign a file's text declares; CampaignFileError when anything is wrong.

    `open_kinds`: accept nominee kinds and fields the store cannot hold yet (format 3), for
    reading a campaign's rules without making a store of it."""
    if len(text) > MAX_FILE_BYTES:
        raise CampaignFileError(file_name, "文件过大,不是活动规则文件。请确认选择的文件。")
    text = text.removeprefix("\ufeff")  # Notepad's UTF-8 signature, when the text was not read by us
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = decode_error_line(str(exc), text)
        raise CampaignFileError(
            file_name, f"格式有误({plain_toml_error(str(exc))}),请按 TOML 格式改正。", line=line
        ) from None
    except ValueError:  # an integer of thousands of digits, which Python refuses to read
        raise CampaignFileError(
            file_name,
            "有一个位数过多的数字(几千位),不是活动规则文件的写法。请删除它后重试。",
            line=_line_where(text, r"\d{1000}"),
        ) from None
    except RecursionError:
        raise CampaignFileError(
            file_name,
            "表或列表层层嵌套,不是活动规则文件的写法。请确认选择的文件。",
            line=_line_where(text, rf"(?:[\[{{][^\]}}]*){{{DEPTH + 1}}}"),
        ) from None
    doc = Doc(file_name, text)
    data = clean(data, "", doc)
    top = Reader(data, "", doc)
    fmt = top.integer("format", 1, minimum=1)
    if fmt > SUPPORTED_FORMAT:
        top.fail(
            "format",
            f"为{fmt},需要更新版本的推荐材料助手(本程序只能读取到第{SUPPORTED_FORMAT}版)。请安装新版本后再使用此活动。",
        )
    if fmt < 2:
        top.fail("format", f"为{fmt}:这是旧版的活动规则文件,请使用随本程序提供的新版文件。")
    if fmt >= 3:
        for key in FORMAT2_ONLY:
            if top.has(key):
                top.fail(key, "是第2版活动规则文件的写法;第3版把这些条件写成 [[rules]],请改写或删除这一项。")
    campaign = _build(top, forms_dir, text, fmt=fmt, open_kinds=open_kinds)
    top.done()
    return campaign


def _line_where(text: str, pattern: str) -> int | None:
    """The first line a pattern is found on (for what the TOML reader cannot say the line of)."""
    for n, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line.split("#", 1)[0]):
            return n
    return None


# ---- building the campaign ------------------------------------------------------------------


def _build(top: Reader, forms_dir: Path, text: str, *, fmt: int, open_kinds: bool) -> Campaign:
    campaign_id = top.text("id")
    if not ID_PATTERN.fullmatch(campaign_id):
        top.fail("id", f"“{campaign_id}”只能用小写英文字母、数字和“-”,例如 liaoning-zwgk-2026。")
    choices = _choices(top)
    limits = (
        {name: top.need_table("limits").integer(name, minimum=1) for name in _names(top, "limits")}
        if fmt < 3 or top.has("limits")
        else {}
    )
    kinds = read_kinds(top, choices, limits, fmt=fmt, open_kinds=open_kinds)
    publicity = top.table("publicity", optional=fmt >= 3)
    levels = (
        {
            key: PublicityLevel(key, t.text("label"), t.text("rule"))
            for key, t in publicity.named_tables("levels").items()
        }
        if publicity is not None
        else {}
    )
    forms = _forms(top, kinds, levels) if fmt < 3 or top.has("forms") else {}
    reports = (
        {
            key: tuple(
                ReportSection(s.text("key"), s.text("heading")) for s in top.need_table("reports").tables(key)
            )
            for key in _names(top, "reports")
        }
        if fmt < 3 or top.has("reports")
        else {}
    )
    stages = _stages(top, forms, reports, levels, fmt=fmt)
    unit_kinds = _unit_kinds(top, fmt=fmt)
    if fmt < 3:
        quota, eligibility, validation = (
            read_quota(top, kinds),
            read_eligibility(top, kinds),
            read_validation(top),
        )
        kinds = format2_kinds(kinds, eligibility)
        rules = rules_of_format2(quota, eligibility, validation, unit_kinds, kinds)
    else:
        rules = read_rules(
            top,
            kinds,
            set(unit_kinds),
            _nominees(kinds),
            allocation_by=_allocation(top, fmt=fmt).by,
            notice_date=top.day("notice_date"),
        )
        unit_kinds = _fixed_quotas(unit_kinds, rules)
        quota, eligibility, validation = (
            quota_view(rules),
            eligibility_view(rules, kinds),
            validation_view(rules),
        )
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
        contacts=_contacts(top, kinds, fmt=fmt),
        email=email_rules(top),
        allocation=_allocation(top, fmt=fmt),
        unit_kinds=unit_kinds,
        quota=quota,
        eligibility=eligibility,
        publicity=PublicityRules(
            working_days=(
                publicity.integer("working_days", minimum=1, maximum=PUBLICITY_MOST_DAYS)
                if publicity
                else NO_PUBLICITY_DAYS
            ),
            levels=levels,
            by_stage={key: s.publicity for key, s in stages.items() if s.publicity},
        ),
        workdays=workday_overrides(top),
        limits=limits,
        validation=validation,
        photo=photo_rules(top) if fmt < 3 or top.has("photo") else NO_PHOTO,
        stages=stages,
        forms=forms,
        reports=reports,
        printing=print_rules(top) if fmt < 3 or top.has("print") else PrintRules("A4", 1),
        forms_dir=forms_dir,
        kinds=kinds,
        choices=choices,
        rules=rules,
        demo=read_demo(top, kinds, unit_kinds, reports) if fmt >= 3 and top.has("demo") else None,
        text=text,
    )
    return campaign


def _nominees(kinds: dict[str, KindSpec]) -> tuple[str, ...]:
    return tuple(k for k, spec in kinds.items() if k != "unit" and not spec.form)


def _fixed_quotas(unit_kinds: dict[str, UnitKind], rules: tuple[Rule, ...]) -> dict[str, UnitKind]:
    """Format 3 says a unit kind's fixed maximum in a fixed_max rule; the unit kind records it."""
    found = dict(unit_kinds)
    for rule in rules:
        if rule.kind != "fixed_max":
            continue
        for key in rule.unit_kinds:
            found[key] = replace(
                found[key],
                quota="fixed",
                max_collectives=rule.maximum.get("collective", 0),
                max_individuals=rule.maximum.get("individual", 0),
                min_individuals=rule.minimum.get("individual", 0),
            )
    return found


def _contacts(top: Reader, kinds: dict[str, KindSpec], *, fmt: int) -> tuple[Contact, ...]:
    found = []
    categories = {c.id for k in kinds.values() for c in k.categories}
    for c in top.tables("contacts", optional=True):
        own = c.texts("categories", ()) if fmt >= 3 else ()
        for n, cat in enumerate(own):
            if cat not in categories:
                c.doc.fail(f"{c.key_path('categories')}[{n}]", f"“{cat}”不是本活动的类别。")
        found.append(Contact(c.text("role", ""), c.text("name"), c.text("phone", ""), own))
    return tuple(found)


def _names(top: Reader, key: str) -> list[str]:
    table = top.need_table(key)
    names = list(table.data)
    for name in names:
        check_key(table, name)
    return names


def _choices(top: Reader) -> dict[str, tuple[str, ...]]:
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


def _allocation(top: Reader, *, fmt: int) -> AllocationRules:
    t = top.table("allocation", optional=True)
    if t is None:
        return AllocationRules("", "")
    by: tuple[str, ...] = ("kind",)
    if fmt >= 3:
        by = t.texts("by", by)
        if by not in ALLOCATION_KEYS:
            shapes = "、".join("[" + ", ".join(f'"{k}"' for k in keys) + "]" for keys in ALLOCATION_KEYS)
            t.fail("by", f"应为{shapes}之一。")
    return AllocationRules(source=t.text("source", ""), table=t.text("table", ""), by=by)


# How a unit's allocation may be broken down: per nominee kind, per category, per category and level.
ALLOCATION_KEYS = (("kind",), ("category",), ("category", "level"))


def _unit_kinds(top: Reader, *, fmt: int) -> dict[str, UnitKind]:
    kinds = {}
    for key, t in top.named_tables("unit_kinds").items():
        if fmt >= 3:  # the quota is a rule (ceiling, fixed_max) and sets these
            kinds[key] = _unit_kind(t, key, "allocation", fixed=False, fmt=fmt)
            continue
        quota = t.text("quota")
        if quota not in ("allocation", "fixed"):
            t.fail("quota", f"应为“allocation”(按分配名额上浮)或“fixed”(固定上限),当前为“{quota}”。")
        kinds[key] = _unit_kind(t, key, quota, fixed=quota == "fixed", fmt=fmt)
    if not kinds:
        top.fail("unit_kinds", "至少要有一类推荐单位。")
    return kinds


def _unit_kind(t: Reader, key: str, quota: str, *, fixed: bool, fmt: int) -> UnitKind:
    pattern = t.text("name_pattern")
    try:
        re.compile(pattern)
    except re.error as exc:
        t.fail("name_pattern", f"不是有效的正则表达式({exc}),请修改。")
    if fmt >= 3:
        kind = UnitKind(
            key=key,
            label=t.text("label"),
            quota=quota,
            name_pattern=pattern,
            name_rule=t.text("name_rule"),
            name_example=t.text("name_example", ""),
            allocation_optional=t.flag("allocation_optional", False),
        )
    else:
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
        t.fail("name_example", f"“{kind.name_example}”不符合本类单位的名称规则(name_pattern),请修改其一。")
    return kind


def _forms(top: Reader, kinds: dict[str, KindSpec], levels: dict[str, PublicityLevel]) -> dict[str, FormSpec]:
    forms = {}
    for key, t in top.named_tables("forms").items():
        per, kind, content = t.text("per"), t.text("kind"), t.text("content", "record")
        pers = ("unit", *_nominees(kinds))
        if per not in pers:
            t.fail("per", f"应为{'、'.join(pers)}之一,当前为“{per}”。")
        if kind not in ("docx", "xlsx"):
            t.fail("kind", f"应为 docx 或 xlsx,当前为“{kind}”。")
        if content not in ("report", "record", "members", "summary"):
            t.fail("content", f"应为 report、record、members 或 summary,当前为“{content}”。")
        if (content == "record") == (per == "unit") or (content == "summary") != (kind == "xlsx"):
            t.fail("content", f"“{content}”与 per = “{per}”、kind = “{kind}”不相配。")
        allowed = set(FORM_EXTRAS.get(per, FORM_EXTRAS["collective"])) | {
            f"publicity.{level}" for level in levels
        }
        if per != "unit":
            allowed |= {f.id for f in kinds[per].fields()}
        fields = t.texts("fields", ())
        for n, name in enumerate(fields):
            if name not in allowed:
                top.doc.fail(f"forms.{key}.fields[{n}]", f"“{name}”不是这份表格能打印的内容。")
        row_fields = {}
        for kind_key in _nominees(kinds):
            rows = t.texts(f"{kind_key}_fields", ())
            row_allowed = {f.id for f in kinds[kind_key].fields()} | FORM_EXTRAS.get(
                kind_key, FORM_EXTRAS["collective"]
            )
            if kinds[kind_key].categories:
                row_allowed |= {"category", "level"}
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
        placeholders(t, "title", title, {"unit"})
        heading = t.text("heading", "")
        placeholders(t, "heading", heading, {"unit", "short_title", "stage"})
        forms[key] = FormSpec(
            key=key,
            number=t.integer("number", maximum=FORM_NUMBER_MOST),
            title=title,
            per=per,
            kind=kind,
            content=content,
            fields=fields,
            heading=heading,
            row_fields=row_fields,
            pages=t.integer("pages", 0, maximum=FORM_PAGES_MOST),
            keep_signature=t.flag("keep_signature", False),
            duplex=t.flag("duplex", False),
        )
    return forms


def _stages(
    top: Reader,
    forms: dict[str, FormSpec],
    reports: dict[str, tuple[ReportSection, ...]],
    levels: dict[str, PublicityLevel],
    *,
    fmt: int,
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
            sealed_pdf=s.flag("sealed_pdf", False) if fmt >= 3 else False,
        )
    if not stages:
        top.fail("stages", "至少要有一个报送阶段。")
    if sum(1 for s in stages.values() if s.review is not None) > 1:
        top.fail("stages", "只能有一个阶段带 review(本程序每个推荐对象只记一次反馈结果)。")
    return stages
