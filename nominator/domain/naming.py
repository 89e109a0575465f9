"""Names the province reads mechanically: the unit name in the email subject (M4) and the photo
file name (F2). The rule for each kind of unit's name comes from the campaign file."""

from __future__ import annotations

import re

from nominator.campaign import Campaign
from nominator.domain.model import Individual, Unit


def name_examples(campaign: Campaign) -> list[str]:
    return [k.name_example for k in campaign.unit_kinds.values() if k.name_example]


def quoted_or(words: list[str]) -> str:
    """["沈阳市", "省教育厅"] → “沈阳市”或“省教育厅”"""
    quoted = [f"“{w}”" for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return "".join(quoted[:-1]) + "或" + quoted[-1]


def unit_name_problem(unit: Unit, campaign: Campaign) -> str | None:
    """Why the unit's name cannot head the email subject, or None when it can."""
    name = unit.name.strip()
    if not name:
        examples = name_examples(campaign)
        return "请填写推荐单位名称" + (f",例如{quoted_or(examples)}。" if examples else "。")
    if name != unit.name or re.search(r"\s", name):
        return "推荐单位名称中不能有空格。"
    kind = campaign.unit_kinds.get(unit.kind)
    if kind is None or re.search(kind.name_pattern, name):
        return None
    return f"{kind.name_rule},当前为“{name}”。"


def email_subject(unit: Unit, campaign: Campaign) -> str:
    return campaign.email.subject_for(unit.name.strip())


def expected_photo_name(person: Individual) -> str:
    return f"{person.name.strip()}-{person.birth_yyyymmdd()}.jpg"
