"""The 初审 and 正式 推荐工作报告: one text box per section (headings from the campaign) and the date."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
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
from nominator.operations import Changes, EditReport, Operation
from nominator.ui.autosave import Autosave
from nominator.ui.document import Document
from nominator.ui.widgets import DateField, LongText


class ReportEditor(QScrollArea):
    saving = Signal()

    def __init__(self, doc: Document, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.stage = doc, stage
        self.autosave = Autosave(doc, self, self._operation)
        self.autosave.saving.connect(self.saving)
        limit = doc.campaign.limits.get("report_section")
        body = QWidget()
        layout = QVBoxLayout(body)
        self.sections: dict[str, LongText] = {}
        for section in doc.campaign.reports.get(stage, ()):
            box = QGroupBox(section.heading)
            text = LongText(limit, lines=6)
            text.edited.connect(self.autosave.edited)
            QVBoxLayout(box).addWidget(text)
            self.sections[section.key] = text
            layout.addWidget(box)
        dates = QFormLayout()
        self.date = DateField(f"例:{doc.campaign.notice_date.isoformat()}")
        self.date.edited.connect(self.autosave.edited)
        dates.addRow("成文日期", self.date)
        layout.addLayout(dates)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        doc.changed.connect(self._on_changed)
        self._load()

    def _load(self) -> None:
        report = self.doc.report(self.stage)
        for key, text in self.sections.items():
            text.set_value(report.sections.get(key, ""))
        self.date.set_value(report.date)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.touches_report(self.stage) and self.autosave.should_reload(initiator):
            self._load()

    def collect(self) -> Report:
        report = copy.deepcopy(self.doc.report(self.stage))
        for key, text in self.sections.items():
            report.sections[key] = text.value()
        report.date = self.date.value()
        return report

    def flush(self) -> None:
        self.autosave.flush()

    def _operation(self) -> Operation | None:
        new = self.collect()
        return EditReport(self.stage, new) if new != self.doc.report(self.stage) else None

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
