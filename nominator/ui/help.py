"""帮助 menu: a short guide, the notice itself, the organiser's contacts, and where this
computer keeps the store, its backups, the logs and the settings — all inside the program,
offline. The notice and the contacts come from the campaign file; nothing here is a fact of a
particular notice."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nominator import APP_NAME, __version__
from nominator.campaign import Campaign
from nominator.campaign.catalog import notice_path
from nominator.store import backup
from nominator.ui.document import Document
from nominator.ui.export_dialog import default_export_folder, open_path
from nominator.ui.fields import unit_field_label
from nominator.ui.messages import log_dir
from nominator.ui.screen import resize_within
from nominator.ui.settings import settings


class TextDialog(QDialog):
    """A titled, resizable page of text the clerk can read, select and copy."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None, *, rich: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        if rich:
            self.text.setHtml(body)
        else:
            self.text.setPlainText(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        resize_within(self, 720, 560)


# ---- the texts ----------------------------------------------------------------------------------


def guide_html(campaign: Campaign) -> str:
    """A short guide, in the campaign's own words (kinds, stages, mailbox, paper, review)."""
    e = html.escape
    deadlines = "".join(
        f"<li>{e(campaign.stage_name(stage))}材料:{day.year}年{day.month}月{day.day}日前</li>"
        for stage, day in campaign.deadlines.items()
    )
    kinds = campaign.kinds
    unit, nominees = kinds["unit"], [kinds[k] for k in campaign.nominee_kinds()]
    people = [spec for spec in nominees if spec.photo is not None]
    others = "、".join(
        k.label for key, k in kinds.items() if key != "unit" and key not in campaign.nominee_kinds()
    )
    examples = "、".join(f"“{k.name_example}”" for k in campaign.unit_kinds.values() if k.name_example)
    allocated = [k.label for k in campaign.unit_kinds.values() if k.uses_allocation]
    allocation = f",{'、'.join(allocated)}还要填{campaign.allocation.source}的分配名额" if allocated else ""
    photos_part = (
        f"<li><b>照片</b>:在“照片”页为每位{e('、'.join(k.label for k in people))}选择照片,"
        "不合格的点“自动处理”或“全部自动处理”。</li>"
        if people
        else ""
    )
    review = campaign.review()
    after_review = next((s.name for k, s in campaign.stages.items() if campaign.review_before(k)), "")
    review_part = (
        f"<h3>四、{e(review.label)}之后</h3><p>收到{e(review.label)}后,在每个推荐对象的“{e(review.label)}”中选"
        f"“{e(review.kept)}”或“{e(review.dropped)}”,再把问题面板切换到“{e(after_review)}材料”。</p>"
        if review is not None
        else ""
    )
    return f"""
<h2>{e(APP_NAME)} 使用指南</h2>
<p>{e(campaign.title)}。所有内容只保存在本机的推荐库文件中,随时自动保存,不需要“保存”。</p>
<h3>一、填写</h3>
<ol>
<li><b>{e(unit.label)}</b>:{e(unit_field_label(campaign, "name"))}(用于邮件主题{f",如{examples}" if examples else ""})、
{e(unit_field_label(campaign, "contact"))}、{e(unit_field_label(campaign, "phone"))}{e(allocation)}。</li>
<li><b>{e("、".join(k.label for k in nominees))}</b>:点“新增”(Ctrl+N)后在右侧逐项填写。超过名额时不能新增,会说明原因。</li>
{photos_part}<li><b>{e("、".join(x for x in (others, "推荐工作报告") if x))}</b>:按页面提示填写。</li>
</ol>
<h3>二、检查</h3>
<p>窗口右侧的“问题”面板随时列出所选阶段的全部问题:红色为错误,必须修改;黄色为提醒,
可以修改,或选中后点“接受此提醒”并写明理由。双击问题即可跳到要修改的地方。</p>
<h3>三、导出和报送</h3>
<p>“文件 → 导出报送材料”(Ctrl+E)生成全部材料、打印合集和邮件草稿。
纸质材料用{e(campaign.printing.paper)}纸打印,一式{campaign.print_copies}份。</p>
<ul>{deadlines}</ul>
<p>电子版发送到 {e(campaign.email.to)},邮件主题由程序按通知要求生成。</p>
{review_part}
<h3>五、出错了怎么办</h3>
<p>随时可以撤销(Ctrl+Z)。每次打开推荐库都会自动备份,“文件 → 从备份恢复”可以找回。
通知原文、联系方式和数据保存位置见“帮助”菜单。</p>
"""


def contacts_html(campaign: Campaign) -> str:
    if not campaign.contacts:
        return "<p>本次评选的活动文件没有列出联系方式,请查看通知原文。</p>"
    parts = [f"<h2>{html.escape(campaign.issuer)} 联系方式</h2>"]
    for c in campaign.contacts:
        rows = [("联系人", c.name), ("联系电话", c.phone)]
        cells = "".join(
            f"<tr><td style='padding-right:12px'>{label}</td><td>{html.escape(value)}</td></tr>"
            for label, value in rows
            if value
        )
        parts.append(f"<h3>{html.escape(c.role)}</h3><table>{cells}</table>")
    parts.append(f"<p>电子版材料发送邮箱:{html.escape(campaign.email.to)}</p>")
    if campaign.notice:
        parts.append("<p>通讯地址、传真等见“帮助 → 通知原文”。</p>")
    return "".join(parts)


def notice_text(campaign: Campaign) -> str | None:
    if not campaign.notice:
        return None
    path = notice_path(campaign)  # beside the campaign file: shipped, added, or in its pack
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def data_places(doc: Document | None) -> list[tuple[str, Path, str]]:
    """(what, where, note) for each place this program keeps something on this computer."""
    places: list[tuple[str, Path, str]] = []
    if doc is not None:
        places.append(("推荐库文件", doc.path, "全部内容都在这一个文件中;复制它即可备份或换电脑。"))
        places.append(
            ("自动备份", backup.backup_dir_for(doc.path), "每次打开、导入前各备份一份,保留最近10份。")
        )
    chosen = str(settings().value("export_folder", "") or default_export_folder())
    places.append(("导出的报送材料", Path(chosen), "导出时选择的文件夹(这里是上次选择的)。"))
    places.append(("日志", Path(log_dir()), "出错时请把其中的 nominator.log 发给技术支持人员。"))
    places.append(("窗口设置、最近打开的文件", Path(settings().fileName()), ""))
    return places


class PlacesDialog(QDialog):
    """数据和备份保存在哪里: each place with a button that opens its folder."""

    def __init__(self, doc: Document | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("数据和备份保存在哪里")
        grid = QGridLayout()
        self.places = data_places(doc)
        self.buttons: list[QPushButton] = []
        for row, (what, where, note) in enumerate(self.places):
            title = QLabel(f"<b>{html.escape(what)}</b>")
            path = QLabel(
                str(where) + (f"<br><span style='color:#555555'>{html.escape(note)}</span>" if note else "")
            )
            path.setTextFormat(Qt.TextFormat.RichText)
            path.setWordWrap(True)
            path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            folder = where if where.is_dir() else where.parent
            button = QPushButton("打开文件夹")
            button.clicked.connect(lambda _c=False, f=folder: open_path(self, f))
            button.setEnabled(folder.is_dir())
            self.buttons.append(button)
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(path, row, 1)
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        intro = QLabel("本程序不联网,所有数据只保存在这台电脑上的以下位置。卸载或升级程序不会删除它们。")
        intro.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addWidget(close)
        resize_within(self, 760, 420)


def about_text(campaign: Campaign | None) -> str:
    return (
        f"{APP_NAME} {__version__}\n\n评选表彰推荐材料的离线准备工具。\n"
        + (f"当前活动:{campaign.title}\n" if campaign is not None else "")
        + "所有内容只保存在本机的推荐库文件中。"
    )
