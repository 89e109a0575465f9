"""The open store as the window sees it: reads, the campaign it follows, the undo stack, and the
one way to change it — `run(operation)` through the runner (nominator/ui/runner.py). After every
change, undo and redo, `changed` says once what changed (a `Changes` value) and who asked for it
(the initiating view, which already shows it, or None), and each view decides what to redraw.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from nominator.campaign import Campaign
from nominator.domain.model import Dossier, Report, Unit, new_record
from nominator.operations import (
    AddRecord,
    AdoptCampaign,
    Changes,
    DeleteRecords,
    EditRecord,
    EditReport,
    EditUnit,
    MoveRecord,
    Operation,
)
from nominator.store.session import Kind, Record, Store
from nominator.ui.runner import Runner

__all__ = ["Document", "Record", "new_record"]


class Document(QObject):
    """A Store plus its campaign, undo stack, runner and change announcements."""

    changed = Signal(object, object)  # Changes, initiator (the view that made the change) or None
    saved = Signal()  # a change reached the disk (or an edit turned out to change nothing)
    failed = Signal(str)  # a UserError during undo/redo, for a message box

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.campaign = store.rules()
        self.undo_stack = QUndoStack(self)
        self.runner = Runner(self)
        self._flushers: list[Callable[[], None]] = []

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.flush()
        self.undo_stack.clear()
        self.store.close()

    # ---- pending edits (editors debounce their saves; these make them land now) -------------

    def add_flusher(self, flush: Callable[[], None]) -> None:
        self._flushers.append(flush)

    def remove_flusher(self, flush: Callable[[], None]) -> None:
        if flush in self._flushers:
            self._flushers.remove(flush)

    def flush(self) -> None:
        for flush in list(self._flushers):
            flush()

    def undo(self) -> None:
        self.flush()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        self.undo_stack.redo()

    # ---- reading -------------------------------------------------------------------------

    def ids(self, kind: str) -> list[int]:
        return self.store.ids(kind_of(kind))

    def records(self, kind: str) -> list[Record]:
        """All records of a kind in recommendation order, without photo bytes."""
        return self.store.records(kind_of(kind))

    def get(self, kind: str, record_id: int) -> Record:
        return self.store.get(kind_of(kind), record_id)

    def unit(self) -> Unit:
        return self.store.unit()

    def report(self, stage: str) -> Report:
        return self.store.report(stage)

    def dossier(self) -> Dossier:
        return self.store.load_dossier(with_photos=True)

    def label(self, kind: str) -> str:
        return self.campaign.kinds[kind].label

    # ---- changing: operations, through the runner ------------------------------------------

    def run(self, op: Operation, *, initiator: object = None, parent: QWidget | None = None) -> Any:
        """Run an operation (see runner.py): its value, or None when the clerk cancelled it.
        Raises UserError when it was refused or failed (then nothing changed)."""
        outcome = self.runner.run(op, initiator=initiator, parent=parent)
        return outcome.value if outcome is not None else None

    def announce(self, changes: Changes, initiator: object) -> None:
        """Called by the runner after each operation, undo and redo."""
        if changes.campaign:
            self.campaign = self.store.rules()
        self.saved.emit()
        self.changed.emit(changes, initiator)

    # The operations the pages use most, named as the clerk would say them.

    def edit_record(self, kind: str, new: Record, *, initiator: object = None) -> None:
        self.run(EditRecord(kind_of(kind), new).named(f"修改{self.label(kind)}"), initiator=initiator)

    def add_record(self, kind: str, record: Record | None = None, position: int | None = None) -> int:
        """Add a record (quota permitting, rules Q1/Q2); raises UserError when refused."""
        op = AddRecord(kind_of(kind), self.campaign, record, position).named(f"新增{self.label(kind)}")
        new_id: int = self.run(op)
        return new_id

    def delete_record(self, kind: str, record_id: int) -> None:
        self.run(DeleteRecords([(kind_of(kind), record_id)]).named(f"删除{self.label(kind)}"))

    def move_record(self, kind: str, record_id: int, step: int) -> bool:
        return bool(self.run(MoveRecord(kind_of(kind), record_id, step)))

    def edit_unit(self, new: Unit, text: str = "修改推荐单位", *, initiator: object = None) -> None:
        self.run(EditUnit(new).named(text), initiator=initiator)

    def edit_report(self, stage: str, new: Report, *, initiator: object = None) -> None:
        self.run(EditReport(stage, new), initiator=initiator)

    def adopt_campaign(self, new: Campaign) -> None:
        """Follow another version of the campaign (the one installed on this PC): one undo step."""
        self.run(AdoptCampaign(new))


def kind_of(kind: str) -> Kind:
    if kind == "collective":
        return "collective"
    if kind == "individual":
        return "individual"
    if kind == "member":
        return "member"
    raise ValueError(f"unknown kind {kind!r}")
