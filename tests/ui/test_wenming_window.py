"""The window on a campaign of another shape (the 文明 nominations: collectives only, in categories
and levels, a multiple-choice field, an allocation table by category and level), through the same
code as Liaoning's: only the pages it has, 类别 and 级别 in the editor, honours ticked and undone,
the allocation table typed and a quota problem that opens its box (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from nominator.campaign import Campaign, load_campaign, parse_campaign
from nominator.domain.model import Allocation, Nominee, Unit, new_nominee
from nominator.store.session import Store
from nominator.ui.document import Document
from nominator.ui.help import guide_html
from nominator.ui.main_window import PAGES, MainWindow, page_keys
from nominator.ui.pages.overview import OverviewPage
from nominator.ui.pages.records import RecordsPage
from nominator.ui.pages.unit import AllocationBox, UnitPage
from nominator.ui.widgets import MultiChoice
from tests.ui.conftest import checked

REPO = Path(__file__).resolve().parents[2]
WENMING = REPO / "resources" / "campaigns" / "mudanjiang-wmjs-2021.toml"


def wenming() -> Campaign:
    return parse_campaign(
        WENMING.read_text(encoding="utf-8"),
        file_name=WENMING.name,
        forms_dir=REPO / "forms" / "mudanjiang-wmjs-2021",
    )


def school(category: str, level: str) -> Nominee:
    return new_nominee(
        "collective",
        values={"name": "林口县第一中学", "unit_type": "事业单位", "category": category, "level": level},
    )


@pytest.fixture()
def make_window(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    made: list[MainWindow] = []

    def make(table: dict[str, int] | None = None, nominees: tuple[Nominee, ...] = ()) -> MainWindow:
        unit = Unit(
            name="林口县文明办",
            kind="county",
            contact="张三",
            phone="0453-1234567",
            allocation=Allocation(table=dict(table or {})),
        )
        path = tmp_path / "home" / "Documents" / f"林口县文明办{len(made) + 1}.nominator"
        store = Store.create(path, campaign=wenming(), unit=unit)
        with store.transaction() as w:
            for nominee in nominees:
                w.add("collective", nominee)
        win = MainWindow(Document(store))
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


def shown_titles(win: MainWindow) -> list[str]:
    return [win.nav.item(r).text() for r in range(win.nav.count()) if not win.nav.isRowHidden(r)]


def test_the_window_has_only_the_pages_its_campaign_has(make_window: Any) -> None:
    win = make_window()
    campaign = wenming()
    assert shown_titles(win) == ["概览", "推荐单位", campaign.kinds["collective"].label, "推荐工作报告"]
    assert win.pages is not None and set(win.pages) == {"overview", "unit", "collective", "reports"}
    for missing in ("individual", "member", "photos"):
        assert win.show_page(missing) is None
        assert not win.page_actions[missing].isVisible()
    assert win.stack.currentWidget() is win.pages["overview"]
    # Liaoning keeps every page (the class: a page is there exactly when its campaign has it).
    assert page_keys(load_campaign()) == [key for key, _title in PAGES]
    assert "先进个人" not in guide_html(campaign) and campaign.kinds["collective"].label in guide_html(
        campaign
    )


def test_the_overview_says_the_quota_per_category_and_level_and_names_no_missing_kind(
    make_window: Any, qtbot: Any
) -> None:
    win = make_window(
        {"unit.市级": 1}, (school("unit", "市级"), school("unit", "市级"), school("campus", "省级"))
    )
    checked(win, qtbot)
    overview = win.pages["overview"]
    assert isinstance(overview, OverviewPage)
    overview.refresh()
    assert set(overview.gauges) == {"unit.市级", "campus.省级"}  # allocated, or entered without one
    assert overview.gauges["unit.市级"].format() == "2 / 1"
    assert overview.gauges["unit.市级"].property("state") == "error"
    assert "超出 1个(规则W1)" in overview.gauge_notes["unit.市级"].text()
    assert "尚未填写" in overview.gauge_notes["campus.省级"].text()
    empty = make_window()
    blank = empty.pages["overview"]
    assert isinstance(blank, OverviewPage)
    assert not blank.gauges and "按类别和级别填写" in blank.quota_empty.text()
    assert "各类别、各级别的推荐名额" in blank.next_text.text()
    for text in (blank.next_text.text(), blank.quota_empty.text()):
        assert "个人" not in text and "成员" not in text


def test_a_collective_gets_its_category_level_and_two_honours_saved_and_undoable(
    make_window: Any, qtbot: Any
) -> None:
    win = make_window()
    doc = win.doc
    page = win.show_page("collective")
    assert isinstance(page, RecordsPage) and doc is not None
    page.add()
    [rid] = doc.ids("collective")
    editor = page.editor
    assert editor.category is not None and editor.level is not None
    category = editor.category
    category.setCurrentIndex(category.findData("unit_model"))
    category.activated.emit(category.currentIndex())
    offered = [editor.level.itemText(n) for n in range(1, editor.level.count())]
    assert offered == list(doc.campaign.kinds["collective"].levels_of("unit_model"))
    editor.level.setCurrentIndex(editor.level.findData("省级"))
    editor.level.activated.emit(editor.level.currentIndex())
    editor.flush()
    honours = editor.widgets["prior_honours"]
    assert isinstance(honours, MultiChoice)
    honours.check("第十九届省级文明单位")  # ticked in another order than listed
    honours.check("第十八届省级文明单位标兵")
    editor.flush()
    saved = doc.get("collective", rid)
    assert isinstance(saved, Nominee)
    assert (saved.get("category"), saved.get("level")) == ("unit_model", "省级")
    assert saved.get("prior_honours") == [
        "第十八届省级文明单位标兵",
        "第十九届省级文明单位",
    ]  # the list's order
    columns = [f for f, _t in page.model.columns]
    assert page.model.index(0, columns.index("category")).data() == "文明单位标兵"  # the label, not the id
    assert page.model.index(0, columns.index("level")).data() == "省级"

    win.undo_action.trigger()
    undone = doc.get("collective", rid)
    assert isinstance(undone, Nominee) and not undone.get("prior_honours")
    assert undone.get("category") == "unit_model"  # one undo step: the honours only
    assert honours.value() == [] and category.value() == "unit_model"
    win.undo_action.trigger()
    assert category.value() == "" and editor.level.value() == ""
    win.redo_action.trigger()
    win.redo_action.trigger()
    assert honours.value() == ["第十八届省级文明单位标兵", "第十九届省级文明单位"]
    assert (category.value(), editor.level.value()) == ("unit_model", "省级")
    redone = doc.get("collective", rid)
    assert isinstance(redone, Nominee) and redone.get("prior_honours") == honours.value()


def test_another_category_offers_its_own_levels_and_keeps_a_level_it_has(make_window: Any) -> None:
    win = make_window(nominees=(school("unit", "市级"),))
    page = win.show_page("collective")
    assert isinstance(page, RecordsPage)
    editor = page.editor
    assert editor.category is not None and editor.level is not None
    assert editor.category.currentText() == "文明单位" and editor.level.value() == "市级"
    editor.category.setCurrentIndex(editor.category.findData("family"))
    editor.category.activated.emit(editor.category.currentIndex())
    assert editor.level.value() == "市级"  # 文明家庭 is awarded at 市级 too


def test_typing_the_allocation_table_saves_it_and_a_w1_problem_opens_its_box(
    make_window: Any, qtbot: Any
) -> None:
    win = make_window(nominees=(school("campus", "省级"),))
    doc = win.doc
    assert doc is not None
    checked(win, qtbot)
    panel = win.panel
    index = panel.model.find(lambda e: e.problem.rule == "W1" and e.place.page == "unit")
    assert index.isValid() and "省级文明校园" in index.data()
    win.activateWindow()
    panel.tree.activated.emit(index)
    unit_page = win.pages["unit"]
    assert isinstance(unit_page, UnitPage) and win.stack.currentWidget() is unit_page
    box = unit_page.form.boxes["allocation.campus.省级"]
    assert isinstance(box, AllocationBox)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box, timeout=2000)

    box.setValue(1)
    unit_page.flush()
    assert doc.unit().allocation.table == {"campus.省级": 1}
    assert "已填写 1 项分配名额" in unit_page.form.quota_note.text()
    checked(win, qtbot)
    assert not panel.model.find(lambda e: e.problem.rule == "W1").isValid()
    win.undo_action.trigger()
    assert doc.unit().allocation.table == {} and box.number() is None

    # Over its quota, the category's W1 lands on its box too (as Q1 on the allocation by kind), named
    # by the category and level in the panel.
    doc.add_record("collective", school("campus", "省级"))
    box.setValue(1)
    unit_page.flush()
    checked(win, qtbot)
    over = panel.model.find(lambda e: e.problem.rule == "W1")
    assert over.isValid() and "超过" in over.data()
    win.show_page("overview")
    panel.tree.activated.emit(over)
    assert win.stack.currentWidget() is unit_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box, timeout=2000)
