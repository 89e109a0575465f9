"""Rule F1 print aids: photos at exactly 35 × 49 mm, 5 per person, labels behind the right photo."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from nominator.campaign import Campaign, PhotoRules
from nominator.domain.photo import make_demo_photo
from nominator.export.photo_sheets import (
    FALLBACK_FONT,
    FONT,
    write_label_list,
    write_label_sheet,
    write_photo_sheet,
)
from tests import photo_corpus as corpus

UNIT = "沈阳市政务服务和数据管理局"
TWIP = 635  # EMU
NAMES = ["张某某", "李四", "阿依古丽·买买提", "王五", "赵六", "钱七"]


@pytest.fixture(scope="module")
def rules(campaign: Campaign) -> PhotoRules:
    return campaign.photo


def people(rules: PhotoRules, count: int = 6) -> list[tuple[str, str, bytes]]:
    return [(UNIT, name, make_demo_photo(seed, rules)) for seed, name in enumerate(NAMES[:count])]


def pictures_by_row(path: Path) -> list[list[str | None]]:
    """For every table row, the image relationship id in each cell (None for an empty cell)."""
    rows = []
    for table in Document(str(path)).tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                blips = cell._tc.findall(".//" + qn("a:blip"))
                cells.append(blips[0].get(qn("r:embed")) if blips else None)
            rows.append(cells)
    return rows


def labels_by_row(path: Path) -> list[list[str]]:
    return [
        ["/".join(p.text for p in cell.paragraphs) for cell in row.cells]
        for t in Document(str(path)).tables
        for row in t.rows
    ]


def test_every_photo_is_exactly_35_by_49_mm(tmp_path: Path, rules: PhotoRules) -> None:
    path = tmp_path / "照片.docx"
    write_photo_sheet(people(rules), rules, path)
    shapes = Document(str(path)).inline_shapes
    assert len(shapes) == 6 * 5
    assert {(s.width, s.height) for s in shapes} == {(Mm(35), Mm(49))}
    assert (Mm(35), Mm(49)) == (1260000, 1764000)  # EMU


def test_each_person_gets_five_copies_in_one_strip(tmp_path: Path, rules: PhotoRules) -> None:
    path = tmp_path / "照片.docx"
    write_photo_sheet(people(rules), rules, path)
    rows = pictures_by_row(path)
    assert len(rows) == 6
    for row in rows:
        assert len(set(row)) == 1 and row[0] is not None  # one person, five copies
    assert len({row[0] for row in rows}) == 6


def test_sheet_is_a4_portrait_with_the_grid_inside_the_margins(tmp_path: Path, rules: PhotoRules) -> None:
    path = tmp_path / "照片.docx"
    write_photo_sheet(people(rules), rules, path)
    section = Document(str(path)).sections[0]
    # Page and row sizes are stored in twips (1/1440 inch): equal to within one twip.
    assert section.page_width == pytest.approx(Mm(210), abs=TWIP)
    assert section.page_height == pytest.approx(Mm(297), abs=TWIP)
    assert section.left_margin == section.right_margin  # symmetric: the back lines up
    assert section.left_margin + section.right_margin + 5 * Mm(35) <= Mm(210)
    assert section.top_margin + 5 * Mm(49) + section.bottom_margin <= Mm(297)


def test_photo_cells_have_thin_cut_lines_and_no_padding(tmp_path: Path, rules: PhotoRules) -> None:
    path = tmp_path / "照片.docx"
    write_photo_sheet(people(rules, 1), rules, path)
    table = Document(str(path)).tables[0]
    row = table.rows[0]
    assert row.height == pytest.approx(Mm(49), abs=TWIP)
    assert row._tr.trPr.find(qn("w:trHeight")).get(qn("w:hRule")) == "exact"
    for cell in row.cells:
        borders = cell._tc.tcPr.find(qn("w:tcBorders"))
        assert [b.get(qn("w:sz")) for b in borders] == ["2"] * 4
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert {m.get(qn("w:w")) for m in margins} == {"0"}


def test_label_sheet_mirrors_the_columns_for_duplex(tmp_path: Path, rules: PhotoRules) -> None:
    three = dataclasses.replace(rules, copies=3)  # fewer copies than columns: mirroring shows
    photos, labels = tmp_path / "照片.docx", tmp_path / "标签.docx"
    write_photo_sheet(people(three, 2), three, photos)
    write_label_sheet(people(three, 2), three, labels)
    assert [[cell is not None for cell in row] for row in pictures_by_row(photos)] == [
        [True, True, True, False, False]
    ] * 2
    assert labels_by_row(labels) == [
        ["", "", f"{UNIT}/张某某", f"{UNIT}/张某某", f"{UNIT}/张某某"],
        ["", "", f"{UNIT}/李四", f"{UNIT}/李四", f"{UNIT}/李四"],
    ]


def test_label_sheet_has_the_same_geometry_as_the_photo_sheet(tmp_path: Path, rules: PhotoRules) -> None:
    photos, labels = tmp_path / "照片.docx", tmp_path / "标签.docx"
    write_photo_sheet(people(rules), rules, photos)
    write_label_sheet(people(rules), rules, labels)
    front, back = Document(str(photos)), Document(str(labels))
    for attr in ("page_width", "page_height", "top_margin", "left_margin", "right_margin"):
        assert getattr(front.sections[0], attr) == getattr(back.sections[0], attr), attr
    assert len(front.tables) == len(back.tables) == 2  # 6 people: 5 rows on page 1, 1 on page 2
    for f, b in zip(front.tables, back.tables, strict=True):
        assert [r.height for r in f.rows] == [r.height for r in b.rows]
        assert [c.width for c in f.columns] == [c.width for c in b.columns]


def test_every_run_has_the_east_asian_font_and_a_fallback(tmp_path: Path, rules: PhotoRules) -> None:
    for writer in (write_label_sheet, write_label_list, write_photo_sheet):
        path = tmp_path / f"{writer.__name__}.docx"
        writer(people(rules, 2), rules, path)
        doc = Document(str(path))
        runs = [
            r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
        ]
        runs += [r for p in doc.paragraphs for r in p.runs]
        runs += [r for p in doc.sections[0].header.paragraphs for r in p.runs]
        assert runs
        for run in runs:
            assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == FONT
        font_table = next(
            p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
        )
        assert f'w:name="{FONT}"'.encode() in font_table.blob
        assert f'<w:altName w:val="{FALLBACK_FONT}"/>'.encode() in font_table.blob


def test_label_list_names_everyone_with_the_number_of_copies(tmp_path: Path, rules: PhotoRules) -> None:
    path = tmp_path / "清单.docx"
    write_label_list(people(rules, 3), rules, path)
    table = Document(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "单位", "姓名", "照片张数"]
    assert [c.text for c in table.rows[3].cells] == ["3", UNIT, "阿依古丽·买买提", "5"]


def test_photo_of_the_wrong_shape_is_cut_not_stretched(tmp_path: Path, rules: PhotoRules) -> None:
    path = tmp_path / "照片.docx"
    square = corpus.jpeg(corpus.portrait(size=(800, 800)))
    write_photo_sheet([(UNIT, "张某某", square)], rules, path)
    doc = Document(str(path))
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = doc.part.related_parts[blob].image
    assert (image.px_width, image.px_height) == (413, 579)


def test_a_failed_write_leaves_no_file_behind(tmp_path: Path, rules: PhotoRules) -> None:
    with pytest.raises(OSError):
        write_photo_sheet(people(rules, 1), rules, tmp_path / "missing-folder" / "照片.docx")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.render
def test_five_people_print_on_one_page_front_and_back(tmp_path: Path, rules: PhotoRules) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    write_photo_sheet(people(rules, 5), rules, tmp_path / "photos.docx")
    write_label_sheet(people(rules, 5), rules, tmp_path / "labels.docx")
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            "photos.docx",
            "labels.docx",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert _pages(tmp_path / "photos.pdf") == 1
    assert _pages(tmp_path / "labels.pdf") == 1


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _members(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("count", [1, 2, 7, 31])
def test_sheets_are_what_python_docx_builds_cell_by_cell(
    rules: PhotoRules, tmp_path: Path, count: int
) -> None:
    """The sheets are written page by page from pieces built once; for any number of people,
    with units and names that python-docx writes specially (spaces kept, a tab) and photos
    shared by two people, every part is the one the plain python-docx build gives."""
    from tests.export import sheet_reference

    units = [UNIT, " 沈阳市 和平区 ", "新民市\t人民政府"]
    crowd = [
        (units[n % 3], f"{NAMES[n % len(NAMES)]}{n}", make_demo_photo(n % 4, rules)) for n in range(count)
    ]
    sheet_reference.photo_sheet(crowd, rules, tmp_path / "photos-reference.docx")
    write_photo_sheet(crowd, rules, tmp_path / "photos.docx")
    sheet_reference.label_sheet(crowd, rules, tmp_path / "labels-reference.docx")
    write_label_sheet(crowd, rules, tmp_path / "labels.docx")
    for sheet in ("photos", "labels"):
        expected, actual = (
            _members(tmp_path / f"{sheet}-reference.docx"),
            _members(tmp_path / f"{sheet}.docx"),
        )
        assert sorted(actual) == sorted(expected)
        assert [name for name in expected if actual[name] != expected[name]] == [], sheet
