"""Store files as the 文件 menu sees them: create, open, save a copy, back up, restore, import.
Plain functions over the store package; the window adds dialogs around them."""

from __future__ import annotations

from pathlib import Path

from nominator.campaign import Campaign
from nominator.domain.model import Unit
from nominator.errors import UserError
from nominator.store.session import STORE_SUFFIX, Store, inspect_file


def create_store(path: Path, unit: Unit, campaign: Campaign | str | None = None) -> Store:
    from nominator.campaign import default_campaign

    campaign = campaign or default_campaign()
    return Store.create(path, campaign=campaign, unit=unit)


def save_copy(store: Store, target: Path) -> Path:
    """另存为: the store's own consistent copy, under a name with our suffix; returns that name."""
    if target.suffix != STORE_SUFFIX:
        target = target.with_name(target.name + STORE_SUFFIX)
    if target.resolve() == store.path.resolve():
        raise UserError("不能另存为正在使用的同一个文件,请换一个文件名。")
    store.save_copy(target)
    inspect_file(target)
    return target


def describe_backup(path: Path) -> str:
    """20300331-143005-123456-open.nominator → 2030-03-31 14:30:05(打开时自动备份)"""
    parts = path.stem.split("-")
    if len(parts) >= 4 and len(parts[0]) == 8 and len(parts[1]) == 6:
        d, t = parts[0], parts[1]
        reason = "-".join(parts[3:])
        return f"{d[:4]}-{d[4:6]}-{d[6:]} {t[:2]}:{t[2:4]}:{t[4:]}({BACKUP_REASONS.get(reason, '自动备份')})"
    return path.name


# Every reason the program backs up for (backup.make_backup's second argument), as the restore
# list shows it; tests/ui check that each reason used in the code is here.
BACKUP_REASONS = {
    "open": "打开时自动备份",
    "manual": "手动备份",
    "before-restore": "恢复前自动备份",
    "before-import": "导入交换文件前自动备份",
    "before-upgrade": "升级前自动备份",
    "before-intake": "从Excel导入前自动备份",
    "before-merge": "导入下级材料前自动备份",
    "before-photos": "按文件夹导入照片前自动备份",
}


def changed_templates(doc: object) -> list[str]:
    """Templates that differ from those the store was made with (added, removed or edited)."""
    from nominator.campaign import template_digests

    store, campaign = getattr(doc, "store"), getattr(doc, "campaign")  # noqa: B009 - a Document
    recorded = store.recorded_template_digests()
    if not recorded:
        return []
    now = template_digests(campaign)
    return sorted(name for name in set(recorded) | set(now) if recorded.get(name) != now.get(name))
