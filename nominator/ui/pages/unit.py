"""The recommending unit: name, kind, contact and the allocation the campaign's table gives it."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from nominator.campaign import Campaign
from nominator.domain.model import Unit
from nominator.domain.naming import name_examples
from nominator.domain.quota import quota_summary
from nominator.errors import UserError
from nominator.ui.document import Document
from nominator.ui.editors import SAVE_DELAY_MS
from nominator.ui.fields import phone_hint
from nominator.ui.messages import show_user_error
from nominator.ui.widgets import ChoiceBox, LineField

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
    """The unit's fields; used by the unit page and by the first-run wizard."""

    edited = Signal()

    def __init__(self, campaign: Campaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.campaign = campaign
        self.kind_names = {k.key: k.label for k in campaign.unit_kinds.values()}
        self.kind = ChoiceBox(tuple(self.kind_names.values()))
        examples = name_examples(campaign)
        self.name = LineField(f"例:{' / '.join(examples)}" if examples else "")
        self.contact = LineField("经办人姓名")
        self.phone = LineField(phone_hint(campaign))
        self.collectives = AllocationBox()
        self.individuals = AllocationBox()
        self.quota_note = QLabel()
        self.quota_note.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        unit_kind = campaign.kinds["unit"]
        for label, widget in (
            (f"{unit_kind.label}类别", self.kind),
            (unit_kind.label_of("name"), self.name),
            (unit_kind.label_of("contact"), self.contact),
            (unit_kind.label_of("phone"), self.phone),
            (f"分配名额:{campaign.kinds['collective'].label}", self.collectives),
            (f"分配名额:{campaign.kinds['individual'].label}", self.individuals),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        form.addRow("", self.quota_note)
        for w in (self.kind, self.name, self.contact, self.phone):
            w.edited.connect(self._changed)
        self.collectives.valueChanged.connect(self._changed)
        self.individuals.valueChanged.connect(self._changed)
        self._campaign_quota: object = None

    def set_unit(self, unit: Unit) -> None:
        self.kind.set_value(self.kind_names.get(unit.kind, unit.kind))
        self.name.set_value(unit.name)
        self.contact.set_value(unit.contact)
        self.phone.set_value(unit.phone)
        self.collectives.set_number(unit.allocation.collectives)
        self.individuals.set_number(unit.allocation.individuals)
        self._update_enabled()

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

    def _changed(self) -> None:
        self._update_enabled()
        self.edited.emit()

    def _update_enabled(self) -> None:
        names = {v: k for k, v in self.kind_names.items()}
        found = self.campaign.unit_kinds.get(names.get(self.kind.value(), ""))
        fixed = found is not None and not found.uses_allocation and not found.allocation_optional
        self.collectives.setEnabled(not fixed)
        self.individuals.setEnabled(not fixed)

    def explain_quota(self, text: str) -> None:
        self.quota_note.setText(text)


def quota_text(unit: Unit, doc: Document) -> str:
    return quota_summary(unit, doc.campaign)


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
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._dirty = False
        self._own = False
        self.form.edited.connect(self._edited)
        doc.unitChanged.connect(self._reload)
        doc.add_flusher(self.flush)
        self.destroyed.connect(lambda: doc.remove_flusher(self.flush))
        self._reload()

    def _reload(self) -> None:
        if self._dirty or self._own:
            return
        unit = self.doc.unit()
        self.form.blockSignals(True)
        self.form.set_unit(unit)
        self.form.blockSignals(False)
        self.form.explain_quota(quota_text(unit, self.doc))

    def _edited(self) -> None:
        self._dirty = True
        self.saving.emit()
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        old = self.doc.unit()
        new = self.form.unit(old)
        if new == old:
            self.doc.saved.emit()
            return
        self._own = True
        try:
            self.doc.edit_unit(new)
        except UserError as exc:
            show_user_error(self, str(exc))
        finally:
            self._own = False
        self.form.explain_quota(quota_text(new, self.doc))

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
