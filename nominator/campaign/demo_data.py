"""A campaign's own demo (`[demo]`, format 3): a plausible unit and its nominees, written in the
campaign file beside the rules they must pass, so `nominator demo --campaign <id>` shows a clerk
every page and document of a campaign of any shape. Read loosely but safely: each nominee's values
are the kind's fields by id (a category and level as `category` and `level`), each of the type its
field says; anything else is refused naming the key and its line.

    [demo.unit]           name, kind (a unit kind's key), contact, phone
    [demo.allocation]     <category> = { <level> = number } (or <category> = number, or a nominee
                          kind's key = number), as the exchange file writes an allocation
    [demo.reports.<key>]  date, and each section's text by its key
    [[demo.nominees.<kind>]]  the values; `attestations` = the keys ticked (all when left out)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from nominator.campaign.model import FieldSpec, KindSpec, ReportSection, UnitKind
from nominator.campaign.reading import Reader

MOST_DEMO_NOMINEES = 50


@dataclass(frozen=True)
class DemoData:
    unit: dict[str, str] = field(default_factory=dict)
    allocation: dict[str, int] = field(default_factory=dict)
    reports: dict[str, dict[str, str]] = field(default_factory=dict)  # report key → date and texts
    nominees: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    ticked: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # per nominee


def read_demo(
    top: Reader,
    kinds: dict[str, KindSpec],
    unit_kinds: dict[str, UnitKind],
    reports: dict[str, tuple[ReportSection, ...]],
) -> DemoData:
    t = top.table("demo", optional=True)
    if t is None:
        return DemoData()
    unit_t = t.need_table("unit")
    unit = {key: unit_t.text(key, "") for key in ("name", "kind", "contact", "phone")}
    if unit["kind"] not in unit_kinds:
        unit_t.fail("kind", f"应为推荐单位类别之一({'、'.join(unit_kinds)}),当前为“{unit['kind']}”。")
    allocation_t = t.table("allocation", optional=True)
    allocation: dict[str, int] = {}
    for key in list(allocation_t.data) if allocation_t else ():
        assert allocation_t is not None
        if isinstance(allocation_t.data[key], dict):  # a category's levels: unit = { 省级 = 1 }
            levels = allocation_t.need_table(key)
            for level in levels.data:
                allocation[f"{key}.{level}"] = levels.integer(level, maximum=10_000)
        else:
            allocation[key] = allocation_t.integer(key, maximum=10_000)
    found_reports: dict[str, dict[str, str]] = {}
    reports_t = t.table("reports", optional=True)
    for key, r in _named(reports_t).items():
        if key not in reports:
            r.doc.fail(r.path, f"不是本活动的报告(可用:{'、'.join(reports)})。")
        texts = {"date": r.day("date").isoformat()}
        for section in reports[key]:
            texts[section.key] = r.text(section.key, "")
        found_reports[key] = texts
    nominees: dict[str, tuple[dict[str, Any], ...]] = {}
    ticked: dict[str, tuple[tuple[str, ...], ...]] = {}
    nominees_t = t.table("nominees", optional=True)
    for kind in list(nominees_t.data) if nominees_t else ():
        spec = kinds.get(kind)
        if spec is None or kind in ("unit", "member"):
            nominees_t.fail(kind, "不是本活动的推荐对象类别。")  # type: ignore[union-attr]
        records = nominees_t.tables(kind)  # type: ignore[union-attr]
        if len(records) > MOST_DEMO_NOMINEES:
            nominees_t.fail(kind, f"示例最多{MOST_DEMO_NOMINEES}个。")  # type: ignore[union-attr]
        nominees[kind] = tuple(_values(r, spec) for r in records)  # type: ignore[arg-type]
        ticked[kind] = tuple(
            r.texts("attestations") if r.has("attestations") else tuple(spec.attestations)  # type: ignore[union-attr]
            for r in records
        )
    return DemoData(unit, allocation, found_reports, nominees, ticked)


def _named(t: Reader | None) -> dict[str, Reader]:
    return {key: t.need_table(key) for key in t.data} if t is not None else {}


def _values(r: Reader, spec: KindSpec) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if spec.categories:
        category = r.text("category")
        if spec.category(category) is None:
            r.fail("category", f"应为类别之一({'、'.join(c.id for c in spec.categories)})。")
        values["category"] = category
        level = r.text("level", "")
        if level and level not in spec.levels_of(category):
            r.fail("level", f"应为“{category}”的级别之一({'、'.join(spec.levels_of(category))})。")
        values["level"] = level
    for f in spec.fields():
        if f.type != "photo" and r.has(f.id):
            values[f.id] = _value(r, f)
    for key in r.data:
        if key not in values and key not in ("category", "level", "attestations"):
            r.fail(key, f"不是“{spec.label}”的字段。")
    return values


def _value(r: Reader, f: FieldSpec) -> Any:
    if f.type == "number":
        return r.integer(f.id, maximum=1_000_000)
    if f.type == "check":
        return r.flag(f.id)
    if f.type == "multichoice":
        items = r.texts(f.id)
        wrong = [item for item in items if f.choices and item not in f.choices]
        if wrong:
            r.fail(f.id, f"“{wrong[0]}”不是可选项。")
        return list(items)
    if f.type in ("date", "month"):
        value = r.data.get(f.id)
        if isinstance(value, dt.date):
            r.seen.add(f.id)
            return value.isoformat() if f.type == "date" else value.isoformat()[:7]
    if f.type == "rows":
        r.fail(f.id, "示例暂不支持逐年填写的栏目。")
    return r.text(f.id, allow_empty=True)
