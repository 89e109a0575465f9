"""`nominator campaign list | show | check | pack | add`: the installed campaigns, one campaign as
text or JSON, checking a campaign file and its templates, packing and adding one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nominator.errors import UserError


def cmd_campaign_list(args: argparse.Namespace) -> int:
    from nominator.campaign import installed

    problems: list[str] = []
    for entry in installed(problems=problems):
        c = entry.campaign
        deadlines = ",".join(
            f"{s.name} {s.deadline.isoformat()}" if s.deadline else s.name for s in c.stages.values()
        )
        tag = f"{entry.origin}{'·示例' if c.example else ''}"
        print(f"{c.id}\t{c.title}\t{c.issuer}\t{deadlines}\t{tag}")
    for problem in problems:
        print(f"提示:{problem}", file=sys.stderr)
    return 0


def cmd_campaign_show(args: argparse.Namespace) -> int:
    import json

    from nominator.campaign import resolve
    from nominator.campaign.describe import campaign_json, campaign_text

    campaign = resolve(args.campaign_id)
    if args.json:
        print(json.dumps(campaign_json(campaign), ensure_ascii=False, indent=2))
    else:
        print(campaign_text(campaign))
    return 0


def cmd_campaign_check(args: argparse.Namespace) -> int:
    from nominator.campaign import CampaignFileError, load_file
    from nominator.export.templates import check_campaign_templates

    try:
        campaign = load_file(Path(args.file))
    except CampaignFileError as exc:
        print(str(exc))
        return 1
    problems = check_campaign_templates(campaign)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    stages = "、".join(s.name for s in campaign.stages.values())
    print(
        f"活动规则文件检查通过:{campaign.title}({campaign.id}),报送阶段 {stages},表格模板 {campaign.forms_dir}"
    )
    return 0


def cmd_campaign_pack(args: argparse.Namespace) -> int:
    from nominator.campaign import pack, resolve
    from nominator.export.templates import check_campaign_templates

    campaign = resolve(args.campaign_id)
    problems = check_campaign_templates(campaign)
    if problems:
        raise UserError(problems[0])
    out = pack(campaign, Path(args.out))
    print(f"活动包已生成:{out}(活动规则文件和 {campaign.forms_dir.name} 中的模板)")
    return 0


def cmd_campaign_add(args: argparse.Namespace) -> int:
    from nominator.campaign import CampaignFileError, add, load_file
    from nominator.export.templates import check_campaign_templates

    try:
        problems = check_campaign_templates(load_file(Path(args.file)))
    except CampaignFileError as exc:
        raise UserError(str(exc)) from None
    if problems:
        raise UserError(problems[0])
    campaign = add(Path(args.file), replace=args.replace)
    print(f"已添加活动:{campaign.title}({campaign.id})")
    return 0
