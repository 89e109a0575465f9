"""Table models over the store: they hold record ids in recommendation order and load rows when a
view first asks for one (Anki's browser does the same) — all rows in one query without photo
bytes (`Store.records`), then only the row that changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from nominator.campaign import Campaign
from nominator.domain.model import Nominee
from nominator.operations import Changes
from nominator.ui.document import Document, Record

Index = QModelIndex | QPersistentModelIndex


def columns_for(campaign: Campaign, kind: str) -> tuple[tuple[str, str], ...]:
    """序号, the campaign's list columns for the kind, then the review result and the source."""
    spec = campaign.kinds[kind]
    structural = {"category": "类别", "level": "级别"} if spec.categories else {}
    found = [("order", "序号"), *((f, structural.get(f) or spec.label_of(f)) for f in spec.columns)]
    review = campaign.review()
    if kind in ("collective", "individual"):
        if review is not None:
            found.append(("feedback", review.label))
        found.append(("source", "来源"))
    return tuple(found)


def dropped_tip(campaign: Campaign, stage: str) -> str:
    review = campaign.review_before(stage)
    if review is None:
        return ""
    return f"{review.label}:{review.dropped}。不参加{campaign.stage_name(stage)}阶段推荐,也不计入该阶段名额。"


# Columns that are a record's own attributes, not field values.
_OWN_COLUMNS = frozenset({"order", "feedback", "source"})
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
DROPPED_COLOUR = QColor("#9a9a9a")


class RecordTableModel(QAbstractTableModel):
    def __init__(self, doc: Document, kind: str) -> None:
        super().__init__()
        self.doc, self.kind = doc, kind
        self.columns = columns_for(doc.campaign, kind)
        self._ids: list[int] = doc.ids(kind)
        self._rows: dict[int, Record] = {}
        self.stage = doc.campaign.first_stage()
        doc.changed.connect(self._on_changed)

    # ---- the Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        field = self.columns[index.column()][0]
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == SORT_ROLE:
            if field == "order":
                return index.row()
            return self._text(self.record_at(index.row()), field)
        if role == Qt.ItemDataRole.DisplayRole:
            if field == "order":
                return str(index.row() + 1)
            value = self._text(self.record_at(index.row()), field)
            if field == "name" and not value:
                return "(未填写)"
            return value
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole) and self.is_dropped(
            index.row()
        ):
            tip = dropped_tip(self.doc.campaign, self.stage)
            return QBrush(DROPPED_COLOUR) if role == Qt.ItemDataRole.ForegroundRole else tip
        if role == Qt.ItemDataRole.TextAlignmentRole and field == "order":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section][1]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._ids):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ---- ids and rows -----------------------------------------------------------------------

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, record_id: int) -> int:
        return self._ids.index(record_id) if record_id in self._ids else -1

    def record_at(self, row: int) -> Record:
        rid = self._ids[row]
        if rid not in self._rows:
            if not self._rows:  # the first row a view asks for: all of them, in one query
                self._rows = {r.id: r for r in self.doc.records(self.kind) if r.id is not None}
            if rid not in self._rows:
                record = self.doc.get(self.kind, rid)
                if isinstance(record, Nominee):
                    record.photo_data = None  # a table never shows it
                self._rows[rid] = record
        return self._rows[rid]

    def _text(self, record: Record, field: str) -> str:
        value = (
            record.get(field)
            if isinstance(record, Nominee) and field not in _OWN_COLUMNS
            else getattr(record, field)
        )
        review = self.doc.campaign.review()
        if field == "feedback" and review is not None:
            return review.names().get(str(value), str(value))
        spec = self.doc.campaign.kinds[self.kind]
        if field == "category" and spec.categories:
            found = spec.category(str(value or ""))
            return found.label if found is not None else str(value or "")
        if isinstance(value, list | tuple):
            return "、".join(str(v) for v in value)
        return str(value or "")

    def is_dropped(self, row: int) -> bool:
        """Greyed: the formal stage is shown and the province did not keep this nominee."""
        if self.doc.campaign.review_before(self.stage) is None or self.kind == "member":
            return False
        return getattr(self.record_at(row), "feedback", "") == "dropped"

    def has_sources(self) -> bool:
        """Any record merged from a subordinate unit (逐级推荐): then the 来源 column is shown."""
        return any(getattr(self.record_at(row), "source", "") for row in range(len(self._ids)))

    def set_stage(self, stage: str) -> None:
        if stage != self.stage:
            self.stage = stage
            if self._ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def counts(self) -> tuple[int, int]:
        """(records, dropped after 初审)"""
        dropped = sum(
            1 for row in range(len(self._ids)) if getattr(self.record_at(row), "feedback", "") == "dropped"
        )
        return len(self._ids), dropped

    def loaded_rows(self) -> int:
        return len(self._rows)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches_list(self.kind):
            self.beginResetModel()
            self._ids = self.doc.ids(self.kind)
            self._rows.clear()
            self.endResetModel()
            return
        for kind, record_id in changes.records:
            if kind != self.kind or record_id not in self._ids:
                continue
            self._rows.pop(record_id, None)
            row = self._ids.index(record_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))


class RecordSortProxy(QSortFilterProxyModel):
    """Sorting by any column; the 序号 column restores the recommendation order."""

    def __init__(self, source: RecordTableModel) -> None:
        super().__init__()
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setSortLocaleAware(True)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, int) and isinstance(b, int):
            return a < b
        return super().lessThan(left, right)
