"""The runner: long operations and their previews run off the UI thread behind a progress dialog
that can cancel them, each operation is one undo step, and what changed is announced once."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QProgressDialog, QPushButton

from nominator import operations as ops
from nominator.domain.model import Collective, Individual, Member
from nominator.interchange import intake
from nominator.interchange.intake import IntakePreview, IntakeRow
from nominator.interchange.template import write_template
from nominator.store.writer import Writer
from nominator.ui.main_window import MainWindow
from nominator.ui.tools import PreviewDialog


def names(window: MainWindow, kind: str) -> list[str]:
    assert window.doc is not None
    return [window.doc.get(kind, rid).name for rid in window.doc.ids(kind)]


def test_every_import_merge_and_folder_match_is_a_long_operation() -> None:
    for op in (ops.ImportExcel, ops.MergeFiles, ops.ImportPhotoFolder, ops.ReplaceContents):
        assert op.long, op.__name__  # type: ignore[attr-defined]


def test_an_excel_import_reads_and_writes_off_the_ui_thread_in_one_undo_step(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    doc = window.doc
    assert doc is not None
    template = tmp_path / "导入模板.xlsx"
    write_template(template, doc.campaign)
    threads: dict[str, bool] = {}
    reading, applying = intake.read_template, intake.apply_intake

    def read_template(*args: Any) -> IntakePreview:
        threads["read"] = threading.current_thread() is threading.main_thread()
        preview = reading(*args)
        preview.rows.append(IntakeRow("member", "工作机构成员", 2, Member(name="钱某")))
        return preview

    def apply_intake(*args: Any, **kwargs: Any) -> Any:
        threads["write"] = threading.current_thread() is threading.main_thread()
        return applying(*args, **kwargs)

    monkeypatch.setattr("nominator.ui.tools.read_template", read_template)
    monkeypatch.setattr(intake, "apply_intake", apply_intake)  # bulk imports it when it runs
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(template), "")))
    monkeypatch.setattr(PreviewDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    steps = doc.undo_stack.count()
    announced: list[ops.Changes] = []
    doc.changed.connect(lambda changes, _by: announced.append(changes))
    window.import_excel()
    assert threads == {"read": False, "write": False}
    assert names(window, "member") == ["钱某"]
    assert doc.undo_stack.count() == steps + 1 and doc.undo_stack.undoText() == "从Excel导入"
    assert announced == [ops.Changes(lists=frozenset({"member"}))]
    window.undo_action.trigger()
    assert names(window, "member") == []


class SlowImport(ops.ImportExcel):
    """Writes a record, then works on until cancelled."""

    def apply(self, writer: Writer, progress: ops.Progress) -> ops.Outcome:
        writer.add("member", Member(name="不该留下"))
        for step in range(2000):
            progress(step, 2000, "正在导入…")
            time.sleep(0.005)
        return super().apply(writer, progress)


def cancel_when_shown() -> None:
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    if dialogs:
        [button] = [b for b in dialogs[0].findChildren(QPushButton) if b.text() == "取消"]
        button.click()  # as the clerk does
    else:
        QTimer.singleShot(50, cancel_when_shown)


def test_cancelling_a_long_operation_leaves_the_store_as_it_was_and_no_undo_step(window: MainWindow) -> None:
    doc = window.doc
    assert doc is not None
    steps = doc.undo_stack.count()
    QTimer.singleShot(50, cancel_when_shown)
    assert doc.run(SlowImport(IntakePreview(Path("x.xlsx"), [])), parent=window) is None
    assert names(window, "member") == [] and doc.undo_stack.count() == steps


def test_a_failing_long_operation_says_why_and_changes_nothing(window: MainWindow) -> None:
    doc = window.doc
    assert doc is not None
    rows = [IntakeRow("member", "x", 2, Member(name="钱某")), IntakeRow("member", "x", 3, Collective())]
    with pytest.raises(TypeError):
        doc.run(ops.ImportExcel(IntakePreview(Path("x.xlsx"), rows)), parent=window)
    assert names(window, "member") == []


def test_undo_and_redo_announce_what_changed_and_editors_follow(window: MainWindow) -> None:
    doc = window.doc
    assert doc is not None
    rid = doc.add_record("individual", Individual(name="张三"))
    person = doc.get("individual", rid)
    person.name = "李四"
    doc.edit_record("individual", person)
    heard: list[tuple[ops.Changes, object]] = []
    doc.changed.connect(lambda changes, by: heard.append((changes, by)))
    doc.undo()
    assert heard == [(ops.Changes(records=frozenset({("individual", rid)})), None)]
    assert doc.undo_stack.redoText() == "修改先进个人"
    doc.redo()
    assert doc.get("individual", rid).name == "李四"
