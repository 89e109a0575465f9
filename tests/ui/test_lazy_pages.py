"""The window paints its overview first and makes every other page when it is first wanted; a
page made late is in the same state as one made at once (its list filled, the stage followed)."""

from __future__ import annotations

from typing import Any

from nominator.ui.main_window import PAGES, MainWindow
from nominator.ui.pages.overview import OverviewPage
from nominator.ui.pages.records import RecordsPage
from tests.ui.conftest import checked


def test_only_the_overview_is_made_before_the_first_paint(demo_window: MainWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: demo_window.painted)
    pages = demo_window.pages
    assert pages is not None and set(pages) == {key for key, _title in PAGES}
    assert [type(page) for page in pages.built()] == [OverviewPage]
    assert demo_window.stack.currentWidget() is pages["overview"]


def test_a_list_is_filled_when_it_is_first_shown(demo_window: MainWindow, qtbot: Any) -> None:
    doc = demo_window.doc
    assert doc is not None
    demo_window.nav.setCurrentRow([key for key, _title in PAGES].index("individual"))  # a click
    page = demo_window.stack.currentWidget()
    assert isinstance(page, RecordsPage) and page.kind == "individual"
    assert page.model.ids() == doc.ids("individual")
    assert page.editor.record_id == doc.ids("individual")[0]  # the first one open in the editor
    assert page.count.text().startswith(f"共 {len(doc.ids('individual'))} ")


def test_a_page_made_after_the_stage_changed_follows_it(demo_window: MainWindow, qtbot: Any) -> None:
    checked(demo_window, qtbot)
    demo_window.panel.set_stage("formal")
    page = demo_window.show_page("collective")
    assert isinstance(page, RecordsPage)
    assert page.model.stage == "formal"
    demo_window.panel.set_stage("initial")
    assert page.model.stage == "initial"  # made once, then kept up to date like the rest
