# Over 500 lines: the window's menus and their commands (文件, 编辑, 查看, 工具, 活动, 帮助), a few lines each: one
# place holds every shortcut.
"""The main window: navigation on the left, one page per task, the problems panel on the right,
the 文件 menu for store files, and 已保存 in the status bar (there is never anything unsaved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nominator import APP_NAME
from nominator.errors import UserError
from nominator.ui.messages import show_user_error, user_errors
from nominator.ui.pages.lazy import LazyPages
from nominator.ui.settings import (
    forget_file,
    page_titles,
    recent_files,
    remember_file,
    remember_page_titles,
    settings,
)

# The window's frame is painted before the store is opened: this module imports only Qt and
# what the frame needs. The store (SQLAlchemy), the campaign, the checker and the pages are
# imported where they are used, once the window has a document (tests/ui/test_start.py).
if TYPE_CHECKING:
    from nominator.campaign import Campaign
    from nominator.operations import Changes
    from nominator.ui.checking import Place, ProblemState
    from nominator.ui.document import Document

PAGES = (
    ("overview", "概览"),
    ("unit", "推荐单位"),
    ("collective", ""),  # the campaign names the kinds: set with each document
    ("individual", ""),
    ("photos", "照片"),
    ("member", ""),
    ("reports", "推荐工作报告"),
)
EXCHANGE_FILTER = "交换文件 (*.zip *.json)"
RECORD_PAGES = ("collective", "individual", "member")


def page_keys(campaign: Campaign) -> list[str]:
    """The pages a campaign has, in PAGES order: a list page per kind it declares, the photos page
    when a kind has a photo, the reports page when a stage has a report."""
    kinds = campaign.kinds
    present = {
        "photos": any(spec.photo is not None for spec in kinds.values()),
        "reports": bool(campaign.reports),
        **{key: key in kinds for key in RECORD_PAGES},
    }
    return [key for key, _title in PAGES if present.get(key, True)]


class _UndoKeys(QObject):
    """Ctrl+Z / Ctrl+Y go to the window's undo stack even inside text boxes, so one undo step is
    always one saved operation (text boxes would otherwise undo their own keystrokes)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(
            watched, QLineEdit | QPlainTextEdit | QAbstractSpinBox
        ):
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
                return True
        return False


class MainWindow(QMainWindow):
    documentChanged = Signal()

    def __init__(self, doc: Document | None = None, *, opening: Path | None = None) -> None:
        """The window on `doc`; or, without one, its frame while the store at `opening` is being
        opened (app.py): menus greyed, the page list, and a line saying what is being opened.
        `set_document` then fills it in place."""
        super().__init__()
        self.doc: Document | None = None
        self.problems: ProblemState | None = None
        self.pages: LazyPages | None = None  # made with the document; each page when wanted
        self._painted = False
        self._after_paint: list[Callable[[], None]] = []
        self._opening: QWidget | None = None
        # Never larger than the screen: 1366×768 at 150% leaves 911×512 (less the taskbar).
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        self.setMinimumSize(
            min(960, room.width()) if room is not None else 960,
            min(640, room.height()) if room is not None else 640,
        )
        self.nav = QListWidget()
        for _key, title in PAGES:
            self.nav.addItem(title)
        self.nav.setFixedWidth(self.nav.fontMetrics().horizontalAdvance("推荐工作报告") + 48)
        self.stack = QStackedWidget()
        self.nav.currentRowChanged.connect(self._show_row)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.dock = QDockWidget("问题", self)
        self.dock.setObjectName("problems")
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.save_state = QLabel()
        self.statusBar().addPermanentWidget(self.save_state)
        self._undo_keys = _UndoKeys(self)
        self._build_menus()
        if doc is not None:
            self.set_document(doc)
        else:
            self._show_opening(opening)
            self.when_painted(self._fill_menus)
        self._restore_geometry()

    def _show_opening(self, path: Path | None) -> None:
        """The frame before the store is open: what is being opened, centred where the overview
        will be; the page list in the words remembered for this store; nothing to click yet."""
        name = f"“{path.name}”" if path is not None else "推荐库"
        self._opening = QWidget()
        rows = QVBoxLayout(self._opening)  # centred by stretches: no Qt.AlignmentFlag before the paint
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(QLabel(f"正在打开{name}……"))
        line.addStretch(1)
        rows.addStretch(1)
        rows.addLayout(line)
        rows.addStretch(1)
        self.stack.addWidget(self._opening)
        self.stack.setCurrentWidget(self._opening)
        titles = page_titles(path) if path is not None else None
        if titles is not None and len(titles) == len(PAGES):
            self._set_page_titles(titles)
        else:  # the kinds' names come with the campaign: until then, not shown
            for row, (_key, title) in enumerate(PAGES):
                self.nav.setRowHidden(row, not title)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(0)
        self.nav.blockSignals(False)
        self.nav.setEnabled(False)
        self.menuBar().setEnabled(False)
        self.setWindowTitle(f"{path.name} — {APP_NAME}" if path is not None else APP_NAME)

    @property
    def opening(self) -> bool:
        """The frame is shown and the store not open yet."""
        return self._opening is not None

    # ---- menus -------------------------------------------------------------------------------

    def _action(
        self, text: str, slot: object, keys: QKeySequence | QKeySequence.StandardKey | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        """The menu bar's titles. Their commands are added by `_fill_menus`: at once for a window
        made with its document; for the frame, once it is painted (its menus are greyed until the
        store is open), since their shortcuts make Qt build its key enums (about 0.05 s)."""
        bar = self.menuBar()
        self._menus = [
            bar.addMenu(title)
            for title in ("文件(&F)", "编辑(&E)", "查看(&V)", "工具(&T)", "活动(&G)", "帮助(&H)")
        ]
        self._menus_filled = False

    def _fill_menus(self) -> None:
        if self._menus_filled:
            return
        self._menus_filled = True
        # With the commands, their keys: Ctrl+Z in a text box is the window's undo. (An app-wide
        # filter sees every event of every widget: the frame's first paint does not wait for it.)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._undo_keys)
        file_menu, edit_menu, view_menu, tools_menu, campaign_menu, self.help_menu = self._menus
        file_menu.addAction(self._action("新建推荐库…(&N)", self.new_store))
        file_menu.addAction(self._action("打开…(&O)", self.open_dialog, QKeySequence.StandardKey.Open))
        self.recent_menu = file_menu.addMenu("最近打开(&R)")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addAction(self._action("另存为…(&A)", self.save_as, QKeySequence.StandardKey.SaveAs))
        file_menu.addSeparator()
        file_menu.addAction(self._action("备份(&B)", self.backup_now))
        file_menu.addAction(self._action("从备份恢复…(&S)", self.restore_backup))
        file_menu.addSeparator()
        file_menu.addAction(self._action("导入交换文件…(&I)", self.import_exchange))
        file_menu.addAction(self._action("导出交换文件…(&T)", self.export_exchange))
        file_menu.addAction(self._action("导出报送材料…(&E)", self.export_package, "Ctrl+E"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("退出(&X)", self.close, QKeySequence.StandardKey.Quit))

        self.undo_action = self._action("撤销(&U)", self._undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("重做(&R)", self._redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.add_action = self._action("新增(&N)", self.add_record, QKeySequence.StandardKey.New)
        edit_menu.addAction(self.add_action)

        self.page_actions: dict[str, QAction] = {}
        for n, (key, title) in enumerate(PAGES):
            self.page_actions[key] = self._action(
                f"{title}(&{n + 1})", partial(self.show_page, key), f"Ctrl+{n + 1}"
            )
            view_menu.addAction(self.page_actions[key])
        view_menu.addSeparator()
        toggle = self.dock.toggleViewAction()
        toggle.setText("问题面板(&P)")
        toggle.setShortcut(QKeySequence("F8"))
        view_menu.addAction(toggle)
        view_menu.addAction(self._action("立即检查(&C)", self._check_now, "F5"))

        tools_menu.addAction(self._action("下载导入模板…(&D)", self.save_template))
        tools_menu.addAction(self._action("从Excel导入…(&X)", self.import_excel))
        tools_menu.addAction(self._action("按文件夹导入照片…(&P)", self.import_photo_folder))
        tools_menu.addSeparator()
        tools_menu.addAction(self._action("导入下级材料…(&M)", self.import_subordinates))
        tools_menu.addAction(self._action("导出交换文件(报送上级)…(&U)", self.export_exchange))

        campaign_menu.addAction(self._action("当前活动的规则…(&R)", self.show_campaign))
        self.adopt_action = self._action("采用本机安装的新版本…(&U)", self.offer_installed_campaign_now)
        campaign_menu.addAction(self.adopt_action)
        campaign_menu.addSeparator()
        campaign_menu.addAction(self._action("新建活动(基于当前活动)…(&N)", self.new_campaign))
        self.edit_campaign_action = self._action("编辑活动…(&E)", self.edit_campaign)
        campaign_menu.addAction(self.edit_campaign_action)
        campaign_menu.addAction(self._action("打开模板文件夹(&F)", self.open_templates))
        campaign_menu.addAction(self._action("从文件添加活动…(&A)", self.add_campaign))
        campaign_menu.aboutToShow.connect(self._update_campaign_menu)

        self.help_menu.addAction(
            self._action("使用指南(&G)", self.show_guide, QKeySequence.StandardKey.HelpContents)
        )
        self.help_menu.addAction(self._action("通知原文(&N)", self.show_notice))
        self.help_menu.addAction(self._action("联系方式(&C)", self.show_contacts))
        self.help_menu.addAction(self._action("数据和备份保存在哪里(&D)", self.show_places))
        self.help_menu.addSeparator()
        self.help_menu.addAction(self._action("关于(&A)", self._about))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        listed = recent_files()
        if not listed:
            self.recent_menu.addAction("(无)").setEnabled(False)
        for path in listed:
            self.recent_menu.addAction(str(path), partial(self.open_path, path))

    # ---- the document ------------------------------------------------------------------------

    def _name_pages(self, doc: Document) -> None:
        """Navigation titles in the campaign's words (先进集体, 工作机构成员 …); a page the campaign
        does not have (no 先进个人, no photos) has no title and is not listed."""
        kinds, shown = doc.campaign.kinds, page_keys(doc.campaign)
        titles = [
            "" if key not in shown else kinds[key].label if key in kinds else title for key, title in PAGES
        ]
        self._set_page_titles(titles)
        remember_page_titles(doc.path, titles)

    def _set_page_titles(self, titles: list[str]) -> None:
        for row, text in enumerate(titles):
            item = self.nav.item(row)
            if item is not None:
                item.setText(text)
                self.nav.setRowHidden(row, not text)
        if self._menus_filled:
            for (key, _title), text in zip(PAGES, titles, strict=True):
                n = [k for k, _t in PAGES].index(key) + 1
                self.page_actions[key].setText(f"{text}(&{n})")
                self.page_actions[key].setVisible(bool(text))
        widest = max(
            self.nav.fontMetrics().horizontalAdvance(self.nav.item(r).text()) for r in range(self.nav.count())
        )
        self.nav.setFixedWidth(widest + 48)

    def set_document(self, doc: Document) -> None:
        self._fill_menus()
        old = self.doc
        self._stop_workers()  # they read the old store
        if old is not None:
            old.close()
            old.deleteLater()
        self.doc = doc
        doc.setParent(self)
        if self._opening is not None:  # the frame is filled in place
            self.stack.removeWidget(self._opening)
            self._opening.deleteLater()
            self._opening = None
            self.nav.setEnabled(True)
            self.menuBar().setEnabled(True)
            self._painted = False  # what waits for the paint waits for the filled window's
        self._build_views(doc)
        doc.saved.connect(self._saved)
        doc.failed.connect(lambda message: show_user_error(self, message))
        doc.changed.connect(self._changed)
        doc.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        doc.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        remember_file(doc.path)
        self.save_state.setText("✔ 已保存")
        self._update_title()
        assert self.problems is not None
        self.problems.run()
        self.documentChanged.emit()
        self.when_painted(self.offer_installed_campaign)

    def when_painted(self, work: Callable[[], None]) -> None:
        """`work` once the window has been painted (soon after, if it has been): what the clerk
        does not need in order to see the window (looking for a newer campaign) waits for it."""
        if self._painted:
            QTimer.singleShot(0, work)
        else:
            self._after_paint.append(work)

    @property
    def painted(self) -> bool:
        """Painted with what it shows now (a frame filled since is not, until painted again)."""
        return self._painted

    def event(self, event: QEvent) -> bool:
        if not self._painted and event.type() == QEvent.Type.Paint:
            self._painted = True
            for work in self._after_paint:
                QTimer.singleShot(0, work)
            self._after_paint.clear()
        return super().event(event)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.campaign:
            self._campaign_changed()
        if changes.touches_unit():
            self._update_title()

    def _campaign_changed(self) -> None:
        """The store follows another version of its campaign: every view is made anew from it."""
        assert self.doc is not None
        self._stop_workers()
        self._build_views(self.doc)
        assert self.problems is not None
        self.problems.run()
        self.statusBar().showMessage(f"已采用活动规则:{self.doc.campaign.title}(可撤销)", 8000)

    def _build_views(self, doc: Document) -> None:
        """The pages, the checker and the problems panel, all made from the document's campaign."""
        current = self.nav.currentRow()
        if self.pages is not None:
            self.pages.clear()
        from nominator.ui.checking import ProblemState

        if self.problems is not None:
            self.problems.deleteLater()
        self._name_pages(doc)
        self.problems = ProblemState(doc, self)
        # The overview is painted first; every other page is made when it is first wanted.
        self.pages = LazyPages(self.stack, page_keys(doc.campaign), partial(self._make_page, doc))
        from nominator.ui.problems import ProblemsPanel

        old_panel = self.dock.widget()
        self.panel = ProblemsPanel(doc, self.problems)
        self.panel.jump.connect(self.go_to)
        self.panel.stageChanged.connect(self._stage_changed)
        self._stage_changed(self.panel.current_stage())
        self.dock.setWidget(self.panel)
        if old_panel is not None:
            old_panel.deleteLater()
        if current < 0 or self.nav.isRowHidden(current):
            current = 0  # a page the campaign had and this one has not: the overview
        self.nav.setCurrentRow(current)
        self._show_row(self.nav.currentRow())

    def _make_page(self, doc: Document, key: str) -> QWidget:
        from nominator.ui.pages.overview import OverviewPage
        from nominator.ui.pages.records import RecordsPage
        from nominator.ui.pages.reports import ReportsPage
        from nominator.ui.pages.unit import UnitPage

        assert self.problems is not None
        page: QWidget
        if key == "overview":
            page = OverviewPage(doc, self.problems)
            page.go.connect(self.show_page)
        elif key == "unit":
            page = UnitPage(doc)
        elif key in ("collective", "individual", "member"):
            page = RecordsPage(doc, key)
            page.set_stage(self.panel.current_stage())
        elif key == "photos":
            from nominator.ui.pages.photos import PhotosPage  # with the photo fixer: when wanted

            page = PhotosPage(doc)
            page.go.connect(self.go_to)
        elif key == "reports":
            page = ReportsPage(doc)
        else:
            raise KeyError(key)
        saving = getattr(page, "saving", None)
        if saving is not None:
            saving.connect(self._saving)
        return page

    # ---- 活动: the campaign the store follows --------------------------------------------------

    def _installed_version(self) -> Campaign | None:
        """The campaign of the same id installed on this PC, where it differs from the store's."""
        from nominator.campaign import find_installed

        if self.doc is None:
            return None
        entry = find_installed(self.doc.campaign.id)
        if entry is None or entry.campaign.text == self.doc.campaign.text:
            return None
        return entry.campaign

    def _update_campaign_menu(self) -> None:
        from nominator.campaign import find_installed

        self.adopt_action.setEnabled(self._installed_version() is not None)
        entry = find_installed(self.doc.campaign.id) if self.doc is not None else None
        self.edit_campaign_action.setEnabled(entry is not None and not entry.shipped)

    def offer_installed_campaign(self, *, asked: bool = False) -> None:
        """When this PC has another version of the store's campaign: say what would change and
        let the clerk adopt it (one undo step). Nothing changes without asking. Changed templates
        (used by the next export) are told in the status bar."""
        from nominator.campaign import differences
        from nominator.ui.files import changed_templates

        if self.doc is None:
            return
        newer = self._installed_version()
        changed = changed_templates(self.doc)
        if changed:
            self.statusBar().showMessage(
                f"表格模板与建库时不同:{'、'.join(changed)}(导出时使用现在的模板)", 15000
            )
        if newer is None:
            if asked:
                QMessageBox.information(self, "活动规则", "推荐库使用的活动规则与本机安装的一致。")
            return
        lines = differences(self.doc.campaign, newer) or ["(仅说明文字不同)"]
        shown = "\n".join(f"· {line}" for line in lines[:15]) + ("\n· ……" if len(lines) > 15 else "")
        answer = QMessageBox.question(
            self,
            "活动规则有新版本",
            f"本机安装的“{newer.title}”与这个推荐库保存的规则不同:\n\n{shown}\n\n"
            "采用新版本吗?采用后检查和导出都按新规则进行,可以用“撤销”(Ctrl+Z)改回。",
        )
        if answer == QMessageBox.StandardButton.Yes:
            with user_errors(self):
                self.doc.adopt_campaign(newer)

    def offer_installed_campaign_now(self) -> None:
        self.offer_installed_campaign(asked=True)

    def show_campaign(self) -> None:
        from nominator.campaign.describe import campaign_text

        if self.doc is not None:
            QMessageBox.information(self, "当前活动的规则", campaign_text(self.doc.campaign))

    def new_campaign(self) -> None:
        if self.doc is None:
            return
        from nominator.ui.campaign_editor import CampaignEditor

        editor = CampaignEditor(self.doc.campaign, parent=self)
        if editor.exec() and editor.saved is not None:
            QMessageBox.information(
                self,
                "新建活动",
                f"已保存活动“{editor.saved.title}”({editor.saved.id})。\n"
                "用“文件 → 新建推荐库”选择它,就可以按新活动填报。",
            )

    def edit_campaign(self) -> None:
        if self.doc is None:
            return
        from nominator.campaign import find_installed
        from nominator.ui.campaign_editor import CampaignEditor

        entry = find_installed(self.doc.campaign.id)
        if entry is None or entry.shipped:
            return
        editor = CampaignEditor(entry.campaign, edit=True, parent=self)
        if editor.exec() and editor.saved is not None:
            self.offer_installed_campaign(asked=True)

    def open_templates(self) -> None:
        if self.doc is not None:
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.doc.campaign.forms_dir)))

    def add_campaign(self) -> None:
        from nominator.campaign import add, load_file
        from nominator.export.templates import check_campaign_templates
        from nominator.ui.wizard import CAMPAIGN_FILTER, documents_dir

        name, _ = QFileDialog.getOpenFileName(self, "从文件添加活动", str(documents_dir()), CAMPAIGN_FILTER)
        if not name:
            return
        with user_errors(self):
            problems = check_campaign_templates(load_file(Path(name)))
            if problems:
                raise UserError(problems[0])
            added = add(Path(name), replace=True)
            QMessageBox.information(
                self, "从文件添加活动", f"已添加活动“{added.title}”。用“文件 → 新建推荐库”选择它。"
            )
            if self.doc is not None and added.id == self.doc.campaign.id:
                self.offer_installed_campaign()

    def _stage_changed(self, stage: str) -> None:
        from nominator.ui.pages.records import RecordsPage

        for page in self.pages.built() if self.pages is not None else []:
            if isinstance(page, RecordsPage):
                page.set_stage(stage)

    def _stop_workers(self) -> None:
        """Before the store closes: background checks and photo scans finish first."""
        if self.problems is not None:
            self.problems.shutdown()
        for page in self.pages.built() if self.pages is not None else []:
            stop = getattr(page, "shutdown", None)
            if stop is not None:
                stop()

    def _update_title(self) -> None:
        if self.doc is None:
            return
        name = self.doc.unit().name or "未命名"
        self.setWindowTitle(f"{name} — {self.doc.path.name} — {APP_NAME}")

    def _saving(self) -> None:
        self.save_state.setText("正在保存…")

    def _saved(self) -> None:
        self.save_state.setText(f"✔ 已保存 {dt.datetime.now():%H:%M:%S}")

    def _undo(self) -> None:
        if self.doc is not None:
            self.doc.undo()

    def _redo(self) -> None:
        if self.doc is not None:
            self.doc.redo()

    def _check_now(self) -> None:
        if self.doc is not None and self.problems is not None:
            self.doc.flush()
            self.problems.run()
            self.dock.show()

    # ---- navigation --------------------------------------------------------------------------

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            if self.doc is not None:
                self.doc.flush()
            if self.pages is not None and PAGES[row][0] in self.pages:
                self.stack.setCurrentWidget(self.pages[PAGES[row][0]])
            self._update_add_action()

    def add_record(self) -> None:
        """新增 (Ctrl+N): one more record on the list page shown (the records pages only)."""
        from nominator.ui.pages.records import RecordsPage

        page = self.stack.currentWidget()
        if isinstance(page, RecordsPage):
            page.add()

    def _update_add_action(self) -> None:
        if self.pages is None:
            self.add_action.setEnabled(False)
            return
        from nominator.ui.pages.records import RecordsPage

        page = self.stack.currentWidget()
        self.add_action.setEnabled(isinstance(page, RecordsPage))
        if isinstance(page, RecordsPage):
            self.add_action.setText(f"新增{page.noun}(&N)")

    def show_page(self, key: str) -> QWidget | None:
        from nominator.ui.pages.records import RecordsPage

        if key.startswith("add:"):  # the overview's 添加…: the page, with a new record open
            page = self.show_page(key[4:])
            if isinstance(page, RecordsPage):
                page.add()
            return page
        if key == "problems":
            self.dock.show()
            self.panel.tree.setFocus()
            return self.panel
        if key == "export":
            self.export_package()
            return None
        keys = [k for k, _t in PAGES]
        if key not in keys or (self.pages is not None and key not in self.pages):
            return None
        self.nav.setCurrentRow(keys.index(key))
        return self.pages[key] if self.pages is not None else None

    def go_to(self, place: Place) -> QWidget | None:
        """Show the page, record and field a problem points at; returns the focused widget."""
        from nominator.ui.pages.records import RecordsPage
        from nominator.ui.pages.reports import ReportsPage
        from nominator.ui.pages.unit import UnitPage

        page = self.show_page(place.page)
        if isinstance(page, RecordsPage):
            return page.focus(place.record_id, place.field)
        if isinstance(page, UnitPage):
            return page.focus_field(place.field)
        if isinstance(page, ReportsPage):
            return page.focus(place.field)
        return page

    # ---- 文件 ---------------------------------------------------------------------------------

    def open_dialog(self) -> None:
        from nominator.ui.wizard import STORE_FILTER, documents_dir

        start = str(self.doc.path.parent) if self.doc else str(documents_dir())
        name, _ = QFileDialog.getOpenFileName(self, "打开推荐库", start, STORE_FILTER)
        if name:
            self.open_path(Path(name))

    def open_path(self, path: Path) -> bool:
        if self.doc is not None and path.resolve() == self.doc.path.resolve():
            return True
        from nominator.store.session import Store
        from nominator.ui.document import Document

        if self.doc is not None:
            self.doc.flush()
        try:
            store = Store.open(path)
        except UserError as exc:
            if not path.exists():
                forget_file(path)
            show_user_error(self, str(exc), "无法打开推荐库")
            return False
        self.set_document(Document(store))
        return True

    def new_store(self) -> None:
        from nominator.ui import files
        from nominator.ui.document import Document
        from nominator.ui.wizard import FirstRunWizard

        wizard = FirstRunWizard(self, campaign=self.doc.campaign if self.doc is not None else None)
        if wizard.exec() != FirstRunWizard.DialogCode.Accepted:
            return
        if wizard.demo_wanted:
            from nominator.ui.app import demo_path, open_demo

            if self.doc is None or self.doc.path.resolve() != demo_path(wizard.campaign).resolve():
                with user_errors(self):
                    if self.doc is not None:
                        self.doc.flush()
                    self.set_document(Document(open_demo(wizard.campaign)))
            return
        if wizard.open_instead is not None:
            self.open_path(wizard.open_instead)
            return
        with user_errors(self):
            if self.doc is not None:
                self.doc.flush()
            store = files.create_store(wizard.path(), wizard.unit(), wizard.campaign)
            self.set_document(Document(store))
            self.show_page("overview")

    def save_as(self) -> None:
        from nominator.store.session import Store
        from nominator.ui import files
        from nominator.ui.document import Document
        from nominator.ui.wizard import STORE_FILTER

        if self.doc is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "另存为", str(self.doc.path.parent), STORE_FILTER)
        if not name:
            return
        with user_errors(self):
            self.doc.flush()
            target = files.save_copy(self.doc.store, Path(name))
            self._stop_workers()
            self.doc.close()
            self.doc = None
            self.set_document(Document(Store.open(target)))
            self.statusBar().showMessage(f"已另存为“{target.name}”,现在编辑的是这个新文件。", 8000)

    def backup_now(self) -> None:
        if self.doc is None:
            return
        from nominator.store import backup

        with user_errors(self):
            self.doc.flush()
            made = backup.make_backup(self.doc.path, "manual")
            QMessageBox.information(
                self, "备份", f"已备份到:\n{made}\n\n可以用“文件 → 从备份恢复”找回这个版本。"
            )

    def restore_backup(self) -> None:
        from nominator.store.session import Store
        from nominator.ui import files
        from nominator.ui.document import Document

        if self.doc is None:
            return
        from nominator.store import backup

        path = self.doc.path
        listed = backup.list_backups(path)
        if not listed:
            QMessageBox.information(self, "从备份恢复", "这个推荐库还没有备份。")
            return
        labels = [files.describe_backup(b) for b in listed]
        choice, ok = QInputDialog.getItem(
            self, "从备份恢复", "选择要恢复的备份(最新的在最上面):", labels, 0, False
        )
        if not ok:
            return
        chosen = listed[labels.index(choice)]
        answer = QMessageBox.question(
            self,
            "从备份恢复",
            f"用备份“{choice}”替换当前内容吗?\n当前内容会先自动备份,恢复后也可以再换回来。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        with user_errors(self):
            self._stop_workers()
            self.doc.close()
            self.doc = None
            try:
                backup.restore(path, chosen)  # holds the lock; backs up the current content after copying
            finally:
                self.set_document(Document(Store.open(path)))
            self.statusBar().showMessage("已从备份恢复。", 8000)

    def import_exchange(self) -> None:
        from nominator.operations import ReplaceContents
        from nominator.ui.wizard import documents_dir

        if self.doc is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "导入交换文件", str(documents_dir()), EXCHANGE_FILTER)
        if not name:
            return
        doc = self.doc
        with user_errors(self):
            campaign = doc.campaign
            read = doc.runner.query(
                "导入交换文件", lambda _progress: _read_exchange(Path(name), campaign), self
            )
            if read is None:
                return
            dossier, notices = read
            if not doc.store.is_empty():
                answer = QMessageBox.question(
                    self,
                    "导入交换文件",
                    "导入会用交换文件的内容替换当前推荐库的全部内容(会先自动备份,可从备份恢复,也可以撤销)。继续吗?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            if doc.run(ReplaceContents(dossier), parent=self) is None:
                return  # cancelled: nothing changed
            kinds = doc.campaign.kinds
            counts = {k: len(dossier.nominees(k)) for k in doc.campaign.nominee_kinds()}
            if "member" in kinds:
                counts["member"] = len(dossier.members)
            text = (
                "已导入:"
                + ",".join(f"{kinds[k].label} {n} {kinds[k].measure}" for k, n in counts.items())
                + "。"
            )
            if notices:
                text += "\n\n提示:\n" + "\n".join(notices)
            QMessageBox.information(self, "导入交换文件", text)

    def export_exchange(self) -> None:
        from nominator.ui.wizard import documents_dir

        if self.doc is None:
            return
        unit = self.doc.unit().name or "推荐材料"
        start = str(documents_dir() / f"{unit}-交换文件.zip")
        name, _ = QFileDialog.getSaveFileName(self, "导出交换文件", start, EXCHANGE_FILTER)
        if not name:
            return
        with user_errors(self):
            self.doc.flush()
            out = Path(name)
            if out.suffix.lower() not in (".zip", ".json"):
                out = out.with_name(out.name + ".zip")
            from nominator.interchange.exchange import write_exchange

            write_exchange(self.doc.dossier(), out, self.doc.campaign)
            self.statusBar().showMessage(f"交换文件已导出:{out}", 8000)

    # ---- 工具 ---------------------------------------------------------------------------------

    # The tools and the export pull in openpyxl, python-docx and friends: imported on first use,
    # so they do not slow the window's start.

    def save_template(self) -> None:
        from nominator.ui import tools

        if self.doc is not None:
            tools.save_template(self.doc, self)

    def import_excel(self) -> None:
        from nominator.ui import tools

        if self.doc is not None and tools.import_excel(self.doc, self):
            self.show_page("overview")

    def import_subordinates(self) -> None:
        from nominator.ui import tools

        if self.doc is not None and tools.import_subordinates(self.doc, self):
            self.show_page(self.doc.campaign.nominee_kinds()[-1])

    def import_photo_folder(self) -> None:
        from nominator.ui import tools

        if self.doc is not None and tools.import_photo_folder(self.doc, self):
            self.show_page("photos")

    def export_package(self) -> None:
        from nominator.ui.export_dialog import ExportDialog, default_export_folder

        if self.doc is None:
            return
        self.doc.flush()
        folder = Path(str(settings().value("export_folder", "") or default_export_folder()))
        dialog = ExportDialog(self.doc, self.panel.current_stage(), folder, self, problems=self.problems)
        dialog.jump.connect(self.go_to)
        dialog.exec()
        settings().setValue("export_folder", dialog.folder.text())
        dialog.deleteLater()

    # ---- 帮助 ---------------------------------------------------------------------------------

    def _campaign(self) -> Campaign:
        from nominator.campaign import load_campaign

        return self.doc.campaign if self.doc is not None else load_campaign()

    def _show_text(self, title: str, body: str, *, rich: bool = True) -> None:
        from nominator.ui.help import TextDialog

        dialog = TextDialog(title, body, self, rich=rich)
        dialog.exec()
        dialog.deleteLater()

    def show_guide(self) -> None:
        from nominator.ui.help import guide_html

        self._show_text("使用指南", guide_html(self._campaign()))

    def show_notice(self) -> None:
        from nominator.ui.help import notice_text

        text = notice_text(self._campaign())
        if text is None:
            QMessageBox.information(self, "通知原文", "本次评选的活动文件没有附带通知原文。")
            return
        self._show_text(f"通知原文 — {self._campaign().title}", text, rich=False)

    def show_contacts(self) -> None:
        from nominator.ui.help import contacts_html

        self._show_text("联系方式", contacts_html(self._campaign()))

    def show_places(self) -> None:
        from nominator.ui.help import PlacesDialog

        dialog = PlacesDialog(self.doc, self)
        dialog.exec()
        dialog.deleteLater()

    def _about(self) -> None:
        from nominator.ui.help import about_text

        QMessageBox.about(self, "关于", about_text(self.doc.campaign if self.doc is not None else None))

    # ---- window state ------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        state = store.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            # First start: 1280 × 800, but never larger than 90% of a small office screen.
            screen = QGuiApplication.primaryScreen()
            room = screen.availableGeometry() if screen is not None else None
            width = min(1280, int(room.width() * 0.9)) if room is not None else 1280
            height = min(800, int(room.height() * 0.9)) if room is not None else 800
            self.resize(width, height)
        # The problems panel is placed by the saved state (it names the dock), without touching
        # Qt's enum namespace: making it costs about 0.1 s, which the frame's first paint would wait
        # for (issue 18). The first start, or a state without the panel, adds it on the right.
        if not (isinstance(state, QByteArray) and self.restoreState(state)):
            from PySide6.QtCore import Qt

            self._place_dock()
            # Wide enough that a problem wraps to two or three lines, not ten.
            self.resizeDocks([self.dock], [max(300, self.width() * 3 // 10)], Qt.Orientation.Horizontal)
        else:
            self.when_painted(self._place_dock)

    def _place_dock(self) -> None:
        from PySide6.QtCore import Qt

        if self.dockWidgetArea(self.dock) == Qt.DockWidgetArea.NoDockWidgetArea:
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

    def closeEvent(self, event: QCloseEvent) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.sync()
        self._stop_workers()
        if self.doc is not None:
            try:
                self.doc.close()
            except UserError as exc:
                show_user_error(self, str(exc))
            self.doc = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._undo_keys)
        event.accept()


def _read_exchange(path: Path, campaign: Campaign) -> Any:
    from nominator.interchange.exchange import read_exchange  # loaded when a file is imported

    return read_exchange(path, campaign)
