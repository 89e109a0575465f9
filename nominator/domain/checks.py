"""The one checker: every rule of the rule book, for one stage, as a list of Problems.

The window (while the clerk types), `nominator check` and the export refusal all call `check`.
Each Problem names its rule ID, says in Chinese what is wrong and how to fix it, and points at
the record and field (`individuals[2].birth_date`, indexed in recommendation order).
A warning the clerk has accepted with a written reason (overrides) is reported as overridden.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from nominator.campaign import Campaign
from nominator.domain import photo as photo_rules
from nominator.domain.model import (
    ETHNICITIES,
    GENDERS,
    LEVELS,
    MEMBER_ROLES,
    NATURES,
    RANKS,
    UNIT_KINDS,
    Collective,
    Dossier,
    Individual,
    Member,
    Period,
    parse_date,
    parse_month,
)
from nominator.domain.naming import unit_name_problem
from nominator.domain.problems import Problem, Severity
from nominator.domain.quota import quota_ceiling
from nominator.domain.workdays import count_workdays

STAGE_NAMES = {"initial": "初审", "formal": "正式"}
PUBLICITY_NAMES = {"unit": "所在单位公示", "region": "本市(本部门)范围公示"}
PUBLICITY_RULES = {"unit": "P1", "region": "P2"}

FIELD_LABELS = {
    "name": "姓名",
    "collective_name": "集体名称",
    "level": "层级",
    "nature": "单位性质",
    "leader": "负责人及职务",
    "staff_count": "在编人数",
    "contact": "联系人",
    "phone": "联系电话",
    "deeds_brief": "主要事迹(简要)",
    "deeds_full": "主要事迹(全文)",
    "honors": "曾获荣誉",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "political_status": "政治面貌",
    "education": "学历(学位)",
    "work_start": "参加工作时间",
    "unit_and_title": "工作单位及职务",
    "rank": "职级",
    "years_in_field": "从事政务公开工作年限",
    "resume": "简历",
    "role": "工作机构职务",
    "photo": "照片",
}

LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def check(dossier: Dossier, campaign: Campaign, stage: str, *, today: dt.date | None = None) -> list[Problem]:
    if stage not in campaign.stages:
        raise ValueError(f"unknown stage {stage!r}")
    dossier = dossier.for_stage(stage)
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
    problems += _duplicate_problems(collectives, individuals)
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


def _overridable(problems: Iterable[Problem], overrides: dict[str, str]) -> list[Problem]:
    """A warning with a written reason for its rule is kept, marked overridden; errors stay."""
    result = []
    for p in problems:
        if p.severity == "warning" and overrides.get(p.rule, "").strip():
            p = dataclasses.replace(p, overridden=True)
        result.append(p)
    return result


def _err(rule: str, target: str, message: str) -> Problem:
    return Problem(rule, "error", target, message)


def _warn(rule: str, target: str, message: str) -> Problem:
    return Problem(rule, "warning", target, message)


# ---- the unit, its quota and the deadline --------------------------------------------------


def _unit_problems(ctx: _Context) -> Iterator[Problem]:
    unit, campaign = ctx.dossier.unit, ctx.campaign
    if unit.kind not in UNIT_KINDS:
        yield _err("V2", "unit.kind", "推荐单位类别应为“市”“省直单位”或“其他有关单位”,请重新选择。")
    problem = unit_name_problem(unit)
    if problem:
        yield _err("M4", "unit.name", problem + "邮件主题和材料标题都使用这个名称。")
    for field in ("contact", "phone"):
        if ctx.prints("unit", f"unit.{field}") and not getattr(unit, field).strip():
            yield _err("V1", f"unit.{field}", f"请填写推荐单位的{FIELD_LABELS[field]}(汇总表表头需要)。")
    yield from _phone_problem("unit.phone", unit.phone)
    yield from _quota_problems(ctx)
    deadline = campaign.deadlines.get(ctx.stage)
    if deadline and ctx.today > deadline:
        late = (ctx.today - deadline).days
        yield _warn(
            "D1",
            "unit",
            f"{STAGE_NAMES[ctx.stage]}材料的报送截止日期是{_cn_date(deadline)},已过期{late}天。"
            "如已与省评选表彰办沟通,请填写说明。",
        )


def _quota_problems(ctx: _Context) -> Iterator[Problem]:
    unit, campaign, q = ctx.dossier.unit, ctx.campaign, ctx.campaign.quota
    collectives, individuals = ctx.dossier.collectives, ctx.dossier.individuals
    max_c, max_i = quota_ceiling(unit, campaign)
    rule = "Q1" if unit.kind == "region" or max_c != q.department_max_collectives else "Q2"
    for kind, count, ceiling, alloc, noun in (
        ("collectives", len(collectives), max_c, unit.allocation.collectives, "个先进集体"),
        ("individuals", len(individuals), max_i, unit.allocation.individuals, "名先进个人"),
    ):
        if ceiling is None:
            yield _err("Q1", f"unit.allocation.{kind}", f"请按附件10填写本地区分配的{noun[1:]}名额。")
            continue
        if alloc is not None and alloc < 0:
            yield _err("V2", f"unit.allocation.{kind}", "分配名额不能为负数。")
        if count > ceiling:
            if rule == "Q1":
                why = f"分配名额{alloc}个,可上浮20%推荐{ceiling}{noun[0]}(四舍五入)"
            else:
                why = f"省直单位原则上推荐先进集体{q.department_max_collectives}个、先进个人1至{q.department_max_individuals}名"
            yield _err(rule, kind, f"已填报{count}{noun},超过名额:{why}。请删减{count - ceiling}{noun[0]}。")
    n = len(individuals)
    county = sum(1 for i in individuals if i.rank == q.county_rank)
    if n and county * 100 > q.county_rank_max_percent * n:
        yield _warn(
            "Q3",
            "individuals",
            f"{q.county_rank}干部{county}名,占先进个人{n}名的{county * 100 // n}%,"
            f"超过原则上{q.county_rank_max_percent}%的比例。请调整,或填写说明。",
        )
    if unit.kind == "region":
        grass_c = sum(1 for c in collectives if c.level == q.grassroots_level)
        num, den = (
            q.region_min_grassroots_collectives_numerator,
            q.region_min_grassroots_collectives_denominator,
        )
        if collectives and grass_c * den < num * len(collectives):
            yield _warn(
                "Q4",
                "collectives",
                f"先进集体中{q.grassroots_level}仅{grass_c}个(共{len(collectives)}个),"
                "少于一半。评选面向基层一线,请优先推荐县级及以下单位,或填写说明。",
            )
        grass_i = sum(1 for i in individuals if i.level == q.grassroots_level)
        num, den = (
            q.region_min_grassroots_individuals_numerator,
            q.region_min_grassroots_individuals_denominator,
        )
        if individuals and grass_i * den < num * n:
            yield _warn(
                "Q4",
                "individuals",
                f"先进个人中{q.grassroots_level}仅{grass_i}名(共{n}名),低于全省{num}/{den}的比例。"
                "请优先推荐基层一线人员,或填写说明。",
            )


# ---- records ------------------------------------------------------------------------------


def _required(
    ctx: _Context, per: str, record: Any, target: str, fields: Iterable[str], what: str
) -> Iterator[Problem]:
    for field in fields:
        if not ctx.prints(per, field):
            continue
        value = getattr(record, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = FIELD_LABELS["collective_name" if per == "collective" and field == "name" else field]
            yield _err("V1", f"{target}.{field}", f"{what}:请填写“{label}”(表格中要打印此项,没有的填“无”)。")


def _limit_problems(
    ctx: _Context, target: str, what: str, texts: dict[str, tuple[str, str]]
) -> Iterator[Problem]:
    """V3: texts maps field → (limit key, value)."""
    for field, (limit_key, value) in texts.items():
        limit = ctx.campaign.limits.get(limit_key)
        length = len(value.strip())
        if limit is not None and length > limit:
            label = FIELD_LABELS.get(field, field)
            yield _err(
                "V3",
                f"{target}.{field}",
                f"{what}:“{label}”共{length}字,超过{limit}字的限制,请精简{length - limit}字。",
            )


def _collective_problems(ctx: _Context, n: int, c: Collective) -> Iterator[Problem]:
    target = f"collectives[{n}]"
    what = f"先进集体“{c.name.strip() or f'第{n + 1}个'}”"
    fields = (
        "name",
        "level",
        "nature",
        "leader",
        "staff_count",
        "contact",
        "phone",
        "deeds_brief",
        "deeds_full",
        "honors",
    )
    yield from _required(ctx, "collective", c, target, fields, what)
    if c.level and c.level not in LEVELS:
        yield _err("V2", f"{target}.level", f"{what}:层级应为“省直”“市直”或“县级及以下”。")
    if c.nature and c.nature not in NATURES:
        yield _err("V2", f"{target}.nature", f"{what}:单位性质应为“行政机关”“内设机构”或“事业单位”。")
    if c.staff_count is not None and c.staff_count < 1:
        yield _err("V2", f"{target}.staff_count", f"{what}:在编人数应为正整数。")
    yield from _phone_problem(f"{target}.phone", c.phone, what)
    yield from _limit_problems(
        ctx,
        target,
        what,
        {
            "name": ("collective_name", c.name),
            "leader": ("leader", c.leader),
            "deeds_brief": ("deeds_brief_collective", c.deeds_brief),
            "deeds_full": ("deeds_full", c.deeds_full),
            "honors": ("honors", c.honors),
        },
    )
    if c.deputy_bureau_or_above:
        yield _warn(
            "E1",
            f"{target}.deputy_bureau_or_above",
            f"{what}为副厅(局)级以上单位,一般不参评。如确需推荐,请填写理由。",
        )
    if c.county_government_or_above or c.name.strip().endswith("人民政府"):
        yield _warn(
            "E1",
            f"{target}.county_government_or_above",
            f"{what}为县级以上政府,一般不参评。如确需推荐,请填写理由。",
        )
    for key, wording in ctx.campaign.eligibility.collective_attestations.items():
        if not c.attestations.get(key):
            yield _err(
                "E5", f"{target}.attestations.{key}", f"{what}:请核实并勾选“{wording}”,不符合的不能推荐。"
            )
    yield from _publicity_problems(ctx, "collective", target, what, c.publicity)


def _individual_problems(ctx: _Context, n: int, i: Individual) -> Iterator[Problem]:
    target = f"individuals[{n}]"
    what = f"先进个人“{i.name.strip() or f'第{n + 1}名'}”"
    basic = (
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "political_status",
        "education",
        "work_start",
        "rank",
        "level",
    )
    yield from _required(
        ctx, "individual", i, target, (*basic, "resume", "deeds_brief", "deeds_full", "honors"), what
    )
    # E2: only in-service staff doing 政务公开 work in an eligible unit.
    if not i.unit_and_title.strip():
        yield _err("E2", f"{target}.unit_and_title", f"{what}:请填写工作单位及职务(须为在职干部职工)。")
    if ctx.prints("individual", "years_in_field") and not i.years_in_field:
        yield _err(
            "E2", f"{target}.years_in_field", f"{what}:请填写从事政务公开工作年限(须从事政务公开工作)。"
        )
    if i.gender and i.gender not in GENDERS:
        yield _err("V2", f"{target}.gender", f"{what}:性别应为“男”或“女”。")
    if i.ethnicity and i.ethnicity not in ETHNICITIES:
        yield _err(
            "V2",
            f"{target}.ethnicity",
            f"{what}:民族“{i.ethnicity}”不在56个民族名称中,请从列表中选择(如“汉族”)。",
        )
    if i.level and i.level not in LEVELS:
        yield _err("V2", f"{target}.level", f"{what}:层级应为“省直”“市直”或“县级及以下”。")
    if i.rank and i.rank not in RANKS:
        yield _err("V2", f"{target}.rank", f"{what}:职级应从列表中选择(如“县处级”“乡科级”)。")
    yield from _person_date_problems(ctx, target, what, i)
    yield from _phone_problem(f"{target}.phone", i.phone, what)
    yield from _limit_problems(
        ctx,
        target,
        what,
        {
            "name": ("name", i.name),
            "unit_and_title": ("unit_and_title", i.unit_and_title),
            "resume": ("resume", i.resume),
            "deeds_brief": ("deeds_brief_individual", i.deeds_brief),
            "deeds_full": ("deeds_full", i.deeds_full),
            "honors": ("honors", i.honors),
        },
    )
    if i.rank == ctx.campaign.eligibility.excluded_rank:
        yield _warn("E1", f"{target}.rank", f"{what}为{i.rank}干部,一般不参评。如确需推荐,请填写理由。")
    yield from _assessment_problems(ctx, target, what, i)
    for key, wording in ctx.campaign.eligibility.individual_attestations.items():
        if not i.attestations.get(key):
            yield _err(
                "E4", f"{target}.attestations.{key}", f"{what}:请核实并勾选“{wording}”,不符合的不能推荐。"
            )
    yield from _publicity_problems(ctx, "individual", target, what, i.publicity)
    yield from _photo_problems(ctx, target, what, i)


def _person_date_problems(ctx: _Context, target: str, what: str, i: Individual) -> Iterator[Problem]:
    rules = ctx.campaign.validation
    birth = parse_date(i.birth_date) if i.birth_date else None
    if i.birth_date and birth is None:
        yield _err(
            "V2",
            f"{target}.birth_date",
            f"{what}:出生日期“{i.birth_date}”不是有效日期,请按“1966-01-01”的格式填写。",
        )
    if birth is not None:
        latest = _years_before(ctx.today, rules.min_age)
        if birth.year < rules.birth_min_year or birth > latest:
            yield _err(
                "V2",
                f"{target}.birth_date",
                f"{what}:出生日期{birth.isoformat()}不在合理范围({rules.birth_min_year}年至{latest.isoformat()}),请核对。",
            )
    start = parse_month(i.work_start) if i.work_start else None
    if i.work_start and start is None:
        yield _err(
            "V2", f"{target}.work_start", f"{what}:参加工作时间“{i.work_start}”无效,请按“1988-07”的格式填写。"
        )
    if start is not None:
        if start > ctx.today:
            yield _err("V2", f"{target}.work_start", f"{what}:参加工作时间晚于今天,请核对。")
        elif birth is not None and start < _years_after(birth, rules.work_start_min_age).replace(day=1):
            yield _err(
                "V2",
                f"{target}.work_start",
                f"{what}:参加工作时间早于{rules.work_start_min_age}周岁,请核对出生日期和参加工作时间。",
            )
    if i.years_in_field is not None:
        if i.years_in_field < 0:
            yield _err("V2", f"{target}.years_in_field", f"{what}:从事政务公开工作年限不能为负数。")
        elif start is not None and i.years_in_field > ctx.today.year - start.year + 1:
            yield _err(
                "V2", f"{target}.years_in_field", f"{what}:从事政务公开工作年限长于参加工作的年数,请核对。"
            )


def _assessment_problems(ctx: _Context, target: str, what: str, i: Individual) -> Iterator[Problem]:
    el = ctx.campaign.eligibility
    by_year = {a.year: a.result for a in i.assessments}
    for year in el.assessment_years:
        result = by_year.get(year, "").strip()
        field = f"{target}.assessments.{year}"
        if not result:
            yield _err("E3", field, f"{what}:请填写{year}年度考核结果。")
        elif result in el.bad_assessments:
            yield _err(
                "E3",
                field,
                f"{what}:{year}年度考核结果为“{result}”,不符合“近年来年度考核均为称职以上等次”的条件,不能推荐。",
            )
        elif result not in el.good_assessments:
            yield _err("V2", field, f"{what}:{year}年度考核结果“{result}”无法识别,请从列表中选择。")


def _publicity_problems(
    ctx: _Context, per: str, target: str, what: str, publicity: dict[str, Period]
) -> Iterator[Problem]:
    for level in ("unit", "region"):
        if not ctx.prints(per, f"publicity.{level}"):
            continue
        rule, name = PUBLICITY_RULES[level], PUBLICITY_NAMES[level]
        field = f"{target}.publicity.{level}"
        period = publicity.get(level, Period())
        days_needed = ctx.campaign.publicity.working_days
        if not period.start.strip() or not period.end.strip():
            yield _err(rule, field, f"{what}:请填写{name}的起止日期(须公示{days_needed}个工作日)。")
            continue
        start, end = parse_date(period.start), parse_date(period.end)
        if start is None or end is None:
            bad = period.start if start is None else period.end
            yield _err("V2", field, f"{what}:{name}日期“{bad}”不是有效日期,请按“2025-12-08”的格式填写。")
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
        if not period.result.strip():
            yield _err("V1", field, f"{what}:请填写{name}结果(如“无异议”)。")


_photo_cache: dict[bytes, list[Problem]] = {}


def _photo_problems(ctx: _Context, target: str, what: str, i: Individual) -> Iterator[Problem]:
    field = f"{target}.photo"
    needed = ctx.campaign.stages[ctx.stage].photos or ctx.prints("individual", "photo")
    if not i.photo.strip() and i.photo_data is None:
        if needed:
            yield _err("F2", field, f"{what}:请添加2寸白底证件照(JPG格式)。")
        return
    for p in photo_rules.check_photo_name(i.photo, name=i.name, birth=i.birth_date, target=field):
        yield p
    if i.photo_data is not None:
        key = hashlib.sha256(i.photo_data).digest()
        if key not in _photo_cache:
            if len(_photo_cache) > 2000:
                _photo_cache.clear()
            _photo_cache[key] = photo_rules.check_photo_bytes(i.photo_data, ctx.campaign.photo, target="")
        for p in _photo_cache[key]:
            yield dataclasses.replace(p, target=field, message=f"{what}:{p.message}")


def _member_problems(ctx: _Context, members: list[Member]) -> Iterator[Problem]:
    if not ctx.prints("unit", "members"):
        return
    if not members:
        yield _err("V1", "members", "请填写评选表彰工作机构成员名单(附件9)。")
    for n, m in enumerate(members):
        target = f"members[{n}]"
        what = f"工作机构成员“{m.name.strip() or f'第{n + 1}名'}”"
        for field in ("name", "unit_and_title", "role", "phone"):
            if not getattr(m, field).strip():
                yield _err("V1", f"{target}.{field}", f"{what}:请填写“{FIELD_LABELS[field]}”。")
        if m.role and m.role not in MEMBER_ROLES:
            yield _err("V2", f"{target}.role", f"{what}:工作机构职务应为{'、'.join(MEMBER_ROLES)}之一。")
        yield from _phone_problem(f"{target}.phone", m.phone, what)


def _report_problems(ctx: _Context) -> Iterator[Problem]:
    stage_rules = ctx.campaign.stages[ctx.stage]
    report = ctx.dossier.reports.get(stage_rules.report)
    title = f"{stage_rules.name}推荐工作报告"
    target = f"reports.{stage_rules.report}"
    limit = ctx.campaign.limits.get("report_section")
    for section in ctx.campaign.reports.get(stage_rules.report, ()):
        text = report.sections.get(section.key, "").strip() if report else ""
        if not text:
            yield _err("V1", f"{target}.{section.key}", f"{title}:请填写“{section.heading}”部分。")
        elif limit is not None and len(text) > limit:
            yield _err(
                "V3",
                f"{target}.{section.key}",
                f"{title}:“{section.heading}”共{len(text)}字,超过{limit}字的限制。",
            )
    date_text = report.date.strip() if report else ""
    if not date_text:
        yield _err("V1", f"{target}.date", f"{title}:请填写成文日期。")
    elif parse_date(date_text) is None:
        yield _err("V2", f"{target}.date", f"{title}:成文日期“{date_text}”不是有效日期。")


def _duplicate_problems(collectives: list[Collective], individuals: list[Individual]) -> Iterator[Problem]:
    seen_c: dict[str, int] = {}
    for n, c in enumerate(collectives):
        key = re.sub(r"\s", "", c.name)
        if not key:
            continue
        if key in seen_c:
            yield _err(
                "V4",
                f"collectives[{n}].name",
                f"先进集体“{c.name}”与第{seen_c[key] + 1}个重复推荐,请删除其中一个。",
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
                f"individuals[{n}].name",
                f"先进个人“{i.name}”(出生日期{i.birth_date})与第{seen_i[person] + 1}名重复推荐,请删除其中一个。",
            )
        else:
            seen_i[person] = n


# ---- small helpers -------------------------------------------------------------------------


def _phone_problem(target: str, phone: str, what: str = "推荐单位") -> Iterator[Problem]:
    value = phone.strip().replace(" ", "")
    if value and not (LANDLINE.match(value) or MOBILE.match(value)):
        yield _err(
            "V2",
            target,
            f"{what}:电话“{phone}”格式不对,请填写带区号的固定电话(如024-12345678)或11位手机号。",
        )


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


__all__ = ["FIELD_LABELS", "STAGE_NAMES", "Severity", "check", "summarize"]
