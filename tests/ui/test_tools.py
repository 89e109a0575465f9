"""工具 menu flows on real stores: template download → fill in Excel → preview with per-cell
errors → import the valid rows (one undo step); photos by folder matched before applying."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QFileDialog, QTreeWidgetItem

from nominator.domain.model import Individual
from nominator.domain.photo import make_demo_photo
from nominator.interchange.demo import build_demo_dossier
from nominator.interchange.exchange import write_exchange
from nominator.ui.main_window import MainWindow
from nominator.ui.pages.records import RecordsPage
from nominator.ui.tools import IntakeDialog, MergeDialog, PhotoFolderDialog, PreviewDialog
from tests.ui.conftest import Dialogs


@pytest.fixture()
def previews(monkeypatch: pytest.MonkeyPatch) -> list[PreviewDialog]:
    """Every preview the window shows, answered with 导入."""
    shown: list[PreviewDialog] = []

    def accept(self: PreviewDialog) -> int:
        shown.append(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PreviewDialog, "exec", accept)
    return shown


def answer_file(monkeypatch: pytest.MonkeyPatch, which: str, path: Path) -> None:
    result: Any = str(path) if which == "getExistingDirectory" else (str(path), "")
    monkeypatch.setattr(QFileDialog, which, staticmethod(lambda *a, **k: result))


def lines(item: QTreeWidgetItem) -> list[str]:
    found = [f"{item.text(0)} {item.text(1)}".strip()]
    for n in range(item.childCount()):
        found += lines(item.child(n))
    return found


def tree_text(dialog: PreviewDialog) -> list[str]:
    found: list[str] = []
    for n in range(dialog.tree.topLevelItemCount()):
        found += lines(dialog.tree.topLevelItem(n))
    return found


def test_excel_template_round_trip_imports_valid_rows_and_lists_cell_errors(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dialogs: Dialogs,
    previews: list[PreviewDialog],
) -> None:
    doc = window.doc
    assert doc is not None
    template = tmp_path / "导入模板.xlsx"
    answer_file(monkeypatch, "getSaveFileName", template)
    window.save_template()
    assert template.is_file() and "导入模板已保存" in dialogs.texts("information")[-1]

    book = load_workbook(template)
    sheet = book["先进个人"]
    headers = {cell.value: cell.column_letter for cell in sheet[1]}
    sheet[f"{headers['姓名']}2"] = "赵红梅"
    sheet[f"{headers['性别']}2"] = "女"
    sheet[f"{headers['出生日期']}2"] = "1986-03-14"
    sheet[f"{headers['姓名']}3"] = "钱进"
    sheet[f"{headers['民族']}3"] = "火星族"
    sheet[f"{headers['出生日期']}3"] = "1986-02-30"
    book.save(template)

    answer_file(monkeypatch, "getOpenFileName", template)
    window.import_excel()
    [dialog] = previews
    assert isinstance(dialog, IntakeDialog)
    text = tree_text(dialog)
    assert any("第2行 ✔ 赵红梅" in t for t in text)
    assert any("第3行 ✘ 钱进" in t for t in text)
    assert any("“民族”列" in t for t in text) and any("“出生日期”列" in t for t in text)
    assert dialog.apply_button.text() == "导入 1 行"
    assert [doc.get("individual", rid).name for rid in doc.ids("individual")] == ["赵红梅"]
    assert "有错误的 1 行未导入" in dialogs.texts("information")[-1]
    window.undo_action.trigger()  # the whole import is one step
    assert doc.ids("individual") == []
    window.redo_action.trigger()
    assert len(doc.ids("individual")) == 1


def test_photos_by_folder_list_matches_and_mismatches_before_storing(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dialogs: Dialogs,
    previews: list[PreviewDialog],
) -> None:
    doc = window.doc
    assert doc is not None
    rid = doc.add_record("individual", Individual(name="张某某", birth_date="1966-01-01"))
    folder = tmp_path / "照片"
    folder.mkdir()
    photo = make_demo_photo(2, doc.campaign.photo)
    (folder / "张某某-19660101.jpg").write_bytes(photo)
    (folder / "张某某-19660102.jpg").write_bytes(photo)
    (folder / "李某-19700101.jpg").write_bytes(photo)
    answer_file(monkeypatch, "getExistingDirectory", folder)
    window.import_photo_folder()
    [dialog] = previews
    assert isinstance(dialog, PhotoFolderDialog)
    text = tree_text(dialog)
    assert any("张某某-19660101.jpg → 张某某" in t for t in text)
    assert any(t.startswith("找不到推荐对象") for t in text) and any(
        t.startswith("重复照片") or t.startswith("出生日期不符") for t in text
    )
    assert dialog.apply_button.text() == "导入 1 张照片"
    person = doc.get("individual", rid)
    assert isinstance(person, Individual)
    assert person.photo == "张某某-19660101.jpg" and person.photo_data == photo
    assert window.stack.currentWidget() is window.pages["photos"]
    window.undo_action.trigger()
    person = doc.get("individual", rid)
    assert isinstance(person, Individual) and person.photo_data is None


def test_merging_subordinate_files_flags_the_duplicate_and_the_quota(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dialogs: Dialogs,
    previews: list[PreviewDialog],
) -> None:
    doc = window.doc
    assert doc is not None
    files = []
    for n, district in enumerate(("铁东区", "铁西区")):
        dossier = build_demo_dossier()
        dossier.unit.name = district
        dossier.collectives = dossier.collectives[:1] if n == 0 else []
        dossier.individuals = dossier.individuals[n : n + 2]  # 1 and 2, then 2 and 3: one overlap
        path = tmp_path / f"{district}.zip"
        write_exchange(dossier, path)
        files.append(str(path))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: (files, "")))
    window.import_subordinates()
    [dialog] = previews
    assert isinstance(dialog, MergeDialog)
    text = tree_text(dialog)
    assert sum("重复,不合并" in t for t in text) == 1
    assert "[Q1]" in dialog.notes.text()  # allocation 2 → at most 2, the merge brings 3
    assert dialog.apply_button.text() == "合并 4 个推荐对象"
    people = [doc.get("individual", rid) for rid in doc.ids("individual")]
    assert [p.source for p in people] == ["铁东区", "铁东区", "铁西区"]  # type: ignore[union-attr]
    individuals = window.stack.currentWidget()
    assert isinstance(individuals, RecordsPage)
    source = [f for f, _t in individuals.model.columns].index("source")
    assert not individuals.table.isColumnHidden(source)
    window.undo_action.trigger()
    assert doc.ids("individual") == [] and doc.ids("collective") == []


def test_excel_rows_beyond_a_departments_quota_are_refused_as_the_editor_refuses_them(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: Dialogs,
    previews: list[PreviewDialog],
) -> None:
    from nominator.domain.model import Unit
    from nominator.ui import files
    from nominator.ui.document import Document

    unit = Unit(name="省教育厅", kind="department", contact="王某", phone="024-12345678")
    store = files.create_store(tmp_path / "省教育厅.nominator", unit)
    win = MainWindow(Document(store))
    qtbot.addWidget(win)
    doc = win.doc
    assert doc is not None
    for _ in range(2):
        doc.add_record("individual")
    individuals = win.show_page("individual")
    assert isinstance(individuals, RecordsPage)
    individuals.add()  # a third individual: refused at once in the editor
    [refused_in_editor] = dialogs.texts("warning")

    template = tmp_path / "导入模板.xlsx"
    answer_file(monkeypatch, "getSaveFileName", template)
    win.save_template()
    book = load_workbook(template)
    sheet = book["先进个人"]
    headers = {cell.value: cell.column_letter for cell in sheet[1]}
    sheet[f"{headers['姓名']}2"] = "赵红梅"
    sheet[f"{headers['性别']}2"] = "女"
    book.save(template)
    answer_file(monkeypatch, "getOpenFileName", template)
    win.import_excel()

    [dialog] = previews
    text = tree_text(dialog)
    assert any("第2行 ✘ 赵红梅:超出名额,不导入" in t for t in text)
    assert any(refused_in_editor in t for t in text)  # the same words, rule Q2
    assert "(规则Q2)" in refused_in_editor
    assert not dialog.apply_button.isEnabled()
    assert len(doc.ids("individual")) == 2
    win.close()
