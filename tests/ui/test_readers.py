"""Readers never wait for the writer: while the window holds a store (its writer lock, its WAL
not yet checkpointed), `nominator check` and `nominator export` — other processes — read it, and
see everything the window said it saved (✔ 已保存)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from nominator.ui.main_window import MainWindow
from nominator.ui.pages.records import RecordsPage
from tests.ui.conftest import type_text

ROOT = Path(__file__).parents[2]


def nominator(*args: str) -> subprocess.CompletedProcess[str]:
    # Without LibreOffice on PATH the export leaves out the PDF (a note says so): faster, same data.
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(
        [sys.executable, "-m", "nominator", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=env,
    )


def saved(window: MainWindow, qtbot: Any, editor: Any) -> None:
    qtbot.waitUntil(lambda: not editor.has_pending(), timeout=5000)
    assert window.save_state.text().startswith("✔ 已保存")


def test_check_and_export_see_what_the_window_saved_while_it_holds_the_store(
    demo_window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    doc = demo_window.doc
    assert doc is not None
    page = demo_window.show_page("collective")
    assert isinstance(page, RecordsPage)
    page.select_id(doc.ids("collective")[0])
    name = page.editor.widgets["name"]
    name.setFocus()
    name.end(False)  # type: ignore[attr-defined]
    type_text(name, "读者可见")
    saved(demo_window, qtbot, page.editor)
    leader = page.editor.widgets["leader"]
    leader.clear()  # type: ignore[attr-defined]
    leader.edited.emit()  # type: ignore[attr-defined]
    saved(demo_window, qtbot, page.editor)

    checked = nominator("check", "--db", str(doc.path), "--stage", "initial", "--json")
    assert checked.returncode == 1, checked.stderr
    problems = json.loads(checked.stdout)["problems"]
    assert any(p["rule"] == "V1" and p["target"] == "collectives[0].leader" for p in problems)

    leader.setText("李晓峰 科长")  # type: ignore[attr-defined]
    leader.edited.emit()  # type: ignore[attr-defined]
    saved(demo_window, qtbot, page.editor)
    out = tmp_path / "导出"
    exported = nominator("export", "--db", str(doc.path), "--stage", "initial", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    documents = [p for p in out.rglob("*.docx") if "打印合集" not in p.name]
    texts = [zipfile.ZipFile(p).read("word/document.xml").decode("utf-8") for p in documents]
    assert any("读者可见" in text for text in texts)
    # the window still holds the store and goes on saving
    type_text(name, "二")
    saved(demo_window, qtbot, page.editor)
    assert doc.get("collective", doc.ids("collective")[0]).name.endswith("读者可见二")
