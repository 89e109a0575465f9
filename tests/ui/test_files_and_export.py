"""First run, the 文件 menu's operations, photos, export and error reporting, on real stores."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog

from nominator.domain.model import Individual
from nominator.domain.photo import make_demo_photo
from nominator.store.session import Store
from nominator.ui import app as ui_app
from nominator.ui.document import Document
from nominator.ui.export_dialog import PLACE_ROLE, ExportDialog
from nominator.ui.main_window import MainWindow
from nominator.ui.messages import report_unexpected, setup_logging
from nominator.ui.pages.records import RecordsPage
from nominator.ui.pages.reports import ReportsPage
from nominator.ui.pages.unit import UnitPage
from nominator.ui.settings import recent_files
from nominator.ui.wizard import FirstRunWizard
from tests.ui.conftest import Dialogs, checked, type_text


def test_wizard_refuses_a_bad_name_then_creates_the_store_in_documents(qtbot: Any, tmp_path: Path) -> None:
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentPage() is wizard.campaign_step
    assert wizard.campaign_step.chosen() is not None  # the newest campaign, chosen for the clerk
    wizard.next()
    form = wizard.unit_step.form
    form.kind.set_value("市")
    type_text(form.name, "鞍山")
    assert not wizard.unit_step.validatePage()
    assert "请改为“鞍山市”" in wizard.unit_step.error.text()
    type_text(form.name, "市")
    assert not wizard.unit_step.validatePage()  # a region needs its allocation
    form.collectives.setValue(3)
    form.individuals.setValue(5)
    type_text(form.contact, "王某")
    type_text(form.phone, "0412-1234567")
    wizard.next()
    assert wizard.currentPage() is wizard.file_step
    path = wizard.path()
    assert path.parent == tmp_path / "home" / "Documents" and path.suffix == ".nominator"
    assert wizard.file_step.validatePage()
    from nominator.ui.files import create_store

    with create_store(path, wizard.unit()) as store:
        unit = store.unit()
    assert (unit.name, unit.allocation.collectives, unit.allocation.individuals) == ("鞍山市", 3, 5)


def test_gui_start_opens_the_demo_and_then_remembers_it(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ui_app.first_store(None, demo=True)
    assert store is not None
    assert store.path == ui_app.demo_path()
    win = MainWindow(Document(store))
    qtbot.addWidget(win)
    win.close()
    assert recent_files() == [ui_app.demo_path().resolve()]
    again = ui_app.first_store(None, demo=False)  # no --db: the most recently used store
    assert again is not None and again.path == ui_app.demo_path()
    again.close()


def test_qt_dialogs_speak_chinese(qapp: Any) -> None:
    assert ui_app.install_translations(qapp)
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_a_second_window_on_the_same_store_is_refused(
    window: MainWindow, dialogs: Dialogs, qtbot: Any
) -> None:
    assert window.doc is not None
    other = MainWindow(
        Document(Store.create(window.doc.path.with_name("其他.nominator"), campaign="liaoning-zwgk-2025"))
    )
    qtbot.addWidget(other)
    assert not other.open_path(window.doc.path)
    assert "已在另一个窗口或程序中打开" in dialogs.texts("warning")[0]
    other.close()


def test_unit_page_edits_the_allocation_and_the_quota_follows(window: MainWindow, qtbot: Any) -> None:
    unit_page = window.show_page("unit")
    assert isinstance(unit_page, UnitPage)
    unit_page.form.individuals.setValue(8)
    qtbot.waitUntil(
        lambda: window.doc is not None and window.doc.unit().allocation.individuals == 8, timeout=3000
    )
    assert "先进个人分配8名,最多可推荐 10 名" in unit_page.form.quota_note.text()
    window.undo_action.trigger()
    assert window.doc is not None and window.doc.unit().allocation.individuals == 2
    assert unit_page.form.individuals.value() == 2


def test_report_sections_are_saved_with_their_campaign_headings(window: MainWindow) -> None:
    reports = window.show_page("reports")
    assert isinstance(reports, ReportsPage)
    assert window.doc is not None
    sections = window.doc.campaign.reports["initial"]
    editor = reports.editors["initial"]
    first = editor.sections[sections[0].key]
    first.edit.setPlainText("按照省里通知要求,我市成立了评选工作领导小组。")
    assert f"/ {window.doc.campaign.limits['report_section']} 字" in first.counter.text()
    editor.flush()
    assert window.doc.report("initial").sections[sections[0].key].startswith("按照省里通知要求")
    widget = reports.focus(f"initial.{sections[1].key}")
    assert widget is editor.sections[sections[1].key].edit


def test_a_dropped_photo_is_stored_and_judged_at_once(window: MainWindow, tmp_path: Path) -> None:
    individuals = window.show_page("individual")
    assert isinstance(individuals, RecordsPage) and window.doc is not None
    individuals.add()
    rid = individuals.current_id()
    assert rid is not None
    person = window.doc.get("individual", rid)
    assert isinstance(person, Individual)
    person.name, person.birth_date = "张某某", "1966-01-01"
    window.doc.edit_record("individual", person)
    good = tmp_path / "张某某-19660101.jpg"
    good.write_bytes(make_demo_photo(1, window.doc.campaign.photo))
    box = individuals.editor.photo_box
    assert box is not None
    box.set_photo_file(good)  # what a drop does
    stored = window.doc.get("individual", rid)
    assert isinstance(stored, Individual)
    assert stored.photo == "张某某-19660101.jpg" and stored.photo_data == good.read_bytes()
    assert "✔ 照片符合要求" in box.verdict.text()
    wrong = tmp_path / "photo.png"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    box.set_photo_file(wrong)
    assert "✘ 照片不符合要求" in box.verdict.text() and "[F2]" in box.verdict.text()
    window.undo_action.trigger()
    restored = window.doc.get("individual", rid)
    assert isinstance(restored, Individual) and restored.photo == "张某某-19660101.jpg"


def test_errors_block_the_export_and_a_double_click_goes_to_the_field(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    assert window.doc is not None
    individuals = window.show_page("individual")
    assert isinstance(individuals, RecordsPage)
    individuals.add()
    checked(window, qtbot)
    dialog = ExportDialog(window.doc, "initial", tmp_path / "out", window, problems=window.problems)
    qtbot.addWidget(dialog)
    dialog.jump.connect(window.go_to)
    assert not dialog.start_button.isEnabled()
    assert dialog.blockers.count() > 0 and "处理后才能导出" in dialog.status.text()
    item = next(
        dialog.blockers.item(n)
        for n in range(dialog.blockers.count())
        if dialog.blockers.item(n).data(PLACE_ROLE).field == "birth_date"
    )
    window.show_page("overview")
    dialog.blockers.itemActivated.emit(item)
    assert dialog.result() == ExportDialog.DialogCode.Rejected
    assert window.stack.currentWidget() is individuals
    qtbot.waitUntil(
        lambda: QApplication.focusWidget() is individuals.editor.widgets["birth_date"].line, timeout=2000
    )


def test_the_worker_refuses_when_the_check_finds_errors(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    assert window.doc is not None
    dialog = ExportDialog(window.doc, "initial", tmp_path / "out", window)  # no check results yet
    qtbot.addWidget(dialog)
    assert dialog.start_button.isEnabled()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.worker is None or dialog.worker.isFinished(), timeout=30000)
    qtbot.waitUntil(lambda: dialog.blockers.count() > 0, timeout=5000)
    assert "初审阶段还有" in dialog.status.text() and not dialog.start_button.isEnabled()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_export_runs_with_progress_and_ends_with_a_summary_that_opens_each_file(
    demo_window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert demo_window.doc is not None
    checked(demo_window, qtbot)
    opened: list[Path] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(Path(url.toLocalFile())) or True)
    )
    out = tmp_path / "out"
    dialog = ExportDialog(
        demo_window.doc, "formal", out, demo_window, problems=demo_window.problems, make_pdf=False
    )
    qtbot.addWidget(dialog)
    assert dialog.start_button.isEnabled(), [
        dialog.blockers.item(n).text() for n in range(dialog.blockers.count())
    ]
    steps: list[tuple[int, int]] = []
    dialog.start()
    assert dialog.worker is not None
    dialog.worker.progress.connect(lambda step, total, _text: steps.append((step, total)))
    with qtbot.waitSignal(dialog.worker.finished, timeout=120000):
        pass
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=5000)
    result = dialog.exported
    assert result is not None and result.folder.parent == out
    assert steps and steps[-1][0] == steps[-1][1] == 6
    assert len(list((result.folder / result.subject / "照片").glob("*.jpg"))) == 10
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    summary = dialog.summary
    assert not summary.isHidden() and dialog.cancel_button.text() == "关闭"
    assert "邮件附件" in summary.files.text() and "未生成 PDF" not in summary.notes.text()
    for button in (summary.open_folder, summary.open_mail, summary.open_checklist, summary.open_print):
        button.click()
    assert opened == [result.folder, result.eml, result.checklist, result.print_set]
    assert result.eml.suffix == ".eml" and result.print_set.suffix == ".docx"
    assert all(p.exists() for p in opened)


def test_cancelling_an_export_leaves_nothing_behind(
    demo_window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    assert demo_window.doc is not None
    out = tmp_path / "out"
    dialog = ExportDialog(demo_window.doc, "formal", out, demo_window, make_pdf=False)
    qtbot.addWidget(dialog)
    dialog.start()
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.worker is None or dialog.worker.isFinished(), timeout=60000)
    qtbot.waitUntil(lambda: "已取消" in dialog.status.text(), timeout=5000)
    assert dialog.exported is None and not list(out.iterdir())
    assert dialog.start_button.isEnabled()


def test_a_disk_failure_is_told_in_a_message_box(
    demo_window: MainWindow, qtbot: Any, tmp_path: Path, dialogs: Dialogs
) -> None:
    assert demo_window.doc is not None
    blocked = tmp_path / "一个文件"
    blocked.write_text("不是文件夹")
    dialog = ExportDialog(demo_window.doc, "initial", blocked, demo_window, make_pdf=False)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.worker is None or dialog.worker.isFinished(), timeout=60000)
    qtbot.waitUntil(lambda: bool(dialogs.texts("warning")), timeout=5000)
    assert "导出失败" in dialog.status.text()


def test_backup_restore_brings_back_the_earlier_version(window: MainWindow, dialogs: Dialogs) -> None:
    doc = window.doc
    assert doc is not None
    unit = doc.unit()
    window.backup_now()
    assert "已备份到" in dialogs.texts("information")[0]
    unit.contact = "李某"
    doc.edit_unit(unit)
    dialogs.item_answer = 0  # newest: the manual backup
    window.restore_backup()
    assert window.doc is not None and window.doc is not doc
    assert window.doc.unit().contact == "王某"


def test_exchange_file_export_then_import_round_trips(
    demo_window: MainWindow,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dialogs: Dialogs,
) -> None:
    out = tmp_path / "沈阳市.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(out), "")))
    demo_window.export_exchange()
    assert out.is_file()
    window.import_exchange()
    assert window.doc is not None
    assert len(window.doc.ids("individual")) == 10 and window.doc.unit().name == "沈阳市"
    assert any("已导入" in t for t in dialogs.texts("information"))


def test_save_as_switches_to_the_copy(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "副本"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.save_as()
    assert window.doc is not None and window.doc.path.name == "副本.nominator"
    assert window.doc.unit().name == "鞍山市"


def test_unexpected_errors_are_logged_without_personal_details(dialogs: Dialogs, tmp_path: Path) -> None:
    setup_logging()
    try:
        raise RuntimeError("张三 1966-01-01")
    except RuntimeError:
        exc_type, exc, tb = sys.exc_info()
        assert exc_type is not None and exc is not None
        report_unexpected(exc_type, exc, tb)
    for handler in logging.getLogger("nominator").handlers:
        handler.flush()
    log = (tmp_path / "data" / "logs" / "nominator.log").read_text(encoding="utf-8")
    assert "RuntimeError" in log and "张三" not in log
    assert "很抱歉" in dialogs.texts("critical")[0]
    for handler in list(logging.getLogger("nominator").handlers):
        logging.getLogger("nominator").removeHandler(handler)
        handler.close()


def test_an_oversized_mail_is_split_from_the_summary_and_each_draft_opens(
    demo_window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    doc = demo_window.doc
    assert doc is not None
    checked(demo_window, qtbot)
    doc.campaign = dataclasses.replace(
        doc.campaign, email=dataclasses.replace(doc.campaign.email, mailbox_limit_mb=0.5)
    )
    opened: list[Path] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(Path(url.toLocalFile())) or True)
    )
    dialog = ExportDialog(
        doc, "formal", tmp_path / "out", demo_window, problems=demo_window.problems, make_pdf=False
    )
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.worker is not None
    with qtbot.waitSignal(dialog.worker.finished, timeout=120000):
        pass
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=5000)
    summary = dialog.summary
    assert not summary.split.isHidden() and "拆分" in summary.notes.text()
    summary.split.click()
    assert summary.split.isHidden() and len(summary.parts) >= 2
    assert "第1封" in summary.files.text()
    summary.open_mail.click()
    assert opened == [part.eml for part in summary.parts]
