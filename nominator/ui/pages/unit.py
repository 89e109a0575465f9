"""The recommending unit: name, kind, contact and the allocation the campaign's table gives it."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nominator.campaign import Campaign, UnitKind
from nominator.domain.checks import phone_example
from nominator.domain.model import Unit
from nominator.domain.naming import name_examples, suggested_unit_name, unit_name_problem
from nominator.domain.quota import (
    allocation_of,
    ceiling_for,
    fixed_quota_text,
    quota_summary,
    uses_allocation,
)
from nominator.operations import Changes, EditUnit, Operation
from nominator.ui.autosave import Autosave
from nominator.ui.document import Document
from nominator.ui.fields import phone_hint
from nominator.ui.widgets import ChoiceBox, LineField, PhoneField

NOT_FILLED = -1


class AllocationBox(QSpinBox):
    """An allocation; -1 shows as 未填写 and means "not typed in"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(NOT_FILLED, 999)
        self.setSpecialValueText("未填写")

    def number(self) -> int | None:
        return None if self.value() == NOT_FILLED else self.value()

    def set_number(self, value: int | None) -> None:
        self.blockSignals(True)
        self.setValue(NOT_FILLED if value is None else value)
        self.blockSignals(False)


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
        self.collectives = AllocationBox()
        self.individuals = AllocationBox()
        self.quota_note = QLabel()
        self.quota_note.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        unit_kind = campaign.kinds["unit"]
        for label, widget in (
            (f"{unit_kind.label}类别", self.kind),
            ("", self.kind_note),
            (unit_kind.label_of("name"), self.name),
            ("", self.name_hint),
            (unit_kind.label_of("contact"), self.contact),
            (unit_kind.label_of("phone"), self.phone),
            (f"分配名额:{campaign.kinds['collective'].label}", self.collectives),
            (f"分配名额:{campaign.kinds['individual'].label}", self.individuals),
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
        self.collectives.valueChanged.connect(self._changed)
        self.individuals.valueChanged.connect(self._changed)
        self._explain()

    def set_unit(self, unit: Unit) -> None:
        self.kind.set_value(self.kind_names.get(unit.kind, unit.kind))
        self.name.set_value(unit.name)
        self.contact.set_value(unit.contact)
        self.phone.set_value(unit.phone)
        self.collectives.set_number(unit.allocation.collectives)
        self.individuals.set_number(unit.allocation.individuals)
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
        unit.allocation.collectives = self.collectives.number()
        unit.allocation.individuals = self.individuals.number()
        found = self.campaign.unit_kinds.get(unit.kind)
        if found is not None and not found.uses_allocation and not found.allocation_optional:
            unit.allocation.collectives = unit.allocation.individuals = None
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
        self.collectives.setEnabled(not fixed)
        self.individuals.setEnabled(not fixed)
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
    if found.uses_allocation:
        return f"{found.label}:按{source}填写分配名额,可上浮{pct}推荐(四舍五入,规则Q1)。"
    fixed = fixed_quota_text(found, campaign)
    if found.allocation_optional:
        return f"{found.label}:{source}为本单位分配了名额的,按分配名额填写;没有分配的,{fixed}。"
    return f"{found.label}不按{source}分配名额,所以不用填写分配名额:{fixed}(规则Q2)。"


def allocation_text(unit: Unit, campaign: Campaign) -> str:
    """The ceiling as the allocation is typed: 先进集体分配8个,最多可推荐 10 个 ……"""
    if not uses_allocation(unit, campaign):
        return quota_summary(unit, campaign)
    parts = []
    for kind in ("collective", "individual"):
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
        f"{campaign.kinds['unit'].label_of('name')}用于邮件主题和材料标题。"
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
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(note)
        layout.addStretch(1)
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
        widgets: dict[str, QWidget] = {
            "name": self.form.name,
            "kind": self.form.kind,
            "contact": self.form.contact,
            "phone": self.form.phone,
            "allocation.collectives": self.form.collectives,
            "allocation.individuals": self.form.individuals,
        }
        widget = widgets.get(field or "", self.form.name)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget
