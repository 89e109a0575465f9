"""Runs the one checker for both stages a moment after the clerk stops changing things, in a
worker thread so typing never waits for it, and keeps the newest result (with the dossier it was
computed from, which names the records in the panel's headings).

Every request gets a generation number; a result that comes back after a newer request was made
is dropped and the newest request is run instead, so the panel never shows a stale list.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from nominator.campaign import Campaign
from nominator.domain.checks import check
from nominator.domain.model import Dossier
from nominator.domain.problems import Problem, Target
from nominator.domain.targets import locate
from nominator.errors import UserError
from nominator.operations import Changes, KeepPhotoVerdicts
from nominator.operations.base import EVERYTHING
from nominator.store.session import Store
from nominator.ui.document import Document
from nominator.ui.messages import scrubbed_traceback

CHECK_DELAY_MS = 0  # edits are already debounced by the editors; 0 still joins the signals of one operation
log = logging.getLogger("nominator.ui")


@dataclass(frozen=True)
class Place:
    """Where a problem lives in the window: a page, maybe a record, maybe a field."""

    page: str  # collective | individual | member | unit | reports
    record_id: int | None = None
    field: str | None = None
    group: str = ""  # heading the problems panel groups by
    field_label: str = ""  # the field in the clerk's words ("" for the whole record)

    @property
    def group_key(self) -> tuple[str, int | None, str]:
        """Stays the same while the record's name (in the heading) is typed."""
        return (self.page, self.record_id, "" if self.record_id is not None else self.group)


def place_of(target: Target, dossier: Dossier, campaign: Campaign) -> Place:
    """Where the window shows a problem's target. `dossier` (the stage's view, `Dossier.for_stage`)
    gives the record's name for the heading; the record itself is found by its id."""
    where = locate(target, dossier, campaign)
    page = target.kind if where.kind == "quota" else where.kind
    record_id = target.record if target.is_record else None
    return Place(page, record_id, where.field, where.record, where.field_label)


class _Relay(QObject):
    """Lives on the UI thread; a worker's emit is queued to it."""

    first = Signal(int, object, str, object)  # generation, dossier, stage, problems: the one shown
    # generation, dossier, {stage: problems}, seconds, photo verdicts this check made
    finished = Signal(int, object, object, float, object)
    failed = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Closed by the window before it goes (shutdown): a daemon worker still checking must not
        # emit on a relay that Qt or the interpreter's exit is tearing down (a crash on closing
        # the window within a second of opening it). Emits happen under the lock.
        self.lock = threading.Lock()
        self.closed = False


def refresh_dossier(store: Store, base: Dossier | None, changes: Changes) -> Dossier:
    """`base` brought up to date by reading only what changed (typing changes one record, so a
    re-check reads one row instead of the whole store); everything when in doubt."""
    if base is None or changes.everything or changes.campaign:
        return store.load_dossier(with_photos=True)
    fresh = dataclasses.replace(
        base,
        collectives=list(base.collectives),
        individuals=list(base.individuals),
        members=list(base.members),
        reports=dict(base.reports),
    )
    for kind in changes.lists:
        fresh.records_of(kind)[:] = store.records(kind, with_photos=True)  # type: ignore[arg-type]
    for kind, record_id in changes.records:
        if kind in changes.lists:
            continue
        records: list[Any] = fresh.records_of(kind)
        at = next((n for n, r in enumerate(records) if r.id == record_id), None)
        if at is None:  # not where we thought: read it all
            return store.load_dossier(with_photos=True)
        records[at] = store.get(kind, record_id)  # type: ignore[arg-type]
    if changes.unit:
        fresh.unit = store.unit()
    for stage in changes.reports:
        fresh.reports[stage] = store.report(stage)
    return fresh


def _check_in_background(
    store: Store,
    campaign: Campaign,
    generation: int,
    relay: _Relay,
    loaded: threading.Event,
    base: Dossier | None,
    changes: Changes,
    shown: str,
) -> None:
    """On a daemon thread: read the store (the only part that needs it open), then check.

    Daemon, so closing the window waits only for the read, never for a long first check
    (every photo decoded once) that nobody will look at any more."""
    started = time.perf_counter()
    try:
        try:
            dossier = refresh_dossier(store, base, changes)
        finally:
            loaded.set()
        known = set(dossier.photo_verdicts)  # kept by the store, or made by an earlier check
        # The stage the panel shows first, so the clerk sees it without waiting for the other.
        problems = {shown: check(dossier, campaign, shown)} if shown in campaign.stages else {}
        if problems:
            _emit(relay, "first", generation, dossier, shown, problems[shown])
        for stage in campaign.stages:
            if stage not in problems:
                problems[stage] = check(dossier, campaign, stage)
        problems = {stage: problems[stage] for stage in campaign.stages}
    except Exception:  # a bug or a vanished file must not kill the thread silently
        exc_type, _exc, tb = sys.exc_info()
        assert exc_type is not None
        log.error("check failed: %s", scrubbed_traceback(exc_type, tb))
        _emit(relay, "failed", generation)
        return
    made = {key: verdict for key, verdict in dossier.photo_verdicts.items() if key not in known}
    _emit(relay, "finished", generation, dossier, problems, time.perf_counter() - started, made)


def _emit(relay: _Relay, signal: str, *args: object) -> None:
    with relay.lock:
        if relay.closed:  # the window closed meanwhile: nobody looks at this result
            return
        with contextlib.suppress(RuntimeError):  # its relay is gone
            getattr(relay, signal).emit(*args)


class ProblemState(QObject):
    updated = Signal()

    def __init__(self, doc: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.dossier: Dossier | None = None
        self.problems: dict[str, list[Problem]] = {}
        self.last_seconds = 0.0
        self._views: dict[str, Dossier] = {}
        self._generation = 0  # the newest request
        self._running: int | None = None  # the generation a worker is computing now
        self._closed = False
        self._loaded = threading.Event()
        self._loaded.set()
        self._relay = _Relay(self)
        self._relay.first.connect(self._first)
        self._relay.finished.connect(self._finished)
        self.shown_stage = next(iter(doc.campaign.stages))  # the problems panel's; checked first
        self._relay.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self._pending = Changes(everything=True)  # since the newest dossier read
        self._read: Dossier | None = None  # that dossier (the last one a worker read)
        doc.changed.connect(self._changed)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        self._pending = self._pending | changes
        self.schedule()

    def schedule(self) -> None:
        if not self._closed:
            self._timer.start()

    def run(self) -> None:
        """Ask for a fresh check now; `updated` fires when its result is in."""
        self._timer.stop()
        if self._closed:
            return
        self._generation += 1
        if self._running is None:
            self._start()

    def is_current(self) -> bool:
        return self._running is None and not self._timer.isActive() and bool(self.problems)

    def _start(self) -> None:
        self._running = self._generation
        self._loaded = threading.Event()
        changes, self._pending = self._pending, Changes()
        threading.Thread(
            target=_check_in_background,
            args=(
                self.doc.store,
                self.doc.campaign,
                self._generation,
                self._relay,
                self._loaded,
                self._read,
                changes,
                self.shown_stage,
            ),
            name="nominator-check",
            daemon=True,
        ).start()

    def _finished(
        self,
        generation: int,
        dossier: Dossier,
        problems: dict[str, list[Problem]],
        secs: float,
        made: dict[tuple[str, str], object],
    ) -> None:
        self._running = None
        self._read = dossier  # changes since it started are in _pending: the next read adds them
        if self._closed:
            return
        self._keep_verdicts(made)
        if generation != self._generation:  # stale: something changed while it ran
            self._start()
            return
        self.dossier, self.problems, self.last_seconds = dossier, problems, secs
        self._views = {stage: dossier.for_stage(stage, self.doc.campaign) for stage in problems}
        self.updated.emit()

    def _keep_verdicts(self, made: dict[tuple[str, str], object]) -> None:
        """The photos judged by this check are not decoded again, by the window or by
        `nominator check`: the store keeps their verdicts. Read-only media keep none."""
        if not made:
            return
        try:
            self.doc.runner.keep(KeepPhotoVerdicts(made))
        except UserError as exc:
            log.info("photo verdicts not kept: %s", exc)

    def _first(self, generation: int, dossier: Dossier, stage: str, problems: list[Problem]) -> None:
        """One stage's result ahead of the rest; the other stages keep theirs until `_finished`."""
        if self._closed or generation != self._generation:
            return
        self.dossier = dossier
        self.problems = {**self.problems, stage: problems}
        self._views = {**self._views, stage: dossier.for_stage(stage, self.doc.campaign)}
        self.updated.emit()

    def _failed(self, generation: int) -> None:
        self._running = None
        self._pending = self._pending | EVERYTHING  # what that worker was to read is not known to be read
        if not self._closed and generation != self._generation:
            self._start()

    def shutdown(self) -> None:
        """Before the store closes: no new checks, and the running one has read what it needs."""
        self._closed = True
        self._timer.stop()
        with self._relay.lock:
            self._relay.closed = True
        self._loaded.wait(timeout=30)

    def counts(self, stage: str) -> tuple[int, int]:
        """(errors, open warnings) for a stage."""
        listed = self.problems.get(stage, [])
        return (
            sum(1 for p in listed if p.is_error),
            sum(1 for p in listed if not p.is_error and not p.overridden),
        )

    def view(self, stage: str) -> Dossier | None:
        """The stage's view of the dossier its problems were found in (targets index into it)."""
        view = self._views.get(stage)
        if view is None and self.dossier is not None:
            view = self._views[stage] = self.dossier.for_stage(stage, self.doc.campaign)
        return view

    def place(self, stage: str, problem: Problem) -> Place:
        view = self.view(stage)
        assert view is not None
        return place_of(problem.target, view, self.doc.campaign)
