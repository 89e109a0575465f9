"""A unit's recommendation as plain Python records, shaped like the exchange file.

Every layer speaks these: the store loads and saves them, the checker reads them, the
exporters render them. Dates are kept as the clerk typed them ("YYYY-MM-DD", work_start may
be "YYYY-MM") so that nothing typed is lost; the checker (rule V2) says when one is not real.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nominator.campaign import Campaign

# The province's feedback after a stage's review (初审反馈): "" not yet known, "kept" goes on,
# "dropped" leaves the stages after the review. The words the clerk sees come from the campaign.
FEEDBACK = ("", "kept", "dropped")


@dataclass
class Period:
    """One publicity (公示) period: start and end as typed, and its result (e.g. 无异议)."""

    start: str = ""
    end: str = ""
    result: str = ""

    def is_empty(self) -> bool:
        return not (self.start or self.end or self.result)


@dataclass
class Allocation:
    """The unit's allocation from 附件10; None where the clerk has not typed it.

    A campaign that allocates per category and level (`[allocation] by = ["category", "level"]`)
    keeps its numbers in `table`, keyed by `allocation_key(category, level)`."""

    collectives: int | None = None
    individuals: int | None = None
    table: dict[str, int] = field(default_factory=dict)


def allocation_key(category: str, level: str = "") -> str:
    """unit_model, 省级 → "unit_model.省级": a cell of the allocation table."""
    return f"{category}.{level}" if level else category


@dataclass
class Unit:
    name: str = ""
    kind: str = "region"
    contact: str = ""
    phone: str = ""
    allocation: Allocation = field(default_factory=Allocation)
    overrides: dict[str, str] = field(default_factory=dict)  # unit-wide warnings (Q3, Q4, D1…)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Assessment:
    year: int
    result: str


@dataclass
class Collective:
    name: str = ""
    level: str = ""
    nature: str = ""
    leader: str = ""
    staff_count: int | None = None
    contact: str = ""
    phone: str = ""
    deeds_brief: str = ""
    deeds_full: str = ""
    honors: str = ""
    deputy_bureau_or_above: bool = False
    county_government_or_above: bool = False
    attestations: dict[str, bool] = field(default_factory=dict)
    publicity: dict[str, Period] = field(default_factory=dict)  # "unit" / "region"
    overrides: dict[str, str] = field(default_factory=dict)  # rule ID → written reason
    order: int = 0
    source: str = ""  # where a merged record came from (逐级推荐)
    feedback: str = ""  # 初审反馈: see FEEDBACK
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Individual:
    name: str = ""
    gender: str = ""
    ethnicity: str = ""
    birth_date: str = ""
    political_status: str = ""
    education: str = ""
    work_start: str = ""
    unit_and_title: str = ""
    rank: str = ""
    level: str = ""
    years_in_field: int | None = None
    phone: str = ""
    assessments: list[Assessment] = field(default_factory=list)
    resume: str = ""
    deeds_brief: str = ""
    deeds_full: str = ""
    honors: str = ""
    attestations: dict[str, bool] = field(default_factory=dict)
    publicity: dict[str, Period] = field(default_factory=dict)
    photo: str = ""  # the photo's file name, e.g. 张某某-19660101.jpg
    photo_data: bytes | None = field(default=None, repr=False)
    overrides: dict[str, str] = field(default_factory=dict)
    order: int = 0
    source: str = ""
    feedback: str = ""  # 初审反馈: see FEEDBACK
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def birth_yyyymmdd(self) -> str:
        return self.birth_date.replace("-", "")


@dataclass
class Member:
    name: str = ""
    unit_and_title: str = ""
    role: str = ""
    phone: str = ""
    order: int = 0
    id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """A 推荐工作报告: section texts keyed as in the campaign file, and the date it is signed."""

    sections: dict[str, str] = field(default_factory=dict)
    date: str = ""


@dataclass
class Dossier:
    """Everything one recommending unit submits."""

    campaign: str
    unit: Unit = field(default_factory=Unit)
    collectives: list[Collective] = field(default_factory=list)
    individuals: list[Individual] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)  # "initial" / "formal"
    extra: dict[str, Any] = field(default_factory=dict)
    # What is known of its photos: (rules fingerprint, photo SHA-256) → PhotoVerdict. Kept by the
    # store, added to by the checker; a cache (a verdict depends on those two only), not part of
    # what the dossier says, so not compared.
    photo_verdicts: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def ordered_collectives(self) -> list[Collective]:
        return sorted(self.collectives, key=lambda c: c.order)

    def ordered_individuals(self) -> list[Individual]:
        return sorted(self.individuals, key=lambda i: i.order)

    def ordered_members(self) -> list[Member]:
        return sorted(self.members, key=lambda m: m.order)

    def for_stage(self, stage: str, campaign: Campaign) -> Dossier:
        """What a stage works with: a stage after a review (初审反馈) leaves out the nominees the
        review dropped. Indexes in a Problem's target refer to this view's lists, in order.
        """
        if campaign.review_before(stage) is None:
            return self
        return replace(
            self,
            collectives=[c for c in self.collectives if c.feedback != "dropped"],
            individuals=[i for i in self.individuals if i.feedback != "dropped"],
        )


def parse_date(text: str) -> dt.date | None:
    """A real date from "YYYY-MM-DD", or None."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def date_problem(text: str, example: str) -> str | None:
    """Why `text` is not a date, in the clerk's words: a wrong format and a day that does not
    exist (2025-02-30) are different mistakes and are said differently. None when it is fine."""
    text = text.strip()
    if not text or parse_date(text) is not None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        year, month, day = (int(part) for part in text.split("-"))
        if 1 <= month <= 12:
            return f"“{text}”这一天不存在({year}年{month}月没有{day}日),请核对。"
        return f"“{text}”中的月份应为01至12,请核对。"
    return f"“{text}”不是有效日期,请按“{example}”的格式(年-月-日)填写。"


def parse_month(text: str) -> dt.date | None:
    """The first day of a month from "YYYY-MM" or "YYYY-MM-DD", or None."""
    if len(text) == 7:
        return parse_date(text + "-01")
    return parse_date(text)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
