"""Windows and dialogs never larger than the screen: 1366×768 at 150% leaves 911×512 (less the
taskbar) for everything, so every fixed size the window asks for is bounded by what is there."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

SHARE = 0.92  # of the available area: the title bar and a little margin stay visible


def bounded(width: int, height: int) -> tuple[int, int]:
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    room = screen.availableGeometry()
    return min(width, int(room.width() * SHARE)), min(height, int(room.height() * SHARE))


def resize_within(widget: QWidget, width: int, height: int) -> None:
    widget.resize(*bounded(width, height))


def minimum_within(widget: QWidget, width: int, height: int) -> None:
    widget.setMinimumSize(*bounded(width, height))
