"""The overview as a clerk reads it: gauges coloured by the rule they show (not always blue), and
the next step after 初审 when no 初审反馈 has been entered yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nominator.domain.model import Individual
from nominator.ui.main_window import MainWindow
from nominator.ui.pages.overview import OverviewPage
from tests.ui.conftest import answer_reason, checked


def overview(win: MainWindow) -> OverviewPage:
    page = win.show_page("overview")
    assert isinstance(page, OverviewPage)
    return page


def test_the_county_share_bar_turns_amber_over_the_limit_and_grey_once_explained(
    demo_window: MainWindow, qtbot: Any, monkeypatch: Any
) -> None:
    doc = demo_window.doc
    assert doc is not None
    page = overview(demo_window)
    checked(demo_window, qtbot)
    bar = page.gauges["county"]
    assert bar.property("state") == "ok" and "上限 20%" in bar.format()
    for rid in doc.ids("individual")[:4]:
        person = doc.get("individual", rid)
        assert isinstance(person, Individual)
        person.rank = "县处级"
        doc.edit_record("individual", person)
    checked(demo_window, qtbot)
    assert bar.property("state") == "warning"
    assert "Q3" in page.gauge_notes["county"].text()
    panel = demo_window.panel
    panel.select(lambda e: e.problem.rule == "Q3")
    answer_reason(monkeypatch, "均为一线业务骨干")
    panel.accept_selected()
    qtbot.waitUntil(demo_window.problems.is_current, timeout=30000)  # type: ignore[union-attr]
    assert bar.property("state") == "accepted" and "已填写说明" in page.gauge_notes["county"].text()


def test_a_quota_gauge_turns_red_when_the_allocation_is_lowered_below_the_list(
    window: MainWindow, qtbot: Any
) -> None:
    doc = window.doc
    assert doc is not None
    doc.add_record("collective")
    page = overview(window)
    assert page.gauges["collective"].property("state") == "ok"
    unit = doc.unit()
    unit.allocation.collectives = 0
    doc.edit_unit(unit)
    assert page.gauges["collective"].property("state") == "error"
    assert "超出 1个" in page.gauge_notes["collective"].text()


def test_after_the_first_deadline_the_next_step_is_the_missing_feedback(
    demo_window: MainWindow, qtbot: Any
) -> None:
    doc = demo_window.doc
    assert doc is not None
    page = overview(demo_window)
    deadline = doc.campaign.deadlines["initial"]
    page.today = lambda: deadline  # type: ignore[method-assign]
    checked(demo_window, qtbot)
    assert "待反馈" not in page.next_text.text() and not page.feedback_note.isVisible()
    page.today = lambda: deadline + dt.timedelta(days=1)  # type: ignore[method-assign]
    page.refresh()
    assert "待反馈" in page.next_text.text() and page.next_button.text() == "录入初审反馈"
    assert page.feedback_note.isVisible()
    page.next_button.click()
    assert demo_window.stack.currentWidget() is demo_window.pages["individual"]


def test_the_formal_export_reminds_that_no_feedback_was_entered(
    demo_window: MainWindow, qtbot: Any, tmp_path: Any
) -> None:
    from nominator.ui.export_dialog import ExportDialog

    checked(demo_window, qtbot)
    assert demo_window.doc is not None
    dialog = ExportDialog(demo_window.doc, "formal", tmp_path, demo_window, problems=demo_window.problems)
    assert dialog.feedback_note.isVisibleTo(dialog) and "待反馈" in dialog.feedback_note.text()
    dialog.stage.setCurrentIndex(dialog.stage.findData("initial"))
    assert not dialog.feedback_note.isVisibleTo(dialog)
    dialog.deleteLater()
