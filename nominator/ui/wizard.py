"""First run (and 文件 → 新建): who is recommending, their allocation, and where the store file
goes (default: Documents). Produces a path and a Unit; the window creates the store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from nominator import APP_NAME
from nominator.campaign import Campaign, default_campaign
from nominator.domain.model import Unit
from nominator.domain.naming import unit_name_problem
from nominator.store.session import STORE_SUFFIX
from nominator.ui.pages.unit import UnitForm

STORE_FILTER = f"推荐库 (*{STORE_SUFFIX})"


def documents_dir() -> Path:
    for candidate in (Path.home() / "Documents", Path.home() / "文档"):
        if candidate.is_dir():
            return candidate
    return Path.home()


def default_store_path(unit_name: str, folder: Path | None = None) -> Path:
    folder = folder or documents_dir()
    stem = f"{unit_name or '推荐材料'}-推荐材料"
    path, n = folder / f"{stem}{STORE_SUFFIX}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{STORE_SUFFIX}"
    return path


class UnitPageStep(QWizardPage):
    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        alloc = campaign.allocation
        table = f"《{alloc.table}》({alloc.source})" if alloc.table else alloc.source
        self.setTitle(f"第1步:{campaign.kinds['unit'].label}")
        self.setSubTitle(f"请按{table}填写。以后可以在“{campaign.kinds['unit'].label}”页修改。")
        self.form = UnitForm(campaign)
        self.form.set_unit(Unit())
        self.form.clear_kind()  # chosen by the clerk, not assumed
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.open_existing = QPushButton("已有推荐库文件?点此打开…")
        self.open_existing.setFlat(True)
        self.show_demo = QPushButton("先看示例")
        self.show_demo.setToolTip(
            "打开一个填好的示例推荐库,看看填完后是什么样子;示例不会影响您自己的推荐库。"
        )
        links = QHBoxLayout()
        links.addWidget(self.show_demo)
        links.addStretch(1)
        links.addWidget(self.open_existing)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(links)
        self.form.edited.connect(lambda: self.error.setText(""))

    def is_touched(self) -> bool:
        """Anything typed or chosen yet (then 取消 asks before throwing it away)."""
        form = self.form
        typed = (form.name, form.contact, form.phone)
        return bool(
            form.kind.value()
            or any(w.value().strip() for w in typed)
            or form.collectives.number() is not None
            or form.individuals.number() is not None
        )

    def validatePage(self) -> bool:
        unit = self.form.unit()
        if self.form.chosen_kind() is None:
            kinds = "、".join(k.label for k in self.campaign.unit_kinds.values())
            return self._refuse(f"请选择{self.campaign.kinds['unit'].label}类别({kinds})。", self.form.kind)
        problem = unit_name_problem(unit, self.campaign)
        if problem:
            self.form.check_name()
            return self._refuse(problem, self.form.name)
        phone = self.form.phone.problem()
        if phone:
            return self._refuse(phone, self.form.phone)
        kind = self.campaign.unit_kinds.get(unit.kind)
        if (
            kind is not None
            and kind.uses_allocation
            and (unit.allocation.collectives is None or unit.allocation.individuals is None)
        ):
            c, i = self.campaign.kinds["collective"].label, self.campaign.kinds["individual"].label
            self.error.setText(f"请填写{self.campaign.allocation.source}中为本地区分配的{c}和{i}名额。")
            self.form.collectives.setFocus()
            return False
        return True

    def _refuse(self, message: str, widget: QWidget) -> bool:
        self.error.setText(message)
        widget.setFocus()
        return False


class FilePageStep(QWizardPage):
    def __init__(self, unit_step: UnitPageStep) -> None:
        super().__init__()
        self.unit_step = unit_step
        self.setTitle("第2步:保存位置")
        self.setSubTitle("全部内容保存在这一个文件中,随时自动保存;可以复制到U盘备份或交给他人继续填写。")
        self.path = QLineEdit()
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("推荐库文件:"))
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._edited = False
        self.path.textEdited.connect(lambda _t: setattr(self, "_edited", True))

    def is_touched(self) -> bool:
        return self._edited

    def initializePage(self) -> None:
        if not self._edited:
            current = Path(self.path.text()).parent if self.path.text() else None
            self.path.setText(str(default_store_path(self.unit_step.form.unit().name, current)))

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "保存推荐库", self.path.text(), STORE_FILTER)
        if name:
            self.path.setText(name)
            self._edited = True

    def chosen(self) -> Path:
        path = Path(self.path.text().strip()).expanduser()
        return path if path.suffix == STORE_SUFFIX else path.with_name(path.name + STORE_SUFFIX)

    def validatePage(self) -> bool:
        if not self.path.text().strip():
            self.error.setText("请选择保存位置。")
            return False
        path = self.chosen()
        if path.exists():
            self.error.setText(f"文件“{path.name}”已存在,请换一个文件名。")
            return False
        if not path.parent.is_dir():
            self.error.setText(f"文件夹“{path.parent}”不存在,请重新选择。")
            return False
        return True


class FirstRunWizard(QWizard):
    """After exec(): `demo_wanted` (先看示例), `open_instead` (a file chosen via the link), or else
    `path()` and `unit()`."""

    def __init__(
        self, parent: QWidget | None = None, folder: Path | None = None, campaign: Campaign | None = None
    ) -> None:
        super().__init__(parent)
        self.campaign = campaign or default_campaign()
        self.setWindowTitle(f"{APP_NAME} · 新建推荐库")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.unit_step = UnitPageStep(self.campaign)
        self.file_step = FilePageStep(self.unit_step)
        if folder is not None:
            self.file_step.path.setText(str(folder / f"推荐材料{STORE_SUFFIX}"))
        self.addPage(self.unit_step)
        self.addPage(self.file_step)
        self.open_instead: Path | None = None
        self.demo_wanted = False  # the clerk chose 先看示例
        self.unit_step.open_existing.clicked.connect(self._open_existing)
        self.unit_step.show_demo.clicked.connect(self._show_demo)
        self.setMinimumSize(620, 560)

    def preset_path(self, path: Path) -> None:
        self.file_step.path.setText(str(path))
        self.file_step._edited = True

    def _open_existing(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "打开推荐库", str(documents_dir()), STORE_FILTER)
        if name:
            self.open_instead = Path(name)
            self.accept()

    def _show_demo(self) -> None:
        self.demo_wanted = True
        self.done(QWizard.DialogCode.Accepted)

    def reject(self) -> None:
        """取消, Esc or the window's ✕: what was typed is not thrown away without asking."""
        if self.unit_step.is_touched() or self.file_step.is_touched():
            answer = QMessageBox.question(
                self,
                "放弃新建推荐库",
                "已填写的内容还没有保存。确定放弃吗?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def path(self) -> Path:
        return self.file_step.chosen()

    def unit(self) -> Unit:
        return self.unit_step.form.unit()
