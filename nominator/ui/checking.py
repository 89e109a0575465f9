"""Runs the one checker for both stages a moment after the clerk stops changing things, in a
worker thread so typing never waits for it, and keeps the newest result (with the dossier it was
computed from, to map `individuals[2]` back to a record).

Every request gets a generation number; a result that comes back after a newer request was made
is dropped and the newest request is run instead, so the panel never shows a stale list.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from nominator.campaign import Campaign
from nominator.domain.checks import check
from nominator.domain.model import Collective, Dossier, Individual, Member
from nominator.domain.problems import Problem
from nominator.store.session import Store
from nominator.ui.document import Document
from nominator.ui.messages import scrubbed_traceback

CHECK_DELAY_MS = 700
RECORD_TARGET = re.compile(r"^(collectives|individuals|members)\[(\d+)\](?:\.(.+))?$")
KINDS = {"collectives": "collective", "individuals": "individual", "members": "member"}
log = logging.getLogger("nominator.ui")


@dataclass(frozen=True)
class Place:
    """Where a problem lives in the window: a page, maybe a record, maybe a field."""

    page: str  # collective | individual | member | unit | reports
    record_id: int | None = None
    field: str | None = None
    group: str = ""  # heading the problems panel groups by


def place_of(target: str, dossier: Dossier, campaign: Campaign) -> Place:
    """`dossier` must be the stage's view (`Dossier.for_stage`): targets index into its lists."""
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
        noun = campaign.kinds[kind].label
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


class _Relay(QObject):
    """Lives on the UI thread; a worker's emit is queued to it."""

    finished = Signal(int, object, object, float)  # generation, dossier, {stage: problems}, seconds
    failed = Signal(int)


def _check_in_background(
    store: Store, campaign: Campaign, generation: int, relay: _Relay, loaded: threading.Event
) -> None:
    """On a daemon thread: read the store (the only part that needs it open), then check.

    Daemon, so closing the window waits only for the read, never for a long first check
    (every photo decoded once) that nobody will look at any more."""
    started = time.perf_counter()
    try:
        try:
            dossier = store.load_dossier(with_photos=True)
        finally:
            loaded.set()
        problems = {stage: check(dossier, campaign, stage) for stage in campaign.stages}
    except Exception:  # a bug or a vanished file must not kill the thread silently
        exc_type, _exc, tb = sys.exc_info()
        assert exc_type is not None
        log.error("check failed: %s", scrubbed_traceback(exc_type, tb))
        _emit(relay.failed, generation)
        return
    _emit(relay.finished, generation, dossier, problems, time.perf_counter() - started)


def _emit(signal: Any, *args: object) -> None:
    with contextlib.suppress(RuntimeError):  # the window closed meanwhile and its relay is gone
        signal.emit(*args)


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
        self._relay.finished.connect(self._finished)
        self._relay.failed.connect(self._failed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.run)
        doc.changed.connect(self.schedule)

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
        threading.Thread(
            target=_check_in_background,
            args=(self.doc.store, self.doc.campaign, self._generation, self._relay, self._loaded),
            name="nominator-check",
            daemon=True,
        ).start()

    def _finished(
        self, generation: int, dossier: Dossier, problems: dict[str, list[Problem]], secs: float
    ) -> None:
        self._running = None
        if self._closed:
            return
        if generation != self._generation:  # stale: something changed while it ran
            self._start()
            return
        self.dossier, self.problems, self.last_seconds = dossier, problems, secs
        self._views = {stage: dossier.for_stage(stage, self.doc.campaign) for stage in problems}
        self.updated.emit()

    def _failed(self, generation: int) -> None:
        self._running = None
        if not self._closed and generation != self._generation:
            self._start()

    def shutdown(self) -> None:
        """Before the store closes: no new checks, and the running one has read what it needs."""
        self._closed = True
        self._timer.stop()
        self._loaded.wait(timeout=30)

    def counts(self, stage: str) -> tuple[int, int]:
        """(errors, open warnings) for a stage."""
        listed = self.problems.get(stage, [])
        return (
            sum(1 for p in listed if p.is_error),
            sum(1 for p in listed if not p.is_error and not p.overridden),
        )

    def place(self, stage: str, problem: Problem) -> Place:
        view = self._views.get(stage)
        if view is None:
            assert self.dossier is not None
            view = self._views[stage] = self.dossier.for_stage(stage, self.doc.campaign)
        return place_of(problem.target, view, self.doc.campaign)
