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
    assert isinstance(fixed, Individual) and fixed.photo == f"{fixed.name}-{fixed.birth_yyyymmdd()}.jpg"
    assert fixed.photo_data is not None
    assert Image.open(io.BytesIO(fixed.photo_data)).size == (413, 579)
    assert page.model.data(page.model.index(0, 4)).startswith("✔")
