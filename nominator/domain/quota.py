"""How many nominees a unit may submit (rules Q1, Q2)."""

from __future__ import annotations

from nominator.campaign import Campaign, QuotaRules
from nominator.domain.model import Unit


def region_ceiling(allocated: int, rules: QuotaRules) -> int:
    """allocated × 1.2 rounded half up, in integers: 1→1, 2→2, 3→4, 8→10, 13→16."""
    num, den = rules.region_factor_numerator, rules.region_factor_denominator
    return (num * allocated * 2 + den) // (2 * den)


def quota_ceiling(unit: Unit, campaign: Campaign) -> tuple[int | None, int | None]:
    """(collectives, individuals) the unit may submit; None where the allocation is not typed in.

    A region's ceiling comes from its allocation (Q1). A provincial department submits in
    principle 1 collective and 1–2 individuals (Q2); an 'other' unit is treated the same unless
    an allocation was typed for it, which then counts like a region's.
    """
    rules = campaign.quota
    alloc = unit.allocation
    if unit.kind == "region" or (
        unit.kind == "other" and (alloc.collectives is not None or alloc.individuals is not None)
    ):
        return (
            None if alloc.collectives is None else region_ceiling(alloc.collectives, rules),
            None if alloc.individuals is None else region_ceiling(alloc.individuals, rules),
        )
    return rules.department_max_collectives, rules.department_max_individuals
