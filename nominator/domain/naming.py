"""Names the province reads mechanically: the unit name in the email subject (M4) and the photo
file name (F2)."""

from __future__ import annotations

import re

from nominator.campaign import Campaign
from nominator.domain.model import Individual, Unit

SPECIAL_REGIONS = ("省沈抚改革创新示范区",)
DEPARTMENT_ENDINGS = ("厅", "委", "办", "局", "室", "院", "会", "中心", "署", "馆", "社", "行", "部")


def unit_name_problem(unit: Unit) -> str | None:
    """Why the unit's name cannot head the email subject, or None when it can."""
    name = unit.name.strip()
    if not name:
        return "请填写推荐单位名称,例如“沈阳市”或“省教育厅”。"
    if name != unit.name or re.search(r"\s", name):
        return "推荐单位名称中不能有空格。"
    if unit.kind == "region":
        if name in SPECIAL_REGIONS or (name.endswith("市") and len(name) >= 3):
            return None
        return f"地区推荐单位名称应以“市”结尾(如“沈阳市”),或为“省沈抚改革创新示范区”,当前为“{name}”。"
    if unit.kind == "department":
        if name.startswith("省") and name.endswith(DEPARTMENT_ENDINGS) and len(name) >= 3:
            return None
        return f"省直单位名称应为“省……厅/委/办/局”的简称形式(如“省教育厅”),当前为“{name}”。"
    return None


def email_subject(unit: Unit, campaign: Campaign) -> str:
    return campaign.email.subject_for(unit.name.strip())


def expected_photo_name(person: Individual) -> str:
    return f"{person.name.strip()}-{person.birth_yyyymmdd()}.jpg"
