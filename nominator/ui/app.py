"""Starting the window: Qt in Chinese, errors shown (never a traceback), then the store to open:
--demo, --db, the most recently used one, or the first-run wizard."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from nominator import APP_NAME
from nominator.campaign import Campaign, default_campaign
from nominator.errors import UserError
from nominator.paths import resources_dir
from nominator.store import backup
from nominator.store.session import Store
from nominator.ui import files
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow
from nominator.ui.messages import excepthook, setup_logging, show_user_error
from nominator.ui.settings import APPLICATION, ORGANISATION, recent_files
from nominator.ui.wizard import FirstRunWizard

_translators: list[QTranslator] = []


def make_application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
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
    campaign = campaign or default_campaign()
    return backup.data_dir() / f"示例-{campaign.id}.nominator"


def open_demo(campaign: Campaign | None = None) -> Store:
    from nominator.interchange.demo import create_demo_store

    campaign = campaign or default_campaign()
    path = demo_path(campaign)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        create_demo_store(path, campaign=campaign)
    return Store.open(path)


def first_store(db: str | None, demo: bool, campaign: Campaign | None = None) -> Store | None:
    """The store to start with, asking the clerk (wizard) when there is none; None: they left."""
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


def run_gui(db: str | None = None, demo: bool = False, campaign: Campaign | None = None) -> int:
    app = make_application()
    setup_logging()
    sys.excepthook = excepthook
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
