"""The recommending unit: name, kind, contact and the allocation the campaign's table gives it."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nominator.campaign import Campaign, UnitKind
from nominator.domain.checks import phone_example
from nominator.domain.model import Unit, allocation_key
from nominator.domain.naming import name_examples, suggested_unit_name, unit_name_problem
from nominator.domain.quota import (
    allocation_of,
    ceiling_for,
    fixed_quota_text,
    quota_summary,
    scaled,
    uses_allocation,
)
from nominator.operations import Changes, EditUnit, Operation
from nominator.ui.autosave import Autosave
from nominator.ui.document import Document
from nominator.ui.fields import phone_hint, unit_field_label
from nominator.ui.widgets import ChoiceBox, LineField, PhoneField

NOT_FILLED = -1
# Where each nominee kind's allocation is kept in `Allocation` (by kind), as the checker names it.
ALLOCATION_FIELDS = {"collective": "collectives", "individual": "individuals"}


class AllocationBox(QSpinBox):
    """An allocation; -1 shows as 未填写 and means "not typed in"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(NOT_FILLED, 999)
        self.setSpecialValueText("未填写")
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("未填写") + 48)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """The wheel scrolls the page past a box, and changes only the box being typed in."""
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()

    def number(self) -> int | None:
        return None if self.value() == NOT_FILLED else self.value()

    def set_number(self, value: int | None) -> None:
        self.blockSignals(True)
        self.setValue(NOT_FILLED if value is None else value)
        self.blockSignals(False)


class AllocationTable(QWidget):
    """The allocation by category and level (the notice's tables): a row per category, a column per
    level, a box where the category is awarded at that level. Keys as `allocation_key`."""

    edited = Signal()

    def __init__(self, campaign: Campaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, AllocationBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        kinds = [campaign.kinds[k] for k in campaign.nominee_kinds() if campaign.kinds[k].categories]
        levels: list[str] = []
        for spec in kinds:
            for category in spec.categories:
                levels += [lv for lv in spec.levels_of(category.id) if lv not in levels]
        for column, level in enumerate(levels or [""], start=1):
            heading = QLabel(level or "名额")
            heading.setStyleSheet("font-weight: bold;")
            grid.addWidget(heading, 0, column, Qt.AlignmentFlag.AlignHCenter)
        row = 0
        for spec in kinds:
            for category in spec.categories:
                row += 1
                caption = QLabel(category.label)
                grid.addWidget(caption, row, 0)
                own = spec.levels_of(category.id)
                for column, level in enumerate(levels or [""], start=1):
                    if level and level not in own:
                        grid.addWidget(QLabel("—"), row, column, Qt.AlignmentFlag.AlignHCenter)
                        continue
                    box = AllocationBox()
                    box.setAccessibleName(spec.category_label(category.id, level))
                    box.setToolTip(f"{spec.category_label(category.id, level)}的推荐名额")
                    box.valueChanged.connect(lambda _v: self.edited.emit())
                    self.boxes[allocation_key(category.id, level)] = box
                    grid.addWidget(box, row, column)
                if row == 1:
                    caption.setBuddy(next(iter(self.boxes.values())))
        grid.setColumnStretch(len(levels or [""]) + 1, 1)

    def table(self) -> dict[str, int]:
        return {key: n for key, box in self.boxes.items() if (n := box.number()) is not None}

    def set_table(self, table: dict[str, int]) -> None:
        for key, box in self.boxes.items():
            box.set_number(table.get(key))


class UnitForm(QWidget):
    """The unit's fields; used by the unit page and by the first-run wizard. Says, as the clerk
    types, what each kind of unit means for the quota, what the allocation allows, and a name fit
    for the email subject."""

    edited = Signal()

    def __init__(self, campaign: Campaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.campaign = campaign
        self.kind_names = {k.key: k.label for k in campaign.unit_kinds.values()}
        self.kind = ChoiceBox(tuple(self.kind_names.values()))
        self.kind_note = QLabel()
        self.kind_note.setWordWrap(True)
        self.kind_note.setStyleSheet(NOTE_STYLE)
        examples = name_examples(campaign)
        self.name = LineField(f"例:{' / '.join(examples)}" if examples else "")
        self.name_problem = QLabel()
        self.name_problem.setWordWrap(True)
        self.name_problem.setStyleSheet(PROBLEM_STYLE)
        self.name_fix = QPushButton()
        self.name_fix.clicked.connect(self._use_suggestion)
        name_row = QHBoxLayout()
        name_row.setContentsMargins(0, 0, 0, 0)
        name_row.addWidget(self.name_problem, 1)
        name_row.addWidget(self.name_fix, 0, Qt.AlignmentFlag.AlignTop)
        self.name_hint = QWidget()
        self.name_hint.setLayout(name_row)
        self.name_hint.hide()
        self.contact = LineField("经办人姓名")
        self.phone = PhoneField(phone_hint(campaign), phone_example(campaign))
        # The allocation: a box per nominee kind, or a table by category and level.
        self.by_category = campaign.allocation.by_category
        self.boxes: dict[str, AllocationBox] = {}
        self.table: AllocationTable | None = None
        allocation_rows: list[tuple[str, QWidget]] = []
        if self.by_category:
            self.table = AllocationTable(campaign)
            self.table.edited.connect(self._changed)
            self.boxes = {f"allocation.{key}": box for key, box in self.table.boxes.items()}
            source = f"({campaign.allocation.source})" if campaign.allocation.source else ""
            allocation_rows.append((f"分配名额{source}", self.table))
        else:
            for kind in campaign.nominee_kinds():
                if kind not in ALLOCATION_FIELDS:
                    continue
                box = AllocationBox()
                box.valueChanged.connect(self._changed)
                self.boxes[f"allocation.{ALLOCATION_FIELDS[kind]}"] = box
                allocation_rows.append((f"分配名额:{campaign.kinds[kind].label}", box))
        self.quota_note = QLabel()
        self.quota_note.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        unit_kind = campaign.kinds["unit"]
        for label, widget in (
            (f"{unit_kind.label}类别", self.kind),
            ("", self.kind_note),
            (unit_field_label(campaign, "name"), self.name),
            ("", self.name_hint),
            (unit_field_label(campaign, "contact"), self.contact),
            (unit_field_label(campaign, "phone"), self.phone),
            *allocation_rows,
            ("", self.quota_note),
        ):
            if not label:
                form.addRow("", widget)
                continue
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        for w in (self.kind, self.name, self.contact, self.phone):
            w.edited.connect(self._changed)
        self.kind.edited.connect(self.check_name)
        self.name.editingFinished.connect(self.check_name)
        self.name.textEdited.connect(lambda _t: self.name_hint.hide() if not self.name_hint_text() else None)
        self._explain()

    @property
    def collectives(self) -> AllocationBox:
        """The allocation box of the kind `collective` (a campaign allocating by kind)."""
        return self.boxes["allocation.collectives"]

    @property
    def individuals(self) -> AllocationBox:
        return self.boxes["allocation.individuals"]

    def allocation_typed(self) -> bool:
        """Any allocation typed in yet."""
        return any(box.number() is not None for box in self.boxes.values())

    def allocation_missing(self) -> tuple[str, QWidget] | None:
        """What the clerk must still type of the allocation, and where, for a unit kind that is
        given one; None when nothing is missing."""
        found = self.chosen_kind()
        if found is None or not found.uses_allocation or not self.boxes:
            return None
        source = self.campaign.allocation.source
        if self.table is not None:
            if self.table.table():
                return None
            return (f"请按{source}填写本单位各类别、各级别的推荐名额。", next(iter(self.boxes.values())))
        empty = [key for key, box in self.boxes.items() if box.number() is None]
        if not empty:
            return None
        kinds = [k for k in self.campaign.nominee_kinds() if k in ALLOCATION_FIELDS]
        labels = "和".join(self.campaign.kinds[k].label for k in kinds)
        return (f"请填写{source}中为本地区分配的{labels}名额。", self.boxes[empty[0]])

    def set_unit(self, unit: Unit) -> None:
        self.kind.set_value(self.kind_names.get(unit.kind, unit.kind))
        self.name.set_value(unit.name)
        self.contact.set_value(unit.contact)
        self.phone.set_value(unit.phone)
        if self.table is not None:
            self.table.set_table(unit.allocation.table)
        else:
            for key, box in self.boxes.items():
                box.set_number(getattr(unit.allocation, key.removeprefix("allocation.")))
        self._explain()

    def clear_kind(self) -> None:
        """No kind chosen yet (the wizard): the clerk says which one applies."""
        self.kind.setCurrentIndex(0)
        self._explain()

    def unit(self, base: Unit | None = None) -> Unit:
        unit = copy.deepcopy(base) if base is not None else Unit()
        names = {v: k for k, v in self.kind_names.items()}
        unit.kind = names.get(self.kind.value(), self.kind.value() or next(iter(self.kind_names)))
        unit.name = self.name.value().strip()
        unit.contact = self.contact.value().strip()
        unit.phone = self.phone.value().strip()
        found = self.campaign.unit_kinds.get(unit.kind)
        fixed = found is not None and not found.uses_allocation and not found.allocation_optional
        if self.table is not None:
            unit.allocation.table = {} if fixed else self.table.table()
        else:
            for key, box in self.boxes.items():
                setattr(unit.allocation, key.removeprefix("allocation."), None if fixed else box.number())
        return unit

    def chosen_kind(self) -> UnitKind | None:
        names = {v: k for k, v in self.kind_names.items()}
        return self.campaign.unit_kinds.get(names.get(self.kind.value(), ""))

    def name_hint_text(self) -> str | None:
        """Why the name cannot head the email subject (M4), or None."""
        if not self.kind.value() or not self.name.value().strip():
            return None
        return unit_name_problem(self.unit(), self.campaign)

    def check_name(self) -> str | None:
        """Show (or hide) the name's problem and a one-click fix; returns the problem."""
        problem = self.name_hint_text()
        better = suggested_unit_name(self.unit(), self.campaign) if problem else None
        self.name_problem.setText(problem or "")
        self.name_fix.setText(f"改为“{better}”" if better else "")
        self.name_fix.setVisible(bool(better))
        self.name_hint.setVisible(bool(problem))
        return problem

    def _use_suggestion(self) -> None:
        better = suggested_unit_name(self.unit(), self.campaign)
        if better:
            self.name.setText(better)
            self.check_name()
            self.edited.emit()

    def _changed(self) -> None:
        self._explain()
        self.edited.emit()

    def _explain(self) -> None:
        found = self.chosen_kind()
        fixed = found is not None and not found.uses_allocation and not found.allocation_optional
        for box in self.boxes.values():
            box.setEnabled(not fixed)
        self.kind_note.setText(kind_text(found, self.campaign))
        self.quota_note.setText(allocation_text(self.unit(), self.campaign) if found is not None else "")

    def explain_quota(self, text: str) -> None:
        self.quota_note.setText(text)


NOTE_STYLE = "color: #555555;"
PROBLEM_STYLE = "color: #c0392b;"


def kind_text(found: UnitKind | None, campaign: Campaign) -> str:
    """What choosing this kind of unit means for the quota, in the campaign's words."""
    if found is None:
        kinds = "、".join(k.label for k in campaign.unit_kinds.values())
        return f"请先选择{campaign.kinds['unit'].label}类别({kinds})。"
    source, pct = campaign.allocation.source, campaign.quota.factor_percent
    if campaign.allocation.by_category:
        return f"{found.label}:按{source}逐个类别、级别填写推荐名额{_category_rule_text(campaign)}。"
    if found.uses_allocation:
        return f"{found.label}:按{source}填写分配名额,可上浮{pct}推荐(四舍五入,规则Q1)。"
    fixed = fixed_quota_text(found, campaign)
    if found.allocation_optional:
        return f"{found.label}:{source}为本单位分配了名额的,按分配名额填写;没有分配的,{fixed}。"
    return f"{found.label}不按{source}分配名额,所以不用填写分配名额:{fixed}(规则Q2)。"


def _category_rule_text(campaign: Campaign) -> str:
    """(可上浮N%,四舍五入,规则…): what the campaign's category quota rule allows above a cell."""
    rules = campaign.rules_of("category_quota")
    if not rules:
        return ""
    num, den = rules[0].factor
    more = f"可上浮{rules[0].percent_text()},四舍五入," if num != den else "每类名额不能超出,"
    return f"({more}规则{rules[0].id})"


def category_allocation_text(unit: Unit, campaign: Campaign) -> str:
    """The allocation table as typed: how many cells, how many nominees it allows in all."""
    table = {key: n for key, n in unit.allocation.table.items() if n > 0}
    if not table:
        return f"请按{campaign.allocation.source}填写本单位各类别、各级别的推荐名额;没有分配的类别不用填写。"
    rules = campaign.rules_of("category_quota")
    factor = rules[0].factor if rules else (1, 1)
    most = sum(scaled(n, factor) for n in table.values())
    kinds = [campaign.kinds[k] for k in campaign.nominee_kinds() if campaign.kinds[k].categories]
    measure = kinds[0].measure if kinds else "个"
    return (
        f"已填写 {len(table)} 项分配名额,共可推荐 {most} {measure}"
        f"{_category_rule_text(campaign)}。没有分配的类别不能推荐。"
    )


def allocation_text(unit: Unit, campaign: Campaign) -> str:
    """The ceiling as the allocation is typed: 先进集体分配8个,最多可推荐 10 个 ……"""
    if campaign.allocation.by_category:
        return category_allocation_text(unit, campaign)
    if not uses_allocation(unit, campaign):
        return quota_summary(unit, campaign)
    parts = []
    for kind in campaign.nominee_kinds():
        spec, alloc, ceiling = (
            campaign.kinds[kind],
            allocation_of(unit, kind),
            ceiling_for(unit, campaign, kind),
        )
        if alloc is None or ceiling is None:
            parts.append(f"{spec.label}:请填写分配名额")
        else:
            parts.append(f"{spec.label}分配{alloc}{spec.measure},最多可推荐 {ceiling} {spec.measure}")
    return ";".join(parts) + f"(上浮{campaign.quota.factor_percent},四舍五入,规则Q1)。"


def quota_text(unit: Unit, doc: Document) -> str:
    return allocation_text(unit, doc.campaign)


def name_rules_note(campaign: Campaign) -> str:
    """推荐单位名称用于邮件主题和材料标题:…, in the campaign's own rules for each kind of unit."""
    rules = [k.name_rule for k in campaign.unit_kinds.values() if k.name_example]
    return (
        f"{unit_field_label(campaign, 'name')}用于邮件主题和材料标题。"
        + ";".join(rules)
        + ("。" if rules else "")
    )


class UnitPage(QWidget):
    saving = Signal()

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.form = UnitForm(doc.campaign)
        box = QGroupBox(f"{doc.campaign.kinds['unit'].label}信息")
        QVBoxLayout(box).addWidget(self.form)
        note = QLabel(name_rules_note(doc.campaign))
        note.setWordWrap(True)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(box)
        inner.addWidget(note)
        inner.addStretch(1)
        # A table of allocations by category is taller than a small screen: it scrolls.
        self.scroller = QScrollArea()
        self.scroller.setWidget(body)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)
        self.autosave = Autosave(doc, self, self._operation)
        self.autosave.saving.connect(self.saving)
        self.form.edited.connect(self.autosave.edited)
        doc.changed.connect(self._on_changed)
        self._reload()

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.touches_unit() and self.autosave.should_reload(initiator):
            self._reload()

    def _reload(self) -> None:
        unit = self.doc.unit()
        self.form.blockSignals(True)
        self.form.set_unit(unit)
        self.form.blockSignals(False)
        self.form.explain_quota(quota_text(unit, self.doc))

    def flush(self) -> None:
        self.autosave.flush()

    def _operation(self) -> Operation | None:
        old = self.doc.unit()
        new = self.form.unit(old)
        self.form.explain_quota(quota_text(new, self.doc))
        return EditUnit(new).named("修改推荐单位") if new != old else None

    def focus_field(self, field: str | None) -> QWidget:
        """The widget of a checker's path (`phone`, `allocation.collectives`,
        `allocation.unit_model.省级`), focused and scrolled into view."""
        widgets: dict[str, QWidget] = {
            "name": self.form.name,
            "kind": self.form.kind,
            "contact": self.form.contact,
            "phone": self.form.phone,
            **self.form.boxes,
        }
        widget = widgets.get(field or "", self.form.name)
        self.scroller.ensureWidgetVisible(widget, 50, 50)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget
