"""`nominator gui` where Qt's X11 plugin cannot load (a machine without the xcb libraries):
one Chinese line naming the missing library and exit 2, instead of Qt's abort (exit 134)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is a Linux matter")
def test_a_missing_xcb_library_is_named_in_one_chinese_line(tmp_path: Path) -> None:
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libxcb-cursor.so.0").write_text("not a library")  # found before the real one
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(
        DISPLAY=":4242",
        LD_LIBRARY_PATH=str(broken),
        NOMINATOR_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path),
        PYTHONIOENCODING="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "nominator", "gui", "--demo"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == (
        "无法打开窗口:缺少系统库 libxcb-cursor.so.0。"
        "请安装 Qt 图形界面所需的系统库(Debian/Ubuntu 见 README 中的 apt-get 命令)后再运行。"
    )


def test_with_offscreen_or_a_wayland_session_nothing_is_second_guessed() -> None:
    from nominator.ui.display import display_problem

    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({}, "win32") is None
    assert display_problem({}, "linux") is not None
