"""A nominee of any campaign as the rules see it: kind, category, level and field values.

`Record` is the generic shape the rules read; `as_record` shows a stored
`Collective` or `Individual` as one without copying it. `Scope` is what a campaign's rules look
at: the campaign, the unit and every kind's records in the stage's order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from nominator.campaign import Campaign, KindSpec
from nominator.domain.model import Nominee, Unit
from nominator.domain.problems import Target


@dataclasses.dataclass(frozen=True)
class Record:
    """One nominee of any campaign: kind, category, level and its field values by field id."""

    kind: str
    values: Mapping[str, Any]
    category: str = ""
    level: str = ""
    attestations: Mapping[str, bool] = dataclasses.field(default_factory=dict)
    overrides: Mapping[str, str] = dataclasses.field(default_factory=dict)
    id: int | None = None
    index: int = 0  # its place in the stage's list
    publicity: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # Period by level
    photo: str = ""  # the photo's file name
    photo_data: bytes | None = None

    def get(self, field: str, default: Any = None) -> Any:
        return self.values.get(field, default)

    def target(self) -> Target:
        return Target.of_record(self.kind, self.id, self.index)


class _Attributes(Mapping[str, Any]):
    """A record object's attributes as a mapping of field values (the adapter's view)."""

    def __init__(self, obj: object) -> None:
        self._obj = obj
        self._plain: dict[str, Any] = getattr(obj, "__dict__", {})  # live: the object's own fields

    def __getitem__(self, key: str) -> Any:
        if key in self._plain:
            return self._plain[key]
        try:
            return getattr(self._obj, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        plain = self._plain
        return plain[key] if key in plain else getattr(self._obj, key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(f.name for f in dataclasses.fields(self._obj))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return len(dataclasses.fields(self._obj))  # type: ignore[arg-type]


class _Values(Mapping[str, Any]):
    """A nominee's field values, its kind's defaults for those not set; read live."""

    __slots__ = ("_defaults", "_values")

    def __init__(self, values: dict[str, Any], defaults: Mapping[str, Any]) -> None:
        self._values = values
        self._defaults = defaults

    def __getitem__(self, key: str) -> Any:
        values = self._values
        return values[key] if key in values else self._defaults[key]

    def get(self, key: str, default: Any = None) -> Any:
        values = self._values
        return values[key] if key in values else self._defaults.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter({**self._defaults, **self._values})

    def __len__(self) -> int:
        return len({**self._defaults, **self._values})


def as_record(kind: str, obj: Any, index: int, spec: KindSpec | None = None) -> Record:
    """A stored record (a Nominee, a Member…) seen as a generic one; its values are read live.
    A nominee's `category` and `level` are its values of those names where its kind (`spec`) has
    categories and levels (a kind without may have a field of that name: 级别)."""
    if isinstance(obj, Nominee):
        values: Mapping[str, Any] = _Values(obj.values, obj.DEFAULTS)
        has = spec is not None
        category = obj.values.get("category", "") if has and spec.categories else ""  # type: ignore[union-attr]
        level = obj.values.get("level", "") if has and (spec.levels or spec.categories) else ""  # type: ignore[union-attr]
        return Record(
            kind=kind,
            values=values,
            category=category if isinstance(category, str) else "",
            level=level if isinstance(level, str) else "",
            attestations=obj.attestations,
            overrides=obj.overrides,
            id=obj.id,
            index=index,
            publicity=obj.publicity,
            photo=obj.photo,
            photo_data=obj.photo_data,
        )
    return Record(
        kind=kind,
        values=_Attributes(obj),
        attestations=getattr(obj, "attestations", {}),
        overrides=getattr(obj, "overrides", {}),
        id=getattr(obj, "id", None),
        index=index,
    )


# A record's values come from the store, an Excel sheet or an exchange file: a rule reads them
# as what they should be and passes over what they are not (the fields' own checks name those),
# so no value makes the checker raise.


def items_of(value: Any) -> tuple[Any, ...]:
    """The values a field holds: a list's items, or the one value."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def number_of(value: Any) -> float | None:
    """A number field's value, or None when it holds something else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    return value


@dataclasses.dataclass
class Scope:
    """What the rules look at: the campaign, the unit, every kind's records in the stage's order."""

    campaign: Campaign
    unit: Unit
    records: dict[str, list[Record]]
    today: dt.date

    def of(self, kind: str) -> list[Record]:
        return self.records.get(kind, [])


def what(spec: KindSpec, record: Record) -> str:
    """先进集体“某某” / 先进个人“第3名”: how messages name a record."""
    value = record.get(spec.name_field, "")
    # a name that is not a text or a number (a damaged file's list, say) is not quoted
    plain = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    name = str(value).strip() if plain else ""
    return f"{spec.label}“{name or f'第{record.index + 1}{spec.measure}'}”"
