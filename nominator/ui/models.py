"""Table models over the store: they hold only record ids, in recommendation order, and load a
row the first time a view asks for it (Anki's browser does the same)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from nominator.ui.document import Document, Record

Index = QModelIndex | QPersistentModelIndex

COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "collective": (("order", "序号"), ("name", "集体名称"), ("level", "层级"), ("nature", "单位性质")),
    "individual": (
        ("order", "序号"),
        ("name", "姓名"),
        ("gender", "性别"),
        ("birth_date", "出生日期"),
        ("rank", "职级"),
        ("level", "层级"),
    ),
    "member": (
        ("order", "序号"),
        ("name", "姓名"),
        ("unit_and_title", "单位及职务"),
        ("role", "工作机构职务"),
    ),
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class RecordTableModel(QAbstractTableModel):
    def __init__(self, doc: Document, kind: str) -> None:
        super().__init__()
        self.doc, self.kind = doc, kind
        self.columns = COLUMNS[kind]
        self._ids: list[int] = doc.ids(kind)
        self._rows: dict[int, Record] = {}
        doc.listChanged.connect(self._on_list_changed)
        doc.recordChanged.connect(self._on_record_changed)

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
            return str(getattr(self.record_at(index.row()), field) or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if field == "order":
                return str(index.row() + 1)
            value = getattr(self.record_at(index.row()), field)
            if field == "name" and not value:
                return "(未填写)"
            return str(value or "")
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
            self._rows[rid] = self.doc.get(self.kind, rid)
        return self._rows[rid]

    def loaded_rows(self) -> int:
        return len(self._rows)

    def _on_list_changed(self, kind: str) -> None:
        if kind != self.kind:
            return
        self.beginResetModel()
        self._ids = self.doc.ids(kind)
        self._rows.clear()
        self.endResetModel()

    def _on_record_changed(self, kind: str, record_id: int) -> None:
        if kind != self.kind or record_id not in self._ids:
            return
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
