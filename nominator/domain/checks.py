"""The one checker: every rule of the rule book, for one stage, as a list of Problems.

The window (while the clerk types), `nominator check` and the export refusal all call `check`.
It is the driver: the fields' own checks (filled in where printed, a choice among its choices,
a phone number, a length within its limit, publicity, photos, reports) run here, and the
campaign's rules (`Campaign.rules`: quotas, shares, eligibility, dates, duplicates) run through
`nominator.domain.rules` at their phase among them, so the problems keep one order.
Each Problem names its rule ID, says in Chinese what is wrong and how to fix it, and points at
the record and field (a `Target`: kind, record id, its place in the stage's list, field).
A warning the clerk has accepted with a written reason (overrides) is reported as overridden.

Every word that belongs to a notice — labels, limits, kinds, stage names, the organiser — comes
from the campaign; the messages here are the mechanisms' own sentences around those words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from nominator.campaign import ETHNICITIES, Campaign, FieldSpec, KindSpec, PhotoRules
from nominator.domain import photo as photo_rules
from nominator.domain import rules
from nominator.domain.model import (
    Dossier,
    Member,
    Period,
    Unit,
    date_problem,
    parse_date,
)
from nominator.domain.naming import quoted_or, unit_name_problem
from nominator.domain.problems import Problem, Severity, Target
from nominator.domain.workdays import WorkdayCount, count_workdays

LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def check(dossier: Dossier, campaign: Campaign, stage: str, *, today: dt.date | None = None) -> list[Problem]:
    if stage not in campaign.stages:
        raise ValueError(f"unknown stage {stage!r}")
    dossier = dossier.for_stage(stage, campaign)
    day = today or dt.date.today()
    lists: dict[str, list[Any]] = {
        "collective": dossier.ordered_collectives(),
        "individual": dossier.ordered_individuals(),
    }
    scope = rules.Scope(
        campaign,
        dossier.unit,
        {
            kind: [rules.as_record(kind, obj, n, campaign.kinds.get(kind)) for n, obj in enumerate(objs)]
            for kind, objs in lists.items()
        },
        day,
    )
    ctx = _Context(dossier, campaign, stage, day, scope)
    problems: list[Problem] = []
    problems += _overridable(_unit_problems(ctx), dossier.unit.overrides)
    for kind in lists:
        for record in scope.of(kind):
            problems += _overridable(_record_problems(ctx, record), record.overrides)
    problems += _member_problems(ctx, dossier.ordered_members())
    problems += _report_problems(ctx)
    problems += rules.unit_phase(scope, "list")
    return problems


def check_records(
    campaign: Campaign, unit: Unit, records: dict[str, list[rules.Record]], stage: str, *, today: dt.date
) -> list[Problem]:
    """The checks of any campaign's nominees held as generic records (kind, category, level,
    values): the quotas and shares, each record's fields and rules, duplicates. The unit's own
    fields, members and reports are `check`'s; the generic store (issue 17, step 3) will make
    `check` hand its records here."""
    if stage not in campaign.stages:
        raise ValueError(f"unknown stage {stage!r}")
    scope = rules.Scope(campaign, unit, records, today)
    ctx = _Context(Dossier(campaign=campaign.id, unit=unit), campaign, stage, today, scope)
    problems = _overridable(rules.unit_phase(scope), unit.overrides)
    for kind in campaign.nominee_kinds():
        for record in scope.of(kind):
            problems += _overridable(_record_problems(ctx, record), record.overrides)
    problems += rules.unit_phase(scope, "list")
    return problems


def summarize(stage: str, problems: Iterable[Problem]) -> dict[str, Any]:
    """The `check --json` document (exchange-format.md)."""
    listed = list(problems)
    return {
        "stage": stage,
        "errors": sum(1 for p in listed if p.is_error),
        "warnings": sum(1 for p in listed if not p.is_error and not p.overridden),
        "problems": [p.as_json() for p in listed],
    }


def field_label(campaign: Campaign, kind: str, field: str) -> str:
    """The label a clerk sees for a field: 集体名称, 出生日期…"""
    spec = campaign.kinds.get(kind)
    return spec.label_of(field) if spec else field


@dataclasses.dataclass
class _Context:
    dossier: Dossier
    campaign: Campaign
    stage: str
    today: dt.date
    scope: rules.Scope

    printed: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    required: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    # worked out once per check, not once per record (a province's 1,000 records share them)
    to_fill: dict[tuple[str, str], tuple[FieldSpec, ...]] = dataclasses.field(default_factory=dict)
    limited: dict[str, tuple[tuple[FieldSpec, int], ...]] = dataclasses.field(default_factory=dict)
    choosing: dict[str, tuple[FieldSpec, ...]] = dataclasses.field(default_factory=dict)
    workdays: dict[tuple[dt.date, dt.date], WorkdayCount] = dataclasses.field(default_factory=dict)

    def prints(self, per: str, field: str) -> bool:
        if per not in self.printed:
            self.printed[per] = self.campaign.printed_fields(self.stage, per)
        return field in self.printed[per]

    def kind(self, key: str) -> KindSpec:
        return self.campaign.kinds[key]

    def fields_to_fill(self, kind: str, category: str) -> tuple[FieldSpec, ...]:
        """V1's fields for a kind (and category): printed at this stage or required by the file,
        unless a `required` rule (E2) says why with its own words."""
        key = (kind, category)
        if key not in self.to_fill:
            said = self.said_required(kind)
            self.to_fill[key] = tuple(
                f
                for f in self.kind(kind).fields()
                if f.type not in ("check", "rows", "photo")
                and f.id not in said
                and f.applies_to(category)
                and not (f.required is False or (f.required is None and not self.prints(kind, f.id)))
            )
        return self.to_fill[key]

    def limited_fields(self, kind: str) -> tuple[tuple[FieldSpec, int], ...]:
        """V3's fields for a kind, each with its limit."""
        if kind not in self.limited:
            limits = self.campaign.limits
            found = ((f, limits.get(f.limit) if f.limit else None) for f in self.kind(kind).fields())
            self.limited[kind] = tuple((f, n) for f, n in found if n is not None)
        return self.limited[kind]

    def choice_fields(self, kind: str) -> tuple[FieldSpec, ...]:
        if kind not in self.choosing:
            self.choosing[kind] = tuple(
                f for f in self.kind(kind).fields() if f.type in ("choice", "multichoice")
            )
        return self.choosing[kind]

    def count_workdays(self, start: dt.date, end: dt.date) -> WorkdayCount:
        """Working days of a period; many nominees share their publicity periods."""
        key = (start, end)
        if key not in self.workdays:
            self.workdays[key] = count_workdays(start, end, self.campaign.workdays)
        return self.workdays[key]

    def said_required(self, kind: str) -> set[str]:
        """The fields a `required` rule (E2) makes required for a kind, with its own reason."""
        if kind not in self.required:
            rules_ = self.campaign.rules_of("required")
            self.required[kind] = {f for r in rules_ if kind in r.of for f in r.reasons}
        return self.required[kind]


_overridable = rules.overridable


def _err(rule: str, target: Target, message: str) -> Problem:
    return Problem(rule, "error", target, message)


def _warn(rule: str, target: Target, message: str) -> Problem:
    return Problem(rule, "warning", target, message)


# ---- the unit, its quota and the deadline --------------------------------------------------


def _unit_problems(ctx: _Context) -> Iterator[Problem]:
    unit, campaign = ctx.dossier.unit, ctx.campaign
    if unit.kind not in campaign.unit_kinds:
        kinds = quoted_or([k.label for k in campaign.unit_kinds.values()])
        yield _err("V2", Target.of_unit("kind"), f"{ctx.kind('unit').label}类别应为{kinds},请重新选择。")
    problem = unit_name_problem(unit, campaign)
    if problem:
        yield _err("M4", Target.of_unit("name"), problem + "邮件主题和材料标题都使用这个名称。")
    summary = campaign.form_for("summary")
    unit_spec = ctx.kind("unit")
    for field in ("contact", "phone"):
        if ctx.prints("unit", f"unit.{field}") and not getattr(unit, field).strip():
            needs = f"({summary.title_for(unit.name.strip())}需要)" if summary else ""
            yield _err(
                "V1", Target.of_unit(field), f"请填写{unit_spec.label}的{unit_spec.label_of(field)}{needs}。"
            )
    yield from _phone_problem(ctx, Target.of_unit("phone"), unit.phone, ctx.kind("unit").label)
    yield from rules.unit_phase(ctx.scope)
    stage_rules = campaign.stages[ctx.stage]
    deadline = stage_rules.deadline
    if deadline and ctx.today > deadline:
        late = (ctx.today - deadline).days
        yield _warn(
            "D1",
            Target.of_unit(),
            f"{stage_rules.name}材料的报送截止日期是{_cn_date(deadline)},已过期{late}天。"
            f"如已与{campaign.issuer}沟通,请填写说明。",
        )


# ---- records ------------------------------------------------------------------------------


def _what(spec: KindSpec, name: str, n: int) -> str:
    """先进集体“某某” / 先进个人“第3名”: how messages name a record."""
    return f"{spec.label}“{name.strip() or f'第{n + 1}{spec.measure}'}”"


def _required(
    ctx: _Context, kind: str, values: Mapping[str, Any], target: Target, what: str, category: str = ""
) -> Iterator[Problem]:
    """V1: a field the stage's forms print (or the campaign requires) is filled in."""
    for field in ctx.fields_to_fill(kind, category):
        value = values.get(field.id)
        if value is None or (isinstance(value, str) and not value.strip()) or value in ([], ()):
            yield _err(
                "V1", target.at(field.id), f"{what}:请填写“{field.label}”(表格中要打印此项,没有的填“无”)。"
            )


def _choice_problems(
    ctx: _Context, kind: str, values: Mapping[str, Any], target: Target, what: str
) -> Iterator[Problem]:
    """V2: a choice field holds one of its choices (as the window's lists and Excel offer them),
    a multiple choice only some of them."""
    for field in ctx.choice_fields(kind):
        value = values.get(field.id, "")
        if field.type == "multichoice" and isinstance(value, (list, tuple)):
            wrong = next((v for v in value if v not in field.choices), None)
            if wrong is not None:
                yield _err("V2", target.at(field.id), f"{what}:{_choice_hint(field, str(wrong))}")
            continue
        if field.type != "choice" or not isinstance(value, str) or not value or value in field.choices:
            continue
        yield _err("V2", target.at(field.id), f"{what}:{_choice_hint(field, value)}")


def _category_problems(ctx: _Context, record: rules.Record, target: Target, what: str) -> Iterator[Problem]:
    """V2: a record of a kind with categories names one of them, at one of its levels."""
    spec = ctx.kind(record.kind)
    if not spec.categories:
        return
    if spec.category(record.category) is None:
        names = "、".join(c.label for c in spec.categories)
        yield _err("V2", target.at("category"), f"{what}:请选择申报类别({names})。")
        return
    levels = spec.levels_of(record.category)
    if levels and record.level not in levels:
        name = spec.category_label(record.category)
        yield _err("V2", target.at("level"), f"{what}:{name}的级别应为{quoted_or(list(levels))}。")


def _choice_hint(field: FieldSpec, value: str) -> str:
    if field.choices == ETHNICITIES:
        return f"{field.label}“{value}”不在56个民族名称中,请从列表中选择(如“{field.choices[0]}”)。"
    if len(field.choices) <= 4:
        return f"{field.label}应为{quoted_or(list(field.choices))}。"
    return f"{field.label}“{value}”不在可选项中,请从列表中选择(如“{field.choices[0]}”)。"


def _limit_problems(
    ctx: _Context, kind: str, values: Mapping[str, Any], target: Target, what: str
) -> Iterator[Problem]:
    """V3: a text longer than its box is refused with its limit shown."""
    for field, limit in ctx.limited_fields(kind):
        value = values.get(field.id, "")
        if not isinstance(value, str):
            continue
        length = len(value.strip())
        if length > limit:
            yield _err(
                "V3",
                target.at(field.id),
                f"{what}:“{field.label}”共{length}字,超过{limit}字的限制,请精简{length - limit}字。",
            )


def _record_problems(ctx: _Context, record: rules.Record) -> Iterator[Problem]:
    """A nominee's problems: its fields' own checks, with the campaign's rules at their phases."""
    kind, scope = record.kind, ctx.scope
    target, spec = record.target(), ctx.kind(record.kind)
    what, values = rules.what(spec, record), record.values
    yield from _category_problems(ctx, record, target, what)
    yield from _required(ctx, kind, values, target, what, record.category)
    yield from rules.record_phase(scope, record, "entry")
    yield from _choice_problems(ctx, kind, values, target, what)
    yield from rules.record_phase(scope, record, "values")
    if spec.field("phone") is not None:
        yield from _phone_problem(ctx, target.at("phone"), str(values.get("phone", "") or ""), what)
    yield from _limit_problems(ctx, kind, values, target, what)
    yield from rules.record_phase(scope, record, "eligibility")
    yield from _publicity_problems(ctx, kind, target, what, record.publicity)
    if spec.photo is not None:
        yield from _photo_problems(ctx, target, what, record, spec)


def _publicity_problems(
    ctx: _Context, per: str, target: Target, what: str, publicity: Mapping[str, Period]
) -> Iterator[Problem]:
    rules = ctx.campaign.publicity
    example = ctx.campaign.notice_date.isoformat()
    for level, spec in rules.levels.items():
        if not ctx.prints(per, f"publicity.{level}"):
            continue
        rule, name = spec.rule, spec.label
        field = target.at(f"publicity.{level}")
        period = publicity.get(level, Period())
        days_needed = rules.working_days
        wrong = date_problem(period.start, example) or date_problem(period.end, example)
        if wrong:  # before "missing": what was typed is reported as it is
            yield _err("V2", field, f"{what}:{name}日期{wrong}")
            continue
        start, end = parse_date(period.start), parse_date(period.end)
        if start is None or end is None:
            yield _err(rule, field, f"{what}:请填写{name}的起止日期(须公示{days_needed}个工作日)。")
            continue
        if end < start:
            yield _err("V2", field, f"{what}:{name}的结束日期早于开始日期,请核对。")
            continue
        count = ctx.count_workdays(start, end)
        if count.days < days_needed:
            yield _err(
                rule,
                field,
                f"{what}:{name}{_cn_date(start)}至{_cn_date(end)}只有{count.days}个工作日,"
                f"应不少于{days_needed}个工作日,请延长公示期。",
            )
        if count.fallback_years:
            years = "、".join(str(y) for y in sorted(count.fallback_years))
            yield _warn(
                "P3",
                field,
                f"{what}:程序未收录{years}年的法定节假日安排,{name}的工作日按周一至周五计算,请人工核对。",
            )
        result_limit = ctx.campaign.limits.get("publicity_result")
        if not period.result.strip():
            yield _err("V1", field, f"{what}:请填写{name}结果(如“无异议”)。")
        elif result_limit is not None and len(period.result.strip()) > result_limit:
            length = len(period.result.strip())
            yield _err(
                "V3",
                field,
                f"{what}:{name}结果共{length}字,超过{result_limit}字的限制,请精简{length - result_limit}字。",
            )


# Verdicts made in this process, by (rules fingerprint, photo SHA-256): the window re-checks on
# every pause in typing, and a photo is decoded once.
_photo_cache: dict[tuple[str, str], photo_rules.PhotoVerdict] = {}


def photo_verdict(dossier: Dossier | None, data: bytes, rules: PhotoRules) -> photo_rules.PhotoVerdict:
    """The photo's verdict: kept in the dossier (from the store), made earlier in this process,
    or made now (decoding the photo); remembered in this process and added to the dossier's,
    for the window to keep in the store."""
    key = (photo_rules.rules_fingerprint(rules), photo_rules.photo_digest(data))
    found = (dossier.photo_verdicts.get(key) if dossier is not None else None) or _photo_cache.get(key)
    if found is None:
        found = photo_rules.inspect_photo(data, rules, target="")
    if key not in _photo_cache:
        if len(_photo_cache) > 4000:
            _photo_cache.clear()
        _photo_cache[key] = found
    if dossier is not None and key not in dossier.photo_verdicts:
        dossier.photo_verdicts[key] = found
    return found


def _photo_problems(
    ctx: _Context, target: Target, what: str, record: rules.Record, spec: KindSpec
) -> Iterator[Problem]:
    field = target.at("photo")
    size = ctx.campaign.photo
    assert spec.photo is not None
    needed = ctx.campaign.stages[ctx.stage].photos or ctx.prints(spec.key, "photo")
    photo, data, values = record.photo, record.photo_data, record.values
    if not photo.strip() and data is None:
        if needed:
            yield _err("F2", field, f"{what}:请添加{size.size_name}白底证件照(JPG格式)。")
        return
    name, birth = str(values.get(spec.photo.name_field, "")), str(values.get(spec.photo.date_field, ""))
    yield from photo_rules.check_photo_name(photo, name=name, birth=birth, target=field)
    if data is not None:
        for p in photo_verdict(ctx.dossier, data, size).problems:
            yield dataclasses.replace(p, target=field, message=f"{what}:{p.message}")


def _member_problems(ctx: _Context, members: list[Member]) -> Iterator[Problem]:
    if not ctx.prints("unit", "members"):
        return
    spec = ctx.kind("member")
    form = ctx.campaign.members_form()
    if not members:
        where = f"({form.attachment})" if form and form.attachment else ""
        yield _err("V1", Target.of_list("member"), f"请填写{spec.label}名单{where}。")
    for n, m in enumerate(members):
        target = Target.of_record("member", m.id, n)
        what = _what(spec, m.name, n)
        for field in spec.fields():
            if not str(getattr(m, field.id, "")).strip():
                yield _err("V1", target.at(field.id), f"{what}:请填写“{field.label}”。")
        yield from _choice_problems(ctx, "member", rules.as_record("member", m, n).values, target, what)
        yield from _phone_problem(ctx, target.at("phone"), m.phone, what)


def _report_problems(ctx: _Context) -> Iterator[Problem]:
    stage_rules = ctx.campaign.stages[ctx.stage]
    if not stage_rules.report:
        return
    report = ctx.dossier.reports.get(stage_rules.report)
    form = next(
        (ctx.campaign.forms[k] for k in stage_rules.forms if ctx.campaign.forms[k].content == "report"), None
    )
    title = form.title if form else f"{stage_rules.name}推荐工作报告"
    target = Target.of_report(stage_rules.report)
    limit = ctx.campaign.limits.get("report_section")
    for section in ctx.campaign.reports.get(stage_rules.report, ()):
        text = report.sections.get(section.key, "").strip() if report else ""
        if not text:
            yield _err("V1", target.at(section.key), f"{title}:请填写“{section.heading}”部分。")
        elif limit is not None and len(text) > limit:
            yield _err(
                "V3",
                target.at(section.key),
                f"{title}:“{section.heading}”共{len(text)}字,超过{limit}字的限制。",
            )
    date_text = report.date.strip() if report else ""
    if not date_text:
        yield _err("V1", target.at("date"), f"{title}:请填写成文日期。")
    elif parse_date(date_text) is None:
        yield _err(
            "V2",
            target.at("date"),
            f"{title}:成文日期{date_problem(date_text, ctx.campaign.notice_date.isoformat())}",
        )


# ---- small helpers -------------------------------------------------------------------------


def _phone_problem(ctx: _Context, target: Target, phone: str, what: str) -> Iterator[Problem]:
    value = phone.strip().replace(" ", "")
    if value and not (LANDLINE.match(value) or MOBILE.match(value)):
        example = phone_example(ctx.campaign)
        landline = f"带区号的固定电话(如{example})" if example else "带区号的固定电话"
        yield _err("V2", target, f"{what}:电话“{phone}”格式不对,请填写{landline}或11位手机号。")


def phone_example(campaign: Campaign) -> str:
    """A landline as the campaign's own fields give it (024-12345678 in Liaoning)."""
    for spec in campaign.kinds.values():
        found = spec.field("phone")
        if found and found.example:
            return found.example
    return ""


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


__all__ = ["Severity", "check", "check_records", "field_label", "phone_example", "summarize"]
