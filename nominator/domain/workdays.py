"""Chinese working days (rule P3): weekends and statutory holidays off, 调休 weekends on.

chinese-calendar knows the State Council's schedule for the years it ships; the campaign file's
[workdays] table adds or corrects dates. For a year neither covers, Monday–Friday counts and the
caller is told, so the clerk can see the count is an estimate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar

from nominator.campaign import WorkdayOverrides


@dataclass
class WorkdayCount:
    days: int
    fallback_years: set[int] = field(default_factory=set)  # years counted Mon–Fri only


def is_workday(day: dt.date, overrides: WorkdayOverrides, fallback_years: set[int] | None = None) -> bool:
    if day in overrides.extra_holidays:
        return False
    if day in overrides.extra_workdays:
        return True
    known = _library_workday(day)
    if known is None:
        if fallback_years is not None:
            fallback_years.add(day.year)
        return day.weekday() < 5
    return known


@cache
def _library_workday(day: dt.date) -> bool | None:
    """chinese-calendar's answer (slow to ask: it validates its tables on every call), or None."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def count_workdays(start: dt.date, end: dt.date, overrides: WorkdayOverrides) -> WorkdayCount:
    """Working days from start to end, both included."""
    result = WorkdayCount(0)
    day = start
    while day <= end:
        if is_workday(day, overrides, result.fallback_years):
            result.days += 1
        day += dt.timedelta(days=1)
    return result


def end_after_workdays(start: dt.date, days: int, overrides: WorkdayOverrides) -> tuple[dt.date, set[int]]:
    """The last day of a period of `days` working days starting on `start` (or the next working day)."""
    fallback: set[int] = set()
    day = start
    counted = 0
    while True:
        if is_workday(day, overrides, fallback):
            counted += 1
            if counted == days:
                return day, fallback
        day += dt.timedelta(days=1)
