"""The window changes a dossier in one way only: operations run by its runner (ui/runner.py).

A Writer — the only thing that writes to a store — comes from `Store.transaction()`, and the
operations module's `perform` is what opens one. So: no module of the window but the runner may
open a transaction, call `perform` or apply an operation, name a Writer, or reach past the store
to its engine or SQL. The import-linter contract "The window reaches the store's files only
through the store" keeps sqlalchemy and sqlite3 out of the window as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nominator.ui

UI = Path(nominator.ui.__file__).parent
RUNNER = UI / "runner.py"
# attribute or name → why only the runner may use it
WRITES = {
    "transaction": "opens a write transaction on the store",
    "perform": "runs an operation outside the runner (no undo step, no announcement)",
    "apply": "applies an operation to a Writer directly",  # as an attribute: op.apply(writer, …)
    "Writer": "is the store's write access",
    "engine": "reaches past the store to its database",
    "_session": "reaches past the store to its database",
    "replace_dossier": "replaces a dossier without an operation",
    "replace_contents": "replaces a dossier without an operation",
    "apply_intake": "writes an Excel import without an operation",
    "apply_merge": "writes a merge without an operation",
    "apply_photo_folder": "writes photos without an operation",
}


def uses(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        name = None
        if isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.alias):
            name = node.asname or node.name.rsplit(".", 1)[-1]
        if name == "apply" and not isinstance(node, ast.Attribute):
            continue  # a function of that name (campaign.edit.apply) is not an operation's
        if name in WRITES:
            found.append((getattr(node, "lineno", 0), name))
    return found


def test_no_window_code_writes_to_the_store_except_through_the_runner() -> None:
    offences = [
        f"{path.relative_to(UI.parent.parent)}:{line}: {name} {WRITES[name]}"
        for path in sorted(UI.rglob("*.py"))
        if path != RUNNER
        for line, name in uses(path)
    ]
    assert not offences, "\n".join(offences)


def test_the_runner_is_where_operations_are_performed() -> None:
    names = {name for _line, name in uses(RUNNER)}
    assert "perform" in names  # the rule above is not vacuous: this is where writing happens
