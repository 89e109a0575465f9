"""The first page: deadlines, quota gauges, problem counts per stage and what to do next."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.model import Nominee, Unit, allocation_key
from nominator.domain.quota import allocation_of, ceiling_for, scaled, uses_allocation
from nominator.ui.checking import ProblemState
from nominator.ui.document import Document
from nominator.ui.problem_model import pending_feedback_text


def days_left_text(deadline: dt.date, today: dt.date) -> str:
    left = (deadline - today).days
    if left > 0:
        return f"还剩 {left} 天"
    if left == 0:
        return "今天截止"
    return f"已过期 {-left} 天"


class OverviewPage(QWidget):
    go = Signal(str)  # a page key, for the next-step button

    def __init__(self, doc: Document, problems: ProblemState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.problems = doc, problems
        self.today = dt.date.today
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)

        self.deadline_labels: dict[str, QLabel] = {}
        deadlines = QGroupBox("报送截止日期")
        grid = QGridLayout(deadlines)
        for row, (stage, day) in enumerate(doc.campaign.deadlines.items()):
            grid.addWidget(QLabel(f"{doc.campaign.stage_name(stage)}材料"), row, 0)
            grid.addWidget(QLabel(f"{day.year}年{day.month}月{day.day}日"), row, 1)
            label = QLabel()
            self.deadline_labels[stage] = label
            grid.addWidget(label, row, 2)
        grid.setColumnStretch(3, 1)

        quota = QGroupBox("推荐名额")
        self.quota_grid = QGridLayout(quota)
        self.quota_grid.setColumnStretch(2, 1)
        self.gauges: dict[str, QProgressBar] = {}
        self.gauge_notes: dict[str, QLabel] = {}
        self._gauge_rows: list[tuple[str, str]] = []
        self._gauge_titles: dict[str, QLabel] = {}
        kinds = doc.campaign.kinds
        self.by_category = doc.campaign.allocation.by_category
        self.quota_empty = QLabel()  # by category: nothing allocated and nothing entered yet
        self.quota_empty.setWordWrap(True)
        self.quota_grid.addWidget(self.quota_empty, 0, 0, 1, 3)
        self.quota_empty.hide()
        if not self.by_category:
            rows = [(key, kinds[key].label) for key in doc.campaign.nominee_kinds()]
            share_rule = doc.campaign.quota.share_max
            if share_rule is not None and "individual" in kinds:
                rows.append(("county", f"{share_rule.value}占比"))
            self._set_gauge_rows(rows)

        checks = QGroupBox("检查结果")
        cgrid = QGridLayout(checks)
        self.check_labels: dict[str, QLabel] = {}
        for row, stage in enumerate(doc.campaign.stages):
            cgrid.addWidget(QLabel(f"{doc.campaign.stage_name(stage)}材料"), row, 0)
            label = QLabel("正在检查…")
            self.check_labels[stage] = label
            cgrid.addWidget(label, row, 1)
        cgrid.setColumnStretch(2, 1)
        self.feedback_note = QLabel()
        self.feedback_note.setWordWrap(True)
        self.feedback_note.setStyleSheet("color: #8a6d00;")
        self.feedback_note.hide()
        cgrid.addWidget(self.feedback_note, len(self.check_labels), 0, 1, 3)

        nxt = QGroupBox("下一步")
        nlayout = QVBoxLayout(nxt)
        self.next_text = QLabel()
        self.next_text.setWordWrap(True)
        self.next_button = QPushButton()
        self._next_page = "unit"
        self.next_button.clicked.connect(lambda: self.go.emit(self._next_page))
        nlayout.addWidget(self.next_text)
        nlayout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        for box in (deadlines, quota, checks, nxt):
            layout.addWidget(box)
        layout.addStretch(1)

        doc.changed.connect(self._doc_changed)
        problems.updated.connect(self._changed)
        self._stale = False
        self.refresh()

    def _doc_changed(self, _changes: object, _initiator: object) -> None:
        self._changed()

    def _changed(self) -> None:
        """Redrawn now when it is on screen, else when it is next shown (each redraw reads the
        store, which a keystroke's save on another page should not wait for)."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self._stale = False
        unit = self.doc.unit()
        self.title.setText(unit.name or "(尚未填写推荐单位名称)")
        self.subtitle.setText(
            f"{self.doc.campaign.title} · {self.doc.campaign.kinds['unit'].label}类别:"
            f"{kind.label if (kind := self.doc.campaign.unit_kinds.get(unit.kind)) else unit.kind}"
            f" · 文件:{self.doc.path.name}"
        )
        today = self.today()
        for stage, label in self.deadline_labels.items():
            day = self.doc.campaign.deadlines[stage]
            label.setText(days_left_text(day, today))
            late = day < today
            label.setStyleSheet("color: #c0392b; font-weight: bold;" if late else "font-weight: bold;")
        self._refresh_quota(unit)
        self._refresh_checks()
        self._refresh_next(unit)

    def _set_gauge_rows(self, rows: list[tuple[str, str]]) -> None:
        """One gauge per row (key, title); made anew only when the rows themselves change."""
        if rows == self._gauge_rows:
            return
        grid = self.quota_grid
        for key, _title in self._gauge_rows:
            for widget in (self.gauges.pop(key), self.gauge_notes.pop(key), self._gauge_titles.pop(key)):
                grid.removeWidget(widget)
                widget.deleteLater()
        self._gauge_rows = list(rows)
        for row, (key, title) in enumerate(rows, start=1):
            bar = QProgressBar()
            bar.setMinimumWidth(240)
            bar.setTextVisible(True)
            note = QLabel()
            note.setWordWrap(True)
            self.gauges[key], self.gauge_notes[key] = bar, note
            self._gauge_titles[key] = QLabel(title)
            grid.addWidget(self._gauge_titles[key], row, 0)
            grid.addWidget(bar, row, 1)
            grid.addWidget(note, row, 2)

    def _show_gauge(self, key: str, used: int, ceiling: int | None, measure: str, rule: str) -> None:
        bar, note = self.gauges[key], self.gauge_notes[key]
        if ceiling is None:
            bar.setRange(0, 1)
            bar.setValue(0)
            bar.setFormat(f"已填 {used}{measure}")
            note.setText(f"尚未填写{self.doc.campaign.allocation.source}分配名额")
            paint(bar, "ok")
            return
        bar.setRange(0, max(ceiling, 1))
        bar.setValue(min(used, max(ceiling, 1)))
        bar.setFormat(f"{used} / {ceiling}")
        left = ceiling - used
        note.setText(f"还可推荐 {left}{measure}" if left >= 0 else f"超出 {-left}{measure}(规则{rule})")
        paint(bar, "ok" if left >= 0 else "error")

    def _refresh_category_quota(self, unit: Unit) -> None:
        """By category and level: a gauge per cell of the allocation table the clerk filled in,
        and per category and level she entered nominees of without an allocation."""
        campaign = self.doc.campaign
        rules = campaign.rules_of("category_quota")
        factor, rule_id = (rules[0].factor, rules[0].id) if rules else ((1, 1), "")
        rows: list[tuple[str, str]] = []
        counts: dict[str, tuple[int, int | None, str]] = {}
        for kind in campaign.nominee_kinds():
            spec = campaign.kinds[kind]
            used: dict[str, int] = {}
            for record in self.doc.records(kind):
                if not isinstance(record, Nominee):
                    continue
                key = allocation_key(str(record.get("category") or ""), str(record.get("level") or ""))
                used[key] = used.get(key, 0) + 1
            for category in spec.categories:
                for level in spec.levels_of(category.id) or ("",):
                    key = allocation_key(category.id, level)
                    alloc = unit.allocation.table.get(key)
                    if alloc is None and not used.get(key):
                        continue
                    rows.append((key, spec.category_label(category.id, level)))
                    ceiling = None if alloc is None else scaled(max(alloc, 0), factor)
                    counts[key] = (used.get(key, 0), ceiling, spec.measure)
        self._set_gauge_rows(rows)
        for key, (used_n, ceiling, measure) in counts.items():
            self._show_gauge(key, used_n, ceiling, measure, rule_id)
        self.quota_empty.setVisible(not rows)
        self.quota_empty.setText(
            f"尚未填写{campaign.allocation.source}分配的推荐名额:请在“{campaign.kinds['unit'].label}”页按类别和级别填写。"
        )

    def _refresh_quota(self, unit: Unit) -> None:
        if self.by_category:
            self._refresh_category_quota(unit)
            return
        campaign = self.doc.campaign
        kinds = campaign.kinds
        for kind in campaign.nominee_kinds():
            used = len(self.doc.ids(kind))
            self._show_gauge(kind, used, ceiling_for(unit, campaign, kind), kinds[kind].measure, "Q1/Q2")
        q = self.doc.campaign.quota.share_max
        if q is None or "county" not in self.gauges:
            return
        n_i = len(self.doc.ids("individual"))
        county = 0
        if self.problems.dossier is not None:
            county = sum(1 for i in self.problems.dossier.individuals if getattr(i, q.field, "") == q.value)
        bar, note = self.gauges["county"], self.gauge_notes["county"]
        bar.setRange(0, 100)
        share = county * 100 // n_i if n_i else 0
        bar.setValue(min(share, 100))
        bar.setFormat(f"{share}%(上限 {q.percent}%)")
        measure = kinds["individual"].measure
        text = f"{q.value} {county} {measure} / 共 {n_i} {measure},原则上不超过 {q.percent}%"
        # The colour follows the checker's verdict on Q3 (whatever its arithmetic), not a sum here.
        found = [p for p in self.problems.problems.get(self.problems.shown_stage, []) if p.rule == "Q3"]
        if any(not p.overridden for p in found):
            paint(bar, "warning")
            text += ";超过比例,请调整或在“问题”面板中填写说明(规则Q3)"
        elif found:
            paint(bar, "accepted")
            text += ";超过比例,已填写说明"
        else:
            paint(bar, "ok")
        note.setText(text)

    def _refresh_checks(self) -> None:
        reminder = pending_feedback_text(self.problems.dossier, self.doc.campaign)
        self.feedback_note.setText(reminder or "")
        self.feedback_note.setVisible(bool(reminder) and self._feedback_step() is not None)
        for stage, label in self.check_labels.items():
            if stage not in self.problems.problems:
                label.setText("正在检查…")
                continue
            errors, warnings = self.problems.counts(stage)
            if not errors and not warnings:
                label.setText("<span style='color:#1e7e34'>✔ 未发现问题</span>")
            else:
                error_colour = "#c0392b" if errors else "#1e7e34"  # "0 个错误" is not alarming
                label.setText(
                    f"<span style='color:{error_colour}'>{errors} 个错误</span>,"
                    f"<span style='color:#8a6d00'>{warnings} 个待确认的提醒</span>"
                )

    def _feedback_step(self) -> tuple[str, str, str] | None:
        """After the deadline of the stage a review follows (初审): while every nominee is still
        pending, entering the review is the next thing to do."""
        campaign = self.doc.campaign
        review = campaign.review()
        if review is None or not campaign.nominee_kinds():
            return None
        day = next((s.deadline for s in campaign.stages.values() if s.review is not None), None)
        if review is None or day is None or self.today() <= day:
            return None
        reminder = pending_feedback_text(self.problems.dossier, campaign)
        if reminder is None:
            return None
        return (campaign.nominee_kinds()[-1], reminder, f"录入{review.label}")

    def _allocation_missing(self, unit: Unit) -> str | None:
        """What the clerk has still to type of the allocation, or None."""
        campaign = self.doc.campaign
        source = campaign.allocation.source
        if campaign.allocation.by_category:
            if unit.allocation.table:
                return None
            return f"请按{source}填写本单位各类别、各级别的推荐名额。"
        if not uses_allocation(unit, campaign):
            return None
        if any(allocation_of(unit, kind) is None for kind in campaign.nominee_kinds()):
            return f"请按{source}填写本地区的分配名额。"
        return None

    def _refresh_next(self, unit: Unit) -> None:
        campaign = self.doc.campaign
        kinds = campaign.kinds
        unit_label = kinds["unit"].label
        steps: list[tuple[str, str, str]] = []
        if not unit.name.strip() or not unit.contact.strip() or not unit.phone.strip():
            steps.append(("unit", f"请先完善{unit_label}信息(名称、联系人、联系电话)。", f"填写{unit_label}"))
        missing = self._allocation_missing(unit)
        if missing is not None:
            steps.append(("unit", missing, "填写分配名额"))
        nominees = campaign.nominee_kinds()
        members_form = campaign.members_form() if "member" in kinds else None
        if nominees and not any(self.doc.ids(kind) for kind in nominees):
            first = kinds[nominees[0]].label
            labels = "和".join(kinds[kind].label for kind in nominees)
            steps.append((f"add:{nominees[0]}", f"添加推荐的{labels}。", f"添加{first}"))
        elif members_form is not None and not self.doc.ids("member"):
            m_label = kinds["member"].label
            where = f"({members_form.attachment})" if members_form.attachment else ""
            steps.append(("member", f"填写{m_label}名单{where}。", f"填写{m_label}"))
        feedback = self._feedback_step()
        if feedback is not None and not steps:
            steps.append(feedback)
        first = campaign.first_stage()
        stage_name = campaign.stage_name(first)
        errors = self.problems.counts(first)[0] if first in self.problems.problems else 0
        if not steps and errors:
            steps.append(
                ("problems", f"{stage_name}材料还有 {errors} 个问题,请在“问题”面板中逐个处理。", "查看问题")
            )
        if not steps:
            steps.append(("export", f"{stage_name}材料已经齐全,可以导出报送材料了。", "导出材料…"))
        page, text, button = steps[0]
        self._next_page = page
        self.next_text.setText(text)
        self.next_button.setText(button)


BAR_COLOURS = {"ok": "#1e7e34", "warning": "#d39e00", "error": "#c0392b", "accepted": "#8c8c8c"}


def paint(bar: QProgressBar, state: str) -> None:
    """A gauge's colour says whether it is within the rule: green, amber (a warning), red (an
    error), grey (a warning accepted with a reason). The state is kept as a property for tests."""
    if bar.property("state") == state:
        return
    bar.setProperty("state", state)
    bar.setStyleSheet(
        f"QProgressBar {{ text-align: center; }} QProgressBar::chunk {{ background-color: {BAR_COLOURS[state]}; }}"
    )
