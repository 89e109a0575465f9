"""Saving what the clerk types, for every editor alike (a record, the unit, a report).

Each edit marks the editor dirty and (re)starts a short timer; after the pause the editor is asked
for its operation (None when nothing really changed) and the document runs it with the editor as
initiator. While an editor is dirty, or when it made the change itself, announcements do not
reload it, so what is being typed is never overwritten; any other change reloads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from nominator.errors import UserError
from nominator.operations import Operation
from nominator.ui.document import Document
from nominator.ui.messages import show_user_error

SAVE_DELAY_MS = 300  # a pause in typing: long enough between keys, short enough to feel immediate


class Autosave(QObject):
    saving = Signal()  # an edit is waiting for its pause (the window shows 正在保存…)

    def __init__(self, doc: Document, owner: QWidget, operation: Callable[[], Operation | None]) -> None:
        super().__init__(owner)
        self.doc, self.owner, self._operation = doc, owner, operation
        self._dirty = False
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        doc.add_flusher(self.flush)
        owner.destroyed.connect(lambda: doc.remove_flusher(self.flush))

    @property
    def dirty(self) -> bool:
        return self._dirty

    @contextmanager
    def filling(self) -> Iterator[None]:
        """The editor shows stored values: the widgets' change signals are not edits."""
        self._filling = True
        try:
            yield
        finally:
            self._filling = False

    def edited(self) -> None:
        if self._filling:
            return
        self._dirty = True
        self.saving.emit()
        self._timer.start()

    def discard(self) -> None:
        """What was typed is not wanted any more (its record is gone)."""
        self._timer.stop()
        self._dirty = False

    def flush(self) -> None:
        self._timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        op = self._operation()
        if op is None:  # typed back to what was stored
            self.doc.saved.emit()
            return
        self.save(op)

    def save(self, op: Operation) -> None:
        """Run `op` now, as this editor's own change."""
        try:
            self.doc.run(op, initiator=self.owner, parent=self.owner)
        except UserError as exc:
            show_user_error(self.owner, str(exc))

    def should_reload(self, initiator: object) -> bool:
        """After an announcement: reload unless typing is pending or the change was our own."""
        return not self._dirty and initiator is not self.owner
