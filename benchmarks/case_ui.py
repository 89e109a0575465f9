"""Window start-up: from a fresh interpreter to the main window's first paint, on a store with
100 collectives and 300 individuals, against a bare PySide6 QMainWindow started the same way in
the same run. Each side runs in its own subprocess (QT_QPA_PLATFORM=offscreen) and exits at the
first paint (os._exit, so tear-down is not counted), so interpreter start, imports and Qt
start-up are counted on both sides.

A third line times until the first check result is in (the checker runs in a worker, so the
window is usable before that; this shows how long the problem counts take to appear).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import Case

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
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from nominator.store.session import Store
from nominator.ui.app import make_application
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow

app = make_application()
wait_for_check = sys.argv[2] == "check"

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not wait_for_check:
            os._exit(0)
        return False

window = MainWindow(Document(Store.open(Path(sys.argv[1]))))  # as `nominator gui --db`: backup on open
spy = FirstPaint()
window.installEventFilter(spy)
if wait_for_check:
    window.problems.updated.connect(lambda: os._exit(0))
window.show()
app.exec()
"""


def setup(tmp: Path) -> dict[str, Any]:
    from benchmarks.case_store import big_dossier
    from nominator.store.session import Store

    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NOMINATOR_DATA_DIR=str(tmp / "data"),
        HOME=str(tmp / "home"),
        XDG_CONFIG_HOME=str(tmp / "config"),
    )
    os.environ["NOMINATOR_DATA_DIR"] = env["NOMINATOR_DATA_DIR"]
    path = tmp / "big.nominator"
    with Store.create(path, campaign="liaoning-zwgk-2025") as store:
        store.replace_dossier(big_dossier())
    return {"path": path, "env": env}


def _run(ctx: dict[str, Any], script: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-c", script, *args], env=ctx["env"], check=True, timeout=120, capture_output=True
    )


def bare_window(ctx: dict[str, Any]) -> None:
    _run(ctx, BARE)


def nominator_window(ctx: dict[str, Any]) -> None:
    _run(ctx, WINDOW, str(ctx["path"]), "paint")


def nominator_window_checked(ctx: dict[str, Any]) -> None:
    _run(ctx, WINDOW, str(ctx["path"]), "check")


CASES = [
    Case(
        "window start to first paint 100+300",
        "bare QMainWindow to first paint",
        setup,
        bare_window,
        nominator_window,
    ),
    Case(
        "window start to first check result 100+300",
        "bare QMainWindow to first paint",
        setup,
        bare_window,
        nominator_window_checked,
    ),
]
