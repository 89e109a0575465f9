"""What the checker reports: one Problem per broken rule, pointing at a record and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    rule: str  # an ID from rules.md, e.g. "Q1"
    severity: Severity
    target: str  # e.g. "individuals[0].photo", "unit.allocation"
    message: str  # Chinese, for the clerk: what is wrong and how to fix it
    overridden: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "rule": self.rule,
            "severity": self.severity,
            "target": self.target,
            "message": self.message,
        }
        if self.overridden:
            data["overridden"] = True
        return data
