"""Small things a new clerk trips over: clipped examples in empty fields, menus without
mnemonics, an editor that opens scrolled to where the last record was, and the like."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nominator.ui import files
from nominator.ui.document import Document
from nominator.ui.main_window import MainWindow
from nominator.ui.pages.records import RecordsPage
from nominator.ui.widgets import PLACEHOLDER_MARGIN, LineField
from tests.ui.conftest import region_unit


@pytest.fixture()
def office_window(qtbot: Any, store_path: Path) -> Iterator[MainWindow]:
    """As narrow as the window gets: 1366×768 at 150% leaves 911×512."""
    win = MainWindow(Document(files.create_store(store_path, region_unit(8, 16))))
    qtbot.addWidget(win)
    win.resize(911, 512)
    win.show()
    yield win
    win.close()


@pytest.mark.parametrize("kind", ["collective", "individual", "member"])
def test_no_example_in_an_empty_field_is_cut_off(office_window: MainWindow, qtbot: Any, kind: str) -> None:
    page = office_window.show_page(kind)
    assert isinstance(page, RecordsPage)
    page.add()
    qtbot.wait(50)
    fields = [w for w in page.editor.findChildren(LineField) if w.placeholderText() and w.isVisible()]
    assert fields
    for field in fields:
        needed = field.fontMetrics().horizontalAdvance(field.placeholderText()) + PLACEHOLDER_MARGIN
        assert field.width() >= needed, field.placeholderText()
