"""The rule kinds of a campaign file, each a function over generic records.

A record is what any campaign recommends: its kind, category and level, and a mapping of field
values (`nominator.domain.records.Record`); the stored `Collective` and `Individual` are seen that
way through `as_record`.
Each kind of rule (`nominator.campaign.rulebook`) is one function here that yields the Problems a
rule of that kind finds, with the rule's ID and a Target; `HOOKS` holds the few named functions
for what no kind covers. `domain/checks.py` runs them phase by phase among the fields' own
checks; `run_rules` runs a campaign's rules alone over any records.

The sentences are the mechanisms' own, around the campaign's words (labels, values, numbers);
a rule's `message` replaces the sentence where the notice's own words are wanted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from nominator.campaign import KindSpec
from nominator.campaign.rulebook import HOOK_NAMES, Rule
from nominator.domain.model import (
    allocation_key,
    date_problem,
    parse_date,
    parse_month,
    years_after,
    years_before,
)
from nominator.domain.problems import Problem, Target
from nominator.domain.quota import (
    allocation_of,
    fraction_words,
    missing_allocation_message,
    over_quota_message,
    scaled,
    uses_allocation,
)
from nominator.domain.records import Record, Scope, as_record, items_of, number_of, what


def _problem(rule: Rule, target: Target, message: str) -> Problem:
    return Problem(rule.id, "warning" if rule.severity == "warning" else "error", target, message)


def _filled(value: Any) -> bool:
    return bool(value.strip() if isinstance(value, str) else value)


# ---- rules run once, at the unit: quotas and shares -------------------------------------------


def ceiling(rule: Rule, scope: Scope) -> Iterator[Problem]:
    """Q1: a unit whose quota is its allocation may submit allocation × factor, half up."""
    unit, campaign = scope.unit, scope.campaign
    if not uses_allocation(unit, campaign):
        return
    for kind in rule.of:
        spec, count = campaign.kinds[kind], len(scope.of(kind))
        alloc = allocation_of(unit, kind)
        if alloc is None:
            yield _problem(rule, _allocation_target(spec), missing_allocation_message(campaign, spec))
            continue
        yield from _negative(spec, alloc)
        if count > scaled(alloc, rule.factor):
            yield _problem(rule, Target.of_list(kind), over_quota_message(unit, campaign, kind, count))


def fixed_max(rule: Rule, scope: Scope) -> Iterator[Problem]:
    """Q2: a unit of these kinds submits at most a fixed number of each nominee kind."""
    unit, campaign = scope.unit, scope.campaign
    if unit.kind not in rule.unit_kinds or uses_allocation(unit, campaign):
        return
    for kind in rule.of:
        spec, count = campaign.kinds[kind], len(scope.of(kind))
        alloc = allocation_of(unit, kind)
        if alloc is not None:
            yield from _negative(spec, alloc)
        if count > rule.maximum.get(kind, 0):
            yield _problem(rule, Target.of_list(kind), over_quota_message(unit, campaign, kind, count))


def _allocation_target(spec: KindSpec) -> Target:
    return Target.of_unit(f"allocation.{spec.json}")


def _negative(spec: KindSpec, alloc: int) -> Iterator[Problem]:
    if alloc < 0:
        yield Problem("V2", "error", _allocation_target(spec), "分配名额不能为负数。")


def category_quota(rule: Rule, scope: Scope) -> Iterator[Problem]:
    """Each category (and level) within the allocation the unit was given for it."""
    campaign, table = scope.campaign, scope.unit.allocation.table
    by_level = "level" in campaign.allocation.by
    source = campaign.allocation.source or "分配名额表"
    for kind in rule.of:
        spec, records = campaign.kinds[kind], scope.of(kind)
        for category in spec.categories:
            for level in spec.levels_of(category.id) if by_level else ("",):
                count = sum(
                    1 for r in records if r.category == category.id and (not level or r.level == level)
                )
                if not count:
                    continue
                name = spec.category_label(category.id, level)
                key = allocation_key(category.id, level)
                alloc = table.get(key)
                if alloc is None:
                    yield _problem(
                        rule,
                        Target.of_unit(f"allocation.{key}"),
                        f"已填报{name}{count}{spec.measure},请按{source}填写{name}的推荐名额。",
                    )
                    continue
                if alloc < 0:
                    yield Problem("V2", "error", Target.of_unit(f"allocation.{key}"), "分配名额不能为负数。")
                    continue
                most = scaled(alloc, rule.factor)
                if count > most:
                    yield _problem(
                        rule,
                        Target.of_unit(f"allocation.{key}"),  # as Q1: where the allocation is typed
                        f"{name}已填报{count}{spec.measure},超过{source}分配的{most}{spec.measure}名额。"
                        f"请删减{count - most}{spec.measure}。",
                    )


def share_at_most(rule: Rule, scope: Scope) -> Iterator[Problem]:
    """Q3: at most a percentage of a kind's records have `field` = `value`."""
    for kind in rule.of:
        spec, records = scope.campaign.kinds[kind], scope.of(kind)
        total = len(records)
        if not total:
            continue
        count = sum(1 for r in records if r.get(rule.field, "") == rule.value)
        if count <= rule.always_allowed or count * 100 <= rule.percent * total:
            continue
        words = {
            "value": rule.value,
            "count": count,
            "measure": spec.measure,
            "label": spec.label,
            "total": total,
            "share": count * 100 // total,
            "percent": rule.percent,
        }
        template = rule.message or (
            "{label}中{value}{count}{measure},占{total}{measure}的{share}%,超过原则上{percent}%的比例。请调整,或填写说明。"
        )
        yield _problem(rule, Target.of_list(kind), template.format(**words))


def share_at_least(rule: Rule, scope: Scope) -> Iterator[Problem]:
    """Q4: at least a fraction of a kind's records have `field` = `value`."""
    if rule.unit_kinds and scope.unit.kind not in rule.unit_kinds:
        return
    num, den = rule.share
    for kind in rule.of:
        spec, records = scope.campaign.kinds[kind], scope.of(kind)
        count = sum(1 for r in records if r.get(rule.field, "") == rule.value)
        if not records or count * den >= num * len(records):
            continue
        words = {
            "value": rule.value,
            "count": count,
            "measure": spec.measure,
            "label": spec.label,
            "total": len(records),
            "fraction": fraction_words(num, den),
            "num": num,
            "den": den,
        }
        template = rule.message or (
            "{label}中{value}仅{count}{measure}(共{total}{measure}),少于{fraction}。请调整,或填写说明。"
        )
        yield _problem(rule, Target.of_list(kind), template.format(**words))


# ---- rules run on each record -----------------------------------------------------------------


def required(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """E2: fields a nominee must have, with the reason the notice gives."""
    spec = scope.campaign.kinds[record.kind]
    for field, why in rule.reasons.items():
        if not _filled(record.get(field)):
            yield _problem(
                rule, record.target().at(field), f"{what(spec, record)}:请填写{spec.label_of(field)}({why})。"
            )


def requires_prior(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """A category and level open only to holders of an earlier honour; 破格 with a written reason."""
    spec = scope.campaign.kinds[record.kind]
    held = record.get(rule.field)
    if isinstance(held, str):
        has = any(v in held for v in rule.values) if held.strip() else False
    else:
        has = any(v in rule.values for v in items_of(held))
    if has:
        return
    name = spec.category_label(record.category, record.level)
    honours = _one_of(rule.values)
    x = rule.exception
    if x is not None and (not x.field or record.get(x.field) in x.values):
        if _filled(record.get(x.reason)):
            return  # 破格, with its reason written
        yield _problem(
            rule,
            record.target().at(x.reason),
            f"{what(spec, record)}:未获{honours},破格申报{name}须填写“{spec.label_of(x.reason)}”。",
        )
        return
    label = spec.label_of(rule.field)
    if rule.message:
        text = rule.message.format(category=name, honours=honours, label=label)
    else:
        text = f"申报{name}须曾获{honours},请在“{label}”中勾选;不符合的不能申报。"
        if x is not None and x.field:
            text += f"{spec.label_of(x.field)}为{_one_of(x.values)}的,可破格申报并填写理由。"
    yield _problem(rule, record.target().at(rule.field), f"{what(spec, record)}:{text}")


def _one_of(words: tuple[str, ...]) -> str:
    """“甲”、“乙”或“丙”"""
    quoted = [f"“{w}”" for w in words]
    return "、".join(quoted[:-1]) + "或" + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def excluded_value(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """E1, W3: a value (or a ticked check, or a name ending) outside the honour's scope."""
    spec = scope.campaign.kinds[record.kind]
    value = record.get(rule.field)
    shown = ""
    if rule.values:
        shown = next((v for v in items_of(value) if isinstance(v, str) and v in rule.values), "")
        hit = bool(shown)
    else:
        hit = bool(value)
    name = str(record.get(spec.name_field, "") or "").strip()
    if not (hit or (rule.name_suffix and name.endswith(rule.name_suffix))):
        return
    label = spec.label_of(rule.field)
    if rule.message:
        text = rule.message.format(value=shown, label=label)
    else:
        text = f"的{label}为“{shown}”,不在评选范围内。" if shown else f"为“{label}”,不在评选范围内。"
        if rule.severity == "warning":
            text += "如确需推荐,请填写理由。"
    yield _problem(rule, record.target().at(rule.field), f"{what(spec, record)}{text}")


def rows_in(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """E3: a row for each year, its result one of the good ones (a bad one refused)."""
    spec = scope.campaign.kinds[record.kind]
    label = rule.label or spec.label_of(rule.field)
    by_year = {
        year: result for year, result in map(_row, items_of(record.get(rule.field))) if isinstance(year, int)
    }
    for year in rule.years:
        result = str(by_year.get(year, "") or "").strip()
        target = record.target().at(f"{rule.field}.{year}")
        if not result:
            yield _problem(rule, target, f"{what(spec, record)}:请填写{year}{label}。")
        elif result in rule.bad:
            condition = f",不符合“{rule.condition}”的条件" if rule.condition else ""
            yield _problem(
                rule, target, f"{what(spec, record)}:{year}{label}为“{result}”{condition},不能推荐。"
            )
        elif result not in rule.good:
            yield Problem(
                "V2",
                "error",
                target,
                f"{what(spec, record)}:{year}{label}“{result}”无法识别,请从列表中选择。",
            )


def _row(row: Any) -> tuple[Any, Any]:
    if isinstance(row, Mapping):
        return row.get("year"), row.get("result")
    return getattr(row, "year", None), getattr(row, "result", None)


def attestations(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """E4, E5, the self-check: every attestation of the record's kind is ticked."""
    spec = scope.campaign.kinds[record.kind]
    for key, wording in spec.attestations.items():
        if not record.attestations.get(key):
            yield _problem(
                rule,
                record.target().at(f"attestations.{key}"),
                f"{what(spec, record)}:请核实并勾选“{wording}”,不符合的不能推荐。",
            )


def date_range(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """V2: a date that exists, between `earliest_year` and `span` years before today."""
    spec = scope.campaign.kinds[record.kind]
    text = str(record.get(rule.field, "") or "")
    label = spec.label_of(rule.field)
    day = parse_date(text) if text else None
    if text and day is None:
        wrong = date_problem(text, _example(spec, rule.field))
        yield _problem(rule, record.target().at(rule.field), f"{what(spec, record)}:{label}{wrong}")
    if day is not None:
        latest = years_before(scope.today, rule.span)
        if day.year < rule.earliest_year or day > latest:
            yield _problem(
                rule,
                record.target().at(rule.field),
                f"{what(spec, record)}:{label}{day.isoformat()}不在合理范围({rule.earliest_year}年至{latest.isoformat()}),请核对。",
            )


def date_after(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """V2: a month or date not after today, nor before the person was `span` years old."""
    spec = scope.campaign.kinds[record.kind]
    text = str(record.get(rule.field, "") or "")
    label, after_label = spec.label_of(rule.field), spec.label_of(rule.after)
    by_month = _is_month(spec, rule.field)
    start = (parse_month(text) if by_month else parse_date(text)) if text else None
    target = record.target().at(rule.field)
    if text and start is None:
        yield _problem(
            rule,
            target,
            f"{what(spec, record)}:{label}“{text}”无效,请按“{_example(spec, rule.field)}”的格式填写。",
        )
    if start is None:
        return
    after = _when(spec, rule.after, record)
    if start > scope.today:
        yield _problem(rule, target, f"{what(spec, record)}:{label}晚于今天,请核对。")
    elif after is not None:
        earliest = years_after(after, rule.span)
        if start < (earliest.replace(day=1) if by_month else earliest):
            yield _problem(
                rule,
                target,
                f"{what(spec, record)}:{label}早于{rule.span}周岁,请核对{after_label}和{label}。",
            )


def _is_month(spec: KindSpec, field: str) -> bool:
    found = spec.field(field)
    return found is not None and found.type == "month"


def _when(spec: KindSpec, field: str, record: Record) -> dt.date | None:
    text = str(record.get(field, "") or "")
    if not text:
        return None
    return parse_month(text) if _is_month(spec, field) else parse_date(text)


def _example(spec: KindSpec, field: str) -> str:
    found = spec.field(field)
    return found.example if found and found.example else "年-月-日"


# ---- hooks: named functions for what no kind covers ----------------------------------------


def _positive(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """A count (在编人数) is at least 1."""
    spec, value = scope.campaign.kinds[record.kind], number_of(record.get(rule.field))
    if value is not None and value < 1:
        yield _problem(
            rule,
            record.target().at(rule.field),
            f"{what(spec, record)}:{spec.label_of(rule.field)}应为正整数。",
        )


def _years_within(rule: Rule, scope: Scope, record: Record) -> Iterator[Problem]:
    """Years in a field: not negative, not longer than the years since starting work."""
    spec, value = scope.campaign.kinds[record.kind], number_of(record.get(rule.field))
    if value is None:
        return
    label, target = spec.label_of(rule.field), record.target().at(rule.field)
    start = _when(spec, rule.after, record) if rule.after else None
    if value < 0:
        yield _problem(rule, target, f"{what(spec, record)}:{label}不能为负数。")
    elif start is not None and value > scope.today.year - start.year + 1:
        yield _problem(rule, target, f"{what(spec, record)}:{label}长于参加工作的年数,请核对。")


RecordRule = Callable[[Rule, Scope, Record], Iterable[Problem]]
HOOKS: dict[str, RecordRule] = {"positive": _positive, "years_within": _years_within}
assert tuple(HOOKS) == HOOK_NAMES, "every hook a campaign may name has its function"


def hook(rule: Rule, scope: Scope, record: Record) -> Iterable[Problem]:
    return HOOKS[rule.hook](rule, scope, record)


# ---- rules run once per kind's list ----------------------------------------------------------


def unique(rule: Rule, scope: Scope) -> Iterator[Problem]:
    """V4: no two records of a kind with the same name (and the other fields of the key)."""
    first, rest = rule.fields[0], rule.fields[1:]
    for kind in rule.of:
        spec = scope.campaign.kinds[kind]
        seen: dict[tuple[str, ...], int] = {}
        for record in scope.of(kind):
            name = str(record.get(first, "") or "")
            key = (re.sub(r"\s", "", name), *(str(record.get(f, "") or "").strip() for f in rest))
            if not key[0]:
                continue
            if key in seen:
                also = "、".join(f"{spec.label_of(f)}{record.get(f, '') or ''}" for f in rest)
                yield _problem(
                    rule,
                    record.target().at(first),
                    f"{spec.label}“{name}”{f'({also})' if also else ''}"
                    f"与第{seen[key] + 1}{spec.measure}重复推荐,请删除其中一个。",
                )
            else:
                seen[key] = record.index


UNIT_RULES: dict[str, Callable[[Rule, Scope], Iterable[Problem]]] = {
    "ceiling": ceiling,
    "fixed_max": fixed_max,
    "category_quota": category_quota,
    "share_at_most": share_at_most,
    "share_at_least": share_at_least,
    "unique": unique,
}
RECORD_RULES: dict[str, RecordRule] = {
    "required": required,
    "requires_prior": requires_prior,
    "excluded_value": excluded_value,
    "rows_in": rows_in,
    "attestations": attestations,
    "date_range": date_range,
    "date_after": date_after,
    "hook": hook,
}


def unit_phase(scope: Scope, phase: str = "unit") -> Iterator[Problem]:
    """The campaign's rules that look at whole lists (`unit`: quotas and shares; `list`: duplicates)."""
    for rule in scope.campaign.rules_in(phase):
        yield from UNIT_RULES[rule.kind](rule, scope)


def record_phase(scope: Scope, record: Record, phase: str) -> Iterator[Problem]:
    """The campaign's rules of one phase (`entry`, `values`, `eligibility`) for one record."""
    for rule in scope.campaign.rules_in(phase):
        if rule.applies_to(record.kind, record.category, record.level):
            yield from RECORD_RULES[rule.kind](rule, scope, record)


def overridable(problems: Iterable[Problem], overrides: Mapping[str, str]) -> list[Problem]:
    """A warning with a written reason for its rule is kept, marked overridden; errors stay."""
    result = []
    for p in problems:
        if p.severity == "warning" and str(overrides.get(p.rule, "")).strip():
            p = dataclasses.replace(p, overridden=True)
        result.append(p)
    return result


def run_rules(scope: Scope) -> list[Problem]:
    """Every rule of the campaign over the scope's records, in the checker's order."""
    problems = overridable(unit_phase(scope), scope.unit.overrides)
    for kind in scope.campaign.nominee_kinds():
        for record in scope.of(kind):
            found: list[Problem] = []
            for phase in ("entry", "values", "eligibility"):
                found += record_phase(scope, record, phase)
            problems += overridable(found, record.overrides)
    problems += unit_phase(scope, "list")
    return problems


__all__ = [
    "HOOKS",
    "Record",
    "Scope",
    "as_record",
    "overridable",
    "record_phase",
    "run_rules",
    "unit_phase",
    "what",
]
