"""The one checker: every rule of the rule book, for one stage, as a list of Problems.

The window (while the clerk types), `nominator check` and the export refusal all call `check`.
Each Problem names its rule ID, says in Chinese what is wrong and how to fix it, and points at
the record and field (a `Target`: kind, record id, its place in the stage's list, field).
A warning the clerk has accepted with a written reason (overrides) is reported as overridden.

Every word that belongs to a notice — labels, limits, kinds, stage names, the organiser — comes
from the campaign; the messages here are the mechanisms' own sentences around those words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from nominator.campaign import ETHNICITIES, Campaign, FieldSpec, KindSpec
from nominator.domain import photo as photo_rules
from nominator.domain.model import (
    Collective,
    Dossier,
    Individual,
    Member,
    Period,
    date_problem,
    parse_date,
    parse_month,
)
from nominator.domain.naming import quoted_or, unit_name_problem
from nominator.domain.problems import LIST_KEYS, Problem, Severity, Target
from nominator.domain.quota import (
    RECOMMENDED,
    allocation_of,
    ceiling_for,
    ceiling_rule,
    fraction_words,
    missing_allocation_message,
    over_quota_message,
)
from nominator.domain.workdays import count_workdays

LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def check(dossier: Dossier, campaign: Campaign, stage: str, *, today: dt.date | None = None) -> list[Problem]:
    if stage not in campaign.stages:
        raise ValueError(f"unknown stage {stage!r}")
    dossier = dossier.for_stage(stage, campaign)
    ctx = _Context(dossier, campaign, stage, today or dt.date.today())
    problems: list[Problem] = []
    problems += _overridable(_unit_problems(ctx), dossier.unit.overrides)
    collectives = dossier.ordered_collectives()
    individuals = dossier.ordered_individuals()
    for n, c in enumerate(collectives):
        problems += _overridable(_collective_problems(ctx, n, c), c.overrides)
    for n, i in enumerate(individuals):
        problems += _overridable(_individual_problems(ctx, n, i), i.overrides)
    problems += _member_problems(ctx, dossier.ordered_members())
    problems += _report_problems(ctx)
    problems += _duplicate_problems(ctx, collectives, individuals)
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

    printed: dict[str, set[str]] = dataclasses.field(default_factory=dict)

    def prints(self, per: str, field: str) -> bool:
        if per not in self.printed:
            self.printed[per] = self.campaign.printed_fields(self.stage, per)
        return field in self.printed[per]

    def kind(self, key: str) -> KindSpec:
        return self.campaign.kinds[key]


def _overridable(problems: Iterable[Problem], overrides: dict[str, str]) -> list[Problem]:
    """A warning with a written reason for its rule is kept, marked overridden; errors stay."""
    result = []
    for p in problems:
        if p.severity == "warning" and overrides.get(p.rule, "").strip():
            p = dataclasses.replace(p, overridden=True)
        result.append(p)
    return result


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
    yield from _quota_problems(ctx)
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


def _quota_problems(ctx: _Context) -> Iterator[Problem]:
    unit, campaign = ctx.dossier.unit, ctx.campaign
    lists: dict[str, list[Any]] = {
        "collective": ctx.dossier.collectives,
        "individual": ctx.dossier.individuals,
    }
    rule = ceiling_rule(unit, campaign)
    for kind in RECOMMENDED:
        spec, count = ctx.kind(kind), len(lists[kind])
        ceiling = ceiling_for(unit, campaign, kind)
        target = Target.of_unit(f"allocation.{LIST_KEYS[kind]}")
        if ceiling is None:
            if unit.kind in campaign.unit_kinds:
                yield _err("Q1", target, missing_allocation_message(campaign, spec))
            continue
        alloc = allocation_of(unit, kind)
        if alloc is not None and alloc < 0:
            yield _err("V2", target, "分配名额不能为负数。")
        if count > ceiling:
            yield _err(rule, Target.of_list(kind), over_quota_message(unit, campaign, kind, count))
    yield from _share_max(ctx, lists["individual"])
    if rule == "Q1" and campaign.unit_kinds[unit.kind].uses_allocation:
        yield from _share_min(ctx, lists)


def _share_max(ctx: _Context, individuals: list[Individual]) -> Iterator[Problem]:
    share = ctx.campaign.quota.share_max
    n = len(individuals)
    if share is None or not n:
        return
    count = sum(1 for i in individuals if getattr(i, share.field, "") == share.value)
    if count > share.always_allowed and count * 100 > share.percent * n:
        label = ctx.kind("individual").label
        yield _warn(
            "Q3",
            Target.of_list("individual"),
            f"{share.value}干部{count}名,占{label}{n}名的{count * 100 // n}%,"
            f"超过原则上{share.percent}%的比例。请调整,或填写说明。",
        )


def _share_min(ctx: _Context, lists: dict[str, list[Any]]) -> Iterator[Problem]:
    share = ctx.campaign.quota.share_min
    if share is None:
        return
    for kind, (num, den) in (("collective", share.collectives), ("individual", share.individuals)):
        records, spec = lists[kind], ctx.kind(kind)
        count = sum(1 for r in records if getattr(r, share.field, "") == share.value)
        if not records or count * den >= num * len(records):
            continue
        found = f"{spec.label}中{share.value}仅{count}{spec.measure}(共{len(records)}{spec.measure})"
        if kind == "collective":
            yield _warn(
                "Q4",
                Target.of_list(kind),
                f"{found},少于{fraction_words(num, den)}。评选面向基层一线,请优先推荐{share.value}单位,或填写说明。",
            )
        else:
            yield _warn(
                "Q4",
                Target.of_list(kind),
                f"{found},低于全省{num}/{den}的比例。请优先推荐基层一线人员,或填写说明。",
            )


# ---- records ------------------------------------------------------------------------------


def _what(spec: KindSpec, name: str, n: int) -> str:
    """先进集体“某某” / 先进个人“第3名”: how messages name a record."""
    return f"{spec.label}“{name.strip() or f'第{n + 1}{spec.measure}'}”"


def _required(ctx: _Context, kind: str, record: Any, target: Target, what: str) -> Iterator[Problem]:
    spec = ctx.kind(kind)
    for field in spec.fields():
        if field.type == "check" or not ctx.prints(kind, field.id):
            continue
        if field.id in ctx.campaign.eligibility.individual_required and kind == "individual":
            continue  # E2 says why it is required
        value = getattr(record, field.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield _err(
                "V1", target.at(field.id), f"{what}:请填写“{field.label}”(表格中要打印此项,没有的填“无”)。"
            )


def _choice_problems(ctx: _Context, kind: str, record: Any, target: Target, what: str) -> Iterator[Problem]:
    """V2: a choice field holds one of its choices (as the window's lists and Excel offer them)."""
    for field in ctx.kind(kind).fields():
        value = getattr(record, field.id, "")
        if field.type != "choice" or not isinstance(value, str) or not value or value in field.choices:
            continue
        yield _err("V2", target.at(field.id), f"{what}:{_choice_hint(field, value)}")


def _choice_hint(field: FieldSpec, value: str) -> str:
    if field.choices == ETHNICITIES:
        return f"{field.label}“{value}”不在56个民族名称中,请从列表中选择(如“{field.choices[0]}”)。"
    if len(field.choices) <= 4:
        return f"{field.label}应为{quoted_or(list(field.choices))}。"
    return f"{field.label}“{value}”不在可选项中,请从列表中选择(如“{field.choices[0]}”)。"


def _limit_problems(ctx: _Context, kind: str, record: Any, target: Target, what: str) -> Iterator[Problem]:
    """V3: a text longer than its box is refused with its limit shown."""
    for field in ctx.kind(kind).fields():
        limit = ctx.campaign.limits.get(field.limit) if field.limit else None
        value = getattr(record, field.id, "")
        if limit is None or not isinstance(value, str):
            continue
        length = len(value.strip())
        if length > limit:
            yield _err(
                "V3",
                target.at(field.id),
                f"{what}:“{field.label}”共{length}字,超过{limit}字的限制,请精简{length - limit}字。",
            )


def _collective_problems(ctx: _Context, n: int, c: Collective) -> Iterator[Problem]:
    target, spec = Target.of_record("collective", c.id, n), ctx.kind("collective")
    what = _what(spec, c.name, n)
    yield from _required(ctx, "collective", c, target, what)
    yield from _choice_problems(ctx, "collective", c, target, what)
    if c.staff_count is not None and c.staff_count < 1:
        yield _err("V2", target.at("staff_count"), f"{what}:{spec.label_of('staff_count')}应为正整数。")
    yield from _phone_problem(ctx, target.at("phone"), c.phone, what)
    yield from _limit_problems(ctx, "collective", c, target, what)
    for exclusion in ctx.campaign.eligibility.collective_exclusions:
        flagged = bool(getattr(c, exclusion.field, False))
        named = bool(exclusion.name_suffix) and c.name.strip().endswith(exclusion.name_suffix)
        if flagged or named:
            yield _warn(
                "E1",
                target.at(exclusion.field),
                f"{what}{exclusion.message}。如确需推荐,请填写理由。",
            )
    for key, wording in ctx.campaign.eligibility.collective_attestations.items():
        if not c.attestations.get(key):
            yield _err(
                "E5", target.at(f"attestations.{key}"), f"{what}:请核实并勾选“{wording}”,不符合的不能推荐。"
            )
    yield from _publicity_problems(ctx, "collective", target, what, c.publicity)


def _individual_problems(ctx: _Context, n: int, i: Individual) -> Iterator[Problem]:
    target, spec = Target.of_record("individual", i.id, n), ctx.kind("individual")
    what = _what(spec, i.name, n)
    el = ctx.campaign.eligibility
    yield from _required(ctx, "individual", i, target, what)
    # E2: only in-service staff doing the work the honour is for.
    for field, why in el.individual_required.items():
        value = getattr(i, field)
        if not (value.strip() if isinstance(value, str) else value):
            yield _err("E2", target.at(field), f"{what}:请填写{spec.label_of(field)}({why})。")
    yield from _choice_problems(ctx, "individual", i, target, what)
    yield from _person_date_problems(ctx, target, what, i)
    yield from _phone_problem(ctx, target.at("phone"), i.phone, what)
    yield from _limit_problems(ctx, "individual", i, target, what)
    if el.excluded_rank and i.rank == el.excluded_rank:
        yield _warn("E1", target.at("rank"), f"{what}为{i.rank}干部,一般不参评。如确需推荐,请填写理由。")
    yield from _assessment_problems(ctx, target, what, i)
    for key, wording in el.individual_attestations.items():
        if not i.attestations.get(key):
            yield _err(
                "E4", target.at(f"attestations.{key}"), f"{what}:请核实并勾选“{wording}”,不符合的不能推荐。"
            )
    yield from _publicity_problems(ctx, "individual", target, what, i.publicity)
    yield from _photo_problems(ctx, target, what, i)


def _person_date_problems(ctx: _Context, target: Target, what: str, i: Individual) -> Iterator[Problem]:
    rules, spec = ctx.campaign.validation, ctx.kind("individual")
    birth_label = spec.label_of("birth_date")
    birth = parse_date(i.birth_date) if i.birth_date else None
    if i.birth_date and birth is None:
        wrong = date_problem(i.birth_date, _example(spec, "birth_date"))
        yield _err("V2", target.at("birth_date"), f"{what}:{birth_label}{wrong}")
    if birth is not None:
        latest = _years_before(ctx.today, rules.min_age)
        if birth.year < rules.birth_min_year or birth > latest:
            yield _err(
                "V2",
                target.at("birth_date"),
                f"{what}:{birth_label}{birth.isoformat()}不在合理范围({rules.birth_min_year}年至{latest.isoformat()}),请核对。",
            )
    start_label = spec.label_of("work_start")
    start = parse_month(i.work_start) if i.work_start else None
    if i.work_start and start is None:
        yield _err(
            "V2",
            target.at("work_start"),
            f"{what}:{start_label}“{i.work_start}”无效,请按“{_example(spec, 'work_start')}”的格式填写。",
        )
    if start is not None:
        if start > ctx.today:
            yield _err("V2", target.at("work_start"), f"{what}:{start_label}晚于今天,请核对。")
        elif birth is not None and start < _years_after(birth, rules.work_start_min_age).replace(day=1):
            yield _err(
                "V2",
                target.at("work_start"),
                f"{what}:{start_label}早于{rules.work_start_min_age}周岁,请核对{birth_label}和{start_label}。",
            )
    years_label = spec.label_of("years_in_field")
    if i.years_in_field is not None:
        if i.years_in_field < 0:
            yield _err("V2", target.at("years_in_field"), f"{what}:{years_label}不能为负数。")
        elif start is not None and i.years_in_field > ctx.today.year - start.year + 1:
            yield _err("V2", target.at("years_in_field"), f"{what}:{years_label}长于参加工作的年数,请核对。")


def _example(spec: KindSpec, field: str) -> str:
    found = spec.field(field)
    return found.example if found and found.example else "年-月-日"


def _assessment_problems(ctx: _Context, target: Target, what: str, i: Individual) -> Iterator[Problem]:
    el = ctx.campaign.eligibility
    by_year = {a.year: a.result for a in i.assessments}
    for year in el.assessment_years:
        result = by_year.get(year, "").strip()
        field = target.at(f"assessments.{year}")
        if not result:
            yield _err("E3", field, f"{what}:请填写{year}年度考核结果。")
        elif result in el.bad_assessments:
            condition = f",不符合“{el.assessment_condition}”的条件" if el.assessment_condition else ""
            yield _err("E3", field, f"{what}:{year}年度考核结果为“{result}”{condition},不能推荐。")
        elif result not in el.good_assessments:
            yield _err("V2", field, f"{what}:{year}年度考核结果“{result}”无法识别,请从列表中选择。")


def _publicity_problems(
    ctx: _Context, per: str, target: Target, what: str, publicity: dict[str, Period]
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
        count = count_workdays(start, end, ctx.campaign.workdays)
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


_photo_cache: dict[tuple[bytes, object], list[Problem]] = {}


def _photo_problems(ctx: _Context, target: Target, what: str, i: Individual) -> Iterator[Problem]:
    field = target.at("photo")
    rules = ctx.campaign.photo
    needed = ctx.campaign.stages[ctx.stage].photos or ctx.prints("individual", "photo")
    if not i.photo.strip() and i.photo_data is None:
        if needed:
            yield _err("F2", field, f"{what}:请添加{rules.size_name}白底证件照(JPG格式)。")
        return
    for p in photo_rules.check_photo_name(i.photo, name=i.name, birth=i.birth_date, target=field):
        yield p
    if i.photo_data is not None:
        key = (hashlib.sha256(i.photo_data).digest(), rules)
        if key not in _photo_cache:
            if len(_photo_cache) > 2000:
                _photo_cache.clear()
            _photo_cache[key] = photo_rules.check_photo_bytes(i.photo_data, rules, target="")
        for p in _photo_cache[key]:
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
        yield from _choice_problems(ctx, "member", m, target, what)
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


def _duplicate_problems(
    ctx: _Context, collectives: list[Collective], individuals: list[Individual]
) -> Iterator[Problem]:
    c_spec, i_spec = ctx.kind("collective"), ctx.kind("individual")
    seen_c: dict[str, int] = {}
    for n, c in enumerate(collectives):
        key = re.sub(r"\s", "", c.name)
        if not key:
            continue
        if key in seen_c:
            yield _err(
                "V4",
                Target.of_record("collective", c.id, n, "name"),
                f"{c_spec.label}“{c.name}”与第{seen_c[key] + 1}{c_spec.measure}重复推荐,请删除其中一个。",
            )
        else:
            seen_c[key] = n
    seen_i: dict[tuple[str, str], int] = {}
    for n, i in enumerate(individuals):
        person = (re.sub(r"\s", "", i.name), i.birth_date.strip())
        if not person[0]:
            continue
        if person in seen_i:
            yield _err(
                "V4",
                Target.of_record("individual", i.id, n, "name"),
                f"{i_spec.label}“{i.name}”({i_spec.label_of('birth_date')}{i.birth_date})"
                f"与第{seen_i[person] + 1}{i_spec.measure}重复推荐,请删除其中一个。",
            )
        else:
            seen_i[person] = n


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


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


__all__ = ["Severity", "check", "field_label", "phone_example", "summarize"]
