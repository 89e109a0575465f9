"""The house rule of docs/architecture.md: no module runs past 500 lines without its reason
written at its top, so a file that grows is split or explained, never just left to grow."""

from __future__ import annotations

from pathlib import Path

import nominator

LIMIT = 500
MARK = "# Over 500 lines:"


def _modules() -> list[Path]:
    root = Path(nominator.__file__).parent
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.parts)


def test_every_long_module_says_why_at_its_top() -> None:
    unexplained = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) <= LIMIT:
            continue
        head = lines[:40]
        if not any(line.startswith(MARK) and len(line) > len(MARK) + 10 for line in head):
            unexplained.append(f"{path.name}: {len(lines)} lines")
    assert not unexplained, f"split these or write `{MARK} <why>` near the top: {unexplained}"


def test_the_rule_sees_the_whole_package() -> None:
    names = {p.name for p in _modules()}
    assert {"cli.py", "checks.py", "main_window.py", "session.py"} <= names
