"""Reading a format-3 campaign file's `[[rules]]`.

Each rule is `{ id, kind, severity, of, message?, … }` with the parameters its kind takes (see
`nominator.campaign.rulebook.Rule`); every field, category, level, unit kind and hook it names must
exist, every value it compares a choice field with must be one of its choices, and its numbers must
mean something (a percentage up to 100, years that exist, a date range some date fits): a rule that
could never apply, or always would, is refused when the file is loaded, not found out while a
dossier is checked. A key its kind does not take is refused like any unknown key, and so is the
same rule written twice. `rule_views` gives the rules in the shape format 2 had.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from nominator.campaign.model import (
    KindSpec,
)
from nominator.campaign.reading import AGE_MOST, FACTOR_HINT, YEAR_FIRST, YEAR_LAST, Reader, placeholders
from nominator.campaign.rulebook import HOOK_NAMES, RULE_KINDS, SEVERITIES, PriorException, Rule

RULE_ID_HELP = "规则编号应为大写字母加数字,如“Q1”“W2”。"
# The kinds whose default sentence a campaign may replace with its own words, and the names the
# sentence may use in {braces}.
MESSAGE_NAMES = {
    "excluded_value": {"value", "label"},
    "requires_prior": {"category", "honours", "label"},
    "share_at_most": {"value", "count", "measure", "label", "total", "share", "percent"},
    "share_at_least": {"value", "count", "measure", "label", "total", "fraction", "num", "den"},
}


def read_rules(
    top: Reader,
    kinds: dict[str, KindSpec],
    unit_kinds: set[str],
    nominees: tuple[str, ...],
    *,
    allocation_by: tuple[str, ...] = ("kind",),
    notice_date: dt.date | None = None,
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    scope = _Scope(kinds, unit_kinds, nominees, allocation_by, notice_date)
    for r in top.tables("rules", optional=True):
        rule = _rule(r, scope)
        if rule in rules:  # a copy left behind: the clerk would see each problem twice
            r.fail("id", f"“{rule.id}”这条规则与第{rules.index(rule) + 1}条规则完全相同,请删除其中一条。")
        rules.append(rule)
    return tuple(rules)


def _rule(r: Reader, scope: _Scope) -> Rule:
    rule_id = r.text("id")
    if not re.fullmatch(r"[A-Z]{1,3}\d{1,3}", rule_id):
        r.fail("id", f"“{rule_id}”不符合要求:{RULE_ID_HELP}")
    kind = r.text("kind")
    if kind not in RULE_KINDS:
        r.fail("kind", f"“{kind}”不是本程序认识的规则类型(可用:{'、'.join(RULE_KINDS)})。")
    severity = r.text("severity", "error")
    if severity not in SEVERITIES:
        r.fail("severity", f"应为 error(错误,不能报送)或 warning(提醒,可填写说明),当前为“{severity}”。")
    of = _of(r, scope)
    message = ""
    if kind in MESSAGE_NAMES:
        message = r.text("message", "")
        placeholders(r, "message", message, MESSAGE_NAMES[kind])
    rule = Rule(id=rule_id, kind=kind, severity=severity, of=of, message=message)
    read = RULE_READERS[kind]
    return read(r, rule, scope)


class _Scope:
    def __init__(
        self,
        kinds: dict[str, KindSpec],
        unit_kinds: set[str],
        nominees: tuple[str, ...],
        allocation_by: tuple[str, ...],
        notice_date: dt.date | None,
    ) -> None:
        self.kinds, self.unit_kinds, self.nominees = kinds, unit_kinds, nominees
        self.allocation_by, self.notice_date = allocation_by, notice_date


def _of(r: Reader, scope: _Scope) -> tuple[str, ...]:
    nominees = scope.nominees
    listed = "、".join(nominees)
    if not r.has("of"):
        r.seen.add("of")
        if len(nominees) != 1:
            r.fail("of", f"缺少这一项:本活动推荐多类对象,请写明这条规则适用于哪一类({listed})。")
        return nominees
    raw = r.data["of"]
    of = (r.text("of"),) if isinstance(raw, str) else r.texts("of")
    if not of:
        r.fail("of", f"不能为空:请写明这条规则适用于哪一类推荐对象({listed})。")
    for name in of:
        if name not in nominees:
            r.fail("of", f"“{name}”不是本活动的推荐对象类别(可用:{listed})。")
    if len(set(of)) != len(of):
        r.fail("of", "中有重复的类别,请删去重复的。")
    return of


def _field(r: Reader, rule: Rule, scope: _Scope, key: str = "field", types: tuple[str, ...] = ()) -> str:
    name = r.text(key)
    for kind in rule.of:
        spec = scope.kinds[kind].field(name)
        if spec is None:
            r.fail(key, f"“{name}”不是{scope.kinds[kind].label}的字段。")
        if types and spec.type not in types:
            r.fail(key, f"“{name}”的类型应为{'、'.join(types)}之一。")
    return name


def _among_choices(
    r: Reader,
    key: str,
    rule: Rule,
    scope: _Scope,
    field: str,
    values: tuple[str, ...],
    *,
    single: bool = False,
) -> None:
    """Values a rule compares a choice field with are among its choices: a value no record can
    hold would make the rule never (or always) apply, silently."""
    for kind in rule.of:
        spec = scope.kinds[kind].field(field)
        if spec is None or spec.type not in ("choice", "multichoice", "rows") or not spec.choices:
            continue
        for n, value in enumerate(values):
            if value not in spec.choices:
                where = key if single else f"{key}[{n}]"
                r.doc.fail(
                    r.key_path(where),
                    f"“{value}”不是“{spec.label}”的选项(见 [choices] 中的列表),请与选项写得完全一致。",
                )


def _categories(r: Reader, rule: Rule, scope: _Scope) -> tuple[tuple[str, ...], tuple[str, ...]]:
    categories = _one_or_many(r, "category", "categories")
    levels = _one_or_many(r, "level", "levels")
    for kind in rule.of:
        spec = scope.kinds[kind]
        for cat in categories:
            if spec.category(cat) is None:
                r.fail("category" if r.has("category") else "categories", f"“{cat}”不是{spec.label}的类别。")
        known = {lvl for c in spec.categories for lvl in c.levels} | set(spec.levels)
        for level in levels:
            if level not in known:
                r.fail("level" if r.has("level") else "levels", f"“{level}”不是{spec.label}的级别。")
            for cat in categories:
                if level not in spec.levels_of(cat):
                    r.fail(
                        "level" if r.has("level") else "levels",
                        f"{spec.category_label(cat)}没有“{level}”这一级别(见 categories),这条规则不会用到,请核对。",
                    )
    return categories, levels


def _one_or_many(r: Reader, one: str, many: str) -> tuple[str, ...]:
    if r.has(one) and r.has(many):
        r.fail(many, f"与“{one}”只写一个。")
    if r.has(one):
        return (r.text(one),)
    return r.texts(many, ())


def _years(r: Reader, key: str) -> tuple[int, ...]:
    years = r.integers(key, minimum=YEAR_FIRST, maximum=YEAR_LAST)
    if not years:
        r.fail(key, "至少要写一个年份(通知所说的各年,如近三年)。")
    if len(set(years)) != len(years):
        r.fail(key, "中有重复的年份,请删去重复的。")
    return years


def _fraction(r: Reader, key: str) -> tuple[int, int]:
    pair = r.integers(key)
    if len(pair) != 2 or pair[1] < 1 or not 0 <= pair[0] <= pair[1]:
        r.fail(key, "应写成 [分子, 分母],如 [1, 2] 表示一半。")
    return pair[0], pair[1]


def _factor(r: Reader, default: tuple[int, int] | None) -> tuple[int, int]:
    if default is not None and not r.has("factor"):
        r.seen.add("factor")
        return default
    factor = r.integers("factor")
    if len(factor) != 2 or factor[0] < 1 or factor[1] < 1:
        r.fail("factor", FACTOR_HINT)
    return factor[0], factor[1]


def _unit_kinds(r: Reader, scope: _Scope, *, needed: bool) -> tuple[str, ...]:
    found = r.texts("unit_kinds") if needed else r.texts("unit_kinds", ())
    if needed and not found:
        r.fail("unit_kinds", "至少要写一类推荐单位(见 [unit_kinds]),否则这条规则不会用到。")
    for name in found:
        if name not in scope.unit_kinds:
            r.fail("unit_kinds", f"“{name}”不在 [unit_kinds] 中。")
    return found


def _counts(r: Reader, key: str, rule: Rule, scope: _Scope, *, needed: bool) -> dict[str, int]:
    t = r.table(key, optional=not needed)
    if t is None:
        return {}
    found = {}
    for name in list(t.data):
        if name not in rule.of:
            t.fail(name, "不是这条规则所说的推荐对象类别(见 of)。")
        found[name] = t.integer(name)
    return found


def _by_kind(r: Reader, rule: Rule, scope: _Scope) -> None:
    """A quota per nominee kind needs an allocation per kind ([allocation] by = ["kind"])."""
    if scope.allocation_by != ("kind",):
        r.fail(
            "kind",
            f"“{rule.kind}”按每类推荐对象的分配名额计算,与 [allocation] by 不符;按类别分配名额请用 category_quota。",
        )
    for kind in rule.of:
        if kind not in KIND_ALLOCATIONS:
            r.fail(
                "of",
                f"“{kind}”没有按类分配的名额(只有{'、'.join(KIND_ALLOCATIONS)}有),请用 category_quota 或删除这条规则。",
            )


def _ceiling(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    _by_kind(r, rule, scope)
    return _replace(rule, factor=_factor(r, None))


def _fixed_max(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    _by_kind(r, rule, scope)
    found = _replace(
        rule,
        unit_kinds=_unit_kinds(r, scope, needed=True),
        maximum=_counts(r, "max", rule, scope, needed=True),
        minimum=_counts(r, "min", rule, scope, needed=False),
    )
    for kind, low in found.minimum.items():
        if low > found.maximum.get(kind, 0):
            r.need_table("min").fail(kind, f"为{low},大于 max 中的{found.maximum.get(kind, 0)},请核对。")
    return found


def _category_quota(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    for kind in rule.of:
        if not scope.kinds[kind].categories:
            r.fail("of", f"{scope.kinds[kind].label}没有类别(categories),不能按类别分配名额。")
    if "category" not in scope.allocation_by:
        r.fail("kind", '按类别的名额需要 [allocation] by = ["category"] 或 ["category", "level"]。')
    return _replace(rule, factor=_factor(r, (1, 1)))


def _share_at_most(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    found = _replace(
        rule,
        field=_field(r, rule, scope),
        value=r.text("value"),
        percent=r.integer("percent", maximum=100),
        always_allowed=r.integer("always_allowed", 0),
    )
    _among_choices(r, "value", found, scope, found.field, (found.value,), single=True)
    return found


def _share_at_least(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    found = _replace(
        rule,
        field=_field(r, rule, scope),
        value=r.text("value"),
        share=_fraction(r, "share"),
        unit_kinds=_unit_kinds(r, scope, needed=False),
    )
    _among_choices(r, "value", found, scope, found.field, (found.value,), single=True)
    return found


def _requires_prior(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    categories, levels = _categories(r, rule, scope)
    field = _field(r, rule, scope, types=("choice", "multichoice", "line", "text"))
    honours = r.texts("any_of")
    if not honours:
        r.fail("any_of", "至少要写一项往届荣誉,否则没有对象能够申报。")
    _among_choices(r, "any_of", rule, scope, field, honours)
    exception = None
    x = r.table("exception", optional=True)
    if x is not None:
        reason = _field(x, rule, scope, "reason", types=("text", "line"))
        if reason == field:
            x.fail("reason", f"“{reason}”是记录往届荣誉的栏目;破格理由要写在另一个文字栏目中。")
        on = _field(x, rule, scope) if x.has("field") else ""
        if on in (field, reason):
            x.fail("field", f"“{on}”不能是往届荣誉或破格理由的栏目;请写决定能否破格的栏目(如单位的类型)。")
        values = x.texts("values") if on else ()
        if on and not values:
            x.fail("values", "至少要写一个可以破格的值。")
        _among_choices(x, "values", rule, scope, on, values)
        if not on:
            x.seen.update({"field", "values"})
        exception = PriorException(reason=reason, field=on, values=values)
    return _replace(
        rule, categories=categories, levels=levels, field=field, values=honours, exception=exception
    )


def _excluded_value(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    categories, levels = _categories(r, rule, scope)
    field = _field(r, rule, scope)
    values = r.texts("values", ())
    for kind in rule.of:
        spec = scope.kinds[kind].field(field)
        if spec is not None and spec.type != "check" and not values:
            r.fail("values", "缺少这一项:请写出不参评的值(勾选项可以不写)。")
    _among_choices(r, "values", rule, scope, field, values)
    return _replace(
        rule,
        categories=categories,
        levels=levels,
        field=field,
        values=values,
        name_suffix=r.text("name_suffix", ""),
    )


def _required(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    reasons = r.words("fields")
    table = r.need_table("fields")
    if not reasons:
        r.fail("fields", '至少要写一个必填的字段,如 { 字段 = "为什么必填" }。')
    for name in reasons:
        for kind in rule.of:
            if scope.kinds[kind].field(name) is None:
                table.fail(name, f"“{name}”不是{scope.kinds[kind].label}的字段。")
    return _replace(rule, reasons=reasons)


def _rows_in(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    field = _field(r, rule, scope, types=("rows",))
    label = scope.kinds[rule.of[0]].label_of(field) if rule.of else field
    found = _replace(
        rule,
        field=field,
        years=_years(r, "years"),
        good=r.texts("good"),
        bad=r.texts("bad", ()),
        condition=r.text("condition", ""),
        label=label,
    )
    if not found.good:
        r.fail("good", "至少要写一个符合条件的结果(选项中的原话)。")
    _among_choices(r, "good", found, scope, field, found.good)
    _among_choices(r, "bad", found, scope, field, found.bad)
    both = sorted(set(found.good) & set(found.bad))
    if both:
        r.fail("bad", f"“{both[0]}”同时写在 good 和 bad 中,请只留一处。")
    return found


def _attestations(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    for kind in rule.of:
        if not scope.kinds[kind].attestations:
            r.fail("of", f"{scope.kinds[kind].label}没有要勾选的承诺事项(见 [kinds.{kind}.attestations])。")
    return rule


def _date_range(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    found = _replace(
        rule,
        field=_field(r, rule, scope, types=("date",)),
        earliest_year=r.integer("earliest_year", minimum=YEAR_FIRST, maximum=YEAR_LAST),
        span=r.integer("years_before_today", 0, maximum=AGE_MOST),
    )
    if scope.notice_date is not None:
        latest = scope.notice_date.year - found.span
        if found.earliest_year > latest:
            r.fail(
                "earliest_year",
                f"为{found.earliest_year}年,晚于通知当年前{found.span}年({latest}年),没有日期能在这个范围内,请核对。",
            )
    return found


def _date_after(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    found = _replace(
        rule,
        field=_field(r, rule, scope, types=("date", "month")),
        after=_field(r, rule, scope, "after", types=("date", "month")),
        span=r.integer("years", 0, maximum=AGE_MOST),
    )
    if found.after == found.field:
        r.fail("after", f"“{found.after}”就是 field 本身,请写另一个日期栏目(如出生日期)。")
    return found


def _unique(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    fields = r.texts("fields")
    for n, name in enumerate(fields):
        for kind in rule.of:
            if scope.kinds[kind].field(name) is None:
                r.doc.fail(f"{r.key_path('fields')}[{n}]", f"“{name}”不是{scope.kinds[kind].label}的字段。")
    if not fields:
        r.fail("fields", "至少要写一个字段。")
    return _replace(rule, fields=fields)


def _hook(r: Reader, rule: Rule, scope: _Scope) -> Rule:
    name = r.text("hook")
    if name not in HOOK_NAMES:
        r.fail("hook", f"“{name}”不是本程序的检查函数(可用:{'、'.join(HOOK_NAMES)})。")
    return _replace(
        rule,
        hook=name,
        field=_field(r, rule, scope, types=("number",)),
        after=_field(r, rule, scope, "after", types=("date", "month")) if r.has("after") else "",
    )


# The nominee kinds a unit's allocation is typed in for, one number each (Unit.allocation).
KIND_ALLOCATIONS = ("collective", "individual")


def _replace(rule: Rule, **changes: object) -> Rule:
    return dataclasses.replace(rule, **changes)  # type: ignore[arg-type]


RULE_READERS = {
    "ceiling": _ceiling,
    "fixed_max": _fixed_max,
    "category_quota": _category_quota,
    "share_at_most": _share_at_most,
    "share_at_least": _share_at_least,
    "requires_prior": _requires_prior,
    "excluded_value": _excluded_value,
    "required": _required,
    "rows_in": _rows_in,
    "attestations": _attestations,
    "date_range": _date_range,
    "date_after": _date_after,
    "unique": _unique,
    "hook": _hook,
}
