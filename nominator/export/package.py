"""`nominator export`: the stage's documents, after the checker has nothing left to refuse.

Interim: writes the documents (forms, reports, 附件4) into a new folder. Photos, the print set
and the email bundle join here when the export issue completes the package.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from nominator.campaign import Campaign, load_campaign
from nominator.errors import UserError
from nominator.export.naming import safe_filename


def package_folder_name(unit_name: str, campaign: Campaign, stage: str) -> str:
    """沈阳市 初审推荐材料 — one folder per export."""
    return safe_filename(f"{unit_name} {campaign.stages[stage].name}推荐材料")


def new_folder(parent: Path, name: str) -> Path:
    """parent/name, or name (2), name (3) … when an earlier export is already there."""
    candidate, n = parent / name, 1
    while candidate.exists():
        n += 1
        candidate = parent / f"{name} ({n})"
    return candidate


def export_stage_cli(db: Path, stage: str, out: Path) -> int:
    """0 written, 1 refused because the checker found errors; UserError (exit 2) when it cannot run."""
    from nominator.domain.checks import check
    from nominator.export.documents import render_stage_documents
    from nominator.store.session import load_dossier

    if not db.is_file():
        raise UserError(f"找不到推荐库文件“{db}”。")
    dossier = load_dossier(db)
    campaign = load_campaign(dossier.campaign)
    stage_name = campaign.stages[stage].name
    errors = [p for p in check(dossier, campaign, stage) if p.is_error]
    if errors:
        for p in errors:
            print(f"[错误] {p.rule} {p.target}:{p.message}")
        print(f"{stage_name}阶段还有 {len(errors)} 项错误,请改正后再导出。", file=sys.stderr)
        return 1
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建输出文件夹“{out}”:{exc.strerror}。") from None
    target = new_folder(out, package_folder_name(dossier.unit.name, campaign, stage))
    # render into a hidden sibling first, so the folder appears whole or not at all
    staging = Path(tempfile.mkdtemp(prefix=".nominator-", dir=out))
    try:
        paths = render_stage_documents(dossier, campaign, stage, staging)
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(f"写入“{out}”失败:{exc.strerror}。请检查磁盘空间和写入权限。") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for path in paths:
        print(target / path.name)
    print(f"{stage_name}阶段材料已导出 {len(paths)} 个文件:{target}")
    return 0
