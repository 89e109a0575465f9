"""Starting the window: Qt in Chinese, errors shown (never a traceback), then the store to open:
--demo, --db, the most recently used one, or the first-run wizard.

The window's frame is painted first, then the store is opened and the window filled in place:
importing SQLAlchemy and opening the store take most of the start-up, and the clerk should see
the window at once. So importing this module imports neither (tests/ui/test_start.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from nominator import APP_NAME
from nominator.errors import UserError
from nominator.paths import resources_dir
from nominator.ui.main_window import MainWindow
from nominator.ui.messages import excepthook, report_unexpected, setup_logging, show_user_error
from nominator.ui.settings import APPLICATION, ORGANISATION, recent_files

if TYPE_CHECKING:
    from nominator.campaign import Campaign
    from nominator.store.session import Store

_translators: list[QTranslator] = []


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scaling (150% stays 150%): Qt 6's default, said through its variable rather
        # than Qt.HighDpiScaleFactorRoundingPolicy, whose enum namespace takes 0.1 s to make.
        os.environ.setdefault("QT_SCALE_FACTOR_ROUNDING_POLICY", "PassThrough")
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    icon = resources_dir() / "icons" / "nominator.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))  # title bar and taskbar; the .exe embeds the .ico
    install_translations(app)
    if sys.platform == "win32":
        app.setFont(QFont("Microsoft YaHei UI", 9))
    return app


def install_translations(app: QApplication) -> bool:
    """Qt's own dialogs (buttons, file dialogs, context menus) in Simplified Chinese."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded = True
    return loaded


def demo_path(campaign: Campaign | None = None) -> Path:
    from nominator.campaign import default_campaign
    from nominator.store import backup

    campaign = campaign or default_campaign()
    return backup.data_dir() / f"示例-{campaign.id}.nominator"


def open_demo(campaign: Campaign | None = None) -> Store:
    from nominator.campaign import default_campaign
    from nominator.interchange.demo import create_demo_store
    from nominator.store.session import Store

    campaign = campaign or default_campaign()
    path = demo_path(campaign)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_demo_store(path, campaign=campaign)
    return Store.open(path)


def first_store(db: str | None, demo: bool, campaign: Campaign | None = None) -> Store | None:
    """The store to start with, asking the clerk (wizard) when there is none; None: they left."""
    from nominator.store.session import Store

    if demo:
        return open_demo(campaign)
    if db:
        path = Path(db)
        if path.exists():
            return Store.open(path)
        return run_wizard(path, campaign)
    for path in recent_files()[:1]:
        if path.exists():
            try:
                return Store.open(path)
            except UserError as exc:
                show_user_error(None, str(exc), "无法打开上次使用的推荐库")
    return run_wizard(None, campaign)


def run_wizard(preset: Path | None, campaign: Campaign | None = None) -> Store | None:
    from nominator.store.session import Store
    from nominator.ui import files
    from nominator.ui.wizard import FirstRunWizard

    while True:
        wizard = FirstRunWizard(campaign=campaign)
        if preset is not None:
            wizard.preset_path(preset)
        if wizard.exec() != FirstRunWizard.DialogCode.Accepted:
            return None
        try:
            if wizard.demo_wanted:
                return open_demo(wizard.campaign)
            if wizard.open_instead is not None:
                return Store.open(wizard.open_instead)
            return files.create_store(wizard.path(), wizard.unit(), wizard.campaign)
        except UserError as exc:
            show_user_error(None, str(exc))


def store_to_open(db: str | None, demo: bool, campaign: Campaign | None = None) -> tuple[Path, bool] | None:
    """The store the window opens behind its frame, and whether it is the one used last; None when
    there is none and the first-run wizard comes first (as in `first_store`)."""
    if demo:
        return demo_path(campaign), False
    if db:
        path = Path(db)
        return (path, False) if path.exists() else None
    for path in recent_files()[:1]:
        if path.exists():
            return path, True
    return None


class _Start:
    """Opens the store into the window's frame once the frame has been painted; on failure says
    why as `first_store` and `run_gui` always did, and ends the program with `code`."""

    def __init__(
        self, window: MainWindow, path: Path, last_used: bool, demo: bool, campaign: Campaign | None
    ) -> None:
        self.window, self.path, self.last_used, self.demo, self.campaign = (
            window,
            path,
            last_used,
            demo,
            campaign,
        )
        self.code = 0
        self.started = False

    def open(self) -> None:
        if self.started:
            return
        self.started = True
        setup_logging()  # after the paint: the log handler's imports are not needed for it
        from nominator.store.session import Store
        from nominator.ui.document import Document

        try:
            try:
                store: Store | None = open_demo(self.campaign) if self.demo else Store.open(self.path)
            except UserError as exc:
                if not self.last_used:
                    raise
                show_user_error(self.window, str(exc), "无法打开上次使用的推荐库")
                self.window.hide()  # the first-run wizard alone, as when there is no store
                store = run_wizard(None, self.campaign)
                if store is None:
                    self.window.close()
                    return
            assert store is not None
            self.window.set_document(Document(store))
            self.window.show()
        except UserError as exc:
            self._fail(str(exc))
        except OSError as exc:
            from nominator.files import describe_os_error

            self._fail(describe_os_error(exc))
        except Exception as exc:  # said to the clerk and logged; never a half-open window left behind
            report_unexpected(type(exc), exc, exc.__traceback__, self.window)
            self.code = 1
            self.window.close()

    def _fail(self, message: str) -> None:
        QMessageBox.warning(self.window, "无法打开推荐库", message)
        self.code = 2
        self.window.close()


def run_gui(db: str | None = None, demo: bool = False, campaign: Campaign | None = None) -> int:
    app = make_application()
    sys.excepthook = excepthook
    found = store_to_open(db, demo, campaign)
    if found is None:  # no store yet: the first-run wizard, then the window
        setup_logging()
        return _run_after_wizard(app, db, demo, campaign)
    path, last_used = found
    window = MainWindow(opening=path)
    start = _Start(window, path, last_used, demo, campaign)
    window.when_painted(start.open)
    # In case the frame is never painted (hidden, covered). The window's own timer: a pending
    # QTimer.singleShot with a Python callable crashes the interpreter's exit when the window is
    # closed before it fires.
    fallback = QTimer(window)
    fallback.setSingleShot(True)
    fallback.timeout.connect(start.open)
    fallback.start(1000)
    window.show()
    code = int(app.exec())
    return code or start.code


def _run_after_wizard(app: QApplication, db: str | None, demo: bool, campaign: Campaign | None) -> int:
    from nominator.ui.document import Document

    try:
        store = first_store(db, demo, campaign)
    except UserError as exc:
        QMessageBox.warning(None, "无法打开推荐库", str(exc))
        return 2
    if store is None:
        return 0
    window = MainWindow(Document(store))
    window.show()
    return int(app.exec())
