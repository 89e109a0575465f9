"""The one place the window changes a dossier: it runs operations (nominator.operations).

`Runner.run(op)` performs an operation in one transaction — in a worker thread behind a progress
dialog that can cancel it when the operation is long (imports, photos by folder, a merge), else at
once — pushes one generic undo step, and announces what changed once (`Document.changed`), for
each view to read. Undo and redo perform the operation the last outcome named, and announce in
the same way. `Runner.query` runs a long read the same way, with no undo step (a preview).

Nothing else in the window writes to the store (tests/ui/test_one_way_in.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtGui import QGuiApplication, QUndoCommand
from PySide6.QtWidgets import QProgressDialog, QWidget

from nominator.errors import UserError
from nominator.operations import Bookkeeping, Cancelled, Operation, Outcome, Progress, perform
from nominator.ui.messages import scrubbed_traceback

if TYPE_CHECKING:
    from nominator.ui.document import Document

T = TypeVar("T")
log = logging.getLogger("nominator.ui")
SHOW_PROGRESS_AFTER_MS = 300  # work that ends sooner shows no dialog at all


class OperationCommand(QUndoCommand):
    """One undo step for any operation: undo performs the operation its outcome named, whose own
    outcome names the redo, and so on. The first redo() is skipped: the runner performed the
    operation before pushing, so a failure reached the caller instead of vanishing in QUndoStack."""

    def __init__(self, runner: Runner, name: str, undo: Operation) -> None:
        super().__init__(name)
        self.runner = runner
        self.undo_op: Operation | None = undo
        self.redo_op: Operation | None = None
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        if self.redo_op is not None:
            self.undo_op = self.runner.replay(self.redo_op) or self.undo_op

    def undo(self) -> None:
        if self.undo_op is not None:
            self.redo_op = self.runner.replay(self.undo_op) or self.redo_op


class _Worker(QThread):
    """Runs one piece of work off the UI thread; `progress` raises Cancelled once asked to stop."""

    progressed = Signal(int, int, str)

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.stop = False

    def progress(self, step: int, steps: int, text: str) -> None:
        if self.stop:
            raise Cancelled
        self.progressed.emit(step, steps, text)

    def run(self) -> None:
        try:
            self.result = self.work(self.progress)
        except BaseException as exc:  # handed to the UI thread, which raises or reports it
            self.error = exc


class Runner(QObject):
    """Runs the document's operations; see the module's docstring."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self.doc = doc
        self._busy = False

    # ---- operations ------------------------------------------------------------------------

    def run(
        self, op: Operation, *, initiator: object = None, parent: QWidget | None = None
    ) -> Outcome | None:
        """Perform `op`; raises UserError (nothing changed), returns None when the clerk cancelled."""
        if self._busy:
            raise UserError("上一项操作还没有完成,请稍候再试。")
        self.doc.flush()  # edits still waiting for their pause land first, as their own steps
        self._busy = True
        try:
            if op.long:
                outcome = self._in_background(
                    op.name, lambda progress: perform(self.doc.store, op, progress), parent
                )
            else:
                outcome = perform(self.doc.store, op)
        except Cancelled:
            return None
        finally:
            self._busy = False
        if outcome.undo is not None:
            self.doc.undo_stack.push(OperationCommand(self, op.name, outcome.undo))
        self.doc.announce(outcome.changes, initiator)
        return outcome

    def keep(self, op: Bookkeeping) -> Outcome | None:
        """Perform a bookkeeping operation (it changes nothing the clerk sees): no undo step, no
        announcement. While another operation runs it is left out (None): what it would have
        kept is worked out again another time."""
        if self._busy:
            return None
        self._busy = True
        try:
            outcome = perform(self.doc.store, op)
        finally:
            self._busy = False
        return outcome

    def replay(self, op: Operation) -> Operation | None:
        """Undo or redo: perform `op` now (a wait cursor while it works), announce what changed,
        return the operation that takes it back; None (and a message) when it failed."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            outcome = perform(self.doc.store, op)
        except UserError as exc:
            self.doc.failed.emit(str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.doc.announce(outcome.changes, None)
        return outcome.undo

    # ---- long reads ------------------------------------------------------------------------

    def query(self, text: str, read: Callable[[Progress], T], parent: QWidget | None = None) -> T | None:
        """A long read (a preview: reading a workbook, matching a folder, reading exchange files)
        in a worker, behind a progress dialog that can cancel it. Returns its value, or None when
        cancelled; raises what it raised."""
        try:
            result: T = self._in_background(text, read, parent)
        except Cancelled:
            return None
        return result

    def _in_background(self, text: str, work: Callable[[Progress], T], parent: QWidget | None) -> T:
        worker = _Worker(work)
        dialog = QProgressDialog(f"{text}…", "取消", 0, 0, parent)
        dialog.setWindowTitle(text)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)

        def show(step: int, steps: int, what: str) -> None:
            dialog.setMaximum(max(steps, 0))
            dialog.setValue(min(step, steps) if steps else 0)
            dialog.setLabelText(what)

        def cancel() -> None:
            worker.stop = True
            dialog.setLabelText("正在取消…")

        worker.progressed.connect(show)
        dialog.canceled.connect(cancel)
        waiting = QEventLoop()
        worker.finished.connect(waiting.quit)
        worker.start()
        if worker.isRunning():
            waiting.exec()
        worker.wait()
        dialog.reset()
        dialog.deleteLater()
        worker.deleteLater()
        if worker.stop and worker.error is None:
            raise Cancelled  # asked to stop after its last step: the result is not wanted
        if isinstance(worker.error, BaseException):
            if not isinstance(worker.error, UserError | Cancelled | OSError):
                exc_type = type(worker.error)
                log.error("operation failed: %s", scrubbed_traceback(exc_type, worker.error.__traceback__))
            raise worker.error
        result: T = worker.result
        return result


__all__ = ["OperationCommand", "Runner"]
