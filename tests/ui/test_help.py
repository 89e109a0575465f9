"""帮助 inside the program: a short guide, the notice itself, the organiser's contacts and where
this computer keeps the data — read from the campaign file, shown without a network."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices

from nominator.ui.help import PlacesDialog, TextDialog
from nominator.ui.main_window import MainWindow


@pytest.fixture()
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    pages: list[tuple[str, str]] = []

    def record(self: TextDialog) -> int:
        pages.append((self.windowTitle(), self.text.toPlainText()))
        return 0

    monkeypatch.setattr(TextDialog, "exec", record)
    return pages


def test_the_help_menu_offers_guide_notice_contacts_places_and_about(window: MainWindow) -> None:
    titles = [a.text().split("(&")[0] for a in window.help_menu.actions() if not a.isSeparator()]
    assert titles == ["使用指南", "通知原文", "联系方式", "数据和备份保存在哪里", "关于"]


def test_the_guide_takes_deadlines_mailbox_and_copies_from_the_campaign(
    window: MainWindow, shown: list[tuple[str, str]]
) -> None:
    window.show_guide()
    [(title, text)] = shown
    assert title == "使用指南"
    campaign = window.doc.campaign  # type: ignore[union-attr]
    for day in campaign.deadlines.values():
        assert f"{day.year}年{day.month}月{day.day}日" in text
    assert campaign.email.to in text and f"一式{campaign.print_copies}份" in text


def test_the_notice_itself_is_shown(window: MainWindow, shown: list[tuple[str, str]]) -> None:
    window.show_notice()
    [(title, text)] = shown
    assert title.startswith("通知原文")
    assert "九、联系方式" in text and "zfxxgk@ln.gov.cn" in text and "一式5份" in text


def test_the_contacts_come_from_the_notice(window: MainWindow, shown: list[tuple[str, str]]) -> None:
    window.show_contacts()
    [(_title, text)] = shown
    assert "省政府办公厅政务公开办公室" in text and "024-86893881" in text
    assert "刘国耀" in text and "024-22959006" in text


def test_where_the_data_lives_names_each_place_and_opens_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True)
    )
    assert window.doc is not None
    dialog = PlacesDialog(window.doc, window)
    places = {what: where for what, where, _note in dialog.places}
    assert places["推荐库文件"] == window.doc.path
    from nominator.store import backup

    assert places["自动备份"] == backup.backup_dir_for(window.doc.path)
    assert {"导出的报送材料", "日志", "窗口设置、最近打开的文件"} <= set(places)
    dialog.buttons[0].click()
    assert opened == [str(window.doc.path.parent)]
    dialog.deleteLater()


def test_about_names_the_program(window: MainWindow, dialogs: Any) -> None:
    window._about()
    assert "推荐材料助手" in dialogs.texts("about")[0]


def test_a_campaign_without_a_notice_says_so(
    window: MainWindow, dialogs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    assert window.doc is not None
    monkeypatch.setattr(window.doc, "campaign", dataclasses.replace(window.doc.campaign, notice=""))
    window.show_notice()
    assert "没有附带通知原文" in dialogs.texts("information")[-1]


def test_the_campaign_files_contacts_are_the_notices_own() -> None:
    from nominator.campaign import load_campaign
    from nominator.ui.help import notice_text

    campaign = load_campaign()
    notice = notice_text(campaign)
    assert notice is not None and campaign.contacts
    compact = notice.replace("、", "")
    for contact in campaign.contacts:
        for value in (contact.role, contact.name.replace("、", ""), contact.phone):
            assert value in compact, value
