"""The clerk's main flow on real stores: add nominees, quota refusal, typing autosaves, undo/redo,
delete and reorder, problems jump to the field, warnings accepted with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from nominator.domain.model import Individual
from nominator.store.session import Store
from nominator.ui.editors import PublicityRow
from nominator.ui.main_window import MainWindow
from nominator.ui.models import DROPPED_COLOUR, RecordSortProxy, RecordTableModel
from nominator.ui.pages.records import RecordsPage
from nominator.ui.widgets import ChoiceBox, DateField, LabelledChoice, LineField
from tests.ui.conftest import Dialogs, answer_reason, checked, type_text


def page(win: MainWindow, kind: str) -> RecordsPage:
    found = win.show_page(kind)
    assert isinstance(found, RecordsPage)
    return found


def stored(path: Path, kind: str = "individual") -> list[Any]:
    """What is on disk, read through a second, independent connection after the window closed."""
    with Store.open(path, backup_on_open=False) as store:
        return [store.get(kind, rid) for rid in store.ids(kind)]


def test_table_model_passes_qt_model_checks_and_loads_rows_on_demand(
    demo_window: MainWindow, qtmodeltester: Any
) -> None:
    assert demo_window.doc is not None
    model = RecordTableModel(demo_window.doc, "individual")
    assert model.rowCount() == 10
    assert model.loaded_rows() == 0
    assert model.data(model.index(3, 1)) == "赵志刚"
    assert model.loaded_rows() == 10  # one query for all rows, without photo bytes
    assert all(getattr(model.record_at(n), "photo_data", None) is None for n in range(10))
    qtmodeltester.check(model)
    qtmodeltester.check(RecordSortProxy(model))


def test_adding_beyond_the_quota_is_refused_with_rule_and_numbers(
    window: MainWindow, dialogs: Dialogs
) -> None:
    collectives = page(window, "collective")
    collectives.add()
    assert collectives.model.rowCount() == 1
    collectives.add()  # allocation 1 → ceiling round(1.2) = 1
    assert collectives.model.rowCount() == 1
    [message] = dialogs.texts("warning")
    assert "Q1" in message and "分配名额1个" in message and "已填报1个" in message


def test_typing_autosaves_after_a_pause_and_survives_reopening(
    window: MainWindow, qtbot: Any, store_path: Path
) -> None:
    individuals = page(window, "individual")
    individuals.add()
    name = individuals.editor.widgets["name"]
    assert isinstance(name, LineField)
    type_text(name, "赵红梅")
    assert window.save_state.text() == "正在保存…"
    assert window.doc is not None
    assert window.doc.get("individual", individuals.current_id() or 0).name == ""  # debounced, not yet
    qtbot.waitUntil(lambda: window.save_state.text().startswith("✔ 已保存"), timeout=3000)
    ethnicity = individuals.editor.widgets["ethnicity"]
    assert isinstance(ethnicity, ChoiceBox)
    ethnicity.setCurrentIndex(ethnicity.findData("满族"))
    ethnicity.activated.emit(ethnicity.currentIndex())
    window.close()  # closing flushes the pending edit; it never asks "save?"
    [person] = stored(store_path)
    assert (person.name, person.ethnicity) == ("赵红梅", "满族")


def test_undo_and_redo_restore_an_edit_in_the_store_and_the_editor(window: MainWindow, qtbot: Any) -> None:
    individuals = page(window, "individual")
    individuals.add()
    name = individuals.editor.widgets["name"]
    assert isinstance(name, LineField)
    type_text(name, "钱进")
    individuals.editor.flush()
    doc = window.doc
    assert doc is not None
    rid = individuals.current_id()
    assert rid is not None
    assert doc.get("individual", rid).name == "钱进"
    name.setFocus()
    qtbot.keyClick(
        name, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
    )  # the window's undo, not the box's
    assert doc.get("individual", rid).name == ""
    assert name.text() == ""
    window.redo_action.trigger()
    assert doc.get("individual", rid).name == "钱进"
    assert name.text() == "钱进"
    window.undo_action.trigger()
    window.undo_action.trigger()  # and the add itself
    assert doc.ids("individual") == []


def test_delete_and_reorder_are_undoable(window: MainWindow, dialogs: Dialogs) -> None:
    members = page(window, "member")
    for _ in range(3):
        members.add()
    doc = window.doc
    assert doc is not None
    first, second, third = doc.ids("member")
    members.select_id(third)
    members.move_selected(-1)
    assert doc.ids("member") == [first, third, second]
    assert members.model.data(members.model.index(1, 0)) == "2"
    members.select_id(first)
    members.delete()
    assert "确定删除" in dialogs.texts("question")[0]
    assert doc.ids("member") == [third, second]
    window.undo_action.trigger()
    assert doc.ids("member") == [first, third, second]
    window.undo_action.trigger()
    assert doc.ids("member") == [first, second, third]


def test_double_clicking_a_problem_focuses_the_field(window: MainWindow, qtbot: Any) -> None:
    individuals = page(window, "individual")
    individuals.add()
    birth = individuals.editor.widgets["birth_date"]
    assert isinstance(birth, DateField)
    type_text(birth.line, "1985-13-01")
    individuals.editor.flush()
    window.show_page("overview")
    checked(window, qtbot)
    window.panel.set_stage("initial")
    item = _problem_item(window, "individuals[0].birth_date")
    window.activateWindow()
    window.panel.tree.activated.emit(item)
    assert window.stack.currentWidget() is individuals
    qtbot.waitUntil(lambda: QApplication.focusWidget() is birth.line, timeout=2000)
    assert "月份应为01至12" in item.data() and "[V2]" in item.data() and "出生日期" in item.data()


def test_accepting_a_warning_stores_the_reason_and_undo_withdraws_it(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    individuals = page(window, "individual")
    individuals.add()
    doc = window.doc
    assert doc is not None and window.problems is not None
    rid = doc.ids("individual")[0]
    person = doc.get("individual", rid)
    assert isinstance(person, Individual)
    person.rank = "副厅级及以上"
    doc.edit_record("individual", person)
    checked(window, qtbot)
    item = _problem_item(window, "individuals[0].rank", rule="E1")
    window.panel.tree.setCurrentIndex(item)
    assert window.panel.accept_button.isEnabled()
    answer_reason(monkeypatch, "经市委组织部同意,确需推荐")
    window.panel.accept_selected()
    qtbot.waitUntil(window.problems.is_current, timeout=30000)
    assert doc.get("individual", rid).overrides == {"E1": "经市委组织部同意,确需推荐"}
    shown = _problem_item(window, "individuals[0].rank", rule="E1").data()
    assert "已接受" in shown and "说明:经市委组织部同意,确需推荐" in shown  # the reason stays in view
    window.undo_action.trigger()
    assert doc.get("individual", rid).overrides == {}


def test_publicity_end_date_is_computed_from_working_days(window: MainWindow) -> None:
    collectives = page(window, "collective")
    collectives.add()
    row = collectives.editor.widgets["publicity.unit"]
    assert isinstance(row, PublicityRow)
    row.start.line.setText("2025-09-29")  # National Day week: 29, 30 Sep, then 9, 10, 11 Oct (11 Oct is 调休)
    row.compute.click()
    assert row.end.value() == "2025-10-11"
    assert "5个工作日" in row.note.text()
    collectives.editor.flush()
    assert window.doc is not None
    saved = window.doc.get("collective", collectives.current_id() or 0)
    assert saved.publicity["unit"].end == "2025-10-11"  # type: ignore[union-attr]


def _problem_item(window: MainWindow, target: str, rule: str | None = None) -> QModelIndex:
    index = window.panel.model.find(
        lambda e: e.problem.target.path == target and (rule is None or e.problem.rule == rule)
    )
    if not index.isValid():
        raise AssertionError(f"no problem for {target}")
    return index


def test_a_check_outdated_by_an_edit_is_dropped_and_the_newest_one_shown(
    window: MainWindow, qtbot: Any
) -> None:
    doc, state = window.doc, window.problems
    assert doc is not None and state is not None
    checked(window, qtbot)
    shown: list[int] = []
    state.updated.connect(lambda: shown.append(len(state.dossier.individuals if state.dossier else [])))
    state.run()  # starts a worker on the store as it is now: no individuals
    page(window, "individual").add()  # …and this change makes that result stale
    state.run()
    qtbot.waitUntil(lambda: bool(shown), timeout=30000)
    qtbot.wait(200)
    assert shown and set(shown) == {1}  # the result without the new individual was never shown
    assert any(p.target.path.startswith("individuals[0]") for p in state.problems["initial"])


def test_feedback_is_chosen_in_the_editor_shown_in_the_table_and_greys_the_row_at_the_formal_stage(
    demo_window: MainWindow, qtbot: Any
) -> None:
    doc = demo_window.doc
    assert doc is not None
    individuals = page(demo_window, "individual")
    first = doc.ids("individual")[0]
    individuals.select_id(first)
    box = individuals.editor.widgets["feedback"]
    assert isinstance(box, LabelledChoice)
    assert [box.itemText(n) for n in range(box.count())] == ["待反馈", "保留", "未保留"]
    box.setCurrentIndex(box.findData("dropped"))
    box.activated.emit(box.currentIndex())
    individuals.editor.flush()
    assert doc.get("individual", first).feedback == "dropped"  # type: ignore[union-attr]
    column = [c for c, _t in individuals.model.columns].index("feedback")
    index = individuals.model.index(0, column)
    assert individuals.model.data(index) == "未保留"
    assert individuals.model.data(index, Qt.ItemDataRole.ForegroundRole) is None  # 初审: shown as usual
    demo_window.panel.set_stage("formal")
    assert individuals.model.data(index, Qt.ItemDataRole.ForegroundRole).color() == DROPPED_COLOUR
    assert "正式阶段 9 名" in individuals.count.text()
    demo_window.undo_action.trigger()
    assert doc.get("individual", first).feedback == ""  # type: ignore[union-attr]
    assert individuals.model.data(index) == "待反馈" and box.value() == ""


def test_formal_stage_problems_point_at_the_right_nominee_when_one_was_dropped(
    demo_window: MainWindow, qtbot: Any
) -> None:
    doc = demo_window.doc
    assert doc is not None
    first, second, third = doc.ids("individual")[:3]
    dropped = doc.get("individual", first)
    assert isinstance(dropped, Individual)
    dropped.feedback = "dropped"
    doc.edit_record("individual", dropped)
    broken = doc.get("individual", third)
    assert isinstance(broken, Individual)
    broken.birth_date = "1985-13-01"
    doc.edit_record("individual", broken)
    checked(demo_window, qtbot)
    demo_window.panel.set_stage("formal")
    item = _problem_item(demo_window, "individuals[1].birth_date")  # third in the store, second at 正式
    demo_window.panel.tree.activated.emit(item)
    individuals = page(demo_window, "individual")
    assert individuals.current_id() == third != second
