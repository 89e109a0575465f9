"""Starting the window (`nominator gui`): its frame is painted before SQLAlchemy is imported or the
store opened, then filled in place: the same window, its saved size, no second window. Opening
errors say what they always said, with the same choices; no store at all: the first-run wizard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from nominator.errors import UserError
from nominator.store.session import Store
from nominator.ui import app as ui_app
from nominator.ui import files
from nominator.ui.main_window import MainWindow
from nominator.ui.settings import recent_files, remember_file, settings
from tests.ui.conftest import Dialogs, region_unit

ROOT = Path(__file__).resolve().parents[2]


def _new_store(path: Path) -> Path:
    files.create_store(path, region_unit()).close()
    return path


class _Watch:
    """What the window looked like when the store began to open, and once it was filled; then it
    is closed, as the clerk would, so `run_gui` returns."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.frame: dict[str, Any] = {}
        self.filled: dict[str, Any] = {}
        original = ui_app._Start.open

        def open_(start: ui_app._Start) -> None:
            window = start.window
            if not start.started:
                labels = window.stack.currentWidget().findChildren(QLabel)
                self.frame = {
                    "window": window,
                    "painted": window.painted,
                    "opening": window.opening,
                    "text": "".join(label.text() for label in labels),
                    "menus": window.menuBar().isEnabled(),
                    "pages": [window.nav.item(r).text() for r in range(window.nav.count())],
                    "size": (window.width(), window.height()),
                    "sqlalchemy": "sqlalchemy" in sys.modules,
                }
            original(start)
            if window.doc is not None:
                self.filled = {
                    "window": window,
                    "opening": window.opening,
                    "menus": window.menuBar().isEnabled(),
                    "title": window.windowTitle(),
                    "pages": [window.nav.item(r).text() for r in range(window.nav.count())],
                    "painted": window.painted,
                }
                window.when_painted(lambda: self.filled.update(painted_later=window.painted))
                window.when_painted(window.close)

        monkeypatch.setattr(ui_app._Start, "open", open_)


@pytest.fixture(autouse=True)
def never_hangs(qapp: QApplication) -> Any:
    """A start that went wrong must fail the test, not wait for a click forever."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: qapp.exit(99))
    timer.start(60_000)
    yield
    timer.stop()


def test_the_frame_is_painted_first_and_filled_in_place(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs
) -> None:
    _new_store(store_path)
    watch = _Watch(monkeypatch)
    assert ui_app.run_gui(db=str(store_path)) == 0
    frame, filled = watch.frame, watch.filled
    assert frame["painted"] and frame["opening"]  # the clerk saw the frame before the store opened
    assert frame["text"] == "正在打开“鞍山市.nominator”……"
    assert not frame["menus"]  # nothing to click before there is a store
    assert filled["window"] is frame["window"]  # filled in place: no second window
    assert not filled["opening"] and filled["menus"]
    assert not filled["painted"] and filled["painted_later"]  # after-paint work waits for the filled window
    assert filled["title"].startswith("鞍山市 — 鞍山市.nominator")
    assert "先进集体" in filled["pages"] and "先进个人" in filled["pages"]
    assert recent_files() == [store_path.resolve()]
    assert dialogs.shown == []


def test_the_frame_keeps_the_saved_size_and_the_page_names_of_the_store(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new_store(store_path)
    first = _Watch(monkeypatch)
    assert ui_app.run_gui(db=str(store_path)) == 0
    shaped = MainWindow(opening=store_path)  # the size the clerk left the window at
    shaped.resize(shaped.width(), shaped.height() + 23)
    size = (shaped.width(), shaped.height())
    assert size != first.frame["size"]
    settings().setValue("window/geometry", shaped.saveGeometry())
    shaped.deleteLater()
    again = _Watch(monkeypatch)
    assert ui_app.run_gui() == 0  # no --db: the store used last
    assert again.frame["size"] == size  # the frame is painted at the saved size
    assert again.frame["pages"] == first.filled["pages"]  # 先进集体 … before the campaign is read
    assert again.filled["pages"] == first.filled["pages"]


def test_a_store_open_elsewhere_is_refused_with_the_same_message(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs
) -> None:
    _new_store(store_path)
    watch = _Watch(monkeypatch)
    with Store.open(store_path):  # another window holds it
        assert ui_app.run_gui(db=str(store_path)) == 2
    assert watch.frame["opening"] and not watch.filled
    [(kind, title, text)] = dialogs.shown
    assert (kind, title) == ("warning", "无法打开推荐库")
    assert "已在另一个窗口或程序中打开" in text
    assert not watch.frame["window"].isVisible()


def test_a_damaged_store_names_its_backup_as_before(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs
) -> None:
    _new_store(store_path)
    Store.open(store_path).close()  # a backup to name
    store_path.write_bytes(store_path.read_bytes()[:8192])  # cut short
    with pytest.raises(UserError) as caught:  # what the clerk was told before the frame came first
        Store.open(store_path)
    expected = str(caught.value)
    assert "已损坏" in expected
    _Watch(monkeypatch)
    assert ui_app.run_gui(db=str(store_path)) == 2
    assert dialogs.shown == [("warning", "无法打开推荐库", expected)]


def test_the_last_store_failing_falls_back_to_the_wizard_alone(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialogs: Dialogs
) -> None:
    _new_store(store_path)
    remember_file(store_path)
    other = tmp_path / "home" / "Documents" / "新建.nominator"
    asked: list[bool] = []

    def wizard(preset: Path | None, campaign: Any = None) -> Store:
        asked.append(watch.frame["window"].isVisible())
        return files.create_store(other, region_unit())

    monkeypatch.setattr(ui_app, "run_wizard", wizard)
    watch = _Watch(monkeypatch)
    with Store.open(store_path):
        assert ui_app.run_gui() == 0
    assert [(k, t) for k, t, _text in dialogs.shown] == [("warning", "无法打开上次使用的推荐库")]
    assert asked == [False]  # the wizard alone, as when there is no store
    assert watch.filled["window"] is watch.frame["window"]
    assert watch.filled["title"].endswith("新建.nominator — 推荐材料助手")


def test_no_store_at_all_starts_with_the_wizard(monkeypatch: pytest.MonkeyPatch) -> None:
    presets: list[Path | None] = []
    monkeypatch.setattr(ui_app, "run_wizard", lambda preset, campaign=None: presets.append(preset))
    made: list[object] = []
    monkeypatch.setattr(ui_app, "MainWindow", lambda *a, **k: made.append(a))
    assert ui_app.run_gui() == 0
    assert presets == [None] and made == []  # the clerk left the wizard: no window


def test_the_gui_entry_imports_no_sqlalchemy_before_the_first_paint(tmp_path: Path) -> None:
    """The real `nominator gui --db`, in a fresh interpreter: importing the entry loads neither
    SQLAlchemy nor the store, nor does anything up to the window's first paint; then it fills."""
    path = _new_store(tmp_path / "库.nominator")
    script = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow
import nominator.cli, nominator.ui.app
heavy = ("sqlalchemy", "nominator.store.session", "nominator.campaign", "nominator.operations")
print("imported:", [m for m in heavy if m in sys.modules], flush=True)
from nominator.ui.app import make_application

class Spy(QObject):
    frame = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QMainWindow):
            if not self.frame:
                self.frame = True
                print("first paint:", [m for m in heavy if m in sys.modules], watched.opening, flush=True)
            elif watched.doc is not None:
                print("filled:", watched.windowTitle(), flush=True)
                os._exit(0)
        return False

app = make_application()
spy = Spy()
app.installEventFilter(spy)
sys.exit(nominator.cli.main(["gui", "--db", sys.argv[1]]))
"""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NOMINATOR_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "imported: []"
    assert lines[1] == "first paint: [] True"
    assert lines[2].startswith("filled: 鞍山市 — 库.nominator")


def test_closing_the_window_as_soon_as_it_is_filled_never_crashes(tmp_path: Path) -> None:
    """The checker, still working on a daemon thread, must not emit into a window being torn
    down: closed at once, the program ends with 0 every time (it crashed about every other time)."""
    path = _new_store(tmp_path / "库.nominator")
    script = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nominator.cli import main
from nominator.ui.app import make_application

app = make_application()


def close_when_filled():
    for window in QApplication.topLevelWidgets():
        if getattr(window, "doc", None) is not None and window.painted:
            window.close()
            return
    QTimer.singleShot(5, close_when_filled)


QTimer.singleShot(5, close_when_filled)
sys.exit(main(["gui", "--db", sys.argv[1]]))
"""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NOMINATOR_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    codes = [
        subprocess.run(
            [sys.executable, "-c", script, str(path)], env=env, cwd=ROOT, capture_output=True, timeout=120
        ).returncode
        for _ in range(5)
    ]
    assert codes == [0] * 5
