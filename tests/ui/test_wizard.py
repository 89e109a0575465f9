"""The first-run wizard as a new clerk meets it: the unit kind is chosen, not assumed, and what
it means is said; a long official name gets a one-click short form; a wrong phone is refused at
once; the ceiling is shown as the allocation is typed; 取消 asks first; 先看示例 opens the demo."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWizard

from nominator.ui.main_window import MainWindow
from nominator.ui.pages.unit import UnitForm
from nominator.ui.wizard import FirstRunWizard
from tests.ui.conftest import Dialogs


@pytest.fixture()
def wizard(qtbot: Any) -> FirstRunWizard:
    wiz = FirstRunWizard()
    qtbot.addWidget(wiz)
    wiz.show()
    return wiz


def choose_kind(form: UnitForm, kind: str) -> None:
    form.kind.setCurrentIndex(form.kind.findData(form.kind_names[kind]))
    form.kind.activated.emit(form.kind.currentIndex())


def type_into(field: Any, text: str) -> None:
    field.setText(text)
    field.textEdited.emit(text)
    field.editingFinished.emit()


def test_the_unit_kind_starts_unchosen_and_must_be_chosen(wizard: FirstRunWizard) -> None:
    step = wizard.unit_step
    assert step.form.kind.value() == ""
    assert "请先选择推荐单位类别" in step.form.kind_note.text()
    type_into(step.form.name, "沈阳市")
    assert not step.validatePage()
    assert "请选择推荐单位类别" in step.error.text()


def test_choosing_a_department_says_why_there_is_no_allocation(wizard: FirstRunWizard) -> None:
    form = wizard.unit_step.form
    choose_kind(form, "department")
    assert not form.collectives.isEnabled() and not form.individuals.isEnabled()
    note = form.kind_note.text()
    assert "不用填写分配名额" in note and "先进集体1个" in note and "1至2名" in note and "Q2" in note
    choose_kind(form, "region")
    assert form.collectives.isEnabled() and "上浮20%" in form.kind_note.text()


def test_the_ceiling_is_shown_while_the_allocation_is_typed(wizard: FirstRunWizard) -> None:
    form = wizard.unit_step.form
    choose_kind(form, "region")
    form.collectives.setValue(8)
    form.individuals.setValue(13)
    assert "先进集体分配8个,最多可推荐 10 个" in form.quota_note.text()
    assert "先进个人分配13名,最多可推荐 16 名" in form.quota_note.text()


def test_a_provincial_departments_full_name_gets_its_short_form_in_one_click(
    wizard: FirstRunWizard,
) -> None:
    step = wizard.unit_step
    choose_kind(step.form, "department")
    type_into(step.form.name, "辽宁省教育厅")
    assert step.form.name_hint.isVisibleTo(step) and "“省教育厅”" in step.form.name_problem.text()
    assert not step.validatePage()
    assert "省教育厅" in step.error.text()
    assert step.form.name_fix.text() == "改为“省教育厅”"
    step.form.name_fix.click()
    assert step.form.name.text() == "省教育厅"
    assert not step.form.name_hint.isVisibleTo(step)
    assert step.validatePage()


def test_a_wrong_phone_is_refused_in_the_wizard_and_marked_in_the_field(wizard: FirstRunWizard) -> None:
    step = wizard.unit_step
    choose_kind(step.form, "department")
    type_into(step.form.name, "省教育厅")
    type_into(step.form.phone, "12345")
    assert "“12345”格式不对" in step.form.phone.toolTip()
    assert "border" in step.form.phone.styleSheet()
    assert not step.validatePage()
    assert "12345" in step.error.text()
    type_into(step.form.phone, "024-23456789")
    assert step.form.phone.toolTip() == "" and step.validatePage()


def test_cancel_asks_before_throwing_away_what_was_typed(wizard: FirstRunWizard, dialogs: Dialogs) -> None:
    type_into(wizard.unit_step.form.name, "沈阳市")
    dialogs.answer = QMessageBox.StandardButton.No
    wizard.reject()
    assert "确定放弃" in dialogs.texts("question")[-1]
    assert wizard.isVisible()
    dialogs.answer = QMessageBox.StandardButton.Yes
    wizard.reject()
    assert not wizard.isVisible() and wizard.result() == QWizard.DialogCode.Rejected


def test_cancel_on_an_untouched_wizard_just_closes(wizard: FirstRunWizard, dialogs: Dialogs) -> None:
    wizard.reject()
    assert dialogs.texts("question") == [] and not wizard.isVisible()


def test_see_the_example_first_opens_the_demo_store(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(self: FirstRunWizard) -> int:
        self.unit_step.show_demo.click()
        return int(self.result())

    monkeypatch.setattr(FirstRunWizard, "exec", run)
    window.new_store()
    assert window.doc is not None and window.doc.unit().name == "沈阳市"
    assert "示例" in window.doc.path.name
