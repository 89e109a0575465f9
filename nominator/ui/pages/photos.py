# Over 500 lines: the photo page's table, preview, 全部自动处理 and folder import share one model of the photos
# shown.
"""照片: every individual's photo at a glance — thumbnail, file name and verdict — with buttons
to choose a file or let 自动处理 fix it.

Decoding photos is slow, so nothing is decoded until the page is first shown, and then a worker
thread does it; verdicts and thumbnails are cached by the photo's hash, so after an edit only a
new photo is looked at again.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QBuffer,
    QByteArray,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QImage, QImageReader, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nominator.campaign import PhotoFields, PhotoRules
from nominator.domain.checks import photo_verdict
from nominator.domain.model import Nominee
from nominator.domain.naming import photo_identity, photo_kind
from nominator.domain.photo import PhotoVerdict, check_photo_name, photo_digest
from nominator.domain.photofix import fix_photo
from nominator.errors import UserError
from nominator.operations import Changes, FixPhotos, Progress
from nominator.store.session import Store
from nominator.ui.checking import Place
from nominator.ui.document import Document, Record
from nominator.ui.messages import show_user_error, user_errors
from nominator.ui.photo_box import offer_fixed_photo, read_photo_file
from nominator.ui.screen import resize_within

Index = QModelIndex | QPersistentModelIndex
THUMB = QSize(48, 67)  # 5:7, like the photo
OK_COLOUR, BAD_COLOUR, PENDING_COLOUR = QColor("#1e7e34"), QColor("#c0392b"), QColor("#6c757d")
PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png *.heic *.bmp *.tif *.tiff);;所有文件 (*)"

# sha256 of the bytes → (verdict, thumbnail). Filled by the worker, read by the window.
_seen: dict[str, tuple[PhotoVerdict, QImage]] = {}


def thumbnail(data: bytes) -> QImage:
    """A small upright image, decoded at reduced size where the format allows it (JPEG does)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and size.width() > 0:
        reader.setScaledSize(size.scaled(THUMB * 2, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return image
    return image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def look_at(data: bytes, rules: PhotoRules) -> tuple[PhotoVerdict, QImage]:
    """The verdict (kept by the store or the checker where it was made before: no decoding for
    it) and the thumbnail."""
    key = photo_digest(data)
    found = _seen.get(key)
    if found is None:
        found = (photo_verdict(None, data, rules), thumbnail(data))
        if len(_seen) > 2000:
            _seen.clear()
        _seen[key] = found
    return found


class PhotoScan(QThread):
    """Reads the photos from the store and judges each one (cache first), reporting as it goes."""

    found = Signal(int, int, object, object)  # generation, record id, verdict, thumbnail (QImage)

    def __init__(self, store: Store, rules: PhotoRules, generation: int, kind: Any) -> None:
        super().__init__()
        self.store, self.rules, self.generation, self.kind = store, rules, generation, kind
        self.stop = False

    def run(self) -> None:
        try:
            people = self.store.records(self.kind, with_photos=True)
        except UserError:
            return
        for person in people:
            if self.stop:
                return
            if isinstance(person, Nominee) and person.photo_data is not None and person.id is not None:
                verdict, image = look_at(person.photo_data, self.rules)
                self.found.emit(self.generation, person.id, verdict, image)


@dataclass
class Fixed:
    """全部自动处理's outcome for one person: the corrected copy, or why there is none."""

    person: Nominee  # with the photo bytes as they were
    file_name: str = ""
    data: bytes | None = None
    changes: tuple[str, ...] = ()
    left: tuple[str, ...] = ()  # what is still wrong after the fix
    failed: str = ""  # why it could not be fixed (grey photo, busy background, no birth date …)


def fix_each(
    people: list[Nominee], rules: PhotoRules, fields: PhotoFields, progress: Progress
) -> list[Fixed]:
    """Correct each photo (in the runner's worker), reporting progress; nothing is stored here.
    The new file name is made from the fields the kind's photo is named after (F2)."""
    results: list[Fixed] = []
    for n, person in enumerate(people):
        name, birth = photo_identity(person, fields)
        progress(n, len(people), f"正在处理“{name or '(未填写)'}”的照片")
        assert person.photo_data is not None
        try:
            result = fix_photo(person.photo_data, rules, name=name, birth=birth)
        except UserError as exc:
            results.append(Fixed(person, failed=str(exc)))
        else:
            left = tuple(p.message for p in result.after.problems)
            results.append(Fixed(person, result.file_name, result.data, result.changes, left))
    return results


class FixAllDialog(QDialog):
    """What 全部自动处理 would do to each photo, before anything is stored."""

    def __init__(self, results: list[Fixed], person: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("全部自动处理")
        self.usable = [r for r in results if r.data is not None]
        failed = [r for r in results if r.data is None]
        heading = QLabel(
            f"共处理 {len(results)} 张照片:{len(self.usable)} 张可以替换为处理后的照片"
            + (f",{len(failed)} 张无法自动处理(见下方原因)" if failed else "")
            + "。原照片文件不受影响;替换后可用“撤销”(Ctrl+Z)一步撤回。"
        )
        heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([person, "处理结果"])
        self.tree.setWordWrap(True)
        for r in self.usable:
            after = "符合要求" if not r.left else "仍有问题:" + ";".join(r.left)
            item = QTreeWidgetItem([r.person.name or "(未填写)", f"→ {r.file_name}:{after}"])
            item.setForeground(1, QBrush(OK_COLOUR if not r.left else BAD_COLOUR))
            for change in r.changes:
                item.addChild(QTreeWidgetItem(["", change]))
            self.tree.addTopLevelItem(item)
        for r in failed:
            item = QTreeWidgetItem([r.person.name or "(未填写)", f"✘ 无法自动处理:{r.failed}"])
            item.setForeground(1, QBrush(BAD_COLOUR))
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(
            f"替换 {len(self.usable)} 张照片", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(bool(self.usable))
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        resize_within(self, 820, 480)


@dataclass
class PhotoRow:
    person: Nominee  # without photo bytes
    has_photo: bool
    verdict: PhotoVerdict | None = None
    image: QImage | None = None
    pixmap: QPixmap | None = None


class PhotoTableModel(QAbstractTableModel):
    COLUMNS = ("序号", "照片", "姓名", "文件名", "检查结果")

    def __init__(self, doc: Document) -> None:
        super().__init__()
        self.doc = doc
        self.kind: Any = photo_kind(doc.campaign)  # the kind whose people bring photos
        self.rows: list[PhotoRow] = []
        self._at: dict[int, int] = {}

    def reload(self) -> None:
        """Names and file names from the store (no bytes); verdicts kept when the photo is the same."""
        old = {row.person.id: row for row in self.rows}
        self.beginResetModel()
        self.rows = []
        for person in self.doc.records(self.kind):
            assert isinstance(person, Nominee)
            row = PhotoRow(person, bool(person.photo))
            before = old.get(person.id)
            if before is not None and before.person.photo == person.photo:
                row.verdict, row.image, row.pixmap = before.verdict, before.image, before.pixmap
                row.has_photo = before.has_photo
            self.rows.append(row)
        self._at = {row.person.id: n for n, row in enumerate(self.rows) if row.person.id is not None}
        self.endResetModel()

    def scan_finished(self, seen: set[int]) -> None:
        """Rows the scan found no photo bytes for: a file name alone is not a photo."""
        for n, row in enumerate(self.rows):
            if row.person.id not in seen and (row.has_photo or row.verdict is not None):
                row.has_photo, row.verdict, row.image, row.pixmap = False, None, None, None
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))

    def set_found(self, record_id: int, verdict: PhotoVerdict, image: QImage) -> None:
        n = self._at.get(record_id)
        if n is None:
            return
        row = self.rows[n]
        row.has_photo, row.verdict, row.image, row.pixmap = True, verdict, image, None
        self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))

    def record_id(self, row: int) -> int | None:
        return self.rows[row].person.id if 0 <= row < len(self.rows) else None

    def problems(self, n: int) -> list[str]:
        """What is wrong with row n's photo, in the clerk's words (empty: nothing)."""
        row = self.rows[n]
        person = row.person
        fields = self.doc.campaign.kinds[person.kind].photo
        name, birth = photo_identity(person, fields) if fields is not None else ("", "")
        found = [
            p.message
            for p in check_photo_name(person.photo, name=name, birth=birth, target="")
            if row.has_photo
        ]
        if row.verdict is not None:
            found += [p.message for p in row.verdict.problems]
        return found

    def verdict_text(self, n: int) -> str:
        row = self.rows[n]
        if not row.has_photo:
            if row.person.photo:
                return "✘ 只有文件名,没有照片文件,请重新选择照片"
            return "尚未添加照片"
        if row.verdict is None:
            return "正在检查…"
        found = self.problems(n)
        if not found:
            return f"✔ 符合要求({row.verdict.summary()})"
        more = f"(另有 {len(found) - 1} 项)" if len(found) > 1 else ""
        return f"✘ {found[0]}{more}"

    # ---- the Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default argument
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.COLUMNS):
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        n, column = index.row(), index.column()
        row = self.rows[n]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(n + 1)
            if column == 2:
                return row.person.name or "(未填写)"
            if column == 3:
                return row.person.photo or ("(无)" if row.has_photo else "")
            if column == 4:
                return self.verdict_text(n)
        if role == Qt.ItemDataRole.DecorationRole and column == 1 and row.image is not None:
            if row.pixmap is None and not row.image.isNull():
                row.pixmap = QPixmap.fromImage(row.image)  # on the UI thread, only when drawn
            return row.pixmap
        if role == Qt.ItemDataRole.ForegroundRole and column == 4:
            if row.verdict is None:
                return QBrush(PENDING_COLOUR)
            return QBrush(BAD_COLOUR if self.problems(n) else OK_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and row.verdict is not None:
            return "\n".join(self.problems(n)) or row.verdict.summary()
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.SizeHintRole and column == 1:
            return THUMB + QSize(8, 6)
        return None


class PhotosPage(QWidget):
    go = Signal(object)  # a Place: open the individual's editor at the photo

    def __init__(self, doc: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.kind: Any = photo_kind(doc.campaign)  # the kind whose people bring photos
        self.scans = 0  # how many scans were started (none before the page is shown)
        self._generation = 0
        self._workers: list[PhotoScan] = []
        self._seen: set[int] = set()
        self._stale = True
        self._closed = False
        self.model = PhotoTableModel(doc)
        self.model.setParent(self)  # goes with the page (a campaign change rebuilds the pages)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(THUMB.height() + 6)
        self.table.setWordWrap(True)  # the verdict is read in full; rows are photo-high anyway
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(60)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_editor())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.choose_button = QPushButton("选择照片…")
        self.fix_button = QPushButton("自动处理…")
        person = doc.campaign.kinds[self.kind].label
        size = doc.campaign.photo.size_name
        self.fix_button.setToolTip(
            f"自动裁剪为{size}、处理白色背景并按“姓名-出生日期.jpg”命名,处理前后对比后再决定"
        )
        self.fix_all_button = QPushButton("全部自动处理…")
        self.fix_all_button.setToolTip(
            "对所有不合格的照片自动处理,先列出每张的处理结果,确认后一次替换(可撤销)"
        )
        self.fix_all_button.clicked.connect(self.fix_all)
        self.editor_button = QPushButton(f"到{person}页编辑")
        self.folder_button = QPushButton("按文件夹导入…")
        self.folder_button.setToolTip(
            f"选择一个文件夹,按“姓名-出生日期.jpg”把照片对应到每位{person},导入前先列出对应结果"
        )
        self.folder_button.clicked.connect(self.import_folder)
        self.choose_button.clicked.connect(self.choose_file)
        self.fix_button.clicked.connect(self.auto_fix)
        self.editor_button.clicked.connect(self.open_editor)
        buttons = QHBoxLayout()
        for button in (self.choose_button, self.fix_button, self.editor_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.fix_all_button)
        buttons.addWidget(self.folder_button)
        hint = QLabel(
            f"照片要求:{doc.campaign.photo.size_text}白底彩色证件照,JPG格式,"
            "文件名为“姓名-出生日期.jpg”(例:张某某-19660101.jpg)。"
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_summary)
        self.model.dataChanged.connect(lambda *_: self._update_summary())
        doc.changed.connect(self._doc_changed)
        self._update_buttons()

    # ---- scanning --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.rescan()

    def _doc_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.touches_kind(self.kind):
            self._changed()

    def _changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.rescan()

    def rescan(self) -> None:
        self._stale = False
        current = self.current_id()
        self.model.reload()
        self.select_id(current)
        self._generation += 1
        self._seen = set()
        for worker in self._workers:
            worker.stop = True
        worker = PhotoScan(self.doc.store, self.doc.campaign.photo, self._generation, self.kind)
        worker.found.connect(self._found)
        worker.finished.connect(lambda: self._done(worker))
        self._workers.append(worker)
        self.scans += 1
        worker.start()

    def _found(self, generation: int, record_id: int, verdict: PhotoVerdict, image: QImage) -> None:
        if generation == self._generation and not self._closed:
            self._seen.add(record_id)
            self.model.set_found(record_id, verdict, image)

    def _done(self, worker: PhotoScan) -> None:
        if worker.generation == self._generation and not worker.stop and not self._closed:
            self.model.scan_finished(self._seen)
        if worker in self._workers:
            self._workers.remove(worker)
            worker.deleteLater()

    def is_scanning(self) -> bool:
        return any(w.isRunning() for w in self._workers)

    def shutdown(self) -> None:
        """The page is going (another store, or the campaign changed): its scans stop, and what
        they still report is ignored."""
        self._closed = True
        for worker in self._workers:
            worker.stop = True
        for worker in self._workers:
            worker.wait()

    def _update_summary(self) -> None:
        if self._closed:
            return
        rows = self.model.rowCount()
        missing = sum(1 for n in range(rows) if self.model.verdict_text(n) == "尚未添加照片")
        pending = sum(1 for n in range(rows) if self.model.verdict_text(n) == "正在检查…")
        bad = sum(1 for n in range(rows) if self.model.verdict_text(n).startswith("✘"))
        person = self.doc.campaign.kinds[self.kind]
        text = f"共 {rows} {person.measure}{person.label}:{rows - missing - pending - bad} 张照片符合要求"
        if bad:
            text += f",{bad} 张需要处理"
        if missing:
            text += f",{missing} 人尚未添加照片"
        if pending:
            text += f"(正在检查 {pending} 张…)"
        self.summary.setText(text + "。")

    # ---- selection and actions ---------------------------------------------------------------

    def current_id(self) -> int | None:
        return self.model.record_id(self.table.currentIndex().row())

    def select_id(self, record_id: int | None) -> None:
        for n in range(self.model.rowCount()):
            if self.model.record_id(n) == record_id:
                self.table.selectRow(n)
                return

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        for button in (self.choose_button, self.fix_button, self.editor_button):
            button.setEnabled(has)

    def open_editor(self) -> None:
        record_id = self.current_id()
        if record_id is not None:
            self.go.emit(Place(self.kind, record_id, "photo"))

    def import_folder(self) -> None:
        from nominator.ui.tools import import_photo_folder

        import_photo_folder(self.doc, self)

    def choose_file(self) -> None:
        if self.current_id() is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "选择照片", str(Path.home()), PHOTO_FILTER)
        if name:
            self.set_photo_file(Path(name))

    def set_photo_file(self, path: Path) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        try:
            data = read_photo_file(path)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self._store(record_id, path.name, data)

    def auto_fix(self) -> None:
        record_id = self.current_id()
        if record_id is None:
            return
        self.doc.flush()
        person = self.doc.get(self.kind, record_id)
        assert isinstance(person, Nominee)
        accepted = offer_fixed_photo(self, self.doc, person)
        if accepted is not None:
            self._store(record_id, *accepted)

    def needs_fixing(self) -> list[int]:
        """Rows whose photo breaks a rule (or is not judged yet), by record id."""
        found = []
        for n, row in enumerate(self.model.rows):
            if (
                row.has_photo
                and row.person.id is not None
                and (row.verdict is None or self.model.problems(n))
            ):
                found.append(row.person.id)
        return found

    def fix_all(self) -> None:
        """全部自动处理: correct every photo that needs it, show the outcome, store on 替换."""
        self.doc.flush()
        wanted = set(self.needs_fixing())
        people = [
            p
            for p in self.doc.store.records(self.kind, with_photos=True)
            if isinstance(p, Nominee) and p.id in wanted and p.photo_data is not None
        ]
        if not people:
            QMessageBox.information(self, "全部自动处理", "所有照片都符合要求,不需要处理。")
            return
        rules, fields = self.doc.campaign.photo, self.doc.campaign.kinds[self.kind].photo
        assert fields is not None  # the page is shown for a kind with photos
        with user_errors(self):
            results = self.doc.runner.query(
                "全部自动处理", lambda progress: fix_each(people, rules, fields, progress), self
            )
            if results is None:  # cancelled
                return
            dialog = FixAllDialog(results, self.doc.campaign.kinds[self.kind].label, self)
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                self._store_many(dialog.usable)
            finally:
                dialog.deleteLater()

    def _store_many(self, fixed: list[Fixed]) -> None:
        new: list[Record] = []
        for f in fixed:
            person = copy.deepcopy(f.person)
            person.photo, person.photo_data = f.file_name, f.data
            new.append(person)
        with user_errors(self):
            self.doc.run(FixPhotos(self.kind, new), parent=self)

    def _store(self, record_id: int, file_name: str, data: bytes) -> None:
        self.doc.flush()
        with user_errors(self):
            person = self.doc.get(self.kind, record_id)
            assert isinstance(person, Nominee)
            person.photo, person.photo_data = file_name, data
            self.doc.edit_record(self.kind, person)
