"""The problems panel as a clerk at a 1366×768 screen uses it: every entry readable in full without
clicking, rows that stay put while the checker re-runs, accepted warnings with their reasons, no
accepting without a reason, and each problem filed under the record it is about."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QCursor, QFontMetrics

from nominator.domain.model import Individual
from nominator.ui import files
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow
from nominator.ui.problem_model import MARGIN
from nominator.ui.problems import ProblemsPanel
from tests.ui.conftest import answer_reason, checked, region_unit


@pytest.fixture()
def busy_window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    """1366×768, six blank collectives and twelve blank individuals: a long list of problems."""
    store = files.create_store(store_path, region_unit(8, 16))
    win = MainWindow(Document(store))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    doc = win.doc
    assert doc is not None
    for _ in range(6):
        doc.add_record("collective")
    for _ in range(12):
        doc.add_record("individual")
    checked(win, qtbot)
    yield win
    win.close()


def entries(panel: ProblemsPanel) -> Iterator[QModelIndex]:
    model = panel.model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        for n in range(model.rowCount(group)):
            yield model.index(n, 0, group)


def test_every_entry_is_shown_whole_at_1366_wide_without_clicking(busy_window: MainWindow) -> None:
    panel = busy_window.panel
    tree = panel.tree
    assert busy_window.dock.width() < 500  # the panel is a side column, not the whole screen
    assert not tree.horizontalScrollBar().isVisible()
    listed = list(entries(panel))
    assert len(listed) > 100
    metrics = QFontMetrics(tree.font())
    for index in listed:
        rect = tree.visualRect(index)
        text = index.data()
        assert rect.right() <= tree.viewport().width()  # nothing runs off to the right
        width = rect.width() - 2 * MARGIN
        needed = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
        assert needed.width() <= width and rect.height() >= needed.height()  # every line is there
    tall = [tree.visualRect(i).height() for i in listed]
    assert max(tall) > 2 * metrics.lineSpacing()  # long messages really take several lines


def test_entries_rewrap_when_the_panel_gets_narrower(busy_window: MainWindow, qtbot: Any) -> None:
    tree = busy_window.panel.tree
    index = next(i for i in entries(busy_window.panel) if len(i.data()) > 40)
    busy_window.resizeDocks([busy_window.dock], [700], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: tree.viewport().width() > 500, timeout=3000)
    qtbot.wait(50)
    wide = tree.visualRect(index).height()
    busy_window.resizeDocks([busy_window.dock], [200], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: tree.visualRect(index).height() > wide, timeout=3000)


def test_a_recheck_that_finds_the_same_problems_changes_no_row(busy_window: MainWindow, qtbot: Any) -> None:
    model = busy_window.panel.model
    moved: list[str] = []
    for signal in ("rowsInserted", "rowsRemoved", "rowsMoved", "modelReset", "layoutChanged", "dataChanged"):
        getattr(model, signal).connect(lambda *_a, s=signal: moved.append(s))
    checked(busy_window, qtbot)
    assert moved == []


def test_the_row_under_the_mouse_stays_put_and_selected_while_problems_come_and_go(
    busy_window: MainWindow, qtbot: Any
) -> None:
    panel, doc = busy_window.panel, busy_window.doc
    assert doc is not None
    tree = panel.tree
    tree.verticalScrollBar().setValue(tree.verticalScrollBar().maximum() // 2)
    middle = QPoint(tree.viewport().width() // 2, tree.viewport().height() // 2)
    under = tree.indexAt(middle)
    assert under.isValid() and panel.model.entry(under) is not None
    tree.setCurrentIndex(under)
    chosen = panel.model.entry(under)
    assert chosen is not None
    QCursor.setPos(tree.viewport().mapToGlobal(middle))
    top = tree.visualRect(under).top()

    unit = doc.unit()
    unit.contact, unit.phone = "", "12345"  # two new problems at the top of the list …
    doc.edit_unit(unit)
    first = doc.get("individual", doc.ids("individual")[0])
    first.name = "王丽娜"  # … and a heading above the mouse changes
    doc.edit_record("individual", first)
    checked(busy_window, qtbot)

    now = tree.indexAt(middle)
    assert panel.model.entry(now) is not None
    assert panel.model.entry(now).key == chosen.key  # type: ignore[union-attr]
    assert tree.visualRect(now).top() == top
    assert panel.selected_entry() is not None and panel.selected_entry().key == chosen.key  # type: ignore[union-attr]
    assert panel.model.find(lambda e: e.problem.target.path == "unit.phone").isValid()


def test_a_warning_cannot_be_accepted_without_a_reason(
    busy_window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc, panel = busy_window.doc, busy_window.panel
    assert doc is not None
    rid = doc.ids("individual")[0]
    person = doc.get("individual", rid)
    assert isinstance(person, Individual)
    person.rank = "副厅级及以上"
    doc.edit_record("individual", person)
    checked(busy_window, qtbot)
    panel.select(lambda e: e.problem.rule == "E1")
    blank = answer_reason(monkeypatch, "   ")
    panel.accept_selected()
    assert blank == [False]  # 接受 is disabled until something is written
    assert doc.get("individual", rid).overrides == {}
    typed = answer_reason(monkeypatch, "经市委组织部研究同意")
    panel.accept_selected()
    qtbot.waitUntil(busy_window.problems.is_current, timeout=30000)  # type: ignore[union-attr]
    assert typed == [False]
    assert doc.get("individual", rid).overrides == {"E1": "经市委组织部研究同意"}
    accepted = panel.model.find(lambda e: e.problem.rule == "E1")
    assert "说明:经市委组织部研究同意" in accepted.data()
    panel.tree.setCurrentIndex(accepted)
    assert "说明:经市委组织部研究同意" in panel.detail.text()
    assert panel.withdraw_button.isEnabled()


def test_the_missing_member_list_is_filed_under_members_and_opens_that_page(
    busy_window: MainWindow,
) -> None:
    panel = busy_window.panel
    index = panel.model.find(lambda e: e.problem.target.path == "members")
    assert index.isValid()
    assert "工作机构成员" in index.parent().data() and "名额" not in index.parent().data()
    panel.tree.activated.emit(index)
    assert busy_window.stack.currentWidget() is busy_window.pages["member"]


def test_entries_name_the_field_and_leave_out_the_repeated_record_name(busy_window: MainWindow) -> None:
    index = busy_window.panel.model.find(lambda e: e.problem.target.path == "individuals[0].birth_date")
    assert index.parent().data().startswith("先进个人 1“未填写名称”")
    assert index.data().startswith("[V1] 错误 · 出生日期:请填写")
    assert "先进个人“" not in index.data()


def test_the_formal_stage_reminds_that_no_feedback_was_recorded(demo_window: MainWindow, qtbot: Any) -> None:
    checked(demo_window, qtbot)
    panel = demo_window.panel
    assert not panel.notice.isVisible()
    panel.set_stage("formal")
    assert panel.notice.isVisible() and "待反馈" in panel.notice.text()
    doc = demo_window.doc
    assert doc is not None
    first = doc.get("individual", doc.ids("individual")[0])
    first.feedback = "kept"
    doc.edit_record("individual", first)
    checked(demo_window, qtbot)
    assert not panel.notice.isVisible()


def test_the_panel_starts_wide_enough_to_read_at_1366(busy_window: MainWindow) -> None:
    tree = busy_window.panel.tree
    line = tree.viewport().width() - tree.indentation() * 2 - 2 * MARGIN
    assert line >= tree.fontMetrics().horizontalAdvance("汉" * 16)  # not a column of two-word lines


def test_the_checker_reading_only_what_changed_sees_the_same_store_as_a_full_read(
    demo_window: MainWindow, qtbot: Any
) -> None:
    """The re-check after an edit reads only the edited record; whatever the clerk does, what it
    checks must be exactly what a full read of the store gives."""
    doc, state = demo_window.doc, demo_window.problems
    assert doc is not None and state is not None
    checked(demo_window, qtbot)

    def same_as_store() -> None:
        checked(demo_window, qtbot)
        assert state.dossier == doc.store.load_dossier(with_photos=True)

    person = doc.get("individual", doc.ids("individual")[2])
    person.name, person.overrides = "改名", {"E1": "说明"}
    doc.edit_record("individual", person)
    same_as_store()
    doc.move_record("individual", doc.ids("individual")[3], -1)
    doc.delete_record("collective", doc.ids("collective")[0])
    new = doc.add_record("member")
    member = doc.get("member", new)
    member.name = "新成员"
    doc.edit_record("member", member)
    same_as_store()
    unit = doc.unit()
    unit.contact = "李某"
    doc.edit_unit(unit)
    report = doc.report("initial")
    report.sections["process"] = "改写的推荐过程"
    doc.edit_report("initial", report)
    same_as_store()
    for _ in range(6):
        doc.undo()
    same_as_store()
    photo_owner = doc.get("individual", doc.ids("individual")[0])
    assert isinstance(photo_owner, Individual)
    photo_owner.photo_data = None
    doc.edit_record("individual", photo_owner)
    same_as_store()


def test_the_window_keeps_the_verdicts_of_the_photos_it_judged(demo_window: MainWindow, qtbot: Any) -> None:
    """After the window's first check, `nominator check` (a new process) needs no photo decoded."""
    from sqlalchemy import create_engine, text

    checked(demo_window, qtbot)
    path = demo_window.doc.store.path
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        kept = {row[0] for row in conn.execute(text("SELECT sha256 FROM photo_verdict"))}
        held = {row[0] for row in conn.execute(text("SELECT sha256 FROM photo"))}
    engine.dispose()
    assert kept == held and held
