"""Editing a campaign file as text: a value is replaced where it stands, so the file keeps its
comments, its order and everything the editor does not touch — and the result is checked by the
same loader as any other file before it is used."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from nominator.campaign.loader import CampaignFileError, line_of, parse_campaign
from nominator.campaign.model import Campaign

Value = str | int | float | bool | dt.date | Sequence[str] | Sequence[int]

# Photo sizes clerks know by name (width × height in millimetres).
PHOTO_PRESETS = {"二寸": (35, 49), "小二寸": (35, 45), "大二寸": (35, 53), "一寸": (25, 35)}


def toml_value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def set_value(text: str, key: str, value: Value) -> str:
    """The file with `key` (dotted, `stages[0].deadline`) set to `value`, in place."""
    lines = text.splitlines(keepends=True)
    found = line_of([line.rstrip("\r\n") for line in lines], key)
    name = re.split(r"[.\[]", key)[-1] if not key.endswith("]") else None
    if found is None or name is None:
        raise CampaignFileError("活动规则文件", "无法定位,请直接编辑文件。", key=key)
    line = lines[found - 1]
    pattern = re.compile(rf"^(\s*{re.escape(name)}\s*=\s*)(.*?)(\s*(#.*)?)(\r?\n)?$")
    match = pattern.match(line)
    if match is None or _multiline_string(match.group(2)):
        raise CampaignFileError("活动规则文件", "无法在原位修改(可能是多行内容),请直接编辑文件。", key=key)
    ending = match.group(5) or ""
    lines[found - 1] = f"{match.group(1)}{toml_value(value)}{match.group(3)}{ending}"
    return "".join(lines)


def _multiline_string(raw: str) -> bool:
    return raw.startswith(('"""', "'''"))


def apply(base: Campaign, changes: Mapping[str, Value], *, forms_dir: Path) -> Campaign:
    """A new campaign: the base's file with these values changed, checked like any file."""
    text = base.text
    for key, value in changes.items():
        text = set_value(text, key, value)
    new_id = changes.get("id", base.id)
    return parse_campaign(text, file_name=f"{new_id}.toml", forms_dir=forms_dir)


def factor_for_percent(percent: float) -> tuple[int, int]:
    """上浮10% → (11, 10); 25% → (5, 4): the smallest whole-number fraction."""
    from fractions import Fraction

    ratio = Fraction(round((100 + percent) * 10), 1000)
    return ratio.numerator, ratio.denominator


def photo_pixels(width_mm: float, height_mm: float, dpi: int) -> tuple[int, int]:
    """22 × 32 mm at 300 dpi → 260 × 378 px."""
    return round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi)
