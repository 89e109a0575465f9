"""A list page: the table of one kind of record (recommendation order, sortable), the buttons to
add, delete and move, and the editor beside it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from nominator.operations import Changes
from nominator.ui.document import Document
from nominator.ui.editors import RecordEditor
from nominator.ui.messages import user_errors
from nominator.ui.models import ID_ROLE, RecordSortProxy, RecordTableModel

ORDER_HINT = "表中顺序即推荐顺序(用“上移”“下移”调整)。"


def page_hint(doc: Document, kind: str) -> str:
    """Under the list: the order for nominees; the form that lists the members."""
    if kind != "member":
        return ORDER_HINT
    form = doc.campaign.members_form()
    if form is None:
        return ""
    title = form.title_for(doc.unit().name.strip() or "")
    return f"{form.attachment}《{title}》。" if form.attachment else f"《{title}》。"


class RecordsPage(QWidget):
    saving = Signal()

    def __init__(self, doc: Document, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.kind = doc, kind
        self.model = RecordTableModel(doc, kind)
        self.model.setParent(self)  # goes with the page (a campaign change rebuilds the pages)
        self.proxy = RecordSortProxy(self.model)
        self.proxy.setParent(self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        # Widths fitted to the contents when the list changes, not on every edit: fitting asks
        # every row of every column again, which would slow each saved keystroke on a long list.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(60)  # widths from the first rows, not all 300
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)

        noun = self.noun = doc.campaign.kinds[kind].label
        self.add_button = QPushButton(f"新增{noun}")
        self.add_button.setToolTip("Ctrl+N")
        self.delete_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.up_button.setToolTip("在推荐顺序中上移(Alt+↑)")
        self.down_button.setToolTip("在推荐顺序中下移(Alt+↓)")
        self.add_button.clicked.connect(self.add)
        self.delete_button.clicked.connect(self.delete)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for keys, slot in (  # Ctrl+N is the window's 编辑 → 新增 (one shortcut, never ambiguous)
            ("Alt+Up", lambda: self.move_selected(-1)),
            ("Alt+Down", lambda: self.move_selected(1)),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.count = QLabel()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            # As wide as the words, not the style's 80 px minimum: on a narrow window the list's
            # buttons should not take the editor's room.
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 24)
            buttons.addWidget(button)
        buttons.addStretch(1)

        hint = QLabel(page_hint(doc, kind))
        hint.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(hint)

        self.editor = RecordEditor(doc, kind)
        self.editor.saving.connect(self.saving)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)  # the editor's labels and fields need the room more
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter
        self._sized = False
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._after_reset)
        self.model.dataChanged.connect(lambda *_: self._update_count())
        doc.changed.connect(self._doc_changed)
        self._after_reset()
        self.setTabOrder(self.table, self.add_button)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized and self.splitter.width() > 0:
            # The table would take its full width first (all columns fitted); on a narrow
            # window (150% on 1366×768) that left the editor a sliver. 2 : 3, the list scrolls.
            self._sized = True
            total = self.splitter.width()
            self.splitter.setSizes([total * 2 // 5, total - total * 2 // 5])

    # ---- selection -------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_id(self, record_id: int | None) -> None:
        if record_id is None:
            self.editor.load(None)
            return
        row = self.model.row_of(record_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = current.data(ID_ROLE) if current.isValid() else None
        if record_id != self.editor.record_id:
            self.editor.load(record_id)
        self._update_buttons()

    def _after_reset(self) -> None:
        self.table.resizeColumnsToContents()
        wanted = self.editor.record_id
        ids = self.model.ids()
        if wanted not in ids:
            wanted = ids[0] if ids else None
        self.select_id(wanted)
        if wanted is None:
            self.editor.load(None)
        self._update_count()
        self._update_buttons()
        fields = [f for f, _t in self.model.columns]
        if "source" in fields:
            self.table.setColumnHidden(fields.index("source"), not self.model.has_sources())

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.delete_button.setEnabled(has)
        self.up_button.setEnabled(has)
        self.down_button.setEnabled(has)

    def _doc_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches_unit():
            self._update_count()

    def _update_count(self) -> None:
        from nominator.domain.quota import ceiling_for

        n = self.model.rowCount()
        spec = self.doc.campaign.kinds[self.kind]
        measure = spec.measure
        text = f"共 {n} {measure}{spec.label}"
        review = self.doc.campaign.review()
        if self.kind != "member" and review is not None:
            dropped = self.model.counts()[1]
            if dropped:
                later = next(
                    (
                        s
                        for k, s in self.doc.campaign.stages.items()
                        if self.doc.campaign.review_before(k) is review
                    ),
                    None,
                )
                after = f",{later.name}阶段 {n - dropped} {measure}" if later else ""
                text += f"({review.label}{review.dropped} {dropped} {measure}{after})"
        campaign = self.doc.campaign
        unit = self.doc.unit()
        if self.kind != "member" and campaign.allocation.by_category:
            if not unit.allocation.table:
                text += ",尚未填写分配名额"
        elif self.kind != "member":
            ceiling = ceiling_for(unit, campaign, self.kind)
            text += f",名额上限 {ceiling}" if ceiling is not None else ",尚未填写分配名额"
        self.count.setText(text)

    # ---- actions ---------------------------------------------------------------------------

    def add(self) -> None:
        self.editor.flush()
        with user_errors(self):
            record_id = self.doc.add_record(self.kind)
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            self.select_id(record_id)
            self.editor.focus_field("name")

    def delete(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        self.editor.flush()
        name = self.model.record_at(self.model.row_of(record_id)).name or "(未填写)"
        answer = QMessageBox.question(
            self,
            "删除",
            f"确定删除{self.doc.campaign.kinds[self.kind].label}“{name}”吗?\n删除后可以用“撤销”(Ctrl+Z)恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.model.row_of(record_id)
        with user_errors(self):
            self.doc.delete_record(self.kind, record_id)
            ids = self.model.ids()
            self.select_id(ids[min(row, len(ids) - 1)] if ids else None)

    def move_selected(self, step: int) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        self.editor.flush()
        with user_errors(self):
            self.doc.move_record(self.kind, record_id, step)
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            self.select_id(record_id)

    def set_stage(self, stage: str) -> None:
        """The problems panel's stage: at 正式, nominees not kept after 初审 are greyed, and the
        editor opens on 初审反馈 (before that it waits at the bottom, out of first entry's way)."""
        self.model.set_stage(stage)
        self.editor.set_feedback_first(stage != "initial")

    def focus(self, record_id: int | None, field: str | None) -> QWidget | None:
        self.select_id(record_id)
        if field:
            return self.editor.focus_field(field)
        self.table.setFocus()
        return self.table
