"""What an operation is, what it returns, and how one is performed (one transaction)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Self

from nominator.store.session import Store
from nominator.store.writer import Writer

Progress = Callable[[int, int, str], None]  # step, steps, what is happening; may raise Cancelled


class Cancelled(Exception):
    """The clerk cancelled a long operation: raised from `progress`, it rolls the transaction back."""


def no_progress(_step: int, _steps: int, _text: str) -> None:
    return None


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so that each view can tell whether it must redraw."""

    records: frozenset[tuple[str, int]] = frozenset()  # (kind, id): fields of these records
    lists: frozenset[str] = frozenset()  # kinds whose records were added, removed or reordered
    unit: bool = False
    reports: frozenset[str] = frozenset()  # report keys (stages' reports)
    campaign: bool = False  # the store follows another campaign (or version of it)
    everything: bool = False  # the dossier was replaced whole

    @classmethod
    def of_records(cls, kind: str, ids: Iterable[int | None]) -> Changes:
        return cls(records=frozenset((kind, i) for i in ids if i is not None))

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            records=self.records | other.records,
            lists=self.lists | other.lists,
            unit=self.unit or other.unit,
            reports=self.reports | other.reports,
            campaign=self.campaign or other.campaign,
            everything=self.everything or other.everything,
        )

    def is_empty(self) -> bool:
        return not (
            self.records or self.lists or self.unit or self.reports or self.campaign or self.everything
        )

    def touches_list(self, kind: str) -> bool:
        """Records of `kind` came or went, or their order changed."""
        return self.everything or kind in self.lists

    def touches_kind(self, kind: str) -> bool:
        """Anything about records of `kind`."""
        return self.touches_list(kind) or any(k == kind for k, _id in self.records)

    def touches_record(self, kind: str, record_id: int | None) -> bool:
        return self.touches_list(kind) or (kind, record_id) in self.records

    def touches_unit(self) -> bool:
        return self.everything or self.unit

    def touches_report(self, report: str) -> bool:
        return self.everything or report in self.reports


EVERYTHING = Changes(everything=True)


@dataclass(frozen=True)
class Outcome:
    changes: Changes
    undo: Operation | None  # performing it takes this operation back; None: nothing was changed
    value: Any = None  # what the caller asked for (a new record's id, an import's counts)


@dataclass
class Operation(ABC):
    """One change of a dossier. `name` is what the undo menu says (撤销“修改先进个人”)."""

    name: str = field(default="修改", init=False)
    long: bool = field(default=False, init=False)  # the window runs it in a worker, with progress

    @abstractmethod
    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        """Make the change through `writer` (one transaction) and say what it changed."""

    def named(self, name: str) -> Self:
        """The same operation under the words the undo menu should use."""
        self.name = name
        return self


@dataclass
class Bookkeeping(Operation):
    """An operation that keeps what spares work later (what the checker judged of photos) and
    changes nothing the dossier shows: its outcome has no changes and no undo, and the window's
    runner performs it without an undo step or an announcement (`Runner.keep`)."""


def perform(store: Store, operation: Operation, progress: Progress = no_progress) -> Outcome:
    """Run `operation` in one transaction of `store`: all of it is committed, or nothing is
    (an error or Cancelled rolls it back). The undo operation it returns is named like it."""
    with store.transaction() as writer:
        outcome = operation.apply(writer, progress)
    if outcome.undo is not None:
        outcome.undo.name = operation.name
    return outcome
