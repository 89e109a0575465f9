"""导出报送材料: choose the stage and folder, watch the progress (取消 stops it and leaves nothing
behind), and end with a summary whose buttons open the folder, the email draft, the checklist and
the print set. Problems that block the export are listed; double-click one to go and fix it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.model import Dossier
from nominator.domain.problems import Problem
from nominator.export.package import ExportResult, MailPart, blocking_problems, split_email_bundle
from nominator.ui.checking import Place, ProblemState, place_of
from nominator.ui.document import Document
from nominator.ui.messages import user_errors
from nominator.ui.problem_model import ERROR_COLOUR, WARNING_COLOUR, pending_feedback_text
from nominator.ui.workers import ExportWorker

PLACE_ROLE = Qt.ItemDataRole.UserRole + 20


def default_export_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def open_path(parent: QWidget | None, path: Path) -> bool:
    """Open a file or folder with the program Windows associates with it."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return True
    QMessageBox.warning(parent, "无法打开", f"没有找到能打开这个文件的程序,请在文件夹中手动打开:\n{path}")
    return False


class ExportSummary(QGroupBox):
    """What was written, with one button per thing the clerk does next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("导出完成", parent)
        self.exported: ExportResult | None = None
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.files = QLabel()
        self.files.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a6d00;")
        self.open_folder = QPushButton("打开文件夹")
        self.open_mail = QPushButton("打开邮件草稿")
        self.open_checklist = QPushButton("打开报送清单")
        self.open_print = QPushButton("打开打印合集")
        self.split = QPushButton("拆分为多封邮件")
        self.split.setToolTip("邮件附件超过邮箱限制时,拆成几封主题相同、各自不超限的邮件")
        self.split.setVisible(False)
        self.split_requested: Callable[[], None] | None = None
        self.open_mail.setToolTip("用邮件程序打开已写好收件人、主题和附件的邮件草稿(.eml)")
        self.open_print.setToolTip("一次打印全部材料;按报送要求打印份数")
        grid = QGridLayout()
        for n, button in enumerate((self.open_folder, self.open_mail, self.open_checklist, self.open_print)):
            grid.addWidget(button, n // 2, n % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.files)
        layout.addWidget(self.notes)
        layout.addWidget(self.split)
        layout.addLayout(grid)
        self.open_folder.clicked.connect(lambda: self._open(self.exported.folder if self.exported else None))
        self.parts: list[MailPart] = []
        self.open_mail.clicked.connect(self._open_mail)
        self.open_checklist.clicked.connect(
            lambda: self._open(self.exported.checklist if self.exported else None)
        )
        self.open_print.clicked.connect(lambda: self._open(self.print_file()))
        self.split.clicked.connect(lambda: self.split_requested() if self.split_requested else None)

    def show_result(self, result: ExportResult, to: str) -> None:
        self.exported = result
        self.where.setText(f"报送材料已保存在:\n{result.folder}")
        photos = sum(1 for p in result.electronic if p.parent.name == "照片")
        printed = result.print_pdf or result.print_set
        lines = [
            f"· 电子版材料 {len(result.electronic) - photos} 个文件"
            + (f",照片 {photos} 张" if photos else ""),
            f"· 邮件附件 {result.zip.name}",
            f"· 邮件草稿(收件人 {to}),发送前请核对",
            f"· 打印合集 {printed.name}",
            f"· 报送材料清单 {result.checklist.name}",
        ]
        if result.photo_sheet is not None:
            lines.append(f"· 照片打印页 {result.photo_sheet.name}、背面标签")
        self.files.setText("\n".join(line for line in lines if line))
        self.notes.setText("\n".join(f"提示:{note}" for note in result.notes))
        self.notes.setVisible(bool(result.notes))
        self.open_print.setText("打开打印合集(PDF)" if result.print_pdf else "打开打印合集")
        self.split.setVisible(result.zip_too_big)

    def show_parts(self, parts: list[MailPart]) -> None:
        self.split.setVisible(False)
        self.open_mail.setText(f"打开邮件草稿(共{len(parts)}封)")
        self.files.setText(
            self.files.text()
            + "\n"
            + "\n".join(f"· 第{k}封:{p.eml.name}({p.files} 个文件)" for k, p in enumerate(parts, start=1))
        )
        self.notes.setText(f"已拆分为 {len(parts)} 封邮件,主题相同,请逐封发送。")
        self.parts = parts

    def _open_mail(self) -> None:
        if self.parts:
            for part in self.parts:
                self._open(part.eml)
        elif self.exported is not None:
            self._open(self.exported.eml)

    def print_file(self) -> Path | None:
        if self.exported is None:
            return None
        return self.exported.print_pdf or self.exported.print_set

    def _open(self, path: Path | None) -> None:
        if path is not None:
            open_path(self, path)


class ExportDialog(QDialog):
    jump = Signal(object)  # a Place: the clerk double-clicked a blocking problem

    def __init__(
        self,
        doc: Document,
        stage: str,
        folder: Path,
        parent: QWidget | None = None,
        *,
        problems: ProblemState | None = None,
        make_pdf: bool = True,
    ) -> None:
        super().__init__(parent)
        self.doc, self.state, self.make_pdf = doc, problems, make_pdf
        self.worker: ExportWorker | None = None
        self.exported: ExportResult | None = None
        self.setWindowTitle("导出报送材料")
        self.setMinimumWidth(600)
        self.stage = QComboBox()
        for key, rules in doc.campaign.stages.items():
            self.stage.addItem(f"{rules.name}材料(截止 {doc.campaign.deadlines[key].isoformat()})", key)
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage)))
        self.folder = QLineEdit(str(folder))
        self.browse = QPushButton("选择…")
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("报送阶段", self.stage)
        form.addRow("保存到", row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.feedback_note = QLabel()
        self.feedback_note.setWordWrap(True)
        self.feedback_note.setStyleSheet("color: #8a6d00;")
        self.feedback_note.hide()
        self.blockers = QListWidget()
        self.blockers.setWordWrap(True)
        self.blockers.itemActivated.connect(self._activated)
        self.blockers.setToolTip("双击跳转到需要修改的位置")
        self.progress = QProgressBar()
        self.progress.hide()
        self.summary = ExportSummary()
        self.summary.hide()
        self.start_button = QPushButton("开始导出")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.feedback_note)
        layout.addWidget(self.status)
        layout.addWidget(self.blockers, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.stage.currentIndexChanged.connect(self.review)
        if problems is not None:
            problems.updated.connect(self.review)
        self.review()

    def current_stage(self) -> str:
        return str(self.stage.currentData())

    def stage_name(self) -> str:
        return self.doc.campaign.stages[self.current_stage()].name

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择保存位置", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # ---- before: what blocks the export (from the window's latest check) -----------------------

    def review(self) -> None:
        if self.worker is not None or self.exported is not None:
            return
        stage = self.current_stage()
        state = self.state
        after_review = self.doc.campaign.review_before(stage) is not None
        reminder = pending_feedback_text(state.dossier, self.doc.campaign) if state and after_review else None
        self.feedback_note.setText(reminder or "")
        self.feedback_note.setVisible(bool(reminder))
        view = state.view(stage) if state is not None else None
        if state is None or stage not in state.problems or view is None:
            self.status.setText("导出前会再检查一遍,有错误或未说明的提醒时不会导出。")
            self._list([], None)
            self.start_button.setEnabled(True)
            return
        blocking = blocking_problems(state.problems[stage])
        if blocking:
            self._show_blockers(blocking, view, None)
            return
        self.status.setText(f"检查通过,可以导出{self.stage_name()}材料。")
        self._list([], None)
        self.start_button.setEnabled(True)

    def _show_blockers(self, problems: list[Problem], view: Dossier, message: str | None) -> None:
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        parts = [f"{errors} 个错误"] if errors else []
        if warnings:
            parts.append(f"{warnings} 个提醒尚未填写说明")
        self.status.setText(
            (message or f"{self.stage_name()}材料还有{'、'.join(parts)},处理后才能导出。")
            + "双击下面的问题可跳转到需要修改的位置。"
        )
        self._list(problems, view)
        self.start_button.setEnabled(False)

    def _list(self, problems: list[Problem], view: Dossier | None) -> None:
        self.blockers.clear()
        for p in problems:
            kind = "错误" if p.is_error else "提醒(需填写说明)"
            item = QListWidgetItem(f"[{p.rule}] {kind}:{p.message}")
            item.setForeground(QBrush(ERROR_COLOUR if p.is_error else WARNING_COLOUR))
            if view is not None:
                item.setData(PLACE_ROLE, place_of(p.target, view, self.doc.campaign))
            self.blockers.addItem(item)
        self.blockers.setVisible(bool(problems))

    def _activated(self, item: QListWidgetItem) -> None:
        place = item.data(PLACE_ROLE)
        if isinstance(place, Place):
            self.jump.emit(place)
            self.reject()

    # ---- during --------------------------------------------------------------------------------

    def start(self) -> None:
        if self.worker is not None:
            return
        self.doc.flush()
        out = Path(self.folder.text().strip()).expanduser()
        if not self.folder.text().strip():
            self.status.setText("请选择保存位置。")
            return
        self.worker = ExportWorker(
            self.doc.store, self.doc.campaign, self.current_stage(), out, make_pdf=self.make_pdf
        )
        self.worker.progress.connect(self._progress)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.refused.connect(self._refused)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.worker.finished.connect(self._finished)
        self.progress.setRange(0, 0)  # busy until the first step is reported
        self.progress.show()
        self.blockers.hide()
        self.status.setText("正在检查…")
        for widget in (self.start_button, self.stage, self.folder, self.browse):
            widget.setEnabled(False)
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.status.setText("正在取消…")
            self.cancel_button.setEnabled(False)
            self.worker.cancel()
            return
        self.reject()

    def _progress(self, step: int, steps: int, text: str) -> None:
        self.progress.setRange(0, steps)
        self.progress.setValue(step)
        self.progress.setFormat(f"{step}/{steps}")
        if self.worker is not None and not self.worker.is_cancelling():
            self.status.setText(f"正在{text}…" if step < steps else text)

    # ---- after ---------------------------------------------------------------------------------

    def _succeeded(self, result: ExportResult) -> None:
        self.exported = result
        self.status.setText(f"{self.stage_name()}材料已导出。")
        self.summary.show_result(result, self.doc.campaign.email.to)
        self.summary.split_requested = lambda: self._split(result)
        self.summary.show()
        self.summary.open_folder.setFocus()
        self.cancel_button.setText("关闭")

    def _split(self, result: ExportResult) -> None:
        with user_errors(self):
            dossier = self.doc.store.load_dossier()
            parts = split_email_bundle(result, dossier, self.doc.campaign, self.current_stage())
            self.summary.show_parts(parts)

    def _refused(self, problems: list[Problem], view: Dossier, message: str) -> None:
        self._show_blockers(problems, view, message)

    def _failed(self, message: str) -> None:
        self.status.setText("导出失败,未生成任何文件。")
        QMessageBox.warning(self, "导出失败", message)

    def _cancelled(self) -> None:
        self.status.setText("已取消导出,未生成任何文件。")

    def _finished(self) -> None:
        self.progress.hide()
        self.cancel_button.setEnabled(True)
        for widget in (self.stage, self.folder, self.browse):
            widget.setEnabled(self.exported is None)
        refused = not self.blockers.isHidden()
        self.start_button.setEnabled(self.exported is None and not refused)
        if self.exported is None:
            self.worker = None

    def done(self, result: int) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
            self.worker.wait()
        if self.state is not None:
            self.state.updated.disconnect(self.review)
            self.state = None
        super().done(result)
