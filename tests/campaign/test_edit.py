"""The campaign editor changes values in place: comments and everything else stay as they were,
and what it writes is checked like any campaign file."""

from __future__ import annotations

import datetime as dt

import pytest

from nominator.campaign import CampaignFileError, load_campaign
from nominator.campaign.edit import apply, factor_for_percent, photo_pixels, set_value


def test_a_value_is_replaced_where_it_stands_keeping_the_comment() -> None:
    base = load_campaign()
    text = set_value(base.text, "publicity.working_days", 7)
    assert "working_days = 7" in text
    assert len(text.splitlines()) == len(base.text.splitlines())
    changed = [(a, b) for a, b in zip(base.text.splitlines(), text.splitlines(), strict=True) if a != b]
    assert changed == [("working_days = 5", "working_days = 7")]


def test_a_new_campaign_from_the_current_one_carries_every_change(tmp_path: dt.date) -> None:
    base = load_campaign()
    changes = {
        "id": "liaoning-zwgk-2026",
        "title": "辽宁省政务公开工作先进集体和先进个人评选表彰(2026)",
        "stages[0].deadline": dt.date(2026, 12, 20),
        "stages[1].name": "复审",
        "email.to": "new@ln.gov.cn",
        "quota.factor": list(factor_for_percent(25)),
        "print.copies": 3,
        "photo.size_name": "小二寸",
        "photo.height_mm": 45,
        "photo.height_px": photo_pixels(35, 45, 300)[1],
    }
    new = apply(base, changes, forms_dir=base.forms_dir)
    assert new.id == "liaoning-zwgk-2026"
    assert new.stages["initial"].deadline == dt.date(2026, 12, 20) and new.stages["formal"].name == "复审"
    assert new.email.to == "new@ln.gov.cn" and new.quota.factor_percent == "25%"
    assert new.printing.copies == 3 and (new.photo.height_mm, new.photo.height_px) == (45, 531)
    assert "# 辽宁省政务公开工作先进集体和先进个人评选表彰 (2025)" in new.text  # comments stay


@pytest.mark.parametrize(("percent", "factor"), [(20, (6, 5)), (25, (5, 4)), (0, (1, 1)), (12.5, (9, 8))])
def test_the_quota_percent_becomes_a_whole_number_fraction(percent: float, factor: tuple[int, int]) -> None:
    assert factor_for_percent(percent) == factor


def test_an_edit_that_breaks_the_rules_is_refused_before_anything_is_written() -> None:
    base = load_campaign()
    with pytest.raises(CampaignFileError, match=r"email\.to"):
        apply(base, {"email.to": "不是邮箱"}, forms_dir=base.forms_dir)
