"""The photo and label sheets built the plain python-docx way, cell by cell and picture by
picture, as nominator built them before they were streamed: the reference the fast sheets are
compared with (tests/export/test_photo_sheets.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Mm

from nominator.campaign import PhotoRules
from nominator.export.photo_sheets import (
    A4,
    CUT_LINE,
    LABEL_HEADER,
    Person,
    _borders,
    _document,
    _font,
    _grid_table,
    _paragraph,
    _printable,
    _save,
    grid_for,
    layout,
    mirrored,
    photo_header,
)


def photo_sheet(
    people: Sequence[Person], rules: PhotoRules, path: Path, paper: tuple[float, float] = A4
) -> None:
    grid = grid_for(rules, paper)
    doc = _document(grid, photo_header(rules))
    photos = [_printable(photo, rules) for _, _, photo in people]
    for number, page in enumerate(layout(len(people), rules.copies, grid)):
        table = _grid_table(doc, grid, page, first=number == 0)
        for r, row in enumerate(page):
            for c, person in enumerate(row):
                if person is None:
                    continue
                cell = table.cell(r, c)
                _borders(cell, CUT_LINE)
                run = _font(_paragraph(cell).add_run(), 1)
                run.add_picture(io.BytesIO(photos[person]), width=Mm(grid.cell_w), height=Mm(grid.cell_h))
    _save(doc, path)


def label_sheet(
    people: Sequence[Person], rules: PhotoRules, path: Path, paper: tuple[float, float] = A4
) -> None:
    grid = grid_for(rules, paper)
    doc = _document(grid, LABEL_HEADER)
    for number, page in enumerate(layout(len(people), rules.copies, grid)):
        table = _grid_table(doc, grid, mirrored(page), first=number == 0)
        for r, row in enumerate(mirrored(page)):
            for c, person in enumerate(row):
                if person is None:
                    continue
                unit, name, _ = people[person]
                cell = table.cell(r, c)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                _font(_paragraph(cell).add_run(unit), 10)
                _font(_paragraph(cell, new=True).add_run(name), 14, bold=True)
    _save(doc, path)
