"""Q1/Q2 ceilings and P3 working days, pinned at their edges."""

from __future__ import annotations

import datetime as dt

import pytest

from nominator.campaign import Campaign, WorkdayOverrides
from nominator.domain.model import Allocation, Unit
from nominator.domain.quota import quota_ceiling, region_ceiling
from nominator.domain.workdays import count_workdays, end_after_workdays

NO_OVERRIDES = WorkdayOverrides(frozenset(), frozenset())


@pytest.mark.parametrize(
    ("allocated", "ceiling"),
    [(0, 0), (1, 1), (2, 2), (3, 4), (5, 6), (8, 10), (13, 16), (10, 12), (4, 5), (7, 8)],
)
def test_region_may_submit_allocation_times_1_2_rounded_half_up(
    campaign: Campaign, allocated: int, ceiling: int
) -> None:
    assert region_ceiling(allocated, campaign) == ceiling


def test_region_ceiling_is_exact_in_integers_for_every_plausible_allocation(campaign: Campaign) -> None:
    # 0.5 cases (e.g. 2.5) never occur with ×1.2, but x.6 and x.4 do: compare with decimal arithmetic.
    from decimal import ROUND_HALF_UP, Decimal

    for n in range(0, 200):
        expected = int((Decimal(n) * Decimal("1.2")).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert region_ceiling(n, campaign) == expected


def test_department_gets_one_collective_and_two_individuals(campaign: Campaign) -> None:
    assert quota_ceiling(Unit(name="省教育厅", kind="department"), campaign) == (1, 2)


def test_other_unit_with_an_allocation_counts_like_a_region(campaign: Campaign) -> None:
    unit = Unit(name="某单位", kind="other", allocation=Allocation(3, 8))
    assert quota_ceiling(unit, campaign) == (4, 10)
    assert quota_ceiling(Unit(name="某单位", kind="other"), campaign) == (1, 2)


def test_region_without_allocation_has_no_ceiling_yet(campaign: Campaign) -> None:
    assert quota_ceiling(Unit(name="沈阳市", kind="region"), campaign) == (None, None)


def test_five_working_days_across_new_year_2026_include_the_adjusted_sunday() -> None:
    # 2025-12-29..31 work, 2026-01-01..03 holiday, Sunday 2026-01-04 is a 调休 working day.
    count = count_workdays(dt.date(2025, 12, 29), dt.date(2026, 1, 4), NO_OVERRIDES)
    assert count.days == 4
    assert count_workdays(dt.date(2025, 12, 29), dt.date(2026, 1, 5), NO_OVERRIDES).days == 5
    assert end_after_workdays(dt.date(2025, 12, 29), 5, NO_OVERRIDES)[0] == dt.date(2026, 1, 5)


def test_ordinary_week_is_five_working_days() -> None:
    assert count_workdays(dt.date(2025, 12, 8), dt.date(2025, 12, 12), NO_OVERRIDES).days == 5
    assert count_workdays(dt.date(2025, 12, 8), dt.date(2025, 12, 14), NO_OVERRIDES).days == 5


def test_spring_festival_2026_is_not_counted() -> None:
    # 春节 2026: 2026-02-15..23 off; Saturday 2026-02-14 and 2026-02-28 are 调休 working days.
    assert count_workdays(dt.date(2026, 2, 16), dt.date(2026, 2, 23), NO_OVERRIDES).days == 0


def test_year_without_holiday_data_falls_back_to_monday_to_friday_and_says_so() -> None:
    count = count_workdays(dt.date(2031, 1, 1), dt.date(2031, 1, 7), NO_OVERRIDES)
    assert count.days == 5  # Wed 1st .. Tue 7th, Mon–Fri only
    assert count.fallback_years == {2031}


def test_override_table_wins_over_the_library() -> None:
    overrides = WorkdayOverrides(
        extra_holidays=frozenset({dt.date(2031, 1, 1)}), extra_workdays=frozenset({dt.date(2031, 1, 4)})
    )
    count = count_workdays(dt.date(2031, 1, 1), dt.date(2031, 1, 7), overrides)
    assert count.days == 5  # the 1st off, Saturday the 4th on
