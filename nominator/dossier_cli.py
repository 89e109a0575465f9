"""The commands about one unit's dossier: `demo`, `import` (an exchange file or a filled Excel
template), `template`, `merge`, `export-data` and `check`, and the `--campaign` option they share."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nominator.errors import UserError

if TYPE_CHECKING:
    from nominator.campaign import Campaign, KindSpec


def campaign_of(args: argparse.Namespace) -> Campaign | None:
    """The campaign `--campaign ID|FILE` names; None when the option was not given (then the
    campaigns are not even imported: `nominator gui` paints its window first)."""
    choice = getattr(args, "campaign", None)
    if not choice:
        return None
    from nominator.campaign import resolve

    return resolve(choice)


def chosen_campaign(args: argparse.Namespace) -> Campaign:
    from nominator.campaign import default_campaign

    return campaign_of(args) or default_campaign()


def not_for_existing_store(args: argparse.Namespace, db: Path) -> None:
    if getattr(args, "campaign", None) and db.exists():
        raise UserError(f"推荐库“{db.name}”已存在,它使用建库时的活动规则;--campaign 只在新建推荐库时使用。")


def cmd_demo(args: argparse.Namespace) -> int:
    from nominator.interchange.demo import create_demo_store

    path = create_demo_store(Path(args.db), overwrite=args.force, campaign=chosen_campaign(args))
    print(f"示例数据已生成:{path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from nominator.interchange.exchange import import_into_store

    not_for_existing_store(args, Path(args.db))
    if Path(args.file).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return _import_template(args)
    report = import_into_store(
        Path(args.file), Path(args.db), replace=args.replace, campaign=campaign_of(args)
    )
    for notice in report.notices:
        print(f"提示:{notice}")
    print(
        f"已导入:{_counts(report.kinds, report.collectives, report.individuals, report.members)} → {args.db}"
    )
    return 0


def _counts(
    kinds: dict[str, KindSpec], collectives: int, individuals: int, members: int | None = None
) -> str:
    """先进集体 5 个,先进个人 10 名,… in the campaign's words."""
    counts = {"collective": collectives, "individual": individuals, "member": members}
    parts = [(kinds[key], n) for key, n in counts.items() if key in kinds and n is not None]
    return ",".join(f"{kind.label} {n} {kind.measure}" for kind, n in parts)


def _import_template(args: argparse.Namespace) -> int:
    """A filled Excel template: print each cell error, add the valid rows; 1 when a row had errors."""
    from nominator.interchange.intake import apply_intake, describe_preview, read_template, refuse_over_quota
    from nominator.store.session import Store

    if args.replace:
        raise UserError("Excel 模板导入是追加到推荐库末尾,不能与 --replace 一起使用。")
    db = Path(args.db)
    with Store.open(db) if db.exists() else Store.create(db, campaign=chosen_campaign(args)) as store:
        kinds = store.rules().kinds
        preview = read_template(Path(args.file), store.rules())
        refuse_over_quota(preview, store, store.rules())
        for line in describe_preview(preview):
            print(line)
        with store.transaction() as writer:
            counts = apply_intake(writer, preview)
    print(f"已导入:{_counts(kinds, counts.collectives, counts.individuals, counts.members)} → {args.db}")
    if counts.skipped:
        print(f"有错误的 {counts.skipped} 行未导入:请按上面的提示改正后,只把这些行再导入一次。")
    return 1 if counts.skipped else 0


def cmd_template(args: argparse.Namespace) -> int:
    from nominator.interchange.template import write_template

    write_template(Path(args.out), chosen_campaign(args))
    print(f"导入模板已生成:{args.out}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    """逐级推荐: merge subordinate units' exchange files; 1 when duplicates or quota errors remain."""
    from nominator.interchange.merge import apply_merge, preview_merge
    from nominator.store.session import Store

    with Store.open(Path(args.db)) as store:
        campaign = store.rules()
        preview = preview_merge(store.load_dossier(), [Path(f) for f in args.files], campaign)
        for notice in preview.notices:
            print(f"提示:{notice}")
        for item in preview.duplicates:
            print(f"[重复] {item.source}:{item.label}与{item.duplicate_of}重复(V4)")
        with store.transaction() as writer:
            counts = apply_merge(writer, preview, skip_duplicates=not args.keep_duplicates)
    print(
        f"已合并 {len(preview.files)} 个文件({'、'.join(preview.sources)}):"
        + _counts(campaign.kinds, counts.collectives, counts.individuals)
        + (f",跳过重复 {counts.skipped_duplicates} 条" if counts.skipped_duplicates else "")
        + f" → {args.db}"
    )
    for p in preview.quota_problems:
        tag = "错误" if p.is_error else ("警告(已说明理由)" if p.overridden else "警告")
        print(f"[{tag}] {p.rule} {_where(p, None, campaign)}")
    quota_errors = any(p.is_error for p in preview.quota_problems)
    return 1 if preview.duplicates or quota_errors else 0


def cmd_export_data(args: argparse.Namespace) -> int:
    from nominator.interchange.exchange import export_from_store

    out = export_from_store(Path(args.db), Path(args.out))
    print(f"交换文件已导出:{out}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    import json

    from nominator.campaign import stage_or_fail
    from nominator.domain.checks import check, summarize
    from nominator.store.session import load_with_rules

    dossier, campaign = load_with_rules(Path(args.db))
    stage = stage_or_fail(campaign, args.stage)
    problems = check(dossier, campaign, stage)
    summary = summarize(stage, problems)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))  # a contract: targets as they are
    else:
        _print_problems(campaign.stage_name(stage), problems, dossier.for_stage(stage, campaign), campaign)
    return 1 if summary["errors"] else 0


def _print_problems(
    stage_name: str, problems: Sequence[object], view: Any = None, campaign: Any = None
) -> None:
    """One line per problem: the record and field as the clerk knows them, then the message."""
    from nominator.domain.problems import Problem

    shown = [p for p in problems if isinstance(p, Problem)]
    errors = [p for p in shown if p.is_error]
    warnings = [p for p in shown if not p.is_error and not p.overridden]
    for p in shown:
        tag = "错误" if p.is_error else ("警告(已说明理由)" if p.overridden else "警告")
        print(f"[{tag}] {p.rule} {_where(p, view, campaign)}")
    if not shown:
        print(f"{stage_name}阶段检查通过,未发现问题。")
    else:
        print(f"{stage_name}阶段:错误 {len(errors)} 项,警告 {len(warnings)} 项。")


def _where(problem: Any, view: Any, campaign: Any) -> str:
    """`先进个人 3“张海燕” · 出生日期:message`."""
    from nominator.domain.targets import said

    return said(problem, view, campaign)
