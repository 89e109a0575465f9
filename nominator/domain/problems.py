"""What the checker reports: one Problem per broken rule, pointing at a record and field.

A problem's `Target` is structured — what kind of thing, which record (its id, and its place in
the stage's list), which field — so the window goes there without reading anything back out of a
string. The string form (`individuals[2].birth_date`, `unit.allocation.collectives`,
`reports.initial.process`) is made only for `check --json`, whose format is a contract
(exchange-format.md), and for the photo command's loose files it is the file's own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
LIST_KEYS = {"collective": "collectives", "individual": "individuals", "member": "members"}
RECORD_KINDS = tuple(LIST_KEYS)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a problem points.

    - a record: `kind` collective / individual / member, `record` its id (None for a record not
      stored yet), `index` its place in the stage's list (recommendation order), `field` inside it;
    - a whole list (the quota, an empty list): a record kind with neither record nor index;
    - the unit: kind "unit", maybe a field (`allocation.collectives`);
    - a report: kind "report", `report` its key, `field` its section (or "date");
    - a loose photo file (`nominator photo check`): kind "file", `name` as given.
    """

    kind: str
    field: str | None = None
    record: int | None = None
    index: int | None = None
    report: str | None = None
    name: str = ""

    @classmethod
    def of_record(cls, kind: str, record: int | None, index: int, field: str | None = None) -> Target:
        return cls(kind, field, record, index)

    @classmethod
    def of_list(cls, kind: str) -> Target:
        return cls(kind)

    @classmethod
    def of_unit(cls, field: str | None = None) -> Target:
        return cls("unit", field)

    @classmethod
    def of_report(cls, report: str, section: str | None = None) -> Target:
        return cls("report", section, report=report)

    @classmethod
    def of_file(cls, name: str) -> Target:
        return cls("file", name=name)

    def at(self, field: str) -> Target:
        """A field inside what this target points at (`publicity.unit` inside a record)."""
        inner = f"{self.field}.{field}" if self.field else field
        return Target(self.kind, inner, self.record, self.index, self.report, self.name)

    @property
    def is_record(self) -> bool:
        return self.kind in LIST_KEYS and self.index is not None

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KEYS and self.index is None

    @property
    def path(self) -> str:
        """The string form, for `check --json` (a contract) and nothing else."""
        if self.kind == "file":
            return self.name
        if self.kind in LIST_KEYS:
            head = LIST_KEYS[self.kind] + (f"[{self.index}]" if self.index is not None else "")
        elif self.kind == "report":
            head = f"reports.{self.report}"
        else:
            head = self.kind
        return f"{head}.{self.field}" if self.field else head


@dataclass(frozen=True, slots=True)
class Problem:
    rule: str  # an ID from rules.md, e.g. "Q1"
    severity: Severity
    target: Target
    message: str  # Chinese, for the clerk: what is wrong and how to fix it
    overridden: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity,
            "target": self.target.path,
            "message": self.message,
        }
        if self.overridden:
            data["overridden"] = True
        return data
