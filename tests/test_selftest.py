"""`nominator --selftest` in-process: the same steps the frozen build runs, on the source tree.
The whole self-test runs once for the module (it takes seconds); the other tests stub steps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nominator import cli, selftest


def _qt_importable() -> bool:
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class FullRun:
    code: int
    lines: list[str]
    window: bool
    data_before: list[Path]
    data_after: list[Path]


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FullRun]:
    data = tmp_path_factory.mktemp("selftest-data")
    (data / "keep.txt").write_text("the clerk's own file", "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NOMINATOR_DATA_DIR", str(data))
        before = sorted(data.rglob("*"))
        window = _qt_importable()
        lines: list[str] = []
        code = selftest.run(window=window, out=lines.append)
        yield FullRun(code, lines, window, before, sorted(data.rglob("*")))


def test_selftest_passes_and_names_each_step_in_chinese(full_run: FullRun) -> None:
    code, lines, window = full_run.code, full_run.lines, full_run.window
    assert code == 0
    assert lines[0].startswith("推荐材料助手") and lines[-1].startswith("自检全部通过")
    steps = [line for line in lines if line.startswith("[")]
    assert len(steps) == (9 if window else 8)
    assert all(":通过。" in line for line in steps)
    assert any("导出正式材料" in line and ".eml" in line for line in steps)
    assert any("交换文件往返" in line and "内容一致" in line for line in steps)


def test_selftest_builds_the_window_with_chinese_qt_dialogs(full_run: FullRun) -> None:
    lines, window = full_run.lines, full_run.window
    if not window:
        pytest.skip("PySide6 is not importable here (the no-Qt CI job): the window step is not run")
    assert any(line.startswith("[9/9] 主窗口:通过") and "中文翻译已加载" in line for line in lines)


def test_selftest_leaves_the_data_folder_as_it_was(full_run: FullRun) -> None:
    assert full_run.data_after == full_run.data_before


def test_selftest_names_the_failing_step_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> str:
        raise selftest.SelftestFailure("示例推荐库中没有先进个人")

    monkeypatch.setattr(selftest._Run, "demo_store", broken)
    lines: list[str] = []
    assert selftest.run(window=False, out=lines.append) == 1
    assert lines[-1] == "[2/8] 示例推荐库:失败。示例推荐库中没有先进个人"


def test_an_unexpected_error_is_reported_with_where_it_happened(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(self: object) -> str:
        raise FileNotFoundError("templates/default-footer.xml")

    monkeypatch.setattr(selftest._Run, "program_files", missing)
    lines: list[str] = []
    assert selftest.run(window=False, out=lines.append) == 1
    assert lines[-1].startswith("[1/8] 程序文件:失败。FileNotFoundError: templates/default-footer.xml(")
    assert "test_selftest.py:" in lines[-1]


@pytest.mark.parametrize(
    ("argv", "window"),
    [(["--selftest"], True), (["selftest"], True), (["selftest", "--no-window"], False)],
)
def test_command_line_reaches_the_selftest(
    argv: list[str], window: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def fake_run(*, window: bool, campaign: object = None) -> int:
        seen.append(window)
        return 0

    monkeypatch.setattr(selftest, "run", fake_run)
    assert cli.main(argv) == 0
    assert seen == [window]
