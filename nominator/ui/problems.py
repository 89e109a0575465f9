"""The problems panel: every problem of the chosen stage, grouped by record, with its rule ID.
Double-click jumps to the field; a warning can be accepted with a written reason (undoable)."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.model import Collective, Individual
from nominator.domain.problems import Problem
from nominator.ui.checking import Place, ProblemState
from nominator.ui.document import Document
from nominator.ui.messages import user_errors

PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 10
ERROR_COLOUR = QColor("#c0392b")
WARNING_COLOUR = QColor("#8a6d00")
DONE_COLOUR = QColor("#6c757d")


class ProblemsPanel(QWidget):
    jump = Signal(object)  # a Place
    stageChanged = Signal(str)

    def __init__(self, doc: Document, state: ProblemState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.state = doc, state
        self.stage = QComboBox()
        for key in doc.campaign.stages:
            self.stage.addItem(f"{doc.campaign.stage_name(key)}材料", key)
        self.stage.currentIndexChanged.connect(self.refresh)
        self.stage.currentIndexChanged.connect(lambda _i: self.stageChanged.emit(self.current_stage()))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 4)
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
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        hint = QLabel("双击问题可跳转到需要修改的位置。")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        state.updated.connect(self.refresh)
        self.refresh()

    def current_stage(self) -> str:
        return str(self.stage.currentData())

    def set_stage(self, stage: str) -> None:
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage)))

    def refresh(self) -> None:
        stage = self.current_stage()
        listed = self.state.problems.get(stage)
        dossier = self.state.dossier
        selected = self._selected()
        self.tree.clear()
        if listed is None or dossier is None:
            self.summary.setText("正在检查…")
            self._update_buttons()
            return
        errors, warnings = self.state.counts(stage)
        if not listed:
            self.summary.setText("✔ 未发现问题。")
        else:
            self.summary.setText(f"{errors} 个错误(必须修改),{warnings} 个提醒(修改或填写说明后接受)。")
        groups: dict[str, QTreeWidgetItem] = {}
        for problem in listed:
            place = self.state.place(stage, problem)
            group = groups.get(place.group)
            if group is None:
                group = QTreeWidgetItem([place.group])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.tree.addTopLevelItem(group)
                groups[place.group] = group
            item = QTreeWidgetItem([_describe(problem)])
            item.setData(0, PROBLEM_ROLE, (problem, place))
            item.setToolTip(0, problem.message)
            colour = (
                DONE_COLOUR if problem.overridden else ERROR_COLOUR if problem.is_error else WARNING_COLOUR
            )
            item.setForeground(0, QBrush(colour))
            group.addChild(item)
            if selected is not None and selected == problem:
                self.tree.setCurrentItem(item)
        for group in groups.values():
            group.setText(0, f"{group.text(0)}({group.childCount()})")
        self.tree.expandAll()
        self._update_buttons()

    def _selected(self) -> Problem | None:
        item = self.tree.currentItem()
        data = item.data(0, PROBLEM_ROLE) if item is not None else None
        return data[0] if data else None

    def _selected_place(self) -> Place | None:
        item = self.tree.currentItem()
        data = item.data(0, PROBLEM_ROLE) if item is not None else None
        return data[1] if data else None

    def _update_buttons(self) -> None:
        problem = self._selected()
        self.detail.setText(_describe(problem) if problem is not None else "选中一个问题可查看完整说明。")
        warning = problem is not None and not problem.is_error
        self.accept_button.setEnabled(warning and problem is not None and not problem.overridden)
        self.withdraw_button.setEnabled(warning and problem is not None and problem.overridden)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, PROBLEM_ROLE)
        if data:
            self.jump.emit(data[1])

    # ---- accepting warnings (overrides) -------------------------------------------------------

    def accept_selected(self) -> None:
        problem, place = self._selected(), self._selected_place()
        if problem is None or place is None or problem.is_error:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self,
            f"接受提醒 {problem.rule}",
            f"{problem.message}\n\n请填写说明(将记录在推荐库中,可撤销):",
        )
        if ok and reason.strip():
            self.set_override(problem, place, reason.strip())

    def withdraw_selected(self) -> None:
        problem, place = self._selected(), self._selected_place()
        if problem is not None and place is not None:
            self.set_override(problem, place, None)

    def set_override(self, problem: Problem, place: Place, reason: str | None) -> None:
        self.doc.flush()
        with user_errors(self):
            if place.record_id is not None and place.page in ("collective", "individual"):
                record = copy.deepcopy(self.doc.get(place.page, place.record_id))
                assert isinstance(record, Collective | Individual)
                _apply(record.overrides, problem.rule, reason)
                self.doc.edit_record(place.page, record)
            else:
                unit = copy.deepcopy(self.doc.unit())
                _apply(unit.overrides, problem.rule, reason)
                self.doc.edit_unit(unit, "接受提醒" if reason else "取消接受提醒")
            self.state.run()


def _apply(overrides: dict[str, str], rule: str, reason: str | None) -> None:
    if reason:
        overrides[rule] = reason
    else:
        overrides.pop(rule, None)


def _describe(problem: Problem) -> str:
    if problem.overridden:
        return f"[{problem.rule}] 已接受的提醒:{problem.message}"
    kind = "错误" if problem.is_error else "提醒"
    return f"[{problem.rule}] {kind}:{problem.message}"
