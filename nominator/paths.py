"""Where the program's own files (resources/, forms/) live: source tree, wheel or frozen build."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def _roots() -> tuple[Path, ...]:
    package = Path(__file__).resolve().parent
    candidates = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen))
    candidates.append(package.parent)  # source checkout / editable install
    candidates.append(package / "_data")  # wheel (see pyproject force-include)
    return tuple(candidates)


def _find(name: str) -> Path:
    for root in _roots():
        if (root / name).is_dir():
            return root / name
    raise FileNotFoundError(f"程序文件夹“{name}”缺失,请重新安装推荐材料助手。")


def resources_dir() -> Path:
    return _find("resources")


def forms_dir() -> Path:
    return _find("forms")


def user_data_root() -> Path:
    """The user's own data folder (backups, added campaigns): %LOCALAPPDATA%\\Nominator on Windows.

    NOMINATOR_DATA_DIR moves it (tests, the self-test, portable use)."""

    from platformdirs import user_data_dir

    override = os.environ.get("NOMINATOR_DATA_DIR")
    return Path(override) if override else Path(user_data_dir("Nominator", appauthor=False))
