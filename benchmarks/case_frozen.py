"""Frozen build cases: start-up of the PyInstaller build in dist/ against the source run.

`nominator-cli --version` (start-up alone) and `nominator-cli --selftest` (start-up plus the whole
smoke test: demo store, checks, both exports, window off-screen), each against
`python -m nominator …` measured in the same run. Prints the build's size. Needs a build:
`python packaging/build.py --no-installer`; without one the cases are skipped with a line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import Case
from nominator import APP_NAME

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / APP_NAME
CLI = BUNDLE / ("nominator-cli.exe" if sys.platform == "win32" else "nominator-cli")


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_"))}
    env.update(NOMINATOR_DATA_DIR=str(tmp / "data"), QT_QPA_PLATFORM="offscreen")
    return env


def setup(tmp: Path) -> dict[str, Any]:
    size = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    files = sum(1 for p in BUNDLE.rglob("*") if p.is_file())
    print(
        f"  frozen build {BUNDLE.relative_to(ROOT)}: {size / 2**20:.0f} MiB in {files} files", file=sys.stderr
    )
    return {"env": _env(tmp), "cwd": tmp}


def _run(ctx: dict[str, Any], *command: str) -> None:
    subprocess.run(command, env=ctx["env"], cwd=ctx["cwd"], check=True, capture_output=True)


def _source(*args: str) -> Any:
    return lambda ctx: _run(ctx, sys.executable, "-m", "nominator", *args)


def _frozen(*args: str) -> Any:
    return lambda ctx: _run(ctx, str(CLI), *args)


if CLI.is_file():
    CASES = [
        Case(
            name="frozen nominator-cli --version",
            baseline_name="python -m nominator --version",
            setup=setup,
            baseline=_source("--version"),
            target=_frozen("--version"),
            repeat=7,
        ),
        Case(
            name="frozen nominator-cli --selftest",
            baseline_name="python -m nominator --selftest",
            setup=setup,
            baseline=_source("--selftest"),
            target=_frozen("--selftest"),
            repeat=3,
        ),
    ]
else:
    print(
        f"  case_frozen: no build at {CLI} (python packaging/build.py --no-installer); skipped",
        file=sys.stderr,
    )
    CASES = []
