"""The photo box on an individual's editor: drop or choose a file, see the verdict at once
(rules F2/F3), and let 自动处理 produce a corrected copy, shown before/after."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nominator.domain import checks, photo
from nominator.domain.model import Nominee
from nominator.domain.naming import photo_identity
from nominator.domain.photofix import fix_photo
from nominator.errors import UserError
from nominator.ui.document import Document
from nominator.ui.messages import show_user_error

if TYPE_CHECKING:
    from nominator.ui.editors import RecordEditor

PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png *.heic *.bmp *.tif *.tiff);;所有文件 (*)"
MAX_PHOTO_BYTES = 30 * 1024 * 1024


def _identity(doc: Document, record: Nominee) -> tuple[str, str]:
    """(name, date) the record's photo is named after, by its kind's `photo` fields (F2)."""
    fields = doc.campaign.kinds[record.kind].photo
    return photo_identity(record, fields) if fields is not None else ("", "")


def photo_verdict(doc: Document, record: Nominee) -> tuple[bool, list[str], str]:
    """(acceptable, problems in Chinese, a one-line summary) for the record's photo."""
    name, birth = _identity(doc, record)
    problems = list(photo.check_photo_name(record.photo, name=name, birth=birth, target=""))
    summary = ""
    if record.photo_data is not None:
        verdict = checks.photo_verdict(None, record.photo_data, doc.campaign.photo)
        problems += list(verdict.problems)
        summary = verdict.summary()
    ok = not any(p.is_error for p in problems)
    return ok, [f"[{p.rule}] {p.message}" for p in problems], summary


def pixmap_from(data: bytes | None) -> QPixmap:
    pixmap = QPixmap()
    if data:
        pixmap.loadFromData(QByteArray(data))
    return pixmap


def read_photo_file(path: Path) -> bytes:
    """The bytes of a photo the clerk chose, or a UserError saying why it cannot be used."""
    try:
        if path.stat().st_size > MAX_PHOTO_BYTES:
            raise UserError(f"照片“{path.name}”超过30MB,请选择原始证件照文件。")
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取照片“{path.name}”:{exc.strerror or exc}。") from exc


class PhotoBox(QWidget):
    def __init__(self, doc: Document, editor: RecordEditor) -> None:
        super().__init__(editor)
        self.doc, self.editor = doc, editor
        self.record: Nominee | None = None
        self._verdict_due = False
        self.setAcceptDrops(True)
        self.preview = QLabel("把照片拖到这里\n或点击“选择照片”")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedSize(126, 176)
        self.preview.setStyleSheet("QLabel { border: 1px dashed palette(mid); background: palette(base); }")
        self.preview.setWordWrap(True)
        self.name = QLabel()
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose = QPushButton("选择照片…")
        self.choose.clicked.connect(self.choose_file)
        self.fix = QPushButton("自动处理…")
        rules = doc.campaign.photo
        self.fix.setToolTip(
            f"自动裁剪为{rules.size_name}({rules.width_px}×{rules.height_px}像素)、处理白色背景并按“姓名-出生日期.jpg”命名"
        )
        self.fix.clicked.connect(self.auto_fix)
        self.remove = QPushButton("移除照片")
        self.remove.clicked.connect(self.remove_photo)
        buttons = QHBoxLayout()  # a row of three buttons would make the editor too wide at 150%
        column = QVBoxLayout()
        for button in (self.choose, self.fix, self.remove):
            column.addWidget(button)
        buttons.addLayout(column)
        buttons.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(self.name)
        side.addWidget(self.verdict, 1)
        side.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(side, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.choose)

    def show_record(self, record: Nominee | None) -> None:
        self.record = record
        has = record is not None and (record.photo_data is not None or bool(record.photo))
        self.fix.setEnabled(record is not None and record.photo_data is not None)
        self.remove.setEnabled(has)
        if record is None or not has:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("把照片拖到这里\n或点击“选择照片”")
            self.name.setText("尚未添加照片")
            self.verdict.setText("")
            self._verdict_due = False
            return
        pixmap = pixmap_from(record.photo_data)
        if pixmap.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("无法预览")
        else:
            self.preview.setPixmap(
                pixmap.scaled(
                    self.preview.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.name.setText(f"文件名:{record.photo or '(无)'}")
        self._verdict_due = True
        if self.isVisible():  # a hidden page (e.g. at start-up) decodes nothing
            self.refresh_verdict()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._verdict_due:
            self.refresh_verdict()

    def refresh_verdict(self) -> None:
        self._verdict_due = False
        if self.record is None:
            return
        current = self.editor.collect() if self.editor.record is not None else self.record
        assert isinstance(current, Nominee)
        try:
            ok, problems, summary = photo_verdict(self.doc, current)
        except UserError as exc:
            ok, problems, summary = False, [str(exc)], ""
        if ok and not problems:
            text = f"<span style='color:#1e7e34'>✔ 照片符合要求</span>({summary})"
        else:
            head = "✔ 照片可用,但请注意:" if ok else "✘ 照片不符合要求:"
            colour = "#8a6d00" if ok else "#c0392b"
            items = "".join(f"<li>{_escape(p)}</li>" for p in problems)
            text = f"<span style='color:{colour}'>{head}</span><ul style='margin-left:-20px'>{items}</ul>"
            if summary:
                text += f"<div>{_escape(summary)}</div>"
        self.verdict.setText(text)

    # ---- actions ---------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.set_photo_file(files[0])

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择照片", str(Path.home()), PHOTO_FILTER)
        if name:
            self.set_photo_file(Path(name))

    def set_photo_file(self, path: Path) -> None:
        try:
            data = read_photo_file(path)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self._store(path.name, data)

    def _store(self, file_name: str, data: bytes | None) -> None:
        if self.editor.record is None:
            return
        self.editor.flush()
        record = copy.deepcopy(self.editor.record)
        assert isinstance(record, Nominee)
        record.photo, record.photo_data = file_name, data
        self.editor.save(record)
        self.show_record(record)

    def remove_photo(self) -> None:
        self._store("", None)

    def auto_fix(self) -> None:
        if self.editor.record is None:
            return
        self.editor.flush()
        record = self.editor.record
        assert isinstance(record, Nominee)
        accepted = offer_fixed_photo(self, self.doc, record)
        if accepted is not None:
            self._store(*accepted)


def offer_fixed_photo(parent: QWidget, doc: Document, person: Nominee) -> tuple[str, bytes] | None:
    """自动处理: make the corrected copy, show before/after; (file name, bytes) if the clerk accepts."""
    if person.photo_data is None:
        show_user_error(
            parent, f"这位{doc.campaign.kinds['individual'].label}还没有照片,请先点击“选择照片”。", "自动处理"
        )
        return None
    try:
        name, birth = _identity(doc, person)
        result = fix_photo(person.photo_data, doc.campaign.photo, name=name, birth=birth)
    except UserError as exc:
        show_user_error(parent, str(exc))
        return None
    dialog = BeforeAfterDialog(person.photo_data, result, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return result.file_name, result.data
    return None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class BeforeAfterDialog(QDialog):
    """The original and the corrected photo side by side, with what was changed."""

    def __init__(self, before: bytes, result: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("照片自动处理")
        grid = QGridLayout()
        for column, (title, data, verdict) in enumerate(
            (("处理前", before, result.before), ("处理后", result.data, result.after))
        ):
            heading = QLabel(f"<b>{title}</b>")
            heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image = QLabel()
            image.setFixedSize(207, 290)
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setStyleSheet("QLabel { border: 1px solid palette(mid); }")
            pixmap = pixmap_from(data)
            if not pixmap.isNull():
                image.setPixmap(
                    pixmap.scaled(
                        image.size(),
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
            facts = QLabel(verdict.summary())
            facts.setWordWrap(True)
            grid.addWidget(heading, 0, column)
            grid.addWidget(image, 1, column)
            grid.addWidget(facts, 2, column)
        changes = QLabel("处理内容:\n" + "\n".join(f"· {c}" for c in result.changes))
        changes.setWordWrap(True)
        name = QLabel(f"新文件名:{result.file_name}")
        buttons = QDialogButtonBox()
        buttons.addButton("使用处理后的照片", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(changes)
        layout.addWidget(name)
        layout.addWidget(buttons)
