"""工具 menu: bulk intake from the Excel template, photos by folder, and (逐级推荐) merging the
exchange files of subordinate units. Each reads its preview in a worker (progress, cancel) and shows
it before anything is written; the clerk's choice then runs as one operation (in a worker, after a
backup, in one transaction) that is one undo step."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nominator.domain.model import Nominee
from nominator.domain.naming import photo_kind
from nominator.domain.photo_match import PhotoMatch, match_photos
from nominator.interchange.intake import IntakePreview, read_template, refuse_over_quota
from nominator.interchange.merge import MergePreview, preview_merge
from nominator.interchange.photos import photo_files_in
from nominator.interchange.template import write_template
from nominator.operations import ImportExcel, ImportPhotoFolder, MergeFiles, Progress
from nominator.ui.document import Document
from nominator.ui.messages import user_errors
from nominator.ui.problem_model import ERROR_COLOUR, WARNING_COLOUR
from nominator.ui.screen import minimum_within
from nominator.ui.wizard import documents_dir

OK_COLOUR = "#1e7e34"
KINDS = ("collective", "individual", "member")


def counted(doc: Document, counts: dict[str, int]) -> str:
    """先进集体 5 个、先进个人 10 名。 in the campaign's words (the kinds it has)."""
    kinds = doc.campaign.kinds
    return (
        "、".join(f"{kinds[k].label} {n} {kinds[k].measure}" for k, n in counts.items() if k in kinds) + "。"
    )


@contextmanager
def busy() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class PreviewDialog(QDialog):
    """A heading, a tree of what would happen (problems in red), and 导入 / 取消."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        minimum_within(self, 900, 520)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a6d00;")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.detail = QLabel("选中一行可在这里看到完整说明。")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.detail.fontMetrics().lineSpacing() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tree.currentItemChanged.connect(self._show_detail)
        self.buttons = QDialogButtonBox()
        self.apply_button = QPushButton("导入")
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.notes)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.buttons)

    def _show_detail(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.detail.setText("  ".join(t for t in (item.text(0), item.text(1)) if t))

    def set_notes(self, lines: list[str]) -> None:
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))

    def group(self, text: str, colour: str | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, ""])
        item.setFirstColumnSpanned(True)  # headings may be long; the first column stays narrow
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        if colour:
            item.setForeground(0, QBrush(QColor(colour)))
        self.tree.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)
        return item

    @staticmethod
    def line(
        parent: QTreeWidgetItem, first: str, second: str = "", colour: QColor | str | None = None
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem([first, second])
        item.setToolTip(1, second)
        if colour is not None:
            item.setForeground(1, QBrush(QColor(colour)))
        parent.addChild(item)
        return item


class IntakeDialog(PreviewDialog):
    """从Excel导入: every row with its cell errors; only valid rows are imported."""

    def __init__(self, doc: Document, preview: IntakePreview, parent: QWidget | None = None) -> None:
        super().__init__("从Excel导入", parent)
        self.preview = preview
        valid, invalid = preview.valid_rows, preview.invalid_rows
        kinds = doc.campaign.kinds
        adding = {kind: sum(1 for r in valid if r.kind == kind) for kind in KINDS}
        parts = [f"{kinds[k].label} {n} {kinds[k].measure}" for k, n in adding.items() if n]
        text = f"“{preview.file.name}”中共有 {len(preview.rows)} 行。"
        text += f"可以导入 {len(valid)} 行({'、'.join(parts)})。" if valid else "没有可以导入的行。"
        if invalid:
            text += (
                f"\n{len(invalid)} 行有错误,暂不导入:请在 Excel 中改正后,只把这些行再导入一次;"
                "或导入后在窗口中补填。"
            )
        self.heading.setText(text)
        self.set_notes([f"提示:{n}" for n in preview.notices])
        self.tree.setHeaderLabels(["行", "内容"])
        for kind, noun in ((k, kinds[k].label) for k in KINDS):
            rows = preview.of_kind(kind)  # type: ignore[arg-type]
            if not rows:
                continue
            bad = sum(1 for r in rows if not r.valid)
            group = self.group(f"{noun}:{len(rows)} 行" + (f",{bad} 行有错误" if bad else ""))
            for row in rows:
                name = row.record.name or "(未填写名称)"
                if row.valid:
                    self.line(group, f"第{row.row}行", f"✔ {name}", OK_COLOUR)
                    continue
                why = "超出名额" if row.over_quota and len(row.errors) == 1 else f"{len(row.errors)} 处错误"
                item = self.line(group, f"第{row.row}行", f"✘ {name}:{why},不导入", ERROR_COLOUR)
                for error in row.errors:
                    self.line(
                        item, f"“{error.column}”列" if error.column else "", error.message, ERROR_COLOUR
                    )
                item.setExpanded(True)
            group.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.apply_button.setText(f"导入 {len(valid)} 行")
        self.apply_button.setEnabled(bool(valid))


class PhotoFolderDialog(PreviewDialog):
    """按文件夹导入照片: which file goes to whom, and what could not be matched, before applying."""

    def __init__(self, folder: Path, match: PhotoMatch, parent: QWidget | None = None) -> None:
        super().__init__("按文件夹导入照片", parent)
        self.match = match
        self.heading.setText(f"文件夹“{folder}”:{match.summary()}")
        self.set_notes(
            ["未匹配的照片不会导入;请按提示改正文件名或推荐对象信息后再导入一次。"]
            if match.mismatches
            else []
        )
        self.tree.setHeaderLabels(["照片文件", "结果"])
        if match.matched:
            group = self.group(f"将导入 {len(match.matched)} 张")
            for found in match.matched:
                detail = f"→ {found.name}" + ("(替换现有照片)" if found.replaces else "")
                if found.note:
                    detail += f"。{found.note}"
                self.line(group, found.file, detail, WARNING_COLOUR if found.note else OK_COLOUR)
            group.setExpanded(True)
        for label, items in (
            ("找不到推荐对象", match.no_nominee),
            ("同名无法区分", match.two_candidates),
            ("出生日期不符", match.wrong_date),
            ("文件名不规范", match.not_photo_name),
            ("重复照片", match.repeated),
        ):
            if items:
                group = self.group(f"{label}:{len(items)} 张(不导入)", ERROR_COLOUR.name())
                for unmatched in items:
                    self.line(group, unmatched.file, unmatched.message, ERROR_COLOUR)
                group.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.apply_button.setText(f"导入 {len(match.matched)} 张照片")
        self.apply_button.setEnabled(bool(match.matched))


class MergeDialog(PreviewDialog):
    """导入下级材料: each sub-unit's nominees, duplicates (V4) and the quota after merging."""

    def __init__(self, doc: Document, preview: MergePreview, parent: QWidget | None = None) -> None:
        super().__init__("导入下级材料", parent)
        self.preview = preview
        kinds = doc.campaign.kinds
        nominees = [i for i in preview.incoming if i.kind != "member"]
        new = [i for i in nominees if not i.is_duplicate]
        self.heading.setText(
            f"{len(preview.files)} 个交换文件({'、'.join(preview.sources)}):共 {len(nominees)} 个推荐对象,"
            f"将合并 {len(new)} 个"
            + (f",{len(nominees) - len(new)} 个重复的不合并。" if len(new) < len(nominees) else "。")
            + f"\n合并后请在{''.join(f'“{kinds[k].label}”' for k in doc.campaign.nominee_kinds())}页确定向上推荐的对象"
            "(删除不推荐的),每条记录的“来源”列写明报送单位。"
        )
        notes = list(preview.notices)
        notes += [f"合并后:[{p.rule}] {p.message}" for p in preview.quota_problems]
        self.set_notes(notes)
        self.tree.setHeaderLabels(["报送单位", "推荐对象"])
        for source, path in zip(preview.sources, preview.files, strict=False):
            items = [i for i in preview.incoming if i.file == path and i.kind != "member"]
            members = sum(1 for i in preview.incoming if i.file == path and i.kind == "member")
            group = self.group(f"{source}({path.name}):{len(items)} 个推荐对象")
            for item in items:
                if item.is_duplicate:
                    self.line(
                        group,
                        kinds[item.kind].label,
                        f"✘ {item.label}:与{item.duplicate_of}重复,不合并",
                        ERROR_COLOUR,
                    )
                else:
                    self.line(group, kinds[item.kind].label, f"✔ {item.label}", OK_COLOUR)
            if members:
                member = kinds["member"]
                self.line(group, member.label, f"{members} {member.measure}(下级自己的名单,不合并)")
            group.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.apply_button.setText(f"合并 {len(new)} 个推荐对象")
        self.apply_button.setEnabled(bool(new))


# ---- the menu's actions ------------------------------------------------------------------------


def save_template(doc: Document, parent: QWidget) -> Path | None:
    start = str(documents_dir() / "推荐对象导入模板.xlsx")
    name, _ = QFileDialog.getSaveFileName(parent, "下载导入模板", start, "Excel 文件 (*.xlsx)")
    if not name:
        return None
    path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
    with user_errors(parent), busy():
        write_template(path, doc.campaign)
        QMessageBox.information(
            parent,
            "下载导入模板",
            f"导入模板已保存到:\n{path}\n\n请在 Excel 或 WPS 中按“填写说明”填写,然后用“工具 → 从Excel导入”导入。",
        )
        return path
    return None


def import_excel(doc: Document, parent: QWidget) -> int:
    """Returns how many records were added."""
    name, _ = QFileDialog.getOpenFileName(parent, "从Excel导入", str(documents_dir()), "Excel 文件 (*.xlsx)")
    if not name:
        return 0
    with user_errors(parent):
        doc.flush()
        campaign, store = doc.campaign, doc.store

        def read(progress: Progress) -> IntakePreview:
            progress(0, 0, f"正在读取“{Path(name).name}”")
            preview = read_template(Path(name), campaign)
            refuse_over_quota(preview, store, campaign)  # as 新增 refuses them, row by row
            return preview

        preview = doc.runner.query("从Excel导入", read, parent)
        if preview is None:
            return 0
        dialog = IntakeDialog(doc, preview, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        counts = doc.run(ImportExcel(preview), parent=parent)
        if counts is None:
            return 0
        text = f"已导入 {counts.added} 条记录:" + counted(
            doc,
            {"collective": counts.collectives, "individual": counts.individuals, "member": counts.members},
        )
        if counts.skipped:
            text += f"\n有错误的 {counts.skipped} 行未导入。"
        QMessageBox.information(parent, "从Excel导入", text + "\n\n可用“撤销”(Ctrl+Z)撤回这次导入。")
        return int(counts.added)
    return 0


def import_photo_folder(doc: Document, parent: QWidget) -> int:
    chosen = QFileDialog.getExistingDirectory(parent, "选择照片所在的文件夹", str(documents_dir()))
    if not chosen:
        return 0
    folder = Path(chosen)
    with user_errors(parent):
        doc.flush()
        store = doc.store
        kind: Any = photo_kind(doc.campaign)
        fields = doc.campaign.kinds[kind].photo if kind else None
        if kind == "" or fields is None:
            return 0  # no kind of this campaign has photos

        def read(progress: Progress) -> PhotoMatch:
            progress(0, 0, f"正在查看文件夹“{folder.name}”")
            people = [p for p in store.records(kind) if isinstance(p, Nominee)]
            return match_photos(photo_files_in(folder), people, fields)

        match = doc.runner.query("按文件夹导入照片", read, parent)
        if match is None:
            return 0
        dialog = PhotoFolderDialog(folder, match, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        count = doc.run(ImportPhotoFolder(folder, match), parent=parent)
        if not count:
            return 0
        QMessageBox.information(
            parent, "按文件夹导入照片", f"已导入 {count} 张照片。可在“照片”页查看检查结果;可用“撤销”撤回。"
        )
        return int(count)
    return 0


def import_subordinates(doc: Document, parent: QWidget) -> int:
    """导入下级材料: several exchange files merged into this store after a preview."""
    names, _ = QFileDialog.getOpenFileNames(
        parent, "导入下级材料(可多选)", str(documents_dir()), "交换文件 (*.zip *.json)"
    )
    if not names:
        return 0
    with user_errors(parent):
        doc.flush()
        campaign, store = doc.campaign, doc.store

        def read(progress: Progress) -> MergePreview:
            progress(0, 0, f"正在读取 {len(names)} 个交换文件")
            return preview_merge(store.load_dossier(with_photos=True), [Path(n) for n in names], campaign)

        preview = doc.runner.query("导入下级材料", read, parent)
        if preview is None:
            return 0
        dialog = MergeDialog(doc, preview, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        counts = doc.run(MergeFiles(preview), parent=parent)
        if counts is None:
            return 0
        text = "已合并" + counted(doc, {"collective": counts.collectives, "individual": counts.individuals})
        if counts.skipped_duplicates:
            text += f"\n重复的 {counts.skipped_duplicates} 个未合并。"
        QMessageBox.information(parent, "导入下级材料", text + "\n\n可用“撤销”(Ctrl+Z)撤回这次合并。")
        return int(counts.collectives + counts.individuals)
    return 0
