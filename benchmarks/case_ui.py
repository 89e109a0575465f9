"""Window start-up: from a fresh interpreter, as the clerk starts it (`nominator gui --db`), against
a bare PySide6 QMainWindow started the same way in the same run. Each side runs in its own
subprocess (QT_QPA_PLATFORM=offscreen) and exits at the moment measured (os._exit, so tear-down is
not counted), so interpreter start, imports and Qt start-up are counted on both sides.

Three moments, each its own line: the main window's first paint (since issue 18 its frame: menus,
the page list and 正在打开…, before SQLAlchemy is imported or the store opened); the overview
painted with the store's figures (the window filled in place); the first check result in (the
checker runs in a worker, so the window is usable before that)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import Case
from benchmarks.scale import SIZES, label

BARE = """
import os
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            os._exit(0)
        return False

window = QMainWindow()
window.setCentralWidget(QLabel("推荐材料助手"))
window.resize(1280, 800)
spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
"""

WINDOW = """
import os
import sys
from PySide6.QtCore import QEvent, QObject
from nominator.cli import main
from nominator.ui import main_window

wait_for = sys.argv[2]


class PagePainted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            os._exit(0)
        return False


spy = PagePainted()


def filled(window):  # the overview, now with the store's figures; or the first check result
    if wait_for == "filled":
        window.stack.currentWidget().installEventFilter(spy)
    else:
        window.problems.updated.connect(lambda: os._exit(0))


# The window's own paint events, as the bare window's filter sees its own (no app-wide filter:
# it would make Qt wrap every widget's events in Python).
original = main_window.MainWindow.event
hooked = []


def event(self, e):
    if e.type() == QEvent.Type.Paint and not hooked:
        hooked.append(self)
        if wait_for == "paint":
            os._exit(0)
        if self.doc is not None:  # filled before its first paint (as before issue 18)
            filled(self)
        else:  # its frame: filled when the store is open
            self.documentChanged.connect(lambda: filled(self))
    return original(self, e)


main_window.MainWindow.event = event
sys.exit(main(["gui", "--db", sys.argv[1]]))  # as the clerk starts it: backup on open
"""


SESSION = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nominator.cli import main
from nominator.ui.app import make_application

app = make_application()


def close_when_shown():
    for window in QApplication.topLevelWidgets():
        if getattr(window, "doc", None) is not None and window.painted:
            window.close()
            return
    QTimer.singleShot(50, close_when_shown)


QTimer.singleShot(50, close_when_shown)
sys.exit(main(["gui", "--db", sys.argv[1]]))
"""


def _setup(size: tuple[int, int]) -> Any:
    def build(tmp: Path) -> dict[str, Any]:
        from benchmarks.scale import scale_store

        env = dict(os.environ)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            NOMINATOR_DATA_DIR=str(tmp / "data"),
            HOME=str(tmp / "home"),
            XDG_CONFIG_HOME=str(tmp / "config"),
        )
        os.environ["NOMINATOR_DATA_DIR"] = env["NOMINATOR_DATA_DIR"]
        path = scale_store(size, tmp / "scale.nominator", verdicts=True)  # as the window left it
        ctx = {"path": path, "env": env}
        _run(ctx, SESSION, str(path))  # the clerk's last session: the window's size and panels saved
        return ctx

    return build


setup = _setup((100, 300))


def _run(ctx: dict[str, Any], script: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-c", script, *args], env=ctx["env"], check=True, timeout=120, capture_output=True
    )


def bare_window(ctx: dict[str, Any]) -> None:
    _run(ctx, BARE)


def nominator_window(ctx: dict[str, Any]) -> None:
    _run(ctx, WINDOW, str(ctx["path"]), "paint")


def nominator_window_filled(ctx: dict[str, Any]) -> None:
    _run(ctx, WINDOW, str(ctx["path"]), "filled")


def nominator_window_checked(ctx: dict[str, Any]) -> None:
    _run(ctx, WINDOW, str(ctx["path"]), "check")


CASES = [
    case
    for size in SIZES
    for case in (
        Case(
            f"window start to first paint {label(size)}",
            "bare QMainWindow to first paint",
            _setup(size),
            bare_window,
            nominator_window,
        ),
        Case(
            f"window start to overview filled {label(size)}",
            "bare QMainWindow to first paint",
            _setup(size),
            bare_window,
            nominator_window_filled,
        ),
        Case(
            f"window start to first check result {label(size)}",
            "bare QMainWindow to first paint",
            _setup(size),
            bare_window,
            nominator_window_checked,
        ),
    )
]


# ---- typing → problems shown ----------------------------------------------------------------------
#
# In this process (offscreen): the window on the 100+300 store, the first collective open in its
# editor. Each run types into its phone field, alternately making the number wrong and right, and
# stops the clock when the problems panel shows (or no longer shows) the V2 phone problem. So it
# measures what the clerk waits for after the last keystroke: the editor's save pause, the save,
# the re-check in the worker (store read + both stages) and the panel's in-place update.


def setup_typing(tmp: Path) -> dict[str, Any]:
    from PySide6.QtCore import QSettings

    from nominator.store.session import Store
    from nominator.ui.app import make_application
    from nominator.ui.document import Document
    from nominator.ui.main_window import MainWindow

    ctx = setup(tmp)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    app = make_application()
    window = MainWindow(Document(Store.open(ctx["path"])))
    window.resize(1366, 768)
    window.show()
    page = window.show_page("collective")
    field = page.editor.widgets["phone"]  # type: ignore[union-attr]
    _wait(app, lambda: window.problems.is_current())  # type: ignore[union-attr]
    ctx.update(app=app, window=window, field=field, wrong=False)
    return ctx


def _wait(app: Any, done: Any, timeout: float = 30.0) -> None:
    import time

    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the problems panel did not update")
        app.processEvents()
        time.sleep(0.001)


def _shows_phone_problem(window: Any) -> bool:
    model = window.panel.model
    found = model.find(lambda e: e.problem.target.path == "collectives[0].phone" and e.problem.rule == "V2")
    return bool(found.isValid())


def _type(widget: Any, text: str) -> None:
    """Key events carrying the characters, as an input method delivers them."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_and_wait_for_problems(ctx: dict[str, Any]) -> None:
    field, window = ctx["field"], ctx["window"]
    ctx["wrong"] = not ctx["wrong"]
    field.setFocus()
    field.end(False)
    if ctx["wrong"]:
        _type(field, "号")  # 024-…号: not a phone number any more
    else:
        field.backspace()
        field.textEdited.emit(field.text())
    _wait(ctx["app"], lambda: _shows_phone_problem(window) == ctx["wrong"])


def bare_load(ctx: dict[str, Any]) -> None:
    from benchmarks.case_store import bare_select_all

    bare_select_all(ctx)


CASES.append(
    Case(
        "typing pause to problems shown 100+300",
        "bare select of all rows (same store)",
        setup_typing,
        bare_load,
        type_and_wait_for_problems,
        repeat=8,
    )
)
