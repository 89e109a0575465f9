"""First run (and 文件 → 新建): which campaign (the notice being answered), who is recommending and
their allocation, and where the store file goes (default: Documents). Produces a campaign, a path
and a Unit; the window creates the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from nominator import APP_NAME
from nominator.campaign import Campaign, Installed, default_campaign, installed
from nominator.domain.model import Unit
from nominator.domain.naming import unit_name_problem
from nominator.errors import UserError
from nominator.store.session import STORE_SUFFIX
from nominator.ui.pages.unit import UnitForm
from nominator.ui.screen import minimum_within, resize_within

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


CAMPAIGN_FILTER = "活动规则文件或活动包 (*.toml *.zip)"


def describe_deadlines(campaign: Campaign) -> str:
    return ",".join(
        f"{s.name} {s.deadline.year}年{s.deadline.month}月{s.deadline.day}日" if s.deadline else s.name
        for s in campaign.stages.values()
    )


class CampaignPageStep(QWizardPage):
    """Which notice this store answers: the installed campaigns, newest first, and 从文件添加活动…"""

    def __init__(self, chosen: Campaign) -> None:
        super().__init__()
        self.setTitle("第1步:评选活动")
        self.setSubTitle(
            "请选择这次要填报的评选活动(对应省里下发的通知)。新的活动可以从活动文件或活动包添加。"
        )
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.itemSelectionChanged.connect(self.completeChanged.emit)
        self.list.itemDoubleClicked.connect(self._go_on)
        self.add_button = QPushButton("从文件添加活动…")
        self.add_button.setToolTip("选择省里发来的活动规则文件(.toml)或活动包(.zip),添加到本机后即可选择")
        self.add_button.clicked.connect(self.add_from_file)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a6d00;")
        self.open_existing = QPushButton("已有推荐库文件?点此打开…")
        self.open_existing.setFlat(True)
        self.show_demo = QPushButton("先看示例")
        self.show_demo.setToolTip(
            "打开所选活动的一个填好的示例推荐库,看看填完后是什么样子;示例不会影响您自己的推荐库。"
        )
        links = QHBoxLayout()
        links.addWidget(self.show_demo)
        links.addStretch(1)
        links.addWidget(self.open_existing)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addLayout(links)
        self.entries: list[Installed] = []
        self.fill(chosen.id, extra=chosen)

    def fill(self, select: str, extra: Campaign | None = None) -> None:
        """The installed campaigns (plus `extra`, one given by file that is not installed)."""
        problems: list[str] = []
        self.entries = installed(problems=problems)
        if extra is not None and all(e.campaign.id != extra.id for e in self.entries):
            self.entries.insert(0, Installed(extra, extra.forms_dir, shipped=False))
        self.list.clear()
        today = dt.date.today()
        for entry in self.entries:
            c = entry.campaign
            title = f"{c.title}(示例)" if c.example and "示例" not in c.title else c.title
            deadlines = [s.deadline for s in c.stages.values() if s.deadline]
            closed = "  · 已截止" if deadlines and max(deadlines) < today else ""
            item = QListWidgetItem(f"{title}\n    {c.issuer} · 截止:{describe_deadlines(c)}{closed}")
            item.setToolTip(f"活动编号 {c.id} · {entry.origin}")
            self.list.addItem(item)
            if c.id == select:
                self.list.setCurrentItem(item)
        self.note.setText("\n".join(f"提示:{p}" for p in problems))

    def _go_on(self, *_args: object) -> None:
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def chosen(self) -> Campaign | None:
        row = self.list.currentRow()
        return self.entries[row].campaign if 0 <= row < len(self.entries) else None

    def isComplete(self) -> bool:
        return self.chosen() is not None

    def add_from_file(self) -> None:
        from nominator.campaign import add, load_file
        from nominator.export.templates import check_campaign_templates

        name, _ = QFileDialog.getOpenFileName(self, "从文件添加活动", str(documents_dir()), CAMPAIGN_FILTER)
        if not name:
            return
        try:
            problems = check_campaign_templates(load_file(Path(name)))
            if problems:
                raise UserError(problems[0])
            campaign = add(Path(name))
        except UserError as exc:
            if "已添加过编号" in str(exc) and self._confirm_replace():
                campaign = add(Path(name), replace=True)
            else:
                QMessageBox.warning(self, "无法添加活动", str(exc))
                return
        self.fill(campaign.id)
        self.note.setText(f"已添加活动:{campaign.title}")

    def _confirm_replace(self) -> bool:
        answer = QMessageBox.question(
            self,
            "替换已添加的活动",
            "本机已添加过同一编号的活动,内容与所选文件不同。用所选文件替换它吗?\n"
            "已建好的推荐库仍按各自保存的规则工作,不受影响。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


class UnitPageStep(QWizardPage):
    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self._layout = QVBoxLayout(self)
        self.form: UnitForm | None = None
        self.campaign: Campaign = campaign
        self.set_campaign(campaign)
        self._layout.addWidget(self.error)
        self._layout.addStretch(1)

    def set_campaign(self, campaign: Campaign) -> None:
        """The unit's kinds, labels and allocation follow the chosen campaign."""
        if self.form is not None and self.campaign.id == campaign.id and self.campaign.text == campaign.text:
            return
        self.campaign = campaign
        alloc = campaign.allocation
        table = f"《{alloc.table}》({alloc.source})" if alloc.table else alloc.source
        self.setTitle(f"第2步:{campaign.kinds['unit'].label}")
        self.setSubTitle(f"请按{table}填写。以后可以在“{campaign.kinds['unit'].label}”页修改。")
        old = self.form
        self.form = UnitForm(campaign)
        self.form.set_unit(Unit())
        self.form.clear_kind()  # chosen by the clerk, not assumed
        self.form.edited.connect(lambda: self.error.setText(""))
        if old is not None:
            self._layout.replaceWidget(old, self.form)
            old.deleteLater()
        else:
            self._layout.insertWidget(0, self.form)

    def is_touched(self) -> bool:
        """Anything typed or chosen yet (then 取消 asks before throwing it away)."""
        form = self.form
        assert form is not None
        typed = (form.name, form.contact, form.phone)
        return bool(form.kind.value() or any(w.value().strip() for w in typed) or form.allocation_typed())

    def validatePage(self) -> bool:
        assert self.form is not None
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
        missing = self.form.allocation_missing()
        if missing is not None:
            return self._refuse(*missing)
        return True

    def _refuse(self, message: str, widget: QWidget) -> bool:
        self.error.setText(message)
        widget.setFocus()
        return False


class FilePageStep(QWizardPage):
    def __init__(self, unit_step: UnitPageStep) -> None:
        super().__init__()
        self.unit_step = unit_step
        self.setTitle("第3步:保存位置")
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
            form = self.unit_step.form
            self.path.setText(str(default_store_path(form.unit().name if form else "", current)))

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
    """After exec(): `demo_wanted` (先看示例, of `campaign`), `open_instead` (a file chosen via the
    link), or else `campaign`, `path()` and `unit()`."""

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
        self.campaign_step = CampaignPageStep(self.campaign)
        self.unit_step = UnitPageStep(self.campaign)
        self.file_step = FilePageStep(self.unit_step)
        if folder is not None:
            self.file_step.path.setText(str(folder / f"推荐材料{STORE_SUFFIX}"))
        self.addPage(self.campaign_step)
        self.addPage(self.unit_step)
        self.addPage(self.file_step)
        self.open_instead: Path | None = None
        self.demo_wanted = False  # the clerk chose 先看示例
        self.campaign_step.open_existing.clicked.connect(self._open_existing)
        self.campaign_step.show_demo.clicked.connect(self._show_demo)
        self.currentIdChanged.connect(self._page_changed)
        minimum_within(self, 620, 560)
        resize_within(self, 760, 600)

    def _page_changed(self, _page_id: int) -> None:
        if self.currentPage() is self.unit_step:
            chosen = self.campaign_step.chosen()
            if chosen is not None:
                self.campaign = chosen
                self.unit_step.set_campaign(chosen)

    def preset_path(self, path: Path) -> None:
        self.file_step.path.setText(str(path))
        self.file_step._edited = True

    def _open_existing(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "打开推荐库", str(documents_dir()), STORE_FILTER)
        if name:
            self.open_instead = Path(name)
            self.accept()

    def _show_demo(self) -> None:
        self.campaign = self.campaign_step.chosen() or self.campaign
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
        assert self.unit_step.form is not None
        return self.unit_step.form.unit()
