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

from nominator import APP_NAME, __version__, campaign_cli, dossier_cli
from nominator.errors import UserError

if TYPE_CHECKING:
    pass

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


def _cmd_gui(args: argparse.Namespace) -> int:
    from nominator.ui.display import display_problem

    problem = display_problem()  # Qt itself would abort with an English message and exit 134
    if problem:
        raise UserError(problem)
    from nominator.ui.app import run_gui

    return int(run_gui(db=args.db, demo=getattr(args, "demo", False), campaign=dossier_cli.campaign_of(args)))


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
            rules=dossier_cli.chosen_campaign(args).photo,
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
            rules=dossier_cli.chosen_campaign(args).photo,
        )
    )


def _cmd_selftest(args: argparse.Namespace) -> int:
    from nominator.selftest import run

    return run(window=not getattr(args, "no_window", False), campaign=dossier_cli.campaign_of(args))


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
    p.set_defaults(func=dossier_cli.cmd_demo)

    p = sub.add_parser("import", help="导入交换文件(.json/.zip)或填好的导入模板(.xlsx)")
    p.add_argument("file", help="交换文件,或填好的导入模板(.xlsx,追加到推荐库)")
    p.add_argument("--db", required=True, help="推荐库文件(不存在时新建)")
    p.add_argument("--replace", action="store_true", help="推荐库已有数据时,先备份再覆盖")
    _with_campaign(p, "(新建推荐库时使用;交换文件默认使用其中记录的活动)")
    p.set_defaults(func=dossier_cli.cmd_import)

    p = sub.add_parser("template", help="生成空白的 Excel 导入模板")
    p.add_argument("--out", required=True, help="输出文件,扩展名 .xlsx")
    _with_campaign(p)
    p.set_defaults(func=dossier_cli.cmd_template)

    p = sub.add_parser("merge", help="逐级推荐:合并下级报送的交换文件")
    p.add_argument("files", nargs="+", help="下级的交换文件(.json/.zip)")
    p.add_argument("--db", required=True, help="本单位的推荐库文件")
    p.add_argument("--keep-duplicates", action="store_true", help="重复的推荐对象也合并(默认跳过)")
    p.set_defaults(func=dossier_cli.cmd_merge)

    p = sub.add_parser("export-data", help="导出交换文件(.json/.zip)")
    p.add_argument("--db", required=True)
    p.add_argument("--out", required=True, help="输出文件,扩展名 .json 或 .zip")
    p.set_defaults(func=dossier_cli.cmd_export_data)

    for name, func, helptext in (
        ("check", dossier_cli.cmd_check, "检查某一阶段的全部问题"),
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
    p.set_defaults(func=campaign_cli.cmd_campaign_list)
    p = campaign_sub.add_parser("show", help="查看一个活动的规则")
    p.add_argument("campaign_id", metavar="ID|FILE", help="活动编号,或活动规则文件/活动包的路径")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=campaign_cli.cmd_campaign_show)
    p = campaign_sub.add_parser("check", help="检查一个活动规则文件及其模板")
    p.add_argument("file", help="活动规则文件(.toml)或活动包(.zip)")
    p.set_defaults(func=campaign_cli.cmd_campaign_check)
    p = campaign_sub.add_parser("pack", help="把活动规则文件和模板打成一个活动包(.zip)")
    p.add_argument("campaign_id", metavar="ID|FILE", help="活动编号,或活动规则文件的路径")
    p.add_argument("--out", required=True, help="输出文件,扩展名 .zip")
    p.set_defaults(func=campaign_cli.cmd_campaign_pack)
    p = campaign_sub.add_parser("add", help="添加一个活动(活动规则文件或活动包)到本机")
    p.add_argument("file", help="活动规则文件(.toml)或活动包(.zip)")
    p.add_argument("--replace", action="store_true", help="已添加过同编号的活动时,用新文件替换")
    p.set_defaults(func=campaign_cli.cmd_campaign_add)

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
    if not path.exists() and func in (
        dossier_cli.cmd_check,
        _cmd_export,
        dossier_cli.cmd_export_data,
        dossier_cli.cmd_merge,
    ):
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
