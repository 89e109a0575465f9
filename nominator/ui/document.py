"""The open store as the window sees it: every change goes through here, as an undoable command,
and is announced with a signal saying what changed (kind and id), so each view refreshes itself.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from nominator.campaign import Campaign
from nominator.domain.model import Collective, Dossier, Individual, Member, Report, Unit
from nominator.domain.quota import quota_refusal
from nominator.errors import UserError
from nominator.store.session import Kind, Store
from nominator.ui import undo

Record = Collective | Individual | Member
T = TypeVar("T")

NEW_RECORD: dict[str, Callable[[], Record]] = {
    "collective": Collective,
    "individual": Individual,
    "member": Member,
}


class Document(QObject):
    """A Store plus its campaign, undo stack and change announcements."""

    recordChanged = Signal(str, int)  # kind, id: one record's fields changed
    listChanged = Signal(str)  # kind: records added, removed or reordered
    unitChanged = Signal()
    reportChanged = Signal(str)  # stage
    changed = Signal()  # anything changed (for the checker and the overview)
    saved = Signal()  # a write reached the disk
    failed = Signal(str)  # a UserError during undo/redo, for a message box
    campaignChanged = Signal()  # the store now follows another version of its campaign

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.campaign = store.rules()
        self.undo_stack = QUndoStack(self)
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
        return self.store.ids(_kind(kind))

    def records(self, kind: str) -> list[Record]:
        """All records of a kind in recommendation order, without photo bytes."""
        return self.store.records(_kind(kind))

    def get(self, kind: str, record_id: int) -> Record:
        return self.store.get(_kind(kind), record_id)

    def unit(self) -> Unit:
        return self.store.unit()

    def report(self, stage: str) -> Report:
        return self.store.report(stage)

    def dossier(self) -> Dossier:
        return self.store.load_dossier(with_photos=True)

    # ---- operations (undoable) -----------------------------------------------------------

    def edit_record(self, kind: str, new: Record) -> None:
        assert new.id is not None
        old = self._write().update(_kind(kind), copy.deepcopy(new))
        self._announce_record(kind, new.id)
        self.undo_stack.push(undo.EditRecord(self, kind, old, new))

    def add_record(self, kind: str, record: Record | None = None, position: int | None = None) -> int:
        """Add a record (quota permitting, rules Q1/Q2); raises UserError when refused."""
        ids = self.ids(kind)
        refusal = quota_refusal(self.unit(), self.campaign, kind, len(ids))
        if refusal:
            raise UserError(refusal)
        record = copy.deepcopy(record) if record is not None else NEW_RECORD[kind]()
        record.id = None
        pos = len(ids) if position is None else position
        record.id = self._write().add(_kind(kind), record, pos)
        self._announce_list(kind)
        self.undo_stack.push(undo.AddRecord(self, kind, record, pos))
        return record.id

    def delete_record(self, kind: str, record_id: int) -> None:
        record, position = self._write().delete(_kind(kind), record_id)
        self._announce_list(kind)
        self.undo_stack.push(undo.DeleteRecord(self, kind, record, position))

    def move_record(self, kind: str, record_id: int, step: int) -> bool:
        ids = self.ids(kind)
        at = ids.index(record_id)
        to = at + step
        if not 0 <= to < len(ids):
            return False
        new = list(ids)
        new[at], new[to] = new[to], new[at]
        old = self._write().reorder(_kind(kind), new)
        self._announce_list(kind)
        self.undo_stack.push(undo.Reorder(self, kind, old, new))
        return True

    def edit_unit(self, new: Unit, text: str = "修改推荐单位") -> None:
        old = self._write().update_unit(copy.deepcopy(new))
        self._announce_unit()
        self.undo_stack.push(undo.EditUnit(self, old, new, text))

    def adopt_campaign(self, new: Campaign) -> None:
        """Follow another version of the campaign (the one installed on this PC): one undo step."""
        old = self.campaign
        self.write_rules(new)
        self.undo_stack.push(undo.AdoptCampaign(self, old, new))

    def write_rules(self, campaign: Campaign) -> None:
        with self.store.transaction() as w:
            w.set_rules(campaign)
        self.campaign = campaign
        self.campaignChanged.emit()
        self.changed.emit()

    def edit_report(self, stage: str, new: Report) -> None:
        old = self._write().set_report(stage, copy.deepcopy(new))
        self._announce_report(stage)
        self.undo_stack.push(undo.EditReport(self, stage, old, new))

    def adopt_added(self, before: dict[str, set[int]], text: str) -> int:
        """After a bulk append done by the store in one transaction (import, merge): make it one
        undo step and announce it. `before` holds each kind's ids from before; returns how many."""
        added: list[tuple[str, Record, int]] = []
        for kind in NEW_RECORD:
            ids = self.ids(kind)
            for position, rid in enumerate(ids):
                if rid not in before.get(kind, set()):
                    added.append((kind, self.get(kind, rid), position))
        if added:
            for kind in {kind for kind, _r, _p in added}:
                self.listChanged.emit(kind)
            self._done()
            self.undo_stack.push(undo.AddMany(self, added, text))
        return len(added)

    def adopt_edited(self, kind: str, old: list[Record], text: str) -> None:
        """After a bulk update done by the store (photos by folder): one undo step, announced."""
        new = [self.get(kind, r.id) for r in old if r.id is not None]
        for record in new:
            assert record.id is not None
            self.recordChanged.emit(kind, record.id)
        self._done()
        self.undo_stack.push(undo.EditMany(self, kind, old, new, text))

    def replace_all(self, dossier: Dossier) -> None:
        """Import: replaces everything. Not undoable (a backup is made first by the caller)."""
        self._write().replace_dossier(dossier)
        self.undo_stack.clear()
        for kind in NEW_RECORD:
            self.listChanged.emit(kind)
        self.unitChanged.emit()
        for stage in self.campaign.stages:
            self.reportChanged.emit(self.campaign.stages[stage].report)
        self._done()

    # ---- raw writes, used by the commands (no undo entry) --------------------------------

    def write_record(self, kind: str, record: Record) -> None:
        assert record.id is not None
        self._write().update(_kind(kind), copy.deepcopy(record))
        self._announce_record(kind, record.id)

    def insert_record(self, kind: str, record: Record, position: int) -> None:
        self._write().add(_kind(kind), copy.deepcopy(record), position)
        self._announce_list(kind)

    def remove_record(self, kind: str, record_id: int) -> None:
        self._write().delete(_kind(kind), record_id)
        self._announce_list(kind)

    def write_order(self, kind: str, ids: list[int]) -> None:
        self._write().reorder(_kind(kind), ids)
        self._announce_list(kind)

    def insert_records(self, added: list[tuple[str, Record, int]]) -> None:
        for kind, record, position in sorted(added, key=lambda item: item[2]):
            self._write().add(_kind(kind), copy.deepcopy(record), position)
        for kind in {kind for kind, _r, _p in added}:
            self.listChanged.emit(kind)
        self._done()

    def remove_records(self, records: list[tuple[str, Record]]) -> None:
        for kind, record in records:
            assert record.id is not None
            self._write().delete(_kind(kind), record.id)
        for kind in {kind for kind, _r in records}:
            self.listChanged.emit(kind)
        self._done()

    def write_records(self, kind: str, records: list[Record]) -> None:
        self._write().update_many(_kind(kind), [copy.deepcopy(r) for r in records])
        for record in records:
            assert record.id is not None
            self.recordChanged.emit(kind, record.id)
        self._done()

    def write_unit(self, unit: Unit) -> None:
        self._write().update_unit(copy.deepcopy(unit))
        self._announce_unit()

    def write_report(self, stage: str, report: Report) -> None:
        self._write().set_report(stage, copy.deepcopy(report))
        self._announce_report(stage)

    def _write(self) -> _OneWrite:
        return _OneWrite(self.store)

    def guarded(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except UserError as exc:
            self.failed.emit(str(exc))

    # ---- announcements -------------------------------------------------------------------

    def _announce_record(self, kind: str, record_id: int) -> None:
        self.recordChanged.emit(kind, record_id)
        self._done()

    def _announce_list(self, kind: str) -> None:
        self.listChanged.emit(kind)
        self._done()

    def _announce_unit(self) -> None:
        self.unitChanged.emit()
        self._done()

    def _announce_report(self, stage: str) -> None:
        self.reportChanged.emit(stage)
        self._done()

    def _done(self) -> None:
        self.saved.emit()
        self.changed.emit()


def _kind(kind: str) -> Kind:
    if kind == "collective":
        return "collective"
    if kind == "individual":
        return "individual"
    if kind == "member":
        return "member"
    raise ValueError(f"unknown kind {kind!r}")


class _OneWrite:
    """Each call its own transaction (until the window's writes become operations)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            with self.store.transaction() as w:
                return getattr(w, name)(*args, **kwargs)

        return call
