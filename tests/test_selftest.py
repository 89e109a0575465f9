"""`nominator --selftest` in-process: the same steps the frozen build runs, on the source tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nominator.cli import main
from nominator.selftest import run


def test_selftest_passes_every_model_step_and_names_each_in_chinese() -> None:
    lines: list[str] = []
    assert run(window=False, out=lines.append) == 0
    assert lines[-1].startswith("自检全部通过")
    steps = [line for line in lines if line.startswith("[")]
    assert len(steps) == 8
    assert all("通过" in line for line in steps)
    assert any("导出正式材料" in line and ".eml" in line for line in steps)


def test_selftest_leaves_no_trace_in_the_data_folder(tmp_path: Path) -> None:
    data = Path(os.environ["NOMINATOR_DATA_DIR"])
    before = sorted(data.rglob("*"))
    assert run(window=False, out=lambda _line: None) == 0
    assert sorted(data.rglob("*")) == before
    assert os.environ["NOMINATOR_DATA_DIR"] == str(data)


def test_selftest_names_the_failing_step_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    from nominator import selftest

    def broken(self: object, stage: str) -> str:
        raise selftest.SelftestFailure("缺少或为空:示例.zip")

    monkeypatch.setattr(selftest._Run, "export", broken)
    lines: list[str] = []
    assert run(window=False, out=lines.append) == 1
    assert lines[-1] == "[6/8] 导出初审材料:失败。缺少或为空:示例.zip"


def test_selftest_command_line_flag_and_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selftest", "--no-window"]) == 0
    out = capsys.readouterr()
    assert "自检全部通过" in out.out
    assert out.err == ""


def test_selftest_builds_the_main_window_with_chinese_qt_dialogs() -> None:
    pytest.importorskip("PySide6.QtWidgets", reason="the window step needs Qt")
    lines: list[str] = []
    assert run(window=True, out=lines.append) == 0
    assert any(line.startswith("[9/9] 主窗口:通过") and "中文翻译已加载" in line for line in lines)
