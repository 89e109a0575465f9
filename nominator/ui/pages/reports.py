"""The 初审 and 正式 推荐工作报告: one text box per section (headings from the campaign) and the date."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.model import Report
from nominator.errors import UserError
from nominator.ui.document import Document
from nominator.ui.editors import SAVE_DELAY_MS
from nominator.ui.messages import show_user_error
from nominator.ui.widgets import DateField, LongText


class ReportEditor(QScrollArea):
    saving = Signal()

    def __init__(self, doc: Document, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.stage = doc, stage
        limit = doc.campaign.limits.get("report_section")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.sections: dict[str, LongText] = {}
        for section in doc.campaign.reports.get(stage, ()):
            box = QGroupBox(section.heading)
            text = LongText(limit, lines=6)
            text.edited.connect(self._edited)
            QVBoxLayout(box).addWidget(text)
            self.sections[section.key] = text
            layout.addWidget(box)
        dates = QFormLayout()
        self.date = DateField(f"例:{doc.campaign.notice_date.isoformat()}")
        self.date.edited.connect(self._edited)
        dates.addRow("成文日期", self.date)
        layout.addLayout(dates)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._dirty = False
        self._own = False
        doc.reportChanged.connect(self._on_changed)
        doc.add_flusher(self.flush)
        self.destroyed.connect(lambda: doc.remove_flusher(self.flush))
        self._load()

    def _load(self) -> None:
        report = self.doc.report(self.stage)
        for key, text in self.sections.items():
            text.set_value(report.sections.get(key, ""))
        self.date.set_value(report.date)

    def _on_changed(self, stage: str) -> None:
        if stage == self.stage and not self._dirty and not self._own:
            self._load()

    def _edited(self) -> None:
        self._dirty = True
        self.saving.emit()
        self._timer.start()

    def collect(self) -> Report:
        report = copy.deepcopy(self.doc.report(self.stage))
        for key, text in self.sections.items():
            report.sections[key] = text.value()
        report.date = self.date.value()
        return report

    def flush(self) -> None:
        self._timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        new = self.collect()
        if new == self.doc.report(self.stage):
            self.doc.saved.emit()
            return
        self._own = True
        try:
            self.doc.edit_report(self.stage, new)
        except UserError as exc:
            show_user_error(self, str(exc))
        finally:
            self._own = False

    def focus_field(self, key: str | None) -> QWidget:
        widget: QWidget = self.sections[key].edit if key in self.sections else self.date.line
        self.ensureWidgetVisible(widget, 50, 80)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget


class ReportsPage(QWidget):
    saving = Signal()

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.editors: dict[str, ReportEditor] = {}
        for stage_rules in doc.campaign.stages.values():
            editor = ReportEditor(doc, stage_rules.report)
            editor.saving.connect(self.saving)
            self.editors[stage_rules.report] = editor
            self.tabs.addTab(editor, f"{stage_rules.name}推荐工作报告")
        note = QLabel("报告按以下各部分填写,导出时自动排版为公文格式。")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tabs)

    def focus(self, field: str | None) -> QWidget | None:
        stage, _, key = (field or "").partition(".")
        editor = self.editors.get(stage)
        if editor is None:
            return None
        self.tabs.setCurrentWidget(editor)
        return editor.focus_field(key or None)
