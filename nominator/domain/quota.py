"""How many nominees a unit may submit (rules Q1, Q2), and the one wording of it.

The checker, the window's refusal to add one more, the unit page and the Excel intake all say the
quota with these functions, so the numbers and the notice's words are written in one place.
"""

from __future__ import annotations

from nominator.campaign import Campaign, KindSpec, UnitKind
from nominator.domain.model import Unit

RECOMMENDED = ("collective", "individual")


def region_ceiling(allocated: int, campaign: Campaign) -> int:
    """allocated × the campaign's factor rounded half up (12/10: 1→1, 2→2, 3→4, 8→10, 13→16)."""
    return scaled(allocated, campaign.quota.factor)


def scaled(allocated: int, factor: tuple[int, int]) -> int:
    """allocated × factor rounded half up, in integers."""
    num, den = factor
    return (num * allocated * 2 + den) // (2 * den)


def unit_kind(unit: Unit, campaign: Campaign) -> UnitKind | None:
    return campaign.unit_kinds.get(unit.kind)


def uses_allocation(unit: Unit, campaign: Campaign) -> bool:
    """A region's ceiling comes from its allocation (Q1); a fixed-quota kind's does too when it
    may have one and the clerk typed it in."""
    kind = unit_kind(unit, campaign)
    if kind is None:
        return False
    if kind.uses_allocation:
        return True
    alloc = unit.allocation
    return kind.allocation_optional and (alloc.collectives is not None or alloc.individuals is not None)


def ceiling_rule(unit: Unit, campaign: Campaign) -> str:
    return "Q1" if uses_allocation(unit, campaign) else "Q2"


def allocation_of(unit: Unit, kind: str) -> int | None:
    return unit.allocation.collectives if kind == "collective" else unit.allocation.individuals


def quota_ceiling(unit: Unit, campaign: Campaign) -> tuple[int | None, int | None]:
    """(collectives, individuals) the unit may submit; None where the allocation is not typed in."""
    return ceiling_for(unit, campaign, "collective"), ceiling_for(unit, campaign, "individual")


def ceiling_for(unit: Unit, campaign: Campaign, kind: str) -> int | None:
    if uses_allocation(unit, campaign):
        alloc = allocation_of(unit, kind)
        return None if alloc is None else region_ceiling(alloc, campaign)
    found = unit_kind(unit, campaign)
    if found is None:
        return None
    return found.max_collectives if kind == "collective" else found.max_individuals


def fixed_quota_text(found: UnitKind, campaign: Campaign) -> str:
    """省直单位原则上推荐先进集体1个、先进个人1至2名 (the kinds the campaign has)"""
    low = found.min_individuals
    span = (
        f"{low}至{found.max_individuals}" if 0 < low < found.max_individuals else f"{found.max_individuals}"
    )
    counts = {"collective": str(found.max_collectives), "individual": span}
    parts = [
        f"{campaign.kinds[k].label}{n}{campaign.kinds[k].measure}"
        for k, n in counts.items()
        if k in campaign.kinds
    ]
    return f"{found.label}原则上推荐{'、'.join(parts)}"


def quota_basis(unit: Unit, campaign: Campaign, kind: str) -> str:
    """Why the ceiling is what it is, in the notice's words."""
    spec = campaign.kinds[kind]
    if uses_allocation(unit, campaign):
        alloc, ceiling = allocation_of(unit, kind), ceiling_for(unit, campaign, kind)
        return (
            f"{campaign.allocation.source}分配名额{alloc}{spec.measure},"
            f"可上浮{campaign.quota.factor_percent}推荐{ceiling}{spec.measure}(四舍五入)"
        )
    found = unit_kind(unit, campaign)
    return fixed_quota_text(found, campaign) if found else ""


def over_quota_message(unit: Unit, campaign: Campaign, kind: str, count: int) -> str:
    """The checker's Q1/Q2 error: how many, the basis, how many to remove."""
    spec = campaign.kinds[kind]
    ceiling = ceiling_for(unit, campaign, kind) or 0
    return (
        f"已填报{spec.count(count)},超过名额:{quota_basis(unit, campaign, kind)}。"
        f"请删减{count - ceiling}{spec.measure}。"
    )


def add_refused_message(unit: Unit, campaign: Campaign, kind: str, count: int) -> str:
    """The window's refusal to add one more."""
    spec = campaign.kinds[kind]
    rule = ceiling_rule(unit, campaign)
    text = f"不能再新增{spec.label}(规则{rule}):{quota_basis(unit, campaign, kind)},已填报{count}{spec.measure}。"
    if rule == "Q1":
        text += "如分配名额填错,请在“推荐单位”页更正。"
    return text


def missing_allocation_message(campaign: Campaign, spec: KindSpec) -> str:
    return f"请按{campaign.allocation.source}填写本地区分配的{spec.label}名额。"


def quota_summary(unit: Unit, campaign: Campaign) -> str:
    """One line for the unit page: what the unit may submit and why."""
    rule = ceiling_rule(unit, campaign)
    if rule == "Q2":
        found = unit_kind(unit, campaign)
        return f"{fixed_quota_text(found, campaign)}(规则Q2)。" if found else ""
    max_c, max_i = quota_ceiling(unit, campaign)
    pct = campaign.quota.factor_percent
    most = {k: n for k, n in (("collective", max_c), ("individual", max_i)) if k in campaign.kinds}
    if any(n is None for n in most.values()):
        where = (
            f"{campaign.allocation.source}《{campaign.allocation.table}》"
            if campaign.allocation.table
            else campaign.allocation.source
        )
        return f"请按{where}填写分配名额;可上浮{pct}推荐(四舍五入,规则Q1)。"
    most = {"collective": max_c, "individual": max_i}
    parts = [
        f"{campaign.kinds[k].label}最多 {n} {campaign.kinds[k].measure}"
        for k, n in most.items()
        if k in campaign.kinds
    ]
    return f"可推荐{'、'.join(parts)}(分配名额上浮{pct},四舍五入,规则Q1)。"


def fraction_words(num: int, den: int) -> str:
    """1/2 → 一半, 1/3 → 三分之一, 92/180 → 92/180."""
    digits = "零一二三四五六七八九十"
    if (num, den) == (1, 2):
        return "一半"
    if den <= 10 and num < den:
        return f"{digits[den]}分之{digits[num]}"
    return f"{num}/{den}"


def quota_refusal(unit: Unit, campaign: Campaign, kind: str, count: int) -> str | None:
    """Why one more nominee of `kind` may not be added to `count` of them (rules Q1/Q2), or None
    when it may. The window's 新增 and the Excel intake refuse with these same words."""
    if kind not in RECOMMENDED:
        return None
    ceiling = ceiling_for(unit, campaign, kind)
    if ceiling is None or count < ceiling:
        return None
    return add_refused_message(unit, campaign, kind, count)
