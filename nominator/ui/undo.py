"""One undoable command per data change. Each one writes through the store (its own committed
transaction) and announces what changed through the Document, so views refresh themselves.

The first redo() is skipped: the Document performs the operation before pushing the command, so
a store error reaches the caller (and a message box) instead of vanishing inside QUndoStack.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from nominator.domain.model import Report, Unit

if TYPE_CHECKING:
    from nominator.campaign import Campaign
    from nominator.ui.document import Document, Record


def kind_name(doc: Document, kind: str) -> str:
    return doc.campaign.kinds[kind].label


class _Command(QUndoCommand):
    def __init__(self, doc: Document, text: str) -> None:
        super().__init__(text)
        self.doc = doc
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self.doc.guarded(self.apply)

    def undo(self) -> None:
        self.doc.guarded(self.revert)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class EditRecord(_Command):
    def __init__(self, doc: Document, kind: str, old: Record, new: Record) -> None:
        super().__init__(doc, f"修改{kind_name(doc, kind)}")
        self.kind, self.old, self.new = kind, copy.deepcopy(old), copy.deepcopy(new)

    def apply(self) -> None:
        self.doc.write_record(self.kind, self.new)

    def revert(self) -> None:
        self.doc.write_record(self.kind, self.old)


class AddRecord(_Command):
    def __init__(self, doc: Document, kind: str, record: Record, position: int) -> None:
        super().__init__(doc, f"新增{kind_name(doc, kind)}")
        self.kind, self.record, self.position = kind, copy.deepcopy(record), position

    def apply(self) -> None:
        self.doc.insert_record(self.kind, self.record, self.position)

    def revert(self) -> None:
        assert self.record.id is not None
        self.doc.remove_record(self.kind, self.record.id)


class DeleteRecord(_Command):
    def __init__(self, doc: Document, kind: str, record: Record, position: int) -> None:
        super().__init__(doc, f"删除{kind_name(doc, kind)}")
        self.kind, self.record, self.position = kind, copy.deepcopy(record), position

    def apply(self) -> None:
        assert self.record.id is not None
        self.doc.remove_record(self.kind, self.record.id)

    def revert(self) -> None:
        self.doc.insert_record(self.kind, self.record, self.position)


class Reorder(_Command):
    def __init__(self, doc: Document, kind: str, old: list[int], new: list[int]) -> None:
        super().__init__(doc, "调整推荐顺序")
        self.kind, self.old, self.new = kind, list(old), list(new)

    def apply(self) -> None:
        self.doc.write_order(self.kind, self.new)

    def revert(self) -> None:
        self.doc.write_order(self.kind, self.old)


class EditUnit(_Command):
    def __init__(self, doc: Document, old: Unit, new: Unit, text: str = "修改推荐单位") -> None:
        super().__init__(doc, text)
        self.old, self.new = copy.deepcopy(old), copy.deepcopy(new)

    def apply(self) -> None:
        self.doc.write_unit(self.new)

    def revert(self) -> None:
        self.doc.write_unit(self.old)


class EditReport(_Command):
    def __init__(self, doc: Document, stage: str, old: Report, new: Report) -> None:
        super().__init__(doc, "修改推荐工作报告")
        self.stage, self.old, self.new = stage, copy.deepcopy(old), copy.deepcopy(new)

    def apply(self) -> None:
        self.doc.write_report(self.stage, self.new)

    def revert(self) -> None:
        self.doc.write_report(self.stage, self.old)


class AddMany(_Command):
    """Records a bulk operation appended (Excel import, merge); undo removes them all."""

    def __init__(self, doc: Document, added: list[tuple[str, Record, int]], text: str) -> None:
        super().__init__(doc, text)
        self.added = [(kind, copy.deepcopy(record), position) for kind, record, position in added]

    def apply(self) -> None:
        self.doc.insert_records(self.added)

    def revert(self) -> None:
        self.doc.remove_records([(kind, record) for kind, record, _p in self.added])


class EditMany(_Command):
    """Records a bulk operation changed (photos by folder); undo writes the old ones back."""

    def __init__(self, doc: Document, kind: str, old: list[Record], new: list[Record], text: str) -> None:
        super().__init__(doc, text)
        self.kind, self.old, self.new = kind, copy.deepcopy(old), copy.deepcopy(new)

    def apply(self) -> None:
        self.doc.write_records(self.kind, self.new)

    def revert(self) -> None:
        self.doc.write_records(self.kind, self.old)


class AdoptCampaign(_Command):
    def __init__(self, doc: Document, old: Campaign, new: Campaign) -> None:
        super().__init__(doc, f"采用活动规则“{new.title}”")
        self.old, self.new = old, new

    def apply(self) -> None:
        self.doc.write_rules(self.new)

    def revert(self) -> None:
        self.doc.write_rules(self.old)
