"""[print] paper is read: the sheets the program lays out itself take the campaign's paper, and a
template laid out for another paper is named when the campaign is checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from nominator.campaign import load_campaign
from nominator.cli import main
from nominator.export.photo_sheets import grid_for, write_photo_sheet
from nominator.export.printset import ChecklistRow, write_checklist
from nominator.paths import resources_dir


def page_mm(path: Path) -> tuple[int, int]:
    section = Document(str(path)).sections[0]
    return round(section.page_width.mm), round(section.page_height.mm)


def test_photo_sheet_and_checklist_take_the_campaigns_paper(tmp_path: Path) -> None:
    campaign = load_campaign()
    from nominator.domain.photo import make_demo_photo

    b5 = (176.0, 250.0)
    sheet = tmp_path / "photos.docx"
    write_photo_sheet(
        [("沈阳市", "王丽娜", make_demo_photo(0, campaign.photo))], campaign.photo, sheet, paper=b5
    )
    assert page_mm(sheet) == (176, 250)
    assert grid_for(campaign.photo, b5).columns < grid_for(campaign.photo).columns
    checklist = tmp_path / "checklist.docx"
    write_checklist(
        [ChecklistRow("附件2", 1, 5)],
        unit_name="沈阳市",
        stage_name="初审",
        email="x@y.cn",
        out=checklist,
        paper_note="纸质材料B5纸打印,一式5份",
        paper=b5,
    )
    assert page_mm(checklist) == (176, 250)


def test_a_template_for_another_paper_is_named_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml").read_text(encoding="utf-8")
    text = text.replace('id = "liaoning-zwgk-2025"', 'id = "liaoning-a3"', 1).replace(
        'paper = "A4"', 'paper = "A3"', 1
    )
    path = tmp_path / "liaoning-a3.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["campaign", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "模板“form2.docx”的纸张是 210×297 毫米,活动要求 A3" in out
