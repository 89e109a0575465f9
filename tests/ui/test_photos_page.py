"""The 照片 page: every photo with thumbnail and verdict, decoded in a worker only once shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from nominator.domain.model import Individual
from nominator.ui.main_window import MainWindow
from nominator.ui.pages.photos import PhotosPage
from nominator.ui.pages.records import RecordsPage


def photos_page(win: MainWindow) -> PhotosPage:
    found = win.pages["photos"]
    assert isinstance(found, PhotosPage)
    return found


def settled(page: PhotosPage, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not page.is_scanning() and "正在检查" not in page.summary.text(), timeout=30000)


def test_photos_are_not_decoded_until_the_page_is_shown(demo_window: MainWindow, qtbot: Any) -> None:
    page = photos_page(demo_window)
    qtbot.wait(50)
    assert page.scans == 0 and page.model.rowCount() == 0
    demo_window.show_page("photos")
    settled(page, qtbot)
    assert page.scans == 1 and page.model.rowCount() == 10
    assert "10 张照片符合要求" in page.summary.text()
    assert page.model.data(page.model.index(0, 2)) == "王丽娜"
    assert page.model.data(page.model.index(0, 3)) == "王丽娜-19860314.jpg"
    assert page.model.data(page.model.index(0, 4)).startswith("✔ 符合要求")
    thumb = page.model.data(page.model.index(0, 1), Qt.ItemDataRole.DecorationRole)
    assert isinstance(thumb, QPixmap) and not thumb.isNull() and thumb.height() <= 67


def test_a_wrong_photo_chosen_on_the_page_is_judged_and_undo_brings_back_the_old_one(
    demo_window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    doc = demo_window.doc
    assert doc is not None
    page = photos_page(demo_window)
    demo_window.show_page("photos")
    settled(page, qtbot)
    first = doc.ids("individual")[0]
    page.select_id(first)
    wrong = tmp_path / "合影.png"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    page.set_photo_file(wrong)
    settled(page, qtbot)
    person = doc.get("individual", first)
    assert isinstance(person, Individual) and person.photo == "合影.png"
    text = page.model.data(page.model.index(0, 4))
    assert text.startswith("✘") and "另有" in text
    assert "1 张需要处理" in page.summary.text()
    demo_window.undo_action.trigger()
    settled(page, qtbot)
    assert page.model.data(page.model.index(0, 4)).startswith("✔")


def test_double_click_opens_the_individual_at_the_photo(demo_window: MainWindow, qtbot: Any) -> None:
    doc = demo_window.doc
    assert doc is not None
    page = photos_page(demo_window)
    demo_window.show_page("photos")
    settled(page, qtbot)
    third = doc.ids("individual")[2]
    page.select_id(third)
    page.table.doubleClicked.emit(page.model.index(2, 2))
    individuals = demo_window.stack.currentWidget()
    assert isinstance(individuals, RecordsPage) and individuals.current_id() == third


def test_auto_fix_on_the_page_turns_a_light_blue_photo_into_a_passing_two_inch_copy(
    demo_window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from PIL import Image
    from PySide6.QtWidgets import QDialog

    from nominator.ui.photo_box import BeforeAfterDialog
    from tests.photo_corpus import jpeg, portrait

    doc = demo_window.doc
    assert doc is not None
    page = photos_page(demo_window)
    demo_window.show_page("photos")
    settled(page, qtbot)
    first = doc.ids("individual")[0]
    page.select_id(first)
    person = doc.get("individual", first)
    assert isinstance(person, Individual)
    person.photo, person.photo_data = (
        "证件照.jpg",
        jpeg(portrait(background=(170, 205, 240), size=(600, 840))),
    )
    doc.edit_record("individual", person)
    settled(page, qtbot)
    assert page.model.data(page.model.index(0, 4)).startswith("✘")
    shown: list[BeforeAfterDialog] = []

    def accept(dialog: BeforeAfterDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BeforeAfterDialog, "exec", accept)
    page.auto_fix()
    settled(page, qtbot)
    assert len(shown) == 1
    fixed = doc.get("individual", first)
    assert (
        isinstance(fixed, Individual)
        and fixed.photo == f"{fixed.name}-{fixed.birth_date.replace('-', '')}.jpg"
    )
    assert fixed.photo_data is not None
    assert Image.open(io.BytesIO(fixed.photo_data)).size == (413, 579)
    assert page.model.data(page.model.index(0, 4)).startswith("✔")


def test_fix_all_corrects_every_failing_photo_in_one_undoable_step(
    demo_window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from nominator.ui.pages.photos import FixAllDialog
    from tests.photo_corpus import busy_background, jpeg, portrait

    doc = demo_window.doc
    assert doc is not None
    page = photos_page(demo_window)
    demo_window.show_page("photos")
    settled(page, qtbot)
    first, second, third = doc.ids("individual")[:3]
    for rid, name, data in (
        (first, "IMG_0001.jpg", jpeg(portrait(background=(170, 205, 240), size=(600, 840)))),
        (second, "证件照.jpg", jpeg(portrait(size=(500, 900)))),
        (third, "合影.jpg", jpeg(busy_background())),
    ):
        person = doc.get("individual", rid)
        assert isinstance(person, Individual)
        person.photo, person.photo_data = name, data
        doc.edit_record("individual", person)
    settled(page, qtbot)
    assert "3 张需要处理" in page.summary.text()
    assert page.model.data(page.model.index(0, 4)) == (
        "✘ 照片文件名“IMG_0001.jpg”不符合“姓名-出生日期.jpg”的格式,请改为“王丽娜-19860314.jpg”。(另有 1 项)"
    )
    shown: list[FixAllDialog] = []

    def accept(dialog: FixAllDialog) -> int:
        shown.append(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FixAllDialog, "exec", accept)
    page.fix_all()
    [dialog] = shown
    assert [r.person.id for r in dialog.usable] == [first, second]
    assert dialog.apply_button.text() == "替换 2 张照片"
    listed = [dialog.tree.topLevelItem(n).text(1) for n in range(dialog.tree.topLevelItemCount())]
    assert any(t.startswith("✘ 无法自动处理:") for t in listed)  # the busy background, with why
    settled(page, qtbot)
    assert "2 张照片" not in page.summary.text() and "1 张需要处理" in page.summary.text()
    for rid in (first, second):
        fixed = doc.get("individual", rid)
        assert (
            isinstance(fixed, Individual)
            and fixed.photo == f"{fixed.name}-{fixed.birth_date.replace('-', '')}.jpg"
        )
    demo_window.undo_action.trigger()  # all of it, one step
    settled(page, qtbot)
    assert doc.get("individual", first).photo == "IMG_0001.jpg"  # type: ignore[union-attr]
    assert "3 张需要处理" in page.summary.text()


def test_the_calendar_marks_holidays_and_adjusted_working_days(window: MainWindow) -> None:
    from PySide6.QtCore import QDate

    from nominator.ui.editors import PublicityRow
    from nominator.ui.widgets import ADJUSTED_WORKDAY, HOLIDAY

    individuals = window.show_page("individual")
    assert isinstance(individuals, RecordsPage)
    individuals.add()
    row = individuals.editor.widgets["publicity.unit"]
    assert isinstance(row, PublicityRow)
    calendar = row.start.calendar
    calendar.setCurrentPage(2025, 10)
    national_day = calendar.dateTextFormat(QDate(2025, 10, 1))
    adjusted_saturday = calendar.dateTextFormat(QDate(2025, 10, 11))
    ordinary = calendar.dateTextFormat(QDate(2025, 10, 14))
    assert national_day.background().color().name() == HOLIDAY
    assert adjusted_saturday.background().color().name() == ADJUSTED_WORKDAY
    assert ordinary.background().style() == Qt.BrushStyle.NoBrush
    assert "调休上班" in row.start.legend.text() and "法定节假日" in row.start.legend.text()
