"""At 1366×768 with 150% scaling a clerk has 911×512 for everything: no dialog asks for more."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

from nominator.campaign import load_campaign
from nominator.ui.campaign_editor import CampaignEditor
from nominator.ui.wizard import FirstRunWizard


@pytest.fixture()
def small_screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    room = QRect(0, 0, 911, 472)  # 1366×768 at 150%, less a 40 px taskbar
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: room)
    return room


@pytest.mark.parametrize("make", [FirstRunWizard, lambda: CampaignEditor(load_campaign())])
def test_dialogs_fit_a_small_screen(qtbot: Any, small_screen: QRect, make: Any) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    assert dialog.minimumWidth() <= small_screen.width() and dialog.minimumHeight() <= small_screen.height()
    assert dialog.width() <= small_screen.width() and dialog.height() <= small_screen.height()
