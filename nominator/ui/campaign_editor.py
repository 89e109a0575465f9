"""活动 → 新建活动(基于当前活动)… / 编辑活动…: the facts the next notice usually changes, edited
in a form and written as a checked campaign file into the user's campaigns folder.

The editor never writes TOML itself: it changes values in place in the base file's text
(`nominator.campaign.edit`), so comments and everything it does not show stay as they were, and the
result goes through the same loader as any file before it is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nominator.campaign import PAPER_SIZES_MM, Campaign, CampaignFileError, save_user_campaign
from nominator.campaign.edit import PHOTO_PRESETS, apply, factor_for_percent, photo_pixels
from nominator.domain.model import parse_date
from nominator.errors import UserError
from nominator.ui.screen import resize_within
from nominator.ui.widgets import DateField

CUSTOM = "自定义"


class StageBox(QGroupBox):
    """One stage: its name, its deadline, and which forms go with it."""

    def __init__(self, campaign: Campaign, key: str, parent: QWidget | None = None) -> None:
        stage = campaign.stages[key]
        super().__init__(f"报送阶段:{stage.name}({key})", parent)
        self.key = key
        self.name = QLineEdit(stage.name)
        self.deadline = DateField(f"例:{campaign.notice_date.isoformat()}")
        self.deadline.set_value(stage.deadline.isoformat() if stage.deadline else "")
        self.forms = QListWidget()
        for form_key, spec in campaign.forms.items():
            title = f"{spec.attachment} {spec.title_for('')}".strip() if spec.attachment else spec.title
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, form_key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if form_key in stage.forms else Qt.CheckState.Unchecked)
            self.forms.addItem(item)
        self.forms.setMaximumHeight(self.forms.sizeHintForRow(0) * min(6, len(campaign.forms)) + 8)
        form = QFormLayout(self)
        form.addRow("名称", self.name)
        form.addRow("截止日期", self.deadline)
        form.addRow("本阶段材料", self.forms)

    def chosen_forms(self) -> list[str]:
        chosen = []
        for row in range(self.forms.count()):
            item = self.forms.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return chosen


class CampaignEditor(QDialog):
    """After exec(): `saved` is the campaign written, or None."""

    def __init__(self, base: Campaign, *, edit: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base, self.edit = base, edit
        self.saved: Campaign | None = None
        self.setWindowTitle("编辑活动" if edit else "新建活动(基于当前活动)")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._general())
        self.stage_boxes = [StageBox(base, key) for key in base.stages]
        for box in self.stage_boxes:
            layout.addWidget(box)
        layout.addWidget(self._mail())
        layout.addWidget(self._quota())
        layout.addWidget(self._photo_and_print())
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        templates = QPushButton("打开模板文件夹")
        templates.setToolTip(f"用 Word/Excel/WPS 替换或修改模板:{base.forms_dir}")
        templates.clicked.connect(self.open_templates)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(templates)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.error)
        outer.addLayout(bottom)
        resize_within(self, 640, 620)

    # ---- the parts -----------------------------------------------------------------------

    def _general(self) -> QGroupBox:
        base = self.base
        box = QGroupBox("活动")
        self.id = QLineEdit(base.id if self.edit else _next_id(base.id))
        self.id.setReadOnly(self.edit)
        self.id.setToolTip(f"只用小写英文字母、数字和“-”,如 {_next_id(base.id)}")
        self.title = QLineEdit(base.title)
        self.short_title = QLineEdit(base.short_title)
        self.title_prefix = QLineEdit(base.title_prefix)
        self.issuer = QLineEdit(base.issuer)
        self.addressee = QLineEdit(base.addressee)
        self.notice_date = DateField()
        self.notice_date.set_value(base.notice_date.isoformat())
        form = QFormLayout(box)
        for label, widget in (
            ("活动编号", self.id),
            ("活动名称", self.title),
            ("简称(报告标题用)", self.short_title),
            ("表格标题开头", self.title_prefix),
            ("发文单位", self.issuer),
            ("邮件称呼", self.addressee),
            ("通知日期", self.notice_date),
        ):
            form.addRow(label, widget)
        return box

    def _mail(self) -> QGroupBox:
        box = QGroupBox("报送邮箱")
        self.email_to = QLineEdit(self.base.email.to)
        self.subject = QLineEdit(self.base.email.subject)
        self.subject.setToolTip(f"{{unit}} 处填入推荐单位名称,如“{self.base.email.subject}”")
        self.mailbox = QDoubleSpinBox()
        self.mailbox.setRange(1, 1024)
        self.mailbox.setSuffix(" MB")
        self.mailbox.setValue(self.base.email.mailbox_limit_mb)
        form = QFormLayout(box)
        form.addRow("收件邮箱", self.email_to)
        form.addRow("邮件主题", self.subject)
        form.addRow("附件上限", self.mailbox)
        return box

    def _quota(self) -> QGroupBox:
        box = QGroupBox("名额、比例与公示")
        num, den = self.base.quota.factor
        self.factor = QDoubleSpinBox()
        self.factor.setRange(0, 200)
        self.factor.setDecimals(1)
        self.factor.setSuffix(" %")
        self.factor.setValue((num - den) * 100 / den)
        self.share = QSpinBox()
        self.share.setRange(0, 100)
        self.share.setSuffix(" %")
        share = self.base.quota.share_max
        self.share.setValue(share.percent if share else 0)
        self.share.setEnabled(share is not None)
        self.working_days = QSpinBox()
        self.working_days.setRange(1, 60)
        self.working_days.setValue(self.base.publicity.working_days)
        form = QFormLayout(box)
        form.addRow("分配名额可上浮", self.factor)
        form.addRow(f"{share.value if share else '比例'}不超过", self.share)
        form.addRow("公示工作日数", self.working_days)
        return box

    def _photo_and_print(self) -> QGroupBox:
        photo, printing = self.base.photo, self.base.printing
        box = QGroupBox("照片与打印")
        self.preset = QComboBox()
        self.preset.addItems([f"{name} {w}×{h} 毫米" for name, (w, h) in PHOTO_PRESETS.items()] + [CUSTOM])
        self.size_name = QLineEdit(photo.size_name)
        self.width_mm = QDoubleSpinBox()
        self.height_mm = QDoubleSpinBox()
        for spin, value in ((self.width_mm, photo.width_mm), (self.height_mm, photo.height_mm)):
            spin.setRange(10, 100)
            spin.setDecimals(1)
            spin.setSuffix(" 毫米")
            spin.setValue(value)
            spin.valueChanged.connect(lambda _v: self._update_pixels())
        self.pixels = QLabel()
        self.photo_copies = QSpinBox()
        self.photo_copies.setRange(0, 20)
        self.photo_copies.setValue(photo.copies)
        self.paper = QComboBox()
        self.paper.addItems(list(PAPER_SIZES_MM))
        self.paper.setCurrentText(printing.paper)
        self.copies = QSpinBox()
        self.copies.setRange(1, 20)
        self.copies.setValue(printing.copies)
        self.preset.setCurrentIndex(self._preset_index())
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        form = QFormLayout(box)
        form.addRow("照片尺寸", self.preset)
        form.addRow("尺寸名称", self.size_name)
        sizes = QHBoxLayout()
        sizes.addWidget(self.width_mm)
        sizes.addWidget(QLabel("×"))
        sizes.addWidget(self.height_mm)
        sizes.addWidget(self.pixels, 1)
        form.addRow("宽 × 高", sizes)
        form.addRow("每人纸质照片", self.photo_copies)
        form.addRow("纸张", self.paper)
        form.addRow("纸质材料份数", self.copies)
        self._update_pixels()
        return box

    def _preset_index(self) -> int:
        size = (self.width_mm.value(), self.height_mm.value())
        for n, (w, h) in enumerate(PHOTO_PRESETS.values()):
            if (w, h) == size:
                return n
        return len(PHOTO_PRESETS)

    def _preset_chosen(self, index: int) -> None:
        if index >= len(PHOTO_PRESETS):
            return
        name, (w, h) = list(PHOTO_PRESETS.items())[index]
        self.width_mm.setValue(w)
        self.height_mm.setValue(h)
        self.size_name.setText(name)

    def _update_pixels(self) -> None:
        w, h = photo_pixels(self.width_mm.value(), self.height_mm.value(), self.base.photo.dpi)
        self.pixels.setText(f"= {w}×{h} 像素({self.base.photo.dpi} dpi)")
        if hasattr(self, "preset"):
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self._preset_index())
            self.preset.blockSignals(False)

    # ---- saving ------------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "id": self.id.text().strip(),
            "title": self.title.text().strip(),
            "short_title": self.short_title.text().strip(),
            "issuer": self.issuer.text().strip(),
            "email.to": self.email_to.text().strip(),
            "email.subject": self.subject.text().strip(),
            "email.mailbox_limit_mb": self.mailbox.value(),
            "quota.factor": list(factor_for_percent(self.factor.value())),
            "publicity.working_days": self.working_days.value(),
            "photo.size_name": self.size_name.text().strip(),
            "photo.width_mm": self.width_mm.value(),
            "photo.height_mm": self.height_mm.value(),
            "photo.copies": self.photo_copies.value(),
            "print.paper": self.paper.currentText(),
            "print.copies": self.copies.value(),
        }
        w, h = photo_pixels(self.width_mm.value(), self.height_mm.value(), self.base.photo.dpi)
        changes["photo.width_px"], changes["photo.height_px"] = w, h
        if self.base.title_prefix or self.title_prefix.text().strip():
            changes["title_prefix"] = self.title_prefix.text().strip()
        if self.base.addressee or self.addressee.text().strip():
            changes["addressee"] = self.addressee.text().strip()
        if self.base.quota.share_max is not None:
            changes["quota.share_max.percent"] = self.share.value()
        notice = parse_date(self.notice_date.value())
        if notice is None:
            raise UserError(f"通知日期“{self.notice_date.value()}”不是有效日期,请按“年-月-日”填写。")
        changes["notice_date"] = notice
        for n, box in enumerate(self.stage_boxes):
            changes[f"stages[{n}].name"] = box.name.text().strip()
            changes[f"stages[{n}].forms"] = box.chosen_forms()
            deadline = parse_date(box.deadline.value())
            if box.deadline.value() and deadline is None:
                raise UserError(f"“{box.name.text()}”的截止日期“{box.deadline.value()}”不是有效日期。")
            if deadline is not None and self.base.stages[box.key].deadline is not None:
                changes[f"stages[{n}].deadline"] = deadline
        return changes

    def save(self) -> None:
        from nominator.export.templates import check_campaign_templates

        try:
            checked = apply(self.base, self.changes(), forms_dir=self.base.forms_dir)
            problems = check_campaign_templates(checked)
            if problems:
                raise UserError(problems[0])
            if not self.edit and checked.id == self.base.id:
                raise UserError("新活动的编号不能与当前活动相同,请换一个编号(如在末尾改年份)。")
            self.saved = save_user_campaign(checked.text, base=self.base)
        except (CampaignFileError, UserError) as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def open_templates(self) -> None:
        folder = self.saved.forms_dir if self.saved else self.base.forms_dir
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _next_id(campaign_id: str) -> str:
    """some-campaign-2030 → some-campaign-2031; anything else gets -2."""
    head, _, tail = campaign_id.rpartition("-")
    if tail.isdigit() and len(tail) == 4:
        return f"{head}-{int(tail) + 1}"
    return f"{campaign_id}-2"
