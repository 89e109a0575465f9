"""The command line as scripts and clerks use it: exit codes, JSON, one-line Chinese errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nominator.cli import main
from tests.interchange.test_exchange import JPEG, hand_written, write_json


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_check_finds_no_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "示例.nominator"
    assert run(capsys, "demo", "--db", str(db))[0] == 0
    for stage in ("initial", "formal"):
        code, out, _ = run(capsys, "check", "--db", str(db), "--stage", stage, "--json")
        result = json.loads(out)
        assert code == 0
        assert result["stage"] == stage and result["errors"] == 0
        assert {p["rule"] for p in result["problems"]} <= {"D1"}  # only lateness, depending on today


def test_hand_written_file_gives_the_expected_rule_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_json(tmp_path, hand_written(), {"photos/张某某-19660101.jpg": JPEG})
    db = tmp_path / "s.nominator"
    assert run(capsys, "import", str(src), "--db", str(db))[0] == 0
    code, out, _ = run(capsys, "check", "--db", str(db), "--stage", "initial", "--json")
    result = json.loads(out)
    assert code == 1
    found = {(p["rule"], p["target"]) for p in result["problems"]}
    assert ("Q1", "collectives") in found  # 2 collectives, allocation 1 → ceiling 1
    assert ("V2", "individuals[0].birth_date") in found  # 1966-02-30
    assert ("E3", "individuals[0].assessments.2022") in found  # 基本称职
    assert ("E3", "individuals[0].assessments.2023") in found  # missing
    assert ("E4", "individuals[0].attestations.no_dereliction") in found
    assert ("P1", "individuals[0].publicity.unit") in found
    assert ("V1", "reports.initial.review") in found
    assert result["errors"] == sum(1 for p in result["problems"] if p["severity"] == "error")
    assert set(result) == {"stage", "errors", "warnings", "problems"}
    assert all(set(p) <= {"rule", "severity", "target", "message", "overridden"} for p in result["problems"])


def test_export_data_gives_the_same_json_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_json(tmp_path, hand_written(), {"photos/张某某-19660101.jpg": JPEG})
    db = tmp_path / "s.nominator"
    run(capsys, "import", str(src), "--db", str(db))
    out = tmp_path / "back" / "out.json"
    assert run(capsys, "export-data", "--db", str(db), "--out", str(out))[0] == 0
    original, back = hand_written(), json.loads(out.read_text("utf-8"))
    for key in ("format", "version", "campaign"):
        assert back[key] == original[key]
    assert back["unit"]["allocation"] == original["unit"]["allocation"]
    person = back["individuals"][0]
    for key, value in original["individuals"][0].items():
        assert person[key] == value, key
    assert (out.parent / person["photo"]).read_bytes() == JPEG
    assert [c["name"] for c in back["collectives"]] == [c["name"] for c in original["collectives"]]
    assert back["reports"] == original["reports"]


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["check", "--db", "没有这个文件.nominator", "--stage", "initial"], "找不到推荐库文件"),
        (["check", "--db", "x.nominator"], "命令参数有误"),
        (["import", "没有.json", "--db", "x.nominator"], "找不到交换文件"),
        (["export-data", "--db", "x.nominator", "--out", "a.txt"], "推荐库"),
    ],
)
def test_could_not_run_is_exit_2_with_one_chinese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], phrase: str
) -> None:
    os.chdir(tmp_path)
    code, _, err = run(capsys, *args)
    lines = [line for line in err.splitlines() if line and not line.startswith("usage:")]
    assert code == 2
    assert len(lines) == 1 and phrase in lines[0]
    assert "Traceback" not in err


def test_a_real_process_prints_no_traceback_for_a_bad_store(tmp_path: Path) -> None:
    bad = tmp_path / "坏.nominator"
    bad.write_bytes(b"not a database at all" * 50)
    proc = subprocess.run(
        [sys.executable, "-m", "nominator", "check", "--db", str(bad), "--stage", "initial"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "已损坏" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_prints_readable_chinese_without_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_json(tmp_path, hand_written(), {"photos/张某某-19660101.jpg": JPEG})
    db = tmp_path / "s.nominator"
    run(capsys, "import", str(src), "--db", str(db))
    code, out, _ = run(capsys, "check", "--db", str(db), "--stage", "initial")
    assert code == 1
    assert "[错误] Q1 名额与比例 · 先进集体:" in out
    assert out.strip().splitlines()[-1].startswith("初审阶段:错误")
