"""A date that does not exist (2025-02-30) is told apart from a date in the wrong format, in the
field, in the publicity row and in the problems panel — never reported as if it were empty."""

from __future__ import annotations

from typing import Any

import pytest

from nominator.domain.model import date_problem
from nominator.ui.editors import PublicityRow
from nominator.ui.main_window import MainWindow
from nominator.ui.pages.records import RecordsPage
from tests.ui.conftest import checked, type_text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2025-02-30", "2025年2月没有30日"),
        ("2025-13-01", "月份应为01至12"),
        ("2025/12/08", "请按“2025-12-08”的格式"),
        ("20251208", "请按“2025-12-08”的格式"),
    ],
)
def test_each_kind_of_wrong_date_is_named_for_what_it_is(typed: str, said: str) -> None:
    problem = date_problem(typed, "2025-12-08")
    assert problem is not None and said in problem
    if "格式" not in said:
        assert "格式" not in problem  # a real format, a day that does not exist


def test_an_impossible_publicity_start_is_said_in_the_row_and_the_panel(
    window: MainWindow, qtbot: Any
) -> None:
    collectives = window.show_page("collective")
    assert isinstance(collectives, RecordsPage)
    collectives.add()
    row = collectives.editor.widgets["publicity.unit"]
    assert isinstance(row, PublicityRow)
    type_text(row.start.line, "2025-02-30")
    assert "2025年2月没有30日" in row.start.line.toolTip()
    assert row.note.isVisibleTo(row) and "开始日期" in row.note.text() and "没有30日" in row.note.text()
    collectives.editor.flush()
    checked(window, qtbot)
    index = window.panel.model.find(lambda e: e.problem.target.path == "collectives[0].publicity.unit")
    text = index.data()
    assert "没有30日" in text and "请填写" not in text
