"""The recommending unit: name, kind, contact and the allocation typed in from 附件10."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from nominator.domain.model import UNIT_KIND_NAMES, UNIT_KINDS, Unit
from nominator.domain.quota import quota_ceiling
from nominator.errors import UserError
from nominator.ui.document import Document
from nominator.ui.editors import SAVE_DELAY_MS
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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ChoiceBox(tuple(UNIT_KIND_NAMES[k] for k in UNIT_KINDS))
        self.name = LineField("例:沈阳市 / 省教育厅")
        self.contact = LineField("经办人姓名")
        self.phone = LineField("手机11位,或座机如 024-12345678")
        self.collectives = AllocationBox()
        self.individuals = AllocationBox()
        self.quota_note = QLabel()
        self.quota_note.setWordWrap(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            ("推荐单位类别", self.kind),
            ("推荐单位名称", self.name),
            ("联系人", self.contact),
            ("联系电话", self.phone),
            ("分配名额:先进集体", self.collectives),
            ("分配名额:先进个人", self.individuals),
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
        self.kind.set_value(UNIT_KIND_NAMES.get(unit.kind, unit.kind))
        self.name.set_value(unit.name)
        self.contact.set_value(unit.contact)
        self.phone.set_value(unit.phone)
        self.collectives.set_number(unit.allocation.collectives)
        self.individuals.set_number(unit.allocation.individuals)
        self._update_enabled()

    def unit(self, base: Unit | None = None) -> Unit:
        unit = copy.deepcopy(base) if base is not None else Unit()
        names = {v: k for k, v in UNIT_KIND_NAMES.items()}
        unit.kind = names.get(self.kind.value(), self.kind.value() or "region")
        unit.name = self.name.value().strip()
        unit.contact = self.contact.value().strip()
        unit.phone = self.phone.value().strip()
        unit.allocation.collectives = self.collectives.number()
        unit.allocation.individuals = self.individuals.number()
        if unit.kind == "department":
            unit.allocation.collectives = unit.allocation.individuals = None
        return unit

    def _changed(self) -> None:
        self._update_enabled()
        self.edited.emit()

    def _update_enabled(self) -> None:
        department = self.kind.value() == UNIT_KIND_NAMES["department"]
        self.collectives.setEnabled(not department)
        self.individuals.setEnabled(not department)

    def explain_quota(self, text: str) -> None:
        self.quota_note.setText(text)


def quota_text(unit: Unit, doc: Document) -> str:
    max_c, max_i = quota_ceiling(unit, doc.campaign)
    if unit.kind == "department" or (max_c is not None and unit.allocation.collectives is None):
        q = doc.campaign.quota
        return f"省直单位原则上推荐先进集体{q.department_max_collectives}个、先进个人1至{q.department_max_individuals}名(规则Q2)。"
    if max_c is None or max_i is None:
        return "请按附件10《推荐名额分配表》填写分配名额;可上浮20%推荐(四舍五入,规则Q1)。"
    return f"可推荐先进集体最多 {max_c} 个、先进个人最多 {max_i} 名(分配名额上浮20%,四舍五入,规则Q1)。"


class UnitPage(QWidget):
    saving = Signal()

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.form = UnitForm()
        box = QGroupBox("推荐单位信息")
        QVBoxLayout(box).addWidget(self.form)
        note = QLabel("推荐单位名称用于邮件主题和材料标题:地区写“XX市”,省直单位写“省XX厅/委/办/局”。")
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
