"""Runs the one checker for both stages a moment after the clerk stops changing things, and keeps
the result (with the dossier it was computed from, to map `individuals[2]` back to a record)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from nominator.domain.checks import check
from nominator.domain.model import Collective, Dossier, Individual, Member
from nominator.domain.problems import Problem
from nominator.ui.document import Document

CHECK_DELAY_MS = 700
RECORD_TARGET = re.compile(r"^(collectives|individuals|members)\[(\d+)\](?:\.(.+))?$")
KINDS = {"collectives": "collective", "individuals": "individual", "members": "member"}


@dataclass(frozen=True)
class Place:
    """Where a problem lives in the window: a page, maybe a record, maybe a field."""

    page: str  # collective | individual | member | unit | reports
    record_id: int | None = None
    field: str | None = None
    group: str = ""  # heading the problems panel groups by


def place_of(target: str, dossier: Dossier) -> Place:
    match = RECORD_TARGET.match(target)
    if match:
        plural, index, field = match.group(1), int(match.group(2)), match.group(3)
        kind = KINDS[plural]
        records: Sequence[Collective | Individual | Member]
        if kind == "collective":
            records = dossier.ordered_collectives()
        elif kind == "individual":
            records = dossier.ordered_individuals()
        else:
            records = dossier.ordered_members()
        noun = {"collective": "先进集体", "individual": "先进个人", "member": "工作机构成员"}[kind]
        if index < len(records):
            record = records[index]
            name = record.name.strip() or "(未填写名称)"
            return Place(kind, record.id, field, f"{noun} {index + 1}:{name}")
        return Place(kind, None, field, noun)
    if target in KINDS:
        return Place(KINDS[target], None, None, "名额与比例")
    if target.startswith("reports."):
        parts = target.split(".", 2)
        stage = parts[1] if len(parts) > 1 else ""
        field = f"{stage}.{parts[2]}" if len(parts) > 2 else stage
        return Place("reports", None, field, "推荐工作报告")
    if target.startswith("unit"):
        field = target[5:] if target.startswith("unit.") else None
        return Place("unit", None, field, "推荐单位")
    return Place("unit", None, None, "推荐单位")


class ProblemState(QObject):
    updated = Signal()

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.dossier: Dossier | None = None
        self.problems: dict[str, list[Problem]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run)
        doc.changed.connect(self._timer.start)

    def schedule(self) -> None:
        self._timer.start()

    def run(self) -> None:
        self._timer.stop()
        self.dossier = self.doc.dossier()
        self.problems = {
            stage: check(self.dossier, self.doc.campaign, stage) for stage in self.doc.campaign.stages
        }
        self.updated.emit()

    def counts(self, stage: str) -> tuple[int, int]:
        """(errors, open warnings) for a stage."""
        listed = self.problems.get(stage, [])
        return (
            sum(1 for p in listed if p.is_error),
            sum(1 for p in listed if not p.is_error and not p.overridden),
        )
