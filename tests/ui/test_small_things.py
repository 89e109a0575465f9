"""Small things a new clerk trips over: clipped examples in empty fields, menus without
mnemonics, an editor that opens scrolled to where the last record was, and the like."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nominator.ui import files
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow
from nominator.ui.pages.records import RecordsPage
from nominator.ui.widgets import PLACEHOLDER_MARGIN, LineField
from tests.ui.conftest import region_unit


@pytest.fixture()
def office_window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    """As narrow as the window gets: 1366×768 at 150% leaves 911×512."""
    win = MainWindow(Document(files.create_store(store_path, region_unit(8, 16))))
    qtbot.addWidget(win)
    win.resize(911, 512)
    win.show()
    yield win
    win.close()


@pytest.mark.parametrize("kind", ["collective", "individual", "member"])
def test_no_example_in_an_empty_field_is_cut_off(office_window: MainWindow, qtbot: Any, kind: str) -> None:
    page = office_window.show_page(kind)
    assert isinstance(page, RecordsPage)
    page.add()
    qtbot.wait(50)
    fields = [w for w in page.editor.findChildren(LineField) if w.placeholderText() and w.isVisible()]
    assert fields
    for field in fields:
        needed = field.fontMetrics().horizontalAdvance(field.placeholderText()) + PLACEHOLDER_MARGIN
        assert field.width() >= needed, field.placeholderText()


def test_add_collective_on_the_overview_adds_one_and_opens_it(window: MainWindow) -> None:
    overview = window.show_page("overview")
    assert overview is not None and window.doc is not None
    assert overview.next_button.text() == "添加先进集体"  # type: ignore[attr-defined]
    overview.next_button.click()  # type: ignore[attr-defined]
    page = window.stack.currentWidget()
    assert isinstance(page, RecordsPage) and page.kind == "collective"
    assert len(window.doc.ids("collective")) == 1 and page.editor.record_id == window.doc.ids("collective")[0]


def test_first_entry_opens_on_the_basics_and_the_formal_stage_on_the_feedback(window: MainWindow) -> None:
    page = window.show_page("individual")
    assert isinstance(page, RecordsPage)
    page.add()
    assert not page.editor.feedback_is_first()
    window.panel.set_stage("formal")
    assert page.editor.feedback_is_first()
    window.panel.set_stage("initial")
    assert not page.editor.feedback_is_first()


def test_a_new_record_opens_at_the_top_of_the_editor(window: MainWindow, qtbot: Any) -> None:
    window.resize(1366, 768)
    page = window.show_page("individual")
    assert isinstance(page, RecordsPage)
    page.add()
    bar = page.editor.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)
    bar.setValue(bar.maximum())
    page.add()
    assert bar.value() == 0


def test_every_menu_entry_has_its_own_mnemonic(window: MainWindow) -> None:
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        assert "&" in menu_action.text()
        letters = []
        for action in menu.actions():  # type: ignore[union-attr]
            if action.isSeparator():
                continue
            text = action.text()
            assert "&" in text, text
            letters.append(text[text.index("&") + 1].upper())
        assert len(letters) == len(set(letters)), menu_action.text()


def test_ctrl_n_adds_on_the_list_shown_and_is_the_only_ctrl_n(window: MainWindow) -> None:
    from PySide6.QtGui import QAction, QKeySequence, QShortcut

    new = QKeySequence(QKeySequence.StandardKey.New)
    owners = [a for a in window.findChildren(QAction) if new in a.shortcuts()]
    owners += [s for s in window.findChildren(QShortcut) if s.key() == new]
    assert owners == [window.add_action]  # two owners of one key: Qt fires neither
    window.show_page("overview")
    assert not window.add_action.isEnabled()
    window.show_page("member")
    assert window.add_action.isEnabled() and "工作机构成员" in window.add_action.text()
    window.add_action.trigger()
    assert window.doc is not None and len(window.doc.ids("member")) == 1


def test_every_backup_reason_reads_in_chinese_in_the_restore_list() -> None:
    import re

    from nominator.ui.files import BACKUP_REASONS, describe_backup

    root = Path(__file__).resolve().parents[2] / "nominator"
    used = set()
    for source in root.rglob("*.py"):
        used |= set(re.findall(r"make_backup\([^,]+,\s*\"([^\"]+)\"", source.read_text("utf-8")))
    assert {"open", "before-merge", "before-intake", "before-photos"} <= used
    assert used <= set(BACKUP_REASONS)
    for reason in used:
        shown = describe_backup(Path(f"20251220-143005-123456-{reason}.nominator"))
        assert reason not in shown and shown.endswith("备份)"), shown
    assert "自动备份" in describe_backup(Path("20251220-143005-123456-something-new.nominator"))
