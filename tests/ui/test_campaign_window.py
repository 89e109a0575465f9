"""The window follows the store's own campaign: every page speaks its words, and another version of
the campaign installed on this PC is offered (what changes, listed), adopted only on 是, undoable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from nominator.campaign import add, load_campaign
from nominator.interchange.demo import create_demo_store
from nominator.paths import resources_dir
from nominator.store.session import Store
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow
from tests.ui.conftest import Dialogs, checked

SHIPPED = resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml"


def installed_version(tmp_path: Path, *changes: tuple[str, str]) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace(
        'id = "liaoning-zwgk-2025"', 'id = "liaoning-zwgk-2026"', 1
    )
    for old, new in changes:
        text = text.replace(old, new, 1)
    path = tmp_path / "liaoning-zwgk-2026.toml"
    path.write_text(text, encoding="utf-8")
    add(path, replace=True)


def open_window(qtbot: Any, path: Path) -> MainWindow:
    win = MainWindow(Document(Store.open(path)))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.painted)  # the offer comes once the window is up…
    qtbot.wait(50)  # …just after its first paint
    return win


def test_another_installed_version_is_offered_with_its_changes_and_can_be_undone(
    qtbot: Any, tmp_path: Path, dialogs: Dialogs
) -> None:
    installed_version(tmp_path)
    db = create_demo_store(tmp_path / "s.nominator", campaign="liaoning-zwgk-2026")
    installed_version(
        tmp_path, ("mailbox_limit_mb = 25", "mailbox_limit_mb = 40"), ("working_days = 5", "working_days = 6")
    )
    dialogs.answer = QMessageBox.StandardButton.No
    win = open_window(qtbot, db)
    (offer,) = dialogs.texts("question")
    assert "邮箱附件上限(MB):25.0 → 40.0" in offer and "公示工作日数:5 → 6" in offer
    assert win.doc is not None and win.doc.campaign.publicity.working_days == 5  # 否: nothing changed
    dialogs.answer = QMessageBox.StandardButton.Yes
    win.offer_installed_campaign_now()
    assert win.doc.campaign.publicity.working_days == 6
    checked(win, qtbot)
    with Store.open_for_reading(db) as store:
        assert store.rules().publicity.working_days == 6
    win.doc.undo_stack.undo()
    assert win.doc.campaign.publicity.working_days == 5
    with Store.open_for_reading(db) as store:
        assert store.rules().publicity.working_days == 5
    win.close()


def test_the_same_rules_are_not_offered(qtbot: Any, tmp_path: Path, dialogs: Dialogs) -> None:
    db = create_demo_store(tmp_path / "s.nominator")
    win = open_window(qtbot, db)
    assert dialogs.texts("question") == []
    win._update_campaign_menu()
    assert not win.adopt_action.isEnabled() and not win.edit_campaign_action.isEnabled()  # shipped
    win.close()


def test_every_page_speaks_the_stores_campaign(qtbot: Any, tmp_path: Path) -> None:
    db = create_demo_store(tmp_path / "示例.nominator", campaign="example-zwgk-2026")
    win = open_window(qtbot, db)
    assert win.doc is not None and win.doc.campaign.id == "example-zwgk-2026"
    checked(win, qtbot)
    panel = win.panel
    stages = [panel.stage.itemText(n) for n in range(panel.stage.count())]
    assert stages == ["预审材料", "正式材料"]
    overview = win.pages["overview"]
    labels = " ".join(w.text() for w in overview.findChildren(type(panel.summary)))
    assert "预审材料" in labels and "初审" not in labels
    assert "2026年11月20日" in labels
    win.close()


def test_a_campaign_made_in_the_editor_can_be_edited_again(qtbot: Any, tmp_path: Path) -> None:
    installed_version(tmp_path)
    db = create_demo_store(tmp_path / "s.nominator", campaign="liaoning-zwgk-2026")
    win = open_window(qtbot, db)
    win._update_campaign_menu()
    assert win.edit_campaign_action.isEnabled()  # an added campaign, not a shipped one
    assert load_campaign("liaoning-zwgk-2026").forms_dir.is_dir()
    win.close()
