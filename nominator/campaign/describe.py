"""A campaign told back: as JSON (`nominator campaign show --json`) and as lines for a person."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from nominator.campaign.model import Campaign


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, (frozenset, set)) else items
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def campaign_json(campaign: Campaign) -> dict[str, Any]:
    """Every rule of the campaign; `stages` as a list of objects in the notice's order."""
    data: dict[str, Any] = _plain(campaign)
    data.pop("text", None)
    data.pop("home", None)
    data["stages"] = [_plain(stage) | {"id": stage.key} for stage in campaign.stages.values()]
    for stage in data["stages"]:
        stage.pop("key", None)
    return data


def campaign_text(campaign: Campaign) -> str:
    """The facts a clerk checks against the notice, one per line."""
    photo, email = campaign.photo, campaign.email
    lines = [
        f"{campaign.title}({campaign.id})",
        f"发文:{campaign.issuer},{campaign.notice_date.isoformat()}",
        f"报送邮箱:{email.to};邮件主题:{email.subject}(邮箱附件上限 {email.mailbox_limit_mb:g}MB)",
        f"纸质材料:{campaign.printing.paper} 纸,一式{campaign.printing.copies}份",
        f"照片:{photo.size_text},{photo.width_px}×{photo.height_px} 像素,每人 {photo.copies} 张",
        f"名额:分配名额上浮{campaign.quota.factor_percent}(四舍五入)",
        f"公示:{campaign.publicity.working_days}个工作日",
        "推荐单位类别:" + "、".join(f"{k.label}({k.key})" for k in campaign.unit_kinds.values()),
        "报送阶段:",
    ]
    for key, stage in campaign.stages.items():
        deadline = f",截止 {stage.deadline.isoformat()}" if stage.deadline else ""
        forms = "、".join(f"{campaign.forms[f].attachment or campaign.forms[f].title}" for f in stage.forms)
        lines.append(f"  {key}:{stage.name}{deadline};材料 {forms}{';含照片' if stage.photos else ''}")
    lines.append(f"表格模板:{campaign.forms_dir}")
    return "\n".join(lines)


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found |= _flat(item, f"{prefix}.{key}" if prefix else str(key))
        return found
    return {prefix: value}


# How the differences between two versions of a campaign are named for a clerk.
_NAMES = {
    "title": "活动名称",
    "issuer": "发文单位",
    "addressee": "邮件称呼",
    "email.to": "报送邮箱",
    "email.subject": "邮件主题",
    "email.body": "邮件正文",
    "email.mailbox_limit_mb": "邮箱附件上限(MB)",
    "quota.factor": "名额上浮比例",
    "publicity.working_days": "公示工作日数",
    "printing.paper": "纸张",
    "printing.copies": "纸质份数",
    "photo.size_name": "照片尺寸名称",
    "photo.width_mm": "照片宽度(毫米)",
    "photo.height_mm": "照片高度(毫米)",
    "photo.width_px": "照片宽度(像素)",
    "photo.height_px": "照片高度(像素)",
    "photo.copies": "每人照片张数",
}


def differences(old: Campaign, new: Campaign) -> list[str]:
    """What changes for a store that adopts `new` instead of `old`, one Chinese line each."""
    before, after = campaign_json(old), campaign_json(new)
    # A rule is said once: through format 2's tables when both files are format 2 (their rules are
    # those tables translated), else rule by rule.
    by_tables = old.format < 3 and new.format < 3
    for data in (before, after):
        data.pop("forms_dir", None)
        data["stages"] = {s["id"]: s for s in data["stages"]}
        data.pop("rules", None)
        data.pop("format", None)
        for key in () if by_tables else ("quota", "eligibility", "validation"):
            data.pop(key, None)
        for kind in data.get("kinds", {}).values():
            if by_tables:
                kind.pop("attestations", None)  # format 2 keeps them in [eligibility]
    flat_old, flat_new = _flat(before), _flat(after)
    lines = []
    stage_names = {s.key: s.name for s in (*old.stages.values(), *new.stages.values())}
    for key in sorted(set(flat_old) | set(flat_new)):
        a, b = flat_old.get(key), flat_new.get(key)
        if a == b:
            continue
        label = _NAMES.get(key)
        parts = key.split(".")
        if label is None and parts[0] == "stages" and len(parts) >= 3:
            what = {"deadline": "截止日期", "name": "名称", "forms": "材料"}.get(parts[2])
            label = f"{stage_names.get(parts[1], parts[1])}阶段{what}" if what else None
        if label is None and parts[0] == "limits":
            label = f"字数限制({parts[1]})"
        label = label or key
        if isinstance(a, list) and isinstance(b, list):
            a, b = "、".join(map(str, a)), "、".join(map(str, b))
        lines.append(f"{label}:{'(无)' if a in (None, '') else a} → {'(无)' if b in (None, '') else b}")
    if not by_tables:
        lines += _rule_differences(old, new)
    if old.format != new.format:
        lines.append(f"活动文件格式:第{old.format}版 → 第{new.format}版")
    return lines


def _rule_differences(old: Campaign, new: Campaign) -> list[str]:
    """规则W1·factor:1、1 → 12、10 — each parameter of each rule that changed, in file order."""
    lines = []
    before, after = [_plain(r) for r in old.rules], [_plain(r) for r in new.rules]
    for n in range(max(len(before), len(after))):
        a = before[n] if n < len(before) else None
        b = after[n] if n < len(after) else None
        if a == b:
            continue
        rule = b or a
        assert rule is not None
        name = f"规则{rule['id']}({rule['kind']})"
        if a is None or b is None or (a["id"], a["kind"]) != (b["id"], b["kind"]):
            lines.append(f"{name}:{'新增' if a is None else '删除' if b is None else '改为另一条规则'}")
            continue
        flat_a, flat_b = _flat(a), _flat(b)
        for key in sorted(set(flat_a) | set(flat_b)):
            x, y = flat_a.get(key), flat_b.get(key)
            if x != y:
                x = "、".join(map(str, x)) if isinstance(x, list) else x
                y = "、".join(map(str, y)) if isinstance(y, list) else y
                lines.append(
                    f"{name}·{key}:{'(无)' if x in (None, '') else x} → {'(无)' if y in (None, '') else y}"
                )
    return lines
