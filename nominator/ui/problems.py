"""The problems panel: every problem of the chosen stage, grouped by record, with its rule ID.
Double-click jumps to the field; a warning can be accepted with a written reason (undoable).

Made to be read, not clicked: each entry wraps to the panel's width (no "…"), and an accepted
warning shows its reason. A new check result updates the list in place — unchanged entries
stay, changed ones are rewritten, only vanished or new ones leave or arrive — and the entry under
the mouse (or at the top of the view) keeps its place on screen, so a row never moves under the
pointer and the selection survives every re-check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.problems import Problem
from nominator.operations import SetOverride
from nominator.ui.checking import Place, ProblemState
from nominator.ui.document import Document, kind_of
from nominator.ui.messages import user_errors
from nominator.ui.problem_model import (
    NOTICE_STYLE,
    Entry,
    ProblemModel,
    ProblemTree,
    group_problems,
    pending_feedback_text,
)

# ---- the panel ----------------------------------------------------------------------------------


class ProblemsPanel(QWidget):
    jump = Signal(object)  # a Place
    stageChanged = Signal(str)

    def __init__(self, doc: Document, state: ProblemState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.state = doc, state
        self.stage = QComboBox()
        for key in doc.campaign.stages:
            self.stage.addItem(f"{doc.campaign.stage_name(key)}材料", key)
        self.stage.currentIndexChanged.connect(self._stage_chosen)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()
        self.model = ProblemModel()
        self.tree = ProblemTree()
        self.tree.setModel(self.model)
        self.model.rowsInserted.connect(self._expand_new_groups)
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_buttons())
        self.model.dataChanged.connect(lambda *_: self._update_buttons())
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()  # shown for a selected entry; the list itself is readable without it
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.accept_button = QPushButton("接受此提醒…")
        self.accept_button.setToolTip("对“提醒”类问题填写说明后接受(可撤销)")
        self.accept_button.clicked.connect(self.accept_selected)
        self.withdraw_button = QPushButton("取消接受")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        top = QHBoxLayout()
        top.addWidget(QLabel("检查阶段"))
        top.addWidget(self.stage, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        hint = QLabel("双击问题可跳转到需要修改的位置。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        state.updated.connect(self.refresh)
        self.refresh()

    def _stage_chosen(self) -> None:
        self.state.shown_stage = self.current_stage()
        self.refresh()
        self.stageChanged.emit(self.current_stage())

    def current_stage(self) -> str:
        return str(self.stage.currentData())

    def set_stage(self, stage: str) -> None:
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage)))

    def refresh(self) -> None:
        stage = self.current_stage()
        listed = self.state.problems.get(stage)
        dossier = self.state.dossier
        after_review = self.doc.campaign.review_before(stage) is not None
        reminder = pending_feedback_text(dossier, self.doc.campaign) if after_review else None
        self.notice.setText(reminder or "")
        self.notice.setVisible(bool(reminder))
        if listed is None or dossier is None:
            self.summary.setText("正在检查…")
            self._update_buttons()
            return
        errors, warnings = self.state.counts(stage)
        if not listed:
            self.summary.setText("✔ 未发现问题。")
        else:
            accepted = sum(1 for p in listed if p.overridden)
            text = f"{errors} 个错误(必须修改),{warnings} 个提醒(修改或填写说明后接受)"
            self.summary.setText(text + (f",{accepted} 个已接受的提醒。" if accepted else "。"))
        groups = group_problems(listed, lambda p: self.state.place(stage, p), dossier, self.doc.campaign)
        anchor = self._anchor()
        self.model.update(groups)
        self._keep(anchor)
        self._update_buttons()

    # ---- keeping rows where they are ---------------------------------------------------------

    def _anchor(self) -> tuple[tuple[Any, ...] | None, int]:
        """The row under the mouse (or else the top visible one) and where it is on screen."""
        viewport = self.tree.viewport()
        pointer = viewport.mapFromGlobal(QCursor.pos())
        index = self.tree.indexAt(pointer) if viewport.rect().contains(pointer) else QModelIndex()
        if not index.isValid():
            index = self.tree.indexAt(QPoint(1, 1))
        if not index.isValid():
            return None, 0
        return self.model.key_of(index), self.tree.visualRect(index).top()

    def _keep(self, anchor: tuple[tuple[Any, ...] | None, int]) -> None:
        key, top = anchor
        index = self.model.index_of_key(key)
        if not index.isValid():
            return
        bar = self.tree.verticalScrollBar()
        shift = self.tree.visualRect(index).top() - top
        if shift:
            bar.setValue(bar.value() + shift)

    def _expand_new_groups(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.tree.expand(self.model.index(row, 0))

    # ---- selection ---------------------------------------------------------------------------

    def selected_entry(self) -> Entry | None:
        return self.model.entry(self.tree.currentIndex())

    def select(self, match: Callable[[Entry], bool]) -> QModelIndex:
        index = self.model.find(match)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        return index

    def _selected(self) -> Problem | None:
        entry = self.selected_entry()
        return entry.problem if entry is not None else None

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        self.detail.setVisible(entry is not None)
        if entry is None:
            self.detail.setText("")
        else:
            p = entry.problem
            kind = "已接受的提醒" if p.overridden else "错误" if p.is_error else "提醒"
            where = entry.place.group + (f" · {entry.place.field_label}" if entry.place.field_label else "")
            text = f"[{p.rule}] {kind}({where}):{p.message}"
            self.detail.setText(text + (f"\n说明:{entry.reason}" if entry.reason else ""))
        warning = entry is not None and not entry.problem.is_error
        self.accept_button.setEnabled(warning and entry is not None and not entry.problem.overridden)
        self.withdraw_button.setEnabled(warning and entry is not None and entry.problem.overridden)

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.entry(index)
        if entry is not None:
            self.jump.emit(entry.place)

    # ---- accepting warnings (overrides) -------------------------------------------------------

    def accept_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or entry.problem.is_error:
            return
        reason = ask_reason(self, entry.problem)
        if reason is not None:
            self.set_override(entry.problem, entry.place, reason)

    def withdraw_selected(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.set_override(entry.problem, entry.place, None)

    def set_override(self, problem: Problem, place: Place, reason: str | None) -> None:
        self.doc.flush()
        with user_errors(self):
            if place.record_id is not None and place.page in ("collective", "individual"):
                self.doc.run(SetOverride(problem.rule, reason, kind_of(place.page), place.record_id))
            else:
                self.doc.run(SetOverride(problem.rule, reason))
            self.state.run()


class ReasonDialog(QDialog):
    """Asks why a warning is accepted; 接受 stays disabled until a reason is written."""

    def __init__(self, problem: Problem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"接受提醒 {problem.rule}")
        message = QLabel(problem.message)
        message.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("例:经市委组织部研究同意,确需推荐。")
        self.hint = QLabel("请填写说明:为什么仍要这样推荐。说明会记录在推荐库中,随时可以取消接受。")
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("接受", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._changed()

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def _changed(self) -> None:
        self.ok.setEnabled(bool(self.reason()))

    def accept(self) -> None:
        if self.reason():  # also when Enter reaches the dialog with the button disabled
            super().accept()


def ask_reason(parent: QWidget | None, problem: Problem) -> str | None:
    """The reason the clerk wrote, or None when they cancelled."""
    dialog = ReasonDialog(problem, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.reason():
            return dialog.reason()
        return None
    finally:
        dialog.deleteLater()
