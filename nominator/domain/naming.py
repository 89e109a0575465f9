"""Names the province reads mechanically: the unit name in the email subject (M4) and the photo
file name (F2). The rule for each kind of unit's name comes from the campaign file."""

from __future__ import annotations

import re
from typing import Any

from nominator.campaign import Campaign, PhotoFields
from nominator.domain.model import NOMINEE_KINDS, Nominee, Unit


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
    better = suggested_unit_name(unit, campaign)
    return f"{kind.name_rule},当前为“{name}”。" + (f"请改为“{better}”。" if better else "")


def suggested_unit_name(unit: Unit, campaign: Campaign) -> str | None:
    """The name as the subject wants it, when the clerk typed a recognisable longer or shorter
    form of it — a province's name before 省 (辽宁省教育厅 → 省教育厅, 辽宁省沈阳市 → 沈阳市), or
    a city without 市 — and that form fits the kind's rule. None when there is none."""
    kind = campaign.unit_kinds.get(unit.kind)
    name = re.sub(r"\s", "", unit.name)
    if kind is None or not name or re.search(kind.name_pattern, name):
        return None
    candidates: list[str] = []
    province = re.match(r"^[\u4e00-\u9fff]{2,3}省(.+)$", name)
    for short in (province.group(1) if province else None, name):
        if short:
            candidates += ["省" + short, short]
            if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", short) and not short.endswith(_ADMIN_ENDINGS):
                candidates.append(short + "市")
    return next((c for c in candidates if c != name and re.search(kind.name_pattern, c)), None)


_ADMIN_ENDINGS = ("区", "县", "旗", "镇", "乡", "省", "州", "盟", "市")


def email_subject(unit: Unit, campaign: Campaign) -> str:
    return campaign.email.subject_for(unit.name.strip())


def photo_kind(campaign: Campaign) -> Any:
    """The nominee kind whose people bring photos (F1–F3), or "" when none does."""
    return next((k for k in NOMINEE_KINDS if k in campaign.kinds and campaign.kinds[k].photo), "")


def photo_identity(person: Nominee, fields: PhotoFields) -> tuple[str, str]:
    """(name, date) a person's photo is named after (F2): the fields the kind's `photo` names."""
    return str(person.get(fields.name_field) or ""), str(person.get(fields.date_field) or "")


def expected_photo_name(person: Nominee, fields: PhotoFields) -> str:
    """姓名-YYYYMMDD.jpg (F2), from the fields the kind's photo is named after."""
    name, day = photo_identity(person, fields)
    return f"{name.strip()}-{day.replace('-', '')}.jpg"
