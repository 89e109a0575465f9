"""Window tests: real temporary stores, settings and data folders redirected into tmp_path, and
every modal dialog answered by a recorder instead of waiting for a click."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from nominator.domain.model import Allocation, Unit
from nominator.interchange.demo import create_demo_store
from nominator.store.session import Store
from nominator.ui import files
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow


@dataclass
class Dialogs:
    """What the window asked or told the clerk; `answer` is returned by question()."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes
    text_answer: tuple[str, bool] = ("", False)
    item_answer: int = 0

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.shown if kind is None or k == kind]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("NOMINATOR_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home" / "Documents").mkdir(parents=True)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    record = Dialogs()

    def statics(kind: str) -> Any:
        def show(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            record.shown.append((kind, title, text))
            return record.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return staticmethod(show)

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, statics(kind))
    monkeypatch.setattr(
        QMessageBox,
        "about",
        staticmethod(lambda _p, title, text: record.shown.append(("about", title, text))),
    )

    def multiline(_parent: Any, title: str, label: str, *args: Any, **kwargs: Any) -> tuple[str, bool]:
        record.shown.append(("input", title, label))
        return record.text_answer

    def item(
        _parent: Any, title: str, label: str, items: list[str], *args: Any, **kwargs: Any
    ) -> tuple[str, bool]:
        record.shown.append(("item", title, label))
        return items[record.item_answer], True

    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(multiline))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(item))
    return record


def region_unit(collectives: int = 1, individuals: int = 2) -> Unit:
    return Unit(
        name="鞍山市",
        kind="region",
        contact="王某",
        phone="0412-1234567",
        allocation=Allocation(collectives, individuals),
    )


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "home" / "Documents" / "鞍山市.nominator"


@pytest.fixture()
def window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    store = files.create_store(store_path, region_unit())
    win = MainWindow(Document(store))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture()
def demo_window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    path = create_demo_store(tmp_path / "demo.nominator")
    win = MainWindow(Document(Store.open(path)))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese the way an input method delivers it: key events carrying the characters
    (QTest.keyClicks only knows Latin-1)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def checked(win: MainWindow, qtbot: Any) -> None:
    """Ask for a fresh check and wait until its result is shown (the checker runs in a worker)."""
    state = win.problems
    assert state is not None
    state.run()
    qtbot.waitUntil(state.is_current, timeout=30000)  # every stage, not only the one shown first


def answer_reason(monkeypatch: pytest.MonkeyPatch, reason: str) -> list[bool]:
    """The next 接受提醒 dialogs get `reason` typed in and 接受 clicked (when the dialog lets it);
    returns, per dialog, whether 接受 was enabled before anything was typed."""
    from nominator.ui.problems import ReasonDialog

    enabled_when_blank: list[bool] = []

    def run(dialog: ReasonDialog) -> int:
        enabled_when_blank.append(dialog.ok.isEnabled())
        dialog.text.setPlainText(reason)
        if dialog.ok.isEnabled():
            dialog.ok.click()
        else:
            dialog.reject()
        return int(dialog.result())

    monkeypatch.setattr(ReasonDialog, "exec", run)
    return enabled_when_blank
