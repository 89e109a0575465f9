"""README's set-up is what a new machine runs first: each command makes its own virtual
environment (a system Python marked externally managed refuses pip), the test command is the one
CI runs, and the apt line installs every library Qt's window needs — the same list as CI's."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Set-up") : text.index("\n## ", text.index("## Set-up") + 1)]


def code_blocks(section: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```\n(.*?)```", section, re.S)]


def test_both_setup_commands_create_and_use_a_virtual_environment() -> None:
    run, test = [b for b in code_blocks(setup_section()) if "pip install" in b]
    for command in (run, test):
        steps = [s.strip() for s in command.split("&&")]
        assert steps[0] == "python3 -m venv .venv" and steps[1] == ". .venv/bin/activate", command
        assert any(s.startswith("pip install -e") for s in steps[2:])
    assert run.endswith("nominator gui --demo")


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    _run, test = [b for b in code_blocks(setup_section()) if "pip install" in b]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pytest_command = test.split("&&")[-1].strip()
    assert pytest_command == "python -m pytest"
    assert re.search(rf"^{re.escape(pytest_command)}$", ci, re.M)
    assert "python3 -m venv .venv" in ci and ". .venv/bin/activate" in ci


def test_the_apt_line_has_every_qt_library_ci_installs() -> None:
    [apt] = [b for b in code_blocks(setup_section()) if b.startswith("apt-get install")]
    readme = set(shlex.split(apt.replace("\\\n", " "))) - {"apt-get", "install"}
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = ci[ci.index("apt-get install -y") : ci.index(">/dev/null", ci.index("apt-get install -y"))]
    wanted = {
        w for w in shlex.split(block.replace("\\\n", " ")) if w.startswith(("lib", "fonts-", "poppler"))
    }
    assert wanted - readme == set()
    assert {"libxcb-cursor0", "python3-venv"} <= readme
