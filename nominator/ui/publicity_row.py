"""One publicity (公示) period of a nominee in the editor: start, end and result, the end filled in
from the campaign's working days, and a note saying how many working days the period holds."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from nominator.domain.model import Period, parse_date
from nominator.domain.workdays import end_after_workdays
from nominator.ui.document import Document
from nominator.ui.widgets import DateField, LineField


class PublicityRow(QWidget):
    """One publicity period: start, end (computed on request from working days) and result."""

    edited = Signal()

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        days = doc.campaign.publicity.working_days
        example = f"例:{doc.campaign.notice_date.isoformat()}"
        self.start = DateField(example)
        self.end = DateField(example)
        for field in (self.start, self.end):
            field.set_workdays(doc.campaign.workdays)
        self.result = LineField("例:无异议", limit=doc.campaign.limits.get("publicity_result"))
        self.compute = QPushButton(f"按{days}个工作日计算")
        self.compute.setToolTip(f"根据开始日期,按{days}个工作日(含法定节假日和调休)计算结束日期")
        self.compute.clicked.connect(self.fill_end)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("开始日期", self.start)
        ends = QHBoxLayout()
        ends.addWidget(self.end, 1)
        ends.addWidget(self.compute)
        form.addRow("结束日期", ends)
        form.addRow("公示结果", self.result)
        form.addRow("", self.note)
        for widget in (self.start, self.end, self.result):
            widget.edited.connect(self.edited)
        self.end.edited.connect(self._explain)
        self.start.edited.connect(self._explain)

    def value(self) -> Period:
        return Period(self.start.value(), self.end.value(), self.result.value())

    def set_value(self, period: Period) -> None:
        self.start.set_value(period.start)
        self.end.set_value(period.end)
        self.result.set_value(period.result)
        self._explain()

    def fill_end(self) -> None:
        start = parse_date(self.start.value())
        if start is None:
            self.note.setText(
                f"开始日期{self.start.problem()}"
                if self.start.value()
                else f"请先填写开始日期(例:{self.doc.campaign.notice_date.isoformat()})。"
            )
            return
        days = self.doc.campaign.publicity.working_days
        end, fallback = end_after_workdays(start, days, self.doc.campaign.workdays)
        self.end.set_value(end.isoformat())
        self._explain(fallback)
        self.edited.emit()

    def _explain(self, fallback: set[int] | None = None) -> None:
        wrong = [
            f"{what}{problem}"
            for what, problem in (("开始日期", self.start.problem()), ("结束日期", self.end.problem()))
            if problem
        ]
        if wrong:  # said in the row itself, not only in a tooltip
            self.note.setText("\n".join(wrong))
            self.note.setStyleSheet("color: #c0392b;")
            return
        self.note.setStyleSheet("")
        start, end = parse_date(self.start.value()), parse_date(self.end.value())
        if start is None or end is None:
            self.note.setText("")
            return
        days = self.doc.campaign.publicity.working_days
        ideal, missing = end_after_workdays(start, days, self.doc.campaign.workdays)
        text = f"自{_cn(start)}起满{days}个工作日为{_cn(ideal)}。"
        if fallback or missing:
            years = "、".join(str(y) for y in sorted((fallback or set()) | missing))
            text += f"({years}年节假日安排未收录,按周一至周五计算,请人工核对。)"
        self.note.setText(text)


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
