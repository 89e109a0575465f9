"""The campaign file carries the notice's numbers; code reads them from there."""

from __future__ import annotations

import datetime as dt

import pytest

from nominator.campaign import Campaign, load_campaign
from nominator.errors import UserError


def test_campaign_holds_the_notices_deadlines_and_address(campaign: Campaign) -> None:
    assert campaign.deadlines == {"initial": dt.date(2025, 12, 25), "formal": dt.date(2026, 1, 12)}
    assert campaign.email.to == "zfxxgk@ln.gov.cn"
    assert campaign.email.subject_for("沈阳市") == "沈阳市全省政务公开工作表彰上报材料"


def test_photo_geometry_is_two_inch_at_300_dpi(campaign: Campaign) -> None:
    p = campaign.photo
    assert (p.width_mm, p.height_mm, p.width_px, p.height_px, p.dpi) == (35, 49, 413, 579, 300)
    assert round(p.width_mm / 25.4 * p.dpi) == p.width_px and round(p.height_mm / 25.4 * p.dpi) == p.height_px


def test_each_stage_lists_the_forms_of_m1_and_m2(campaign: Campaign) -> None:
    numbers = {stage: [campaign.forms[k].number for k in s.forms] for stage, s in campaign.stages.items()}
    assert numbers == {"initial": [0, 2, 3, 4, 9], "formal": [0, 5, 6, 7, 8]}
    assert campaign.stages["formal"].photos and not campaign.stages["initial"].photos


def test_form9_title_carries_the_unit_name(campaign: Campaign) -> None:
    assert campaign.forms["form9"].title_for("沈阳市").startswith("沈阳市政务公开工作")


def test_unknown_campaign_is_a_clear_message() -> None:
    with pytest.raises(UserError, match="未知的评选活动"):
        load_campaign("no-such-campaign")
