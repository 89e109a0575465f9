"""导出报送材料: choose the stage and folder; errors block the export with their list; the work
runs in a worker thread with progress and 取消; at the end a summary with 打开文件夹."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.checks import STAGE_NAMES, check
from nominator.ui.document import Document
from nominator.ui.workers import ExportWorker, export_available, unique_folder


def default_export_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class ExportDialog(QDialog):
    def __init__(self, doc: Document, stage: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.worker: ExportWorker | None = None
        self.result_folder: Path | None = None
        self.files: list[Path] = []
        self.setWindowTitle("导出报送材料")
        self.setMinimumWidth(560)
        self.stage = QComboBox()
        for key, rules in doc.campaign.stages.items():
            self.stage.addItem(f"{rules.name}材料(截止 {doc.campaign.deadlines[key].isoformat()})", key)
        self.stage.setCurrentIndex(max(0, self.stage.findData(stage)))
        self.folder = QLineEdit(str(folder))
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("报送阶段", self.stage)
        form.addRow("保存到", row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.blockers = QListWidget()
        self.blockers.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.start_button = QPushButton("开始导出")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button = QPushButton("打开文件夹")
        self.open_button.clicked.connect(self.open_folder)
        self.open_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.open_button, self.start_button, self.cancel_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.blockers, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.stage.currentIndexChanged.connect(self.review)
        self.review()

    def current_stage(self) -> str:
        return str(self.stage.currentData())

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "选择保存位置", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def review(self) -> bool:
        """Errors block the export: list them and disable 开始导出. True when export may start."""
        self.blockers.clear()
        if not export_available():
            self.status.setText("功能尚未完成:材料导出模块正在开发中,暂时无法导出。")
            self.blockers.hide()
            self.start_button.setEnabled(False)
            return False
        self.doc.flush()
        stage = self.current_stage()
        errors = [p for p in check(self.doc.dossier(), self.doc.campaign, stage) if p.is_error]
        if errors:
            self.status.setText(
                f"{STAGE_NAMES.get(stage, stage)}材料还有 {len(errors)} 个错误,修改后才能导出"
                "(可在“问题”面板中双击跳转):"
            )
            for p in errors:
                self.blockers.addItem(f"[{p.rule}] {p.message}")
            self.blockers.show()
            self.start_button.setEnabled(False)
            return False
        self.blockers.hide()
        self.status.setText("检查通过,可以导出。")
        self.start_button.setEnabled(True)
        return True

    def start(self) -> None:
        if not self.review():
            return
        stage = self.current_stage()
        dossier = self.doc.dossier()
        name = f"{dossier.unit.name or '推荐材料'}-{STAGE_NAMES.get(stage, stage)}报送材料"
        target = unique_folder(Path(self.folder.text()).expanduser(), name)
        self.worker = ExportWorker(dossier, self.doc.campaign, stage, target)
        self.worker.progress.connect(self._progress)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled.connect(self._cancelled)
        self.worker.finished.connect(self._finished)
        self.progress.setValue(0)
        self.progress.show()
        self.start_button.setEnabled(False)
        self.stage.setEnabled(False)
        self.folder.setEnabled(False)
        self.worker.start()

    def cancel(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.status.setText("正在取消…")
            self.worker.cancel()
            return
        self.reject()

    def _progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(text)

    def _succeeded(self, folder: Path, files: list[Path]) -> None:
        self.result_folder, self.files = folder, files
        self.status.setText(f"导出完成:共 {len(files)} 个文件,保存在\n{folder}")
        self.blockers.clear()
        for f in files:
            self.blockers.addItem(str(f.relative_to(folder)))
        self.blockers.show()
        self.open_button.show()
        self.cancel_button.setText("关闭")

    def _failed(self, message: str) -> None:
        self.status.setText(f"导出失败,未生成任何文件:{message}")
        self.start_button.setEnabled(True)

    def _cancelled(self) -> None:
        self.status.setText("已取消导出,未生成任何文件。")
        self.start_button.setEnabled(True)

    def _finished(self) -> None:
        self.stage.setEnabled(True)
        self.folder.setEnabled(True)
        self.progress.hide()
        if self.result_folder is not None:
            self.start_button.setEnabled(False)

    def open_folder(self) -> None:
        if self.result_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_folder)))

    def done(self, result: int) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
            self.worker.wait()
        super().done(result)
