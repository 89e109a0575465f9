"""A unit's recommendation as plain Python records, shaped like the exchange file.

Every layer speaks these: the store loads and saves them, the checker reads them, the
exporters render them. Dates are kept as the clerk typed them ("YYYY-MM-DD", work_start may
be "YYYY-MM") so that nothing typed is lost; the checker (rule V2) says when one is not real.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from nominator.campaign.builtin import BUILT_IN_FIELDS

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
    """The unit's allocation as the notice's table gives it; None where the clerk has not typed it.

    A campaign that allocates per category and level (`[allocation] by = ["category", "level"]`)
    keeps its numbers in `table`, keyed by `allocation_key(category, level)`."""

    collectives: int | None = None
    individuals: int | None = None
    table: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_cells(cls, cells: Mapping[str, Any]) -> Allocation:
        """From one flat map: a nominee kind's key → its number, any other key a cell of `table`."""
        table = {str(k): v for k, v in cells.items()}
        return cls(table.pop("collective", None), table.pop("individual", None), table)

    def cells(self) -> dict[str, Any]:
        """The allocation as one flat map (`from_cells` reads it back); numbers not typed left out."""
        by_kind = {"collective": self.collectives, "individual": self.individuals}
        return {**{k: v for k, v in by_kind.items() if v is not None}, **self.table}


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


# A nominee's own attributes; every other attribute is one of its field values (Nominee).
_OWN = frozenset(
    {"kind", "values", "attestations", "publicity", "photo", "photo_data", "overrides", "order",
     "source", "feedback", "id", "extra"}
)  # fmt: skip


@dataclass(init=False, eq=False)
class Nominee:
    """A nominee of any kind and any campaign: its kind's key and its field values by field id
    (the campaign declares the fields, issue 17), with what every nominee has besides: attestations,
    publicity periods by level, its photo, accepted warnings, its place and where it came from.

    A field value reads and writes as an attribute (`person.name`, `c.staff_count = 3`); a field
    not set reads as its kind's format-2 default where the kind has one (`DEFAULTS`), so records
    of the two built-in kinds read as they always have. A kind with categories or levels keeps
    them as the values `category` and `level`."""

    KIND: ClassVar[str] = ""
    DEFAULTS: ClassVar[Mapping[str, Any]] = {}

    kind: str
    values: dict[str, Any]
    attestations: dict[str, bool]
    publicity: dict[str, Period]  # by level, e.g. "unit" / "region"
    photo: str  # the photo's file name, e.g. 张某某-19660101.jpg
    photo_data: bytes | None = field(repr=False)
    overrides: dict[str, str]  # rule ID → written reason
    order: int
    source: str  # where a merged record came from (逐级推荐)
    feedback: str  # 初审反馈: see FEEDBACK
    id: int | None
    extra: dict[str, Any]

    def __init__(
        self,
        kind: str = "",
        values: dict[str, Any] | None = None,
        *,
        attestations: dict[str, bool] | None = None,
        publicity: dict[str, Period] | None = None,
        photo: str = "",
        photo_data: bytes | None = None,
        overrides: dict[str, str] | None = None,
        order: int = 0,
        source: str = "",
        feedback: str = "",
        id: int | None = None,
        extra: dict[str, Any] | None = None,
        **fields: Any,
    ) -> None:
        own = self.__dict__
        own["values"] = {**(values or {}), **fields}
        own["kind"] = kind or self.KIND
        own["attestations"] = {} if attestations is None else attestations
        own["publicity"] = {} if publicity is None else publicity
        own["photo"] = photo
        own["photo_data"] = photo_data
        own["overrides"] = {} if overrides is None else overrides
        own["order"] = order
        own["source"] = source
        own["feedback"] = feedback
        own["id"] = id
        own["extra"] = {} if extra is None else extra

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values")
        if values is None or name.startswith("__"):
            raise AttributeError(name)
        if name in values:
            return values[name]
        if name in self.DEFAULTS:
            default = self.DEFAULTS[name]
            if isinstance(default, list):  # a list read is kept, so appending to it sticks
                return values.setdefault(name, [])
            return default
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _OWN:
            self.__dict__[name] = value
        else:
            self.__dict__["values"][name] = value

    def get(self, name: str, default: Any = None) -> Any:
        """A field's value; the kind's default, else `default`, when it is not set."""
        values = self.__dict__["values"]
        if name in values:
            return values[name]
        return self.DEFAULTS.get(name, default)

    def all_values(self) -> dict[str, Any]:
        """Every field value, the built-in kind's defaults for those not set."""
        return {
            **{k: (list(v) if isinstance(v, list) else v) for k, v in self.DEFAULTS.items()},
            **self.values,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Nominee):
            return NotImplemented
        mine, theirs = self.__dict__, other.__dict__
        return self.all_values() == other.all_values() and all(
            mine[name] == theirs[name] for name in _OWN if name != "values"
        )

    __hash__ = None  # type: ignore[assignment]


class Collective(Nominee):
    """A nominee of the kind `collective`; the defaults are the fields format 2 gives it."""

    KIND = "collective"
    DEFAULTS = BUILT_IN_FIELDS["collective"]


class Individual(Nominee):
    """A nominee of the kind `individual`; the defaults are the fields format 2 gives it."""

    KIND = "individual"
    DEFAULTS = BUILT_IN_FIELDS["individual"]


NOMINEE_CLASSES: dict[str, type[Nominee]] = {"collective": Collective, "individual": Individual}
# The nominee kinds a dossier holds; a campaign's kinds of nominees are keyed by these.
NOMINEE_KINDS = tuple(NOMINEE_CLASSES)


def new_record(kind: str) -> Nominee | Member:
    """A blank record of a kind: a working-group member, or a nominee of that kind."""
    return Member() if kind == "member" else new_nominee(kind)


def new_nominee(kind: str, **fields: Any) -> Nominee:
    """A new nominee of `kind`: the class of its built-in kind where there is one."""
    return NOMINEE_CLASSES.get(kind, Nominee)(kind, **fields)


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
    collectives: list[Nominee] = field(default_factory=list)  # the kind `collective`
    individuals: list[Nominee] = field(default_factory=list)  # the kind `individual`
    members: list[Member] = field(default_factory=list)
    reports: dict[str, Report] = field(default_factory=dict)  # "initial" / "formal"
    extra: dict[str, Any] = field(default_factory=dict)
    # What is known of its photos: (rules fingerprint, photo SHA-256) → PhotoVerdict. Kept by the
    # store, added to by the checker; a cache (a verdict depends on those two only), not part of
    # what the dossier says, so not compared.
    photo_verdicts: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def nominees(self, kind: str) -> list[Nominee]:
        """The nominees of a kind (the program keeps two: `collective` and `individual`)."""
        if kind not in NOMINEE_KINDS:
            raise KeyError(kind)
        return self.collectives if kind == "collective" else self.individuals

    def records_of(self, kind: str) -> list[Any]:
        """The list a kind's records are kept in: a nominee kind's, or the members."""
        return self.members if kind == "member" else self.nominees(kind)

    def ordered(self, kind: str) -> list[Nominee]:
        """A kind's nominees in recommendation order."""
        return sorted(self.nominees(kind), key=lambda n: n.order)

    def ordered_collectives(self) -> list[Nominee]:
        return self.ordered("collective")

    def ordered_individuals(self) -> list[Nominee]:
        return self.ordered("individual")

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
    exist (2030-02-30) are different mistakes and are said differently. None when it is fine."""
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
