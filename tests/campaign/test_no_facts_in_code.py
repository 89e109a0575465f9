"""Facts of a notice live in its campaign file, never in code.

Every literal value of each shipped campaign file (texts, and the numbers that only a notice would
give) is looked for in the program's Python code. The campaign loader may name keys, and the demo
holds sample people and their texts; nothing else may repeat what the file says, or the next notice
would need a new release. Docstrings and comments may use a campaign's words to show what code does
(先进集体“XX局”), but not its numbered facts: its dates, distinctive numbers, mailboxes, numbered
attachments (附件10) and quota factor in words (上浮20%) — an example there is read as the rule.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import tokenize
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from nominator.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "nominator"
# The loader and its records name keys; the demo holds sample people and texts. Every other campaign
# module is read like the rest of the code.
EXEMPT = {
    CODE / "campaign" / "loader.py",
    CODE / "campaign" / "model.py",
    CODE / "interchange" / "demo.py",
}
CAMPAIGNS = sorted((resources_dir() / "campaigns").glob("*.toml"))

# Words a campaign file uses that are also the program's own vocabulary for its mechanisms, each
# with the reason it may appear in code as well.
GENERIC = {
    "推荐单位": "the program's name for whoever recommends, in every campaign",
    "推荐单位名称": "the unit page's own field",
    "无异议": "the usual publicity result, offered as an example",
    "联系人": "the unit page's own field",
    "联系电话": "the unit page's own field",
    "姓名": "the photo file name rule (F2) is the person's name and birth date: the matching works on them",
    "出生日期": "the photo file name rule (F2) is the person's name and birth date: the matching works on them",
    "小二寸": "a photo size clerks know by name, one of the campaign editor's presets for any campaign",
    "{addressee}:": "the salutation of any mail body, also in the program's default body for a campaign without one",
    "推荐": "the verb of every nomination; also the 文明 campaign's name for its second stage",
    "申报": "the verb of applying, in the rule kinds' default messages; also a stage's name",
    "推荐名额": "the program's word for an allocation, in the quota rules' default messages",
}
# Only distinctive numbers count as a notice's facts (413, 579, 2024): round ones (100, 200, 3000)
# are as likely a width or a cap of the program's own.


def distinctive(value: int) -> bool:
    return value >= 100 and value % 10 != 0


def leaves(value: object) -> Iterator[object]:
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def campaign_facts(path: Path) -> tuple[set[str], set[int]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    texts: set[str] = set()
    numbers: set[int] = set()
    for value in leaves(data):
        if isinstance(value, str):
            for line in value.splitlines():
                line = line.strip()
                if line in GENERIC:
                    continue
                if (len(line) >= 2 and not line.isascii()) or "@" in line or ("{" in line and len(line) > 8):
                    texts.add(line)
        elif isinstance(value, int) and not isinstance(value, bool) and distinctive(value):
            numbers.add(value)
        elif isinstance(value, dt.date):
            texts.add(value.isoformat())
            numbers.add(value.year)
    factors = [data.get("quota", {}).get("factor")] + [r.get("factor") for r in data.get("rules", [])]
    for factor in factors:  # format 2's [quota], or a format-3 rule's
        if isinstance(factor, list) and len(factor) == 2 and factor[1] and factor[0] != factor[1]:
            # what the factor says in words: [12, 10] is 上浮20%, a fact as much as the numbers
            texts.add(f"上浮{(factor[0] - factor[1]) * 100 / factor[1]:g}%")
    return texts, numbers


def numbered(text: str) -> bool:
    """A fact a notice numbers: a date, an attachment (附件10), a factor in words, a mailbox."""
    return bool(re.search(r"\d", text)) or "@" in text


def prose(tree: ast.Module, source: str) -> Iterator[tuple[int, str]]:
    """The docstrings and comments of a module, with their lines."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                yield first.value.lineno, first.value.value
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def modules() -> Iterator[tuple[Path, ast.Module, str]]:
    for path in sorted(CODE.rglob("*.py")):
        if path in EXEMPT or "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        yield path, ast.parse(source), source


def code_literals() -> Iterator[tuple[Path, int, object]]:
    for path, tree, _source in modules():
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                yield path, node.lineno, node.value


@pytest.mark.parametrize("campaign_file", CAMPAIGNS, ids=lambda p: p.stem)
def test_no_value_of_a_campaign_file_is_written_in_code(campaign_file: Path) -> None:
    texts, numbers = campaign_facts(campaign_file)
    found = []
    for path, line, value in code_literals():
        where = f"{path.relative_to(ROOT)}:{line}"
        if isinstance(value, str):
            for text in texts:
                # a short word must be the whole literal; a longer phrase may not appear anywhere
                if value == text or (len(text) >= 4 and text in value):
                    found.append(f"{where}: “{text}” in {value!r}")
            for number in numbers:
                if re.search(rf"(?<!\d){number}(?!\d)", value):
                    found.append(f"{where}: {number} in {value!r}")
        elif isinstance(value, int) and not isinstance(value, bool) and value in numbers:
            found.append(f"{where}: {value}")
    assert not found, "campaign facts written in code:\n" + "\n".join(sorted(set(found)))


@pytest.mark.parametrize("campaign_file", CAMPAIGNS, ids=lambda p: p.stem)
def test_no_numbered_fact_of_a_campaign_file_is_an_example_in_a_docstring_or_comment(
    campaign_file: Path,
) -> None:
    texts, numbers = campaign_facts(campaign_file)
    facts = {text for text in texts if numbered(text)}
    found = []
    for path, tree, source in modules():
        for line, value in prose(tree, source):
            where = f"{path.relative_to(ROOT)}:{line}"
            found += [f"{where}: “{text}”" for text in facts if text in value]
            found += [f"{where}: {n}" for n in numbers if re.search(rf"(?<!\d){n}(?!\d)", value)]
    assert not found, "campaign facts used as examples in prose:\n" + "\n".join(sorted(set(found)))
