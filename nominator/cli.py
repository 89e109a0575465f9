"""The command line (contract: design/architecture.md). No Qt import unless a window opens.

Exit codes: 0 done / nothing wrong, 1 problems found (check, export refused), 2 could not run
(one Chinese line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from nominator import APP_NAME, __version__
from nominator.errors import UserError

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in Chinese with exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise UserError(f"命令参数有误:{message}。请用 --help 查看用法。")


def _cmd_gui(args: argparse.Namespace) -> int:
    from nominator.ui.app import run_gui

    return int(run_gui(db=args.db, demo=getattr(args, "demo", False)))


def _cmd_demo(args: argparse.Namespace) -> int:
    from nominator.store.demo import create_demo_store

    path = create_demo_store(Path(args.db), overwrite=args.force)
    print(f"示例数据已生成:{path}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from nominator.store.exchange import import_into_store

    if Path(args.file).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return _import_template(args)
    report = import_into_store(Path(args.file), Path(args.db), replace=args.replace)
    for notice in report.notices:
        print(f"提示:{notice}")
    print(
        f"已导入:先进集体 {report.collectives} 个,先进个人 {report.individuals} 名,"
        f"工作机构成员 {report.members} 名 → {args.db}"
    )
    return 0


def _import_template(args: argparse.Namespace) -> int:
    """A filled Excel template: print each cell error, add the valid rows; 1 when a row had errors."""
    from nominator.campaign import DEFAULT_CAMPAIGN, load_campaign
    from nominator.store.intake import apply_intake, describe_preview, read_template
    from nominator.store.session import Store

    if args.replace:
        raise UserError("Excel 模板导入是追加到推荐库末尾,不能与 --replace 一起使用。")
    db = Path(args.db)
    with Store.open(db) if db.exists() else Store.create(db, campaign=DEFAULT_CAMPAIGN) as store:
        preview = read_template(Path(args.file), load_campaign(store.campaign))
        for line in describe_preview(preview):
            print(line)
        counts = apply_intake(store, preview)
    print(
        f"已导入:先进集体 {counts.collectives} 个,先进个人 {counts.individuals} 名,"
        f"工作机构成员 {counts.members} 名 → {args.db}"
    )
    if counts.skipped:
        print(f"有错误的 {counts.skipped} 行未导入:请按上面的提示改正后,只把这些行再导入一次。")
    return 1 if counts.skipped else 0


def _cmd_template(args: argparse.Namespace) -> int:
    from nominator.campaign import load_campaign
    from nominator.store.intake import write_template

    write_template(Path(args.out), load_campaign())
    print(f"导入模板已生成:{args.out}")
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
    """逐级推荐: merge subordinate units' exchange files; 1 when duplicates or quota errors remain."""
    from nominator.campaign import load_campaign
    from nominator.store.merge import apply_merge, preview_merge
    from nominator.store.session import Store

    with Store.open(Path(args.db)) as store:
        campaign = load_campaign(store.campaign)
        preview = preview_merge(store.load_dossier(), [Path(f) for f in args.files], campaign)
        for notice in preview.notices:
            print(f"提示:{notice}")
        for item in preview.duplicates:
            print(f"[重复] {item.source}:{item.label}与{item.duplicate_of}重复(V4)")
        counts = apply_merge(store, preview, skip_duplicates=not args.keep_duplicates)
    print(
        f"已合并 {len(preview.files)} 个文件({'、'.join(preview.sources)}):先进集体 {counts.collectives} 个,"
        f"先进个人 {counts.individuals} 名"
        + (f",跳过重复 {counts.skipped_duplicates} 条" if counts.skipped_duplicates else "")
        + f" → {args.db}"
    )
    for p in preview.quota_problems:
        tag = "错误" if p.is_error else ("警告(已说明理由)" if p.overridden else "警告")
        print(f"[{tag}] {p.rule} {p.target}:{p.message}")
    quota_errors = any(p.is_error for p in preview.quota_problems)
    return 1 if preview.duplicates or quota_errors else 0


def _cmd_export_data(args: argparse.Namespace) -> int:
    from nominator.store.exchange import export_from_store

    out = export_from_store(Path(args.db), Path(args.out))
    print(f"交换文件已导出:{out}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    import json

    from nominator.domain.checks import summarize
    from nominator.store.session import open_dossier_for_check

    problems = open_dossier_for_check(Path(args.db), args.stage)
    summary = summarize(args.stage, problems)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_problems(args.stage, problems)
    return 1 if summary["errors"] else 0


def _print_problems(stage: str, problems: Sequence[object]) -> None:
    from nominator.domain.problems import Problem

    stage_name = {"initial": "初审", "formal": "正式"}[stage]
    shown = [p for p in problems if isinstance(p, Problem)]
    errors = [p for p in shown if p.is_error]
    warnings = [p for p in shown if not p.is_error and not p.overridden]
    for p in shown:
        tag = "错误" if p.is_error else ("警告(已说明理由)" if p.overridden else "警告")
        print(f"[{tag}] {p.rule} {p.target}:{p.message}")
    if not shown:
        print(f"{stage_name}阶段检查通过,未发现问题。")
    else:
        print(f"{stage_name}阶段:错误 {len(errors)} 项,警告 {len(warnings)} 项。")


def _cmd_export(args: argparse.Namespace) -> int:
    from nominator.export.package import export_stage_cli

    return int(export_stage_cli(Path(args.db), args.stage, Path(args.out), split=args.split))


def _cmd_photo_check(args: argparse.Namespace) -> int:
    from nominator.photo_cli import photo_check_cli

    return int(
        photo_check_cli([Path(f) for f in args.files], name=args.name, birth=args.birth, as_json=args.json)
    )


def _cmd_photo_fix(args: argparse.Namespace) -> int:
    from nominator.photo_cli import photo_fix_cli

    return int(photo_fix_cli(Path(args.file), name=args.name, birth=args.birth, out=Path(args.out)))


def _cmd_selftest(args: argparse.Namespace) -> int:
    from nominator.selftest import run

    return run(window=not getattr(args, "no_window", False))


def _cmd_restore(args: argparse.Namespace) -> int:
    from nominator.store import backup

    db = Path(args.db)
    if args.list:
        found = backup.list_backups(db)
        for item in found:
            print(item if backup.is_good(item) else f"{item}\t已损坏")
        if not found:
            print(f"推荐库“{db.name}”还没有备份。")
        return 0
    chosen = Path(args.backup) if args.backup else None
    if chosen is not None and chosen.parent == Path() and not chosen.exists():
        chosen = backup.backup_dir_for(db) / chosen  # a name as printed by --list or an error message
    restored, saved = backup.restore(db, chosen)
    print(f"已从备份“{restored.name}”恢复推荐库:{db}")
    if saved is not None:
        print(f"恢复前的内容已备份到:{saved}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nominator", description=f"{APP_NAME}:政务公开工作表彰推荐材料准备工具")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--selftest", action="store_true", help="自检:用示例数据走一遍检查和导出,不改动任何已有文件"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("gui", help="打开窗口")
    p.add_argument("--db", help="推荐库文件")
    p.add_argument("--demo", action="store_true", help="打开示例推荐库(首次运行时自动生成)")
    p.set_defaults(func=_cmd_gui)

    p = sub.add_parser("demo", help="生成示例推荐库")
    p.add_argument("--db", required=True, help="要生成的推荐库文件")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("import", help="导入交换文件(.json/.zip)或填好的导入模板(.xlsx)")
    p.add_argument("file", help="交换文件,或填好的导入模板(.xlsx,追加到推荐库)")
    p.add_argument("--db", required=True, help="推荐库文件(不存在时新建)")
    p.add_argument("--replace", action="store_true", help="推荐库已有数据时,先备份再覆盖")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("template", help="生成空白的 Excel 导入模板")
    p.add_argument("--out", required=True, help="输出文件,扩展名 .xlsx")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("merge", help="逐级推荐:合并下级报送的交换文件")
    p.add_argument("files", nargs="+", help="下级的交换文件(.json/.zip)")
    p.add_argument("--db", required=True, help="本单位的推荐库文件")
    p.add_argument("--keep-duplicates", action="store_true", help="重复的推荐对象也合并(默认跳过)")
    p.set_defaults(func=_cmd_merge)

    p = sub.add_parser("export-data", help="导出交换文件(.json/.zip)")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True, help="输出文件,扩展名 .json 或 .zip")
    p.set_defaults(func=_cmd_export_data)

    for name, func, helptext in (
        ("check", _cmd_check, "检查某一阶段的全部问题"),
        ("export", _cmd_export, "导出某一阶段的报送材料"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--db", required=True)
        p.add_argument("--stage", required=True, choices=["initial", "formal"])
        if name == "check":
            p.add_argument("--json", action="store_true", help="以 JSON 输出")
        else:
            p.add_argument("--out", required=True, help="输出文件夹")
            p.add_argument(
                "--split", action="store_true", help="邮件附件超过邮箱限制时,拆分为几封主题相同的邮件"
            )
        p.set_defaults(func=func)

    p = sub.add_parser("selftest", help="自检(同 --selftest)")
    p.add_argument("--no-window", action="store_true", help="不创建窗口(没有 Qt 时)")
    p.set_defaults(func=_cmd_selftest)

    p = sub.add_parser("restore", help="从备份恢复推荐库(默认:最近的完好备份)")
    p.add_argument("--db", required=True, help="推荐库文件")
    choice = p.add_mutually_exclusive_group()
    choice.add_argument("--backup", help="要恢复的备份文件或其文件名")
    choice.add_argument("--list", action="store_true", help="列出全部备份,最新的在前")
    p.set_defaults(func=_cmd_restore)

    photo = sub.add_parser("photo", help="照片检查与处理")
    photo_sub = photo.add_subparsers(dest="photo_command", parser_class=_Parser)
    p = photo_sub.add_parser("check", help="检查照片")
    p.add_argument("files", nargs="+")
    p.add_argument("--name", help="姓名")
    p.add_argument("--birth", help="出生日期 YYYYMMDD")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_photo_check)
    p = photo_sub.add_parser("fix", help="生成符合要求的照片副本")
    p.add_argument("file")
    p.add_argument("--name", required=True)
    p.add_argument("--birth", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_cmd_photo_fix)
    return parser


def _fail(message: str) -> int:
    print(message.splitlines()[0] if message else "操作失败。", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_console()
    try:
        args = build_parser().parse_args(argv)
        func: Handler | None = getattr(args, "func", None)
        if args.selftest:
            func = _cmd_selftest
        if func is None:
            if args.command == "photo":
                raise UserError("请指定 photo check 或 photo fix。")
            return _cmd_gui(argparse.Namespace(db=None, demo=False))
        return func(args)
    except UserError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("操作已取消。")
    except MemoryError:
        return _fail("内存不足,操作未完成,数据未改动。请关闭其他程序后重试。")
    except OSError as exc:
        from nominator.store.errors import describe_os_error

        return _fail(describe_os_error(exc))


def gui_main() -> int:
    return main(["gui"])


def _utf8_console() -> None:
    # Windows consoles default to the ANSI code page; Chinese output must not raise.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")
