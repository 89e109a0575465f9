"""The first-run wizard as a new clerk meets it: the unit kind is chosen, not assumed, and what
it means is said; a long official name gets a one-click short form; a wrong phone is refused at
once; the ceiling is shown as the allocation is typed; 取消 asks first; 先看示例 opens the demo."""

from __future__ import annotations

from pathlib import Path
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
        self.campaign_step.show_demo.click()
        return int(self.result())

    monkeypatch.setattr(FirstRunWizard, "exec", run)
    window.new_store()
    assert window.doc is not None and window.doc.unit().name == "沈阳市"
    assert "示例" in window.doc.path.name


def test_the_first_page_lists_the_installed_campaigns_newest_first(wizard: FirstRunWizard) -> None:
    from nominator.campaign import installed

    step = wizard.campaign_step
    texts = [step.list.item(n).text() for n in range(step.list.count())]
    assert len(texts) == len(installed())
    assert texts[0].startswith("辽宁省政务公开工作") and "(示例)" in texts[-1].splitlines()[0]
    assert "省评选表彰办" in texts[0] and "初审 2025年12月25日" in texts[0] and "已截止" in texts[0]
    assert step.chosen() is not None and step.chosen().id == "liaoning-zwgk-2025"


def test_choosing_another_campaign_changes_the_unit_page_and_the_store(
    wizard: FirstRunWizard, tmp_path: Path
) -> None:
    step = wizard.campaign_step
    step.list.setCurrentRow(step.list.count() - 1)  # the example
    wizard.next()
    assert wizard.campaign.id == "example-zwgk-2026"
    form = wizard.unit_step.form
    choose_kind(form, "region")
    assert "上浮30%" in form.kind_note.text()
    type_into(form.name, "沈阳市")
    form.collectives.setValue(5)
    form.individuals.setValue(10)
    type_into(form.contact, "王某")
    type_into(form.phone, "024-12345678")
    assert wizard.unit_step.validatePage()
    from nominator.ui.files import create_store

    with create_store(tmp_path / "新.nominator", wizard.unit(), wizard.campaign) as store:
        assert store.rules().id == "example-zwgk-2026"


def test_a_campaign_added_from_a_file_is_listed_and_chosen(
    wizard: FirstRunWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from nominator.paths import resources_dir

    text = (resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml").read_text(encoding="utf-8")
    source = tmp_path / "liaoning-zwgk-2026.toml"
    source.write_text(
        text.replace('id = "liaoning-zwgk-2025"', 'id = "liaoning-zwgk-2026"').replace(
            'title = "辽宁省政务公开工作先进集体和先进个人评选表彰"', 'title = "辽宁省2026年政务公开评选"'
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(source), "")))
    step = wizard.campaign_step
    step.add_from_file()
    assert step.chosen() is not None and step.chosen().id == "liaoning-zwgk-2026"
    assert "已添加活动:辽宁省2026年政务公开评选" in step.note.text()


def test_a_broken_campaign_file_is_refused_with_its_line(
    wizard: FirstRunWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs
) -> None:
    from PySide6.QtWidgets import QFileDialog

    bad = tmp_path / "bad-2026.toml"
    bad.write_text("format = 2\nid = [\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(bad), "")))
    before = wizard.campaign_step.list.count()
    wizard.campaign_step.add_from_file()
    assert any("bad-2026.toml" in t and "行" in t for t in dialogs.texts("warning"))
    assert wizard.campaign_step.list.count() == before
