"""活动 → 新建活动(基于当前活动): the facts of the next notice typed into a form become a checked
campaign file in the user's campaigns folder, with its own copy of the templates."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from nominator.campaign import load_campaign, user_campaigns_dir
from nominator.ui.campaign_editor import CampaignEditor


def test_a_new_campaign_based_on_the_current_one_is_saved_checked(qtbot: QtBot) -> None:
    base = load_campaign("liaoning-zwgk-2025")
    editor = CampaignEditor(base)
    qtbot.addWidget(editor)
    assert editor.id.text() == "liaoning-zwgk-2026"  # the next edition, by default
    editor.title.setText("辽宁省政务公开工作先进集体和先进个人评选表彰(2026)")
    editor.stage_boxes[0].deadline.set_value("2026-12-24")
    editor.stage_boxes[1].name.setText("复审")
    editor.email_to.setText("new@ln.gov.cn")
    editor.factor.setValue(30)
    editor.working_days.setValue(7)
    editor.preset.setCurrentIndex(1)  # 小二寸 35×45
    editor.copies.setValue(3)
    editor.save()
    assert editor.error.text() == ""
    saved = load_campaign("liaoning-zwgk-2026")
    assert (user_campaigns_dir() / "liaoning-zwgk-2026.toml").is_file()
    assert saved.stages["initial"].deadline.isoformat() == "2026-12-24"
    assert saved.stages["formal"].name == "复审"
    assert saved.email.to == "new@ln.gov.cn" and saved.quota.factor_percent == "30%"
    assert saved.publicity.working_days == 7 and saved.printing.copies == 3
    assert (saved.photo.size_name, saved.photo.height_mm, saved.photo.height_px) == ("小二寸", 45, 531)
    assert saved.forms_dir.parent.parent == user_campaigns_dir().parent
    assert (saved.forms_dir / "form3.docx").is_file()
    # the shipped campaign is untouched
    assert load_campaign("liaoning-zwgk-2025").email.to == "zfxxgk@ln.gov.cn"


def test_a_bad_value_is_shown_in_the_dialog_and_nothing_is_written(qtbot: QtBot) -> None:
    editor = CampaignEditor(load_campaign("liaoning-zwgk-2025"))
    qtbot.addWidget(editor)
    editor.email_to.setText("不是邮箱")
    editor.save()
    assert "email.to" in editor.error.text() and "不是有效的邮箱地址" in editor.error.text()
    assert editor.result() == 0
    assert not user_campaigns_dir().exists() or not any(user_campaigns_dir().glob("*.toml"))


def test_the_same_id_as_the_base_is_refused_for_a_new_campaign(qtbot: QtBot) -> None:
    editor = CampaignEditor(load_campaign("liaoning-zwgk-2025"))
    qtbot.addWidget(editor)
    editor.id.setText("liaoning-zwgk-2025")
    editor.save()
    assert "编号" in editor.error.text()
