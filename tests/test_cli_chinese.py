"""The command line speaks Chinese: argparse's usage, headings, -h and its errors; `check` names
records and fields as a clerk knows them (the JSON keeps its targets: a contract); --db naming a
folder or a missing store is said in the command line's words; photo check never says 点击."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nominator.cli import build_parser, main
from nominator.interchange.demo import create_demo_store
from nominator.store.session import Store

ENGLISH = re.compile(
    r"usage|positional arguments|options:|optional arguments|show this help|invalid choice|"
    r"the following arguments|unrecognized|expected one|not allowed|show program",
    re.I,
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:  # --help
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def every_parser() -> list[list[str]]:
    """The argv prefix of every command and sub-command the parser knows."""
    found: list[list[str]] = [[]]

    def walk(parser: object, prefix: list[str]) -> None:
        for action in getattr(parser, "_actions", []):
            choices = getattr(action, "choices", None)
            for name, sub in choices.items() if isinstance(choices, dict) else ():
                if hasattr(sub, "_actions"):
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(build_parser(), [])
    return found


@pytest.mark.parametrize("prefix", every_parser(), ids=lambda p: " ".join(p) or "nominator")
def test_every_help_page_is_chinese(prefix: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *prefix, "--help")
    assert code == 0
    assert out.startswith("用法:") and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), out
    assert "选项:" in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["photo", "resize"], "没有“resize”这个命令,可用的命令有:check、fix"),
        (["chek"], "没有“chek”这个命令,可用的命令有:gui、demo"),
        (["check"], "缺少必需的参数:--db, --stage"),
        (["check", "--db"], "参数 --db 后面缺少值"),
        (["gui", "--bogus"], "无法识别的参数:--bogus"),
        (
            ["restore", "--db", "x.nominator", "--list", "--backup", "b"],
            "参数 --backup 不能与 --list 同时使用",
        ),
    ],
)
def test_usage_errors_are_one_chinese_line_with_exit_2(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert said in err and "--help”查看用法" in err
    assert not ENGLISH.search(err), err


def test_check_names_the_record_and_field_and_json_keeps_the_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = create_demo_store(tmp_path / "demo.nominator")
    with Store.open(db, backup_on_open=False) as store:
        third = store.get("individual", store.ids("individual")[2])
        third.publicity = {}  # type: ignore[union-attr]
        with store.transaction() as w:
            w.update("individual", third)
        report = store.report("initial")
        report.sections["collective_study"] = ""
        with store.transaction() as w:
            w.set_report("initial", report)
    code, out, _ = run(capsys, "check", "--db", str(db), "--stage", "initial")
    assert code == 1
    assert "[错误] P1 先进个人 3“张海燕” · 所在单位公示:请填写所在单位公示的起止日期" in out
    assert "[错误] V1 初审推荐工作报告 · 集体研究情况:请填写“集体研究情况”部分。" in out
    assert "individuals[" not in out and "reports." not in out and "unit" not in out
    code, out, _ = run(capsys, "check", "--db", str(db), "--stage", "initial", "--json")
    targets = {p["target"] for p in json.loads(out)["problems"]}
    assert {"individuals[2].publicity.unit", "reports.initial.collective_study"} <= targets


def test_db_naming_a_folder_or_a_missing_file_is_said_for_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "--db", str(tmp_path), "--stage", "initial")
    assert code == 2 and "是一个文件夹,不是推荐库文件" in err and "--db" in err
    code, _, err = run(
        capsys, "export", "--db", str(tmp_path / "无.nominator"), "--stage", "initial", "--out", str(tmp_path)
    )
    assert code == 2 and "找不到推荐库文件" in err and "nominator import" in err
    assert "新建”" not in err  # a window's word
    code, _, err = run(capsys, "demo", "--db", str(tmp_path))
    assert code == 2 and "是一个文件夹" in err


def test_photo_check_points_to_photo_fix_not_to_a_button(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests import photo_corpus as corpus

    photo = tmp_path / "张某某-19660101.jpg"
    photo.write_bytes(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)))
    code, out, _ = run(capsys, "photo", "check", str(photo))
    assert code == 1 and "nominator photo fix" in out
    assert "点击" not in out and "自动处理" not in out
    code, out, _ = run(capsys, "photo", "check", str(photo), "--json")
    assert all("点击" not in p["message"] for p in json.loads(out)["problems"])


def test_a_real_process_prints_chinese_help(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nominator", "check", "-h"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("用法:nominator check")


def _gui(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    clean.update(env, NOMINATOR_DATA_DIR=str(tmp_path / "data"), HOME=str(tmp_path), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "nominator", "gui", "--demo"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=clean,
        timeout=60,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland displays are a Linux matter")
def test_gui_without_a_display_is_one_chinese_line_and_exit_2_not_a_qt_abort(tmp_path: Path) -> None:
    proc = _gui(tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "没有可用的图形界面" in proc.stderr
    proc = _gui(tmp_path, DISPLAY=":4242")  # no X server there
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "无法连接到显示器“:4242”" in proc.stderr


def test_no_internal_field_name_reaches_the_clerk(campaign: object, demo_dossier: object) -> None:
    """Every target the checker can name is said with Chinese labels only."""
    import re as regex

    from nominator.domain.checks import check
    from nominator.domain.model import Dossier, Individual
    from nominator.domain.targets import locate

    assert isinstance(demo_dossier, Dossier)
    blank = Dossier(campaign=demo_dossier.campaign, unit=demo_dossier.unit)
    blank.collectives, blank.individuals = (
        [demo_dossier.collectives[0].__class__()],
        [Individual(photo="x.png")],
    )
    for dossier in (demo_dossier, blank):
        for stage in campaign.stages:  # type: ignore[attr-defined]
            view = dossier.for_stage(stage, campaign)  # type: ignore[arg-type]
            for problem in check(dossier, campaign, stage):  # type: ignore[arg-type]
                said = str(locate(problem.target, view, campaign))  # type: ignore[arg-type]
                assert not regex.search(r"[A-Za-z_]{3,}", said), (problem.target, said)
