"""The command line (contract: design/architecture.md). No Qt import unless a window opens.

Exit codes: 0 done / nothing wrong, 1 problems found (check, export refused), 2 could not run
(one Chinese line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from nominator import APP_NAME, __version__
from nominator.errors import UserError

if TYPE_CHECKING:
    from nominator.campaign import Campaign, KindSpec

Handler = Callable[[argparse.Namespace], int]


class _Formatter(argparse.HelpFormatter):
    """--help in Chinese: the usage line's prefix (argparse's headings are set by _Parser), and
    each help text on the line below its option: argparse aligns columns by character count,
    which a Chinese placeholder (two columns wide in a console) would throw off."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=8)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法:" if prefix is None else prefix)


# Help and placeholders for options a command declares without them (by their dest).
_HELP = {
    "db": "推荐库文件(.nominator)",
    "stage": "报送阶段的编号,如 initial、formal(推荐库所用活动的阶段,见 nominator campaign show)",
    "json": "以 JSON 格式输出(供其他程序读取)",
    "out": "输出位置",
    "files": "照片文件(可以写多个)",
    "file": "照片文件",
    "name": "姓名(与推荐对象一致)",
    "birth": "出生日期,如 19660101",
}
_METAVARS = {
    "db": "推荐库",
    "out": "输出",
    "name": "姓名",
    "birth": "YYYYMMDD",
    "backup": "备份",
    "file": "文件",
    "files": "文件",
}

# argparse's own error messages (Python 3.11–3.13), as a clerk should read them.
_ERRORS: tuple[tuple[str, str], ...] = (
    (
        r"argument (?P<arg>\S+): invalid choice: '?(?P<value>[^']*?)'? \(choose from (?P<choices>.*)\)",
        "invalid",
    ),
    (r"the following arguments are required: (?P<args>.*)", "缺少必需的参数:{args}"),
    (r"unrecognized arguments: (?P<args>.*)", "无法识别的参数:{args}"),
    (r"argument (?P<arg>\S+): expected one argument", "参数 {arg} 后面缺少值"),
    (r"argument (?P<arg>\S+): expected at least one argument", "参数 {arg} 后面至少要写一个值"),
    (r"argument (?P<arg>\S+): expected (?P<n>\d+) arguments?", "参数 {arg} 后面应有 {n} 个值"),
    (
        r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)",
        "参数 {arg} 不能与 {other} 同时使用",
    ),
    (r"argument (?P<arg>\S+): invalid \S+ value: '?(?P<value>[^']*?)'?$", "参数 {arg} 的值“{value}”无效"),
    (
        r"argument (?P<arg>\S+): ignored explicit argument '?(?P<value>[^']*?)'?$",
        "参数 {arg} 不需要写值“{value}”",
    ),
    (r"one of the arguments (?P<args>.*) is required", "请指定以下参数之一:{args}"),
    (r"ambiguous option: (?P<arg>\S+) could match (?P<matches>.*)", "参数 {arg} 不明确,可能是:{matches}"),
)


def _chinese_error(message: str) -> str:
    for pattern, wording in _ERRORS:
        match = re.fullmatch(pattern, message.strip())
        if match is None:
            continue
        found = match.groupdict()
        if wording != "invalid":
            return wording.format(**found)
        choices = "、".join(c.strip(" '") for c in found["choices"].split(","))
        if found["arg"] == _COMMAND_METAVAR:
            return f"没有“{found['value']}”这个命令,可用的命令有:{choices}"
        return f"参数 {found['arg']} 的值“{found['value']}”无效,可选:{choices}"
    return message


_COMMAND_METAVAR = "命令"


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: usage, headings and -h, and usage errors as one Chinese line
    with exit 2 (UserError, printed by main)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        if kwargs.get("action") == "version":
            kwargs.setdefault("help", "显示版本号并退出")
        dest = kwargs.get("dest") or next(
            (a.lstrip("-") for a in args if a.startswith("--")), args[0] if args else ""
        )
        dest = str(dest).replace("-", "_")
        takes_value = kwargs.get("action") not in ("help", "version", "store_true", "store_false")
        if takes_value and "choices" not in kwargs and dest in _METAVARS:
            kwargs.setdefault("metavar", _METAVARS[dest])
        if dest in _HELP and kwargs.get("action") != "help":
            kwargs.setdefault("help", _HELP[dest])
        return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("title", "命令")
        kwargs.setdefault("metavar", _COMMAND_METAVAR)
        kwargs.setdefault("help", f"以下命令之一;每个命令的用法:{self.prog} 命令 --help")
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        raise UserError(f"命令参数有误:{_chinese_error(message)}。请用“{self.prog} --help”查看用法。")


def _campaign(args: argparse.Namespace) -> Campaign | None:
    """The campaign `--campaign ID|FILE` names; None when the option was not given."""
    from nominator.campaign import resolve

    choice = getattr(args, "campaign", None)
    return resolve(choice) if choice else None


def _chosen_campaign(args: argparse.Namespace) -> Campaign:
    from nominator.campaign import default_campaign

    return _campaign(args) or default_campaign()


def _not_for_existing_store(args: argparse.Namespace, db: Path) -> None:
    if getattr(args, "campaign", None) and db.exists():
        raise UserError(f"推荐库“{db.name}”已存在,它使用建库时的活动规则;--campaign 只在新建推荐库时使用。")


def _cmd_gui(args: argparse.Namespace) -> int:
    from nominator.ui.display import display_problem

    problem = display_problem()  # Qt itself would abort with an English message and exit 134
    if problem:
        raise UserError(problem)
    from nominator.ui.app import run_gui

    return int(run_gui(db=args.db, demo=getattr(args, "demo", False), campaign=_campaign(args)))


def _cmd_demo(args: argparse.Namespace) -> int:
    from nominator.interchange.demo import create_demo_store

    path = create_demo_store(Path(args.db), overwrite=args.force, campaign=_chosen_campaign(args))
    print(f"示例数据已生成:{path}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from nominator.interchange.exchange import import_into_store

    _not_for_existing_store(args, Path(args.db))
    if Path(args.file).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return _import_template(args)
    report = import_into_store(Path(args.file), Path(args.db), replace=args.replace, campaign=_campaign(args))
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
    parts = [(kinds["collective"], collectives), (kinds["individual"], individuals)]
    if members is not None:
        parts.append((kinds["member"], members))
    return ",".join(f"{kind.label} {n} {kind.measure}" for kind, n in parts)


def _import_template(args: argparse.Namespace) -> int:
    """A filled Excel template: print each cell error, add the valid rows; 1 when a row had errors."""
    from nominator.interchange.intake import apply_intake, describe_preview, read_template, refuse_over_quota
    from nominator.store.session import Store

    if args.replace:
        raise UserError("Excel 模板导入是追加到推荐库末尾,不能与 --replace 一起使用。")
    db = Path(args.db)
    with Store.open(db) if db.exists() else Store.create(db, campaign=_chosen_campaign(args)) as store:
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


def _cmd_template(args: argparse.Namespace) -> int:
    from nominator.interchange.template import write_template

    write_template(Path(args.out), _chosen_campaign(args))
    print(f"导入模板已生成:{args.out}")
    return 0


def _cmd_merge(args: argparse.Namespace) -> int:
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


def _cmd_export_data(args: argparse.Namespace) -> int:
    from nominator.interchange.exchange import export_from_store

    out = export_from_store(Path(args.db), Path(args.out))
    print(f"交换文件已导出:{out}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
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


def _cmd_export(args: argparse.Namespace) -> int:
    from nominator.export.package import export_stage_cli

    return int(export_stage_cli(Path(args.db), args.stage, Path(args.out), split=args.split))


def _cmd_photo_check(args: argparse.Namespace) -> int:
    from nominator.photo_cli import photo_check_cli

    return int(
        photo_check_cli(
            [Path(f) for f in args.files],
            name=args.name,
            birth=args.birth,
            as_json=args.json,
            rules=_chosen_campaign(args).photo,
        )
    )


def _cmd_photo_fix(args: argparse.Namespace) -> int:
    from nominator.photo_cli import photo_fix_cli

    return int(
        photo_fix_cli(
            Path(args.file),
            name=args.name,
            birth=args.birth,
            out=Path(args.out),
            rules=_chosen_campaign(args).photo,
        )
    )


def _cmd_selftest(args: argparse.Namespace) -> int:
    from nominator.selftest import run

    return run(window=not getattr(args, "no_window", False), campaign=_campaign(args))


# ---- campaign ----------------------------------------------------------------------------------


def _cmd_campaign_list(args: argparse.Namespace) -> int:
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


def _cmd_campaign_show(args: argparse.Namespace) -> int:
    import json

    from nominator.campaign import resolve
    from nominator.campaign.describe import campaign_json, campaign_text

    campaign = resolve(args.campaign_id)
    if args.json:
        print(json.dumps(campaign_json(campaign), ensure_ascii=False, indent=2))
    else:
        print(campaign_text(campaign))
    return 0


def _cmd_campaign_check(args: argparse.Namespace) -> int:
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


def _cmd_campaign_pack(args: argparse.Namespace) -> int:
    from nominator.campaign import pack, resolve
    from nominator.export.templates import check_campaign_templates

    campaign = resolve(args.campaign_id)
    problems = check_campaign_templates(campaign)
    if problems:
        raise UserError(problems[0])
    out = pack(campaign, Path(args.out))
    print(f"活动包已生成:{out}(活动规则文件和 {campaign.forms_dir.name} 中的模板)")
    return 0


def _cmd_campaign_add(args: argparse.Namespace) -> int:
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


CAMPAIGN_HELP = "评选活动:已安装活动的编号,或活动规则文件(.toml)/活动包(.zip)的路径;默认为最新的活动"


def _with_campaign(p: argparse.ArgumentParser, what: str = "") -> None:
    p.add_argument("--campaign", metavar="ID|FILE", help=CAMPAIGN_HELP + what)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nominator", description=f"{APP_NAME}:评选表彰推荐材料准备工具")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--selftest", action="store_true", help="自检:用示例数据走一遍检查和导出,不改动任何已有文件"
    )
    _with_campaign(parser, "(用于 --selftest)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("gui", help="打开窗口")
    p.add_argument("--db", help="推荐库文件")
    p.add_argument("--demo", action="store_true", help="打开示例推荐库(首次运行时自动生成)")
    _with_campaign(p, "(新建推荐库和示例时使用)")
    p.set_defaults(func=_cmd_gui)

    p = sub.add_parser("demo", help="生成示例推荐库")
    p.add_argument("--db", required=True, help="要生成的推荐库文件")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    _with_campaign(p)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("import", help="导入交换文件(.json/.zip)或填好的导入模板(.xlsx)")
    p.add_argument("file", help="交换文件,或填好的导入模板(.xlsx,追加到推荐库)")
    p.add_argument("--db", required=True, help="推荐库文件(不存在时新建)")
    p.add_argument("--replace", action="store_true", help="推荐库已有数据时,先备份再覆盖")
    _with_campaign(p, "(新建推荐库时使用;交换文件默认使用其中记录的活动)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("template", help="生成空白的 Excel 导入模板")
    p.add_argument("--out", required=True, help="输出文件,扩展名 .xlsx")
    _with_campaign(p)
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
        p.add_argument(
            "--stage", required=True, help="报送阶段的编号(见 nominator campaign show),如 initial、formal"
        )
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
    _with_campaign(p)
    p.set_defaults(func=_cmd_selftest)

    campaign = sub.add_parser("campaign", help="评选活动:列出、查看、检查、打包、添加")
    campaign_sub = campaign.add_subparsers(dest="campaign_command", parser_class=_Parser)
    p = campaign_sub.add_parser("list", help="列出已安装的活动(每行一个,编号在前)")
    p.set_defaults(func=_cmd_campaign_list)
    p = campaign_sub.add_parser("show", help="查看一个活动的规则")
    p.add_argument("campaign_id", metavar="ID|FILE", help="活动编号,或活动规则文件/活动包的路径")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=_cmd_campaign_show)
    p = campaign_sub.add_parser("check", help="检查一个活动规则文件及其模板")
    p.add_argument("file", help="活动规则文件(.toml)或活动包(.zip)")
    p.set_defaults(func=_cmd_campaign_check)
    p = campaign_sub.add_parser("pack", help="把活动规则文件和模板打成一个活动包(.zip)")
    p.add_argument("campaign_id", metavar="ID|FILE", help="活动编号,或活动规则文件的路径")
    p.add_argument("--out", required=True, help="输出文件,扩展名 .zip")
    p.set_defaults(func=_cmd_campaign_pack)
    p = campaign_sub.add_parser("add", help="添加一个活动(活动规则文件或活动包)到本机")
    p.add_argument("file", help="活动规则文件(.toml)或活动包(.zip)")
    p.add_argument("--replace", action="store_true", help="已添加过同编号的活动时,用新文件替换")
    p.set_defaults(func=_cmd_campaign_add)

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
    _with_campaign(p, "(照片尺寸要求来自活动)")
    p.set_defaults(func=_cmd_photo_check)
    p = photo_sub.add_parser("fix", help="生成符合要求的照片副本")
    p.add_argument("file")
    p.add_argument("--name", required=True)
    p.add_argument("--birth", required=True)
    p.add_argument("--out", required=True)
    _with_campaign(p, "(照片尺寸要求来自活动)")
    p.set_defaults(func=_cmd_photo_fix)
    return parser


def _fail(message: str) -> int:
    print(message.splitlines()[0] if message else "操作失败。", file=sys.stderr)
    return 2


def _check_db(args: argparse.Namespace, func: Handler | None) -> None:
    """--db in a command line's words: a folder, or a store that is not there (a window would
    offer 新建; here the commands that create one are named)."""
    db = getattr(args, "db", None)
    if not db:
        return
    path = Path(db)
    if path.is_dir():
        raise UserError(
            f"“{db}”是一个文件夹,不是推荐库文件。请在 --db 后写推荐库文件的路径,例如“{path / '推荐材料.nominator'}”。"
        )
    if not path.exists() and func in (_cmd_check, _cmd_export, _cmd_export_data, _cmd_merge):
        raise UserError(
            f"找不到推荐库文件“{db}”。请检查路径;新建推荐库可用 nominator gui --db 文件,"
            "或 nominator import 交换文件 --db 文件。"
        )


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_console()
    try:
        args = build_parser().parse_args(argv)
        func: Handler | None = getattr(args, "func", None)
        _check_db(args, func)
        if args.selftest:
            func = _cmd_selftest
        if func is None:
            if args.command == "photo":
                raise UserError("请指定 photo check 或 photo fix。")
            if args.command == "campaign":
                raise UserError("请指定 campaign list、show、check、pack 或 add。")
            return _cmd_gui(argparse.Namespace(db=None, demo=False, campaign=args.campaign))
        return func(args)
    except UserError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("操作已取消。")
    except MemoryError:
        return _fail("内存不足,操作未完成,数据未改动。请关闭其他程序后重试。")
    except OSError as exc:
        from nominator.files import describe_os_error

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
