"""Can a window open here at all? Asked before Qt starts, because Qt answers "no" by aborting
the process (exit 134) with an English message. Imports no Qt.

On Linux, when QT_QPA_PLATFORM does not choose a platform itself: there must be a display, the
X11 platform plugin must load (it needs the xcb libraries, e.g. libxcb-cursor0), and the X server
named by DISPLAY must answer. Elsewhere (Windows, macOS) the window system is always there.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

INSTALL_HINT = "请安装 Qt 图形界面所需的系统库(Debian/Ubuntu 见 README 中的 apt-get 命令)后再运行"


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """One Chinese line saying why no window can open, or None when it can (or we cannot tell)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return None
    x11, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if not x11 and not wayland:
        return (
            "没有可用的图形界面(未设置 DISPLAY 或 WAYLAND_DISPLAY),无法打开窗口。"
            "请在桌面环境中运行;不开窗口的功能见 nominator --help。"
        )
    if wayland:
        return None  # Qt tries Wayland first and falls back to X11 by itself
    missing = xcb_plugin_problem()
    if missing:
        return f"无法打开窗口:缺少系统库 {missing}。{INSTALL_HINT}。"
    if not x_server_answers(x11):
        return f"无法连接到显示器“{x11}”,无法打开窗口。请确认图形桌面正在运行,或检查 DISPLAY 的设置。"
    return None


def xcb_plugin_problem() -> str | None:
    """The library the X11 platform plugin cannot load ("libxcb-cursor.so.0"), or None."""
    import ctypes  # here: only Linux without QT_QPA_PLATFORM asks, and the window starts sooner

    plugin = _xcb_plugin()
    if plugin is None:
        return None  # not a layout we know: let Qt try
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = re.search(r"(lib[\w.+-]+\.so[.\d]*)", str(exc))
        return found.group(1) if found and found.group(1) != plugin.name else "xcb 系列库"
    return None


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        candidate = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if candidate.is_file():
            return candidate
    return None


def x_server_answers(display: str) -> bool:
    """Whether the X server named by DISPLAY (":0", ":99.0", "host:10.0") accepts a connection."""
    import socket

    match = re.fullmatch(r"(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?", display)
    if match is None:
        return True  # a form we do not know: let Qt try
    host, number = match.group("host"), int(match.group("number"))
    if host in ("", "unix"):
        for address in (f"/tmp/.X11-unix/X{number}", f"\0/tmp/.X11-unix/X{number}"):
            with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(2)
                sock.connect(address)
                return True
        return False
    try:
        socket.create_connection((host, 6000 + number), timeout=2).close()
    except OSError:
        return False
    return True
