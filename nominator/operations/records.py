"""The small operations the clerk does by hand: typing (one record, the unit, a report), adding,
deleting and moving records, accepting a warning."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from nominator.campaign import Campaign
from nominator.domain.model import Member, Report, Unit, new_record
from nominator.domain.quota import quota_refusal
from nominator.errors import UserError
from nominator.operations.base import Bookkeeping, Changes, Operation, Outcome, Progress
from nominator.store.session import Kind, Record
from nominator.store.writer import Writer


@dataclass
class EditRecord(Operation):
    """Every field of one record as `record` holds it (photo bytes included)."""

    kind: Kind
    record: Record

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        assert self.record.id is not None
        old = writer.update(self.kind, copy.deepcopy(self.record))
        return Outcome(Changes.of_records(self.kind, [self.record.id]), EditRecord(self.kind, old))


@dataclass
class EditRecords(Operation):
    """Several records of one kind at once (photos by folder, 全部自动处理; their undo)."""

    kind: Kind
    records: list[Record]

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        old = writer.update_many(self.kind, copy.deepcopy(self.records))
        changes = Changes.of_records(self.kind, [r.id for r in self.records])
        return Outcome(changes, EditRecords(self.kind, old))


@dataclass
class AddRecord(Operation):
    """A new record at `position` (default: last), quota permitting (rules Q1/Q2): the value is
    its id. A refusal is a UserError in the words the clerk reads."""

    kind: Kind
    campaign: Campaign
    record: Record | None = None
    position: int | None = None

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        ids = writer.ids(self.kind)
        refusal = quota_refusal(writer.unit(), self.campaign, self.kind, len(ids))
        if refusal:
            raise UserError(refusal)
        record = copy.deepcopy(self.record) if self.record is not None else new_record(self.kind)
        record.id = None
        new_id = writer.add(self.kind, record, self.position)
        return Outcome(Changes(lists=frozenset({self.kind})), DeleteRecords([(self.kind, new_id)]), new_id)


@dataclass
class InsertRecords(Operation):
    """Records put back where they were, ids and photos included (undo of a delete)."""

    placed: list[tuple[Kind, Record, int]]  # kind, record (with its id), position

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        ids: list[tuple[Kind, int]] = []
        for kind, record, position in self.placed:  # in this order: each finds its neighbours
            ids.append((kind, writer.add(kind, copy.deepcopy(record), position)))
        kinds = frozenset(kind for kind, _r, _p in self.placed)
        return Outcome(Changes(lists=kinds), DeleteRecords(ids))


@dataclass
class DeleteRecords(Operation):
    """Records removed (one: 删除; many: the undo of an import or a merge)."""

    ids: list[tuple[Kind, int]]

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        removed: list[tuple[Kind, Record, int]] = []
        for kind, record_id in self.ids:
            record, position = writer.delete(kind, record_id)
            removed.append((kind, record, position))
        # Put back in reverse: each one then finds the neighbours it had.
        removed.reverse()
        kinds = frozenset(kind for kind, _id in self.ids)
        return Outcome(Changes(lists=kinds), InsertRecords(removed))


@dataclass
class Reorder(Operation):
    """The recommendation order of a kind, as a list of every record's id."""

    kind: Kind
    ids: list[int]

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        old = writer.reorder(self.kind, list(self.ids))
        return Outcome(Changes(lists=frozenset({self.kind})), Reorder(self.kind, old))


@dataclass
class MoveRecord(Operation):
    """One record a step up (-1) or down (+1); the value says whether it moved (not past an end)."""

    kind: Kind
    record_id: int
    step: int
    name: str = field(default="调整推荐顺序", init=False)

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        ids = writer.ids(self.kind)
        at = ids.index(self.record_id)
        to = at + self.step
        if not 0 <= to < len(ids):
            return Outcome(Changes(), None, False)
        ids[at], ids[to] = ids[to], ids[at]
        outcome = Reorder(self.kind, ids).apply(writer, progress)
        return Outcome(outcome.changes, outcome.undo, True)


@dataclass
class EditUnit(Operation):
    unit: Unit

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        old = writer.update_unit(copy.deepcopy(self.unit))
        return Outcome(Changes(unit=True), EditUnit(old))


@dataclass
class EditReport(Operation):
    report_key: str
    report: Report
    name: str = field(default="修改推荐工作报告", init=False)

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        old = writer.set_report(self.report_key, copy.deepcopy(self.report))
        return Outcome(Changes(reports=frozenset({self.report_key})), EditReport(self.report_key, old))


@dataclass
class SetOverride(Operation):
    """Accept a warning with the clerk's reason (or withdraw it: `reason` None) on a nominee or,
    for the warnings about the unit as a whole, on the unit."""

    rule: str
    reason: str | None
    kind: Kind | None = None  # None: the unit
    record_id: int | None = None

    def __post_init__(self) -> None:
        self.name = "接受提醒" if self.reason else "取消接受提醒"

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        if self.kind is not None and self.record_id is not None:
            record = writer.get(self.kind, self.record_id)
            if isinstance(record, Member):
                raise UserError("成员名单没有需要接受的提醒。")
            _set(record.overrides, self.rule, self.reason)
            return EditRecord(self.kind, record).apply(writer, progress)
        unit = writer.unit()
        _set(unit.overrides, self.rule, self.reason)
        return EditUnit(unit).apply(writer, progress)


@dataclass
class KeepPhotoVerdicts(Bookkeeping):
    """Keep what the checker judged of photos ((rules fingerprint, photo SHA-256) → verdict), so
    neither the window nor `nominator check` decodes them again. Its value: how many were added."""

    verdicts: dict[tuple[str, str], object]

    def __post_init__(self) -> None:
        self.name = "保存照片检查结果"

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        return Outcome(Changes(), None, writer.keep_photo_verdicts(self.verdicts))


def _set(overrides: dict[str, str], rule: str, reason: str | None) -> None:
    if reason:
        overrides[rule] = reason
    else:
        overrides.pop(rule, None)
