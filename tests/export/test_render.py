"""Print checks: every document of both stages, for minimal, typical and maximal input, converted
to PDF by LibreOffice and read back as a reader of the paper would.

Each form meets its page contract (the campaign's `[forms.*] pages`), the page count the form
states it prints (docProps/app.xml, what the checklist shows where no office suite is installed)
is the page count LibreOffice prints, no label breaks inside a word, nothing prints outside the
printable area, the four opinion boxes of a 审批表 print together on its last page, a report's
落款 stays with its last paragraph, and a photo sits inside its cell without covering a rule.

Skipped, with the reason shown, only when soffice is not installed (CI installs it).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from nominator.campaign import Campaign, FormSpec, load_campaign
from nominator.domain.model import Dossier
from nominator.export.documents import render_document, render_stage_documents
from nominator.export.office import LibreOffice, find_soffice
from tests.export.print_inputs import maximal, minimal, solid_photo, typical
from tests.export.test_documents import long_deeds

pytestmark = pytest.mark.render

A4 = (595.3, 841.9)  # points
MM = 72 / 25.4
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VARIANTS = ("minimal", "typical", "maximal")


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Pdf:
    path: Path
    pages: list[tuple[float, float]]

    def text(self, *, x_from_mm: float = 0, first: int = 1, last: int = 999) -> str:
        """The text of pages first..last (optionally only right of x), whitespace removed."""
        width, height = self.pages[0]
        args = ["-f", str(first), "-l", str(last), "-x", str(round(x_from_mm * MM)), "-y", "0",
                "-W", str(round(width)), "-H", str(round(height))]  # fmt: skip
        out = subprocess.run(
            ["pdftotext", *args, str(self.path), "-"], check=True, capture_output=True, text=True
        ).stdout
        return re.sub(r"\s+", "", out)

    def words(self) -> list[Word]:
        html = subprocess.run(
            ["pdftotext", "-bbox", str(self.path), "-"], check=True, capture_output=True, text=True
        ).stdout
        found = []
        for n, page in enumerate(html.split("<page ")[1:]):
            for m in re.finditer(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
            ):
                x0, y0, x1, y1 = map(float, m.groups()[:4])
                found.append(Word(n, x0, y0, x1, y1, m.group(5)))
        return found


@dataclass(frozen=True)
class Rendered:
    variant: str
    source: Path
    spec: FormSpec
    pdf: Pdf

    @property
    def declared_pages(self) -> int | None:
        """The pages the document states it prints (docProps/app.xml), if any."""
        if self.source.suffix != ".docx":
            return None
        with zipfile.ZipFile(self.source) as zf:
            found = re.search(r"<Pages>(\d+)</Pages>", zf.read("docProps/app.xml").decode("utf-8"))
        return int(found.group(1)) if found else None


def _page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def _soffice() -> Path:
    found = find_soffice()
    if found is None:
        pytest.skip("soffice 不可用:未安装 LibreOffice,跳过打印效果检查(CI 会安装 libreoffice-writer/calc)")
    return found


def _dossier(variant: str, campaign: Campaign) -> Dossier:
    dossier = {"minimal": minimal, "typical": typical, "maximal": maximal}[variant](campaign)
    if variant == "maximal":  # every form of the maximal dossier is the same at the limits: two of each
        dossier.collectives = dossier.collectives[:2]
        dossier.individuals = dossier.individuals[:2]
    return dossier


def _spec_of(name: str, campaign: Campaign, stage: str) -> FormSpec:
    for key in campaign.stages[stage].forms:
        spec = campaign.forms[key]
        if (spec.number and name.startswith(f"附件{spec.number} ")) or (
            not spec.number and name.startswith(spec.title)
        ):
            return spec
    raise AssertionError(name)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[Rendered]:
    soffice = _soffice()
    campaign = load_campaign()
    root = tmp_path_factory.mktemp("render")
    sources: list[tuple[str, Path, FormSpec]] = []
    for variant in VARIANTS:
        dossier = _dossier(variant, campaign)
        for stage in campaign.stages:
            for path in render_stage_documents(dossier, campaign, stage, root / variant / stage):
                sources.append((variant, path, _spec_of(path.name, campaign, stage)))
    # one name per file for the converter: the variant and stage folders make names repeat
    flat = root / "flat"
    flat.mkdir()
    named = {}
    for n, (variant, path, spec) in enumerate(sources):
        copy = flat / f"{n:03d}{path.suffix}"
        shutil.copyfile(path, copy)
        named[copy] = (variant, path, spec)
    conversion = LibreOffice(soffice).to_pdf(list(named), root / "pdf")
    assert conversion.complete, conversion.problem()
    return [
        Rendered(
            variant, path, spec, Pdf(conversion.results[copy].pdf, _page_sizes(conversion.results[copy].pdf))
        )  # type: ignore[arg-type]
        for copy, (variant, path, spec) in named.items()
    ]


def _forms(
    rendered: list[Rendered], *, variant: str | None = None, number: int | None = None
) -> list[Rendered]:
    found = [
        r
        for r in rendered
        if (variant is None or r.variant == variant) and (number is None or r.spec.number == number)
    ]
    assert found, (variant, number)
    return found


# ---------------------------------------------------------------- pages


def test_every_page_is_a4_in_the_forms_orientation(rendered: list[Rendered]) -> None:
    for r in rendered:
        for width, height in r.pdf.pages:
            assert sorted((round(width, 1), round(height, 1))) == list(A4), r.source.name
        portrait = r.source.suffix == ".docx"
        assert all((w < h) == portrait for w, h in r.pdf.pages), r.source.name


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_form_meets_its_page_contract(rendered: list[Rendered], variant: str) -> None:
    for r in _forms(rendered, variant=variant):
        if not r.spec.pages:
            continue
        printed = len(r.pdf.pages)
        assert r.declared_pages == printed, (
            r.source.name,
            r.declared_pages,
            printed,
        )  # what the checklist shows
        if r.spec.key in (
            "form5",
            "form6",
        ):  # 审批表: 2, and "(续)" pages only for texts longer than their box
            assert printed >= r.spec.pages, r.source.name
            if variant != "maximal":
                assert printed == r.spec.pages, r.source.name
        else:
            assert printed == r.spec.pages, (r.source.name, printed)


def test_the_demos_approval_forms_are_one_duplex_sheet_each(rendered: list[Rendered]) -> None:
    for number in (5, 6):
        for r in _forms(rendered, variant="typical", number=number):
            assert len(r.pdf.pages) == 2, r.source.name


def test_the_four_opinion_boxes_print_together_on_the_last_page(rendered: list[Rendered]) -> None:
    heads = ("推荐单位意见", "市级", "省评选表彰办", "省人力资源")
    for number in (5, 6):
        for r in _forms(rendered, number=number):
            last = len(r.pdf.pages)
            for head in heads:
                pages = {w.page + 1 for w in r.pdf.words() if head in w.text}
                assert pages == {last}, (r.source.name, head, pages)
            assert "年月日" not in r.pdf.text(last=last - 1), r.source.name  # no opinion box before


def test_a_text_longer_than_its_box_goes_on_under_a_repeated_label(rendered: list[Rendered]) -> None:
    for number in (5, 6):
        for r in _forms(rendered, variant="maximal", number=number):
            last = len(r.pdf.pages)
            for page in range(2, last):  # the pages between the front and the opinions
                assert "(续)" in r.pdf.text(first=page, last=page), (r.source.name, page)


def test_a_report_keeps_its_signature_with_its_last_paragraph(rendered: list[Rendered]) -> None:
    for r in rendered:
        if not r.spec.keep_signature:
            continue
        last = len(r.pdf.pages)
        words = [w for w in r.pdf.words() if w.page == last - 1]
        unit = "中共辽宁省委机构编制委员会办公室" if r.variant == "maximal" else "沈阳市"
        signature = [w for w in words if w.text == unit]
        assert signature, r.source.name
        top = min(w.y0 for w in signature)
        body = [w for w in words if w.y1 < top - 1]
        assert body, (r.source.name, "the 落款 stands alone on its page")


def test_the_initial_reports_signature_is_on_the_page_of_its_last_paragraph(rendered: list[Rendered]) -> None:
    r = next(r for r in _forms(rendered, variant="typical") if r.spec.key == "report_initial")
    last = len(r.pdf.pages)
    assert "无。" in r.pdf.text(first=last, last=last) and "沈阳市2025年12月20日" in r.pdf.text(
        first=last, last=last
    )


# ---------------------------------------------------------------- labels, margins, photos


def _template_labels(path: Path) -> tuple[set[str], set[str]]:
    """The words of every fixed text in the template's tables, as they must print: whole. The
    second set: those of the "(续)" rows, which print only when a text goes on."""
    words: set[str] = set()
    continued: set[str] = set()
    if path.suffix == ".xlsx":
        ws = load_workbook(path).worksheets[0]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "{" not in cell.value and cell.border.left.style:
                    words.update(cell.value.split())
        return words, continued
    doc = Document(str(path))
    for tbl in doc.element.body.iter(f"{W}tbl"):
        target = continued if "{%tr for part" in "".join(tbl.itertext()) else words
        for p in tbl.iter(f"{W}p"):
            text = "".join((el.text or "") if el.tag == f"{W}t" else "\n" for el in p.iter(f"{W}t", f"{W}br"))
            if "{" in text or "}" in text or not text.strip():
                continue
            for line in text.split("\n"):
                target.update(line.split())
    return words, continued


def test_no_label_breaks_inside_a_word(rendered: list[Rendered]) -> None:
    campaign = load_campaign()
    labels: dict[str, tuple[set[str], set[str]]] = {}
    for r in rendered:
        template = campaign.forms_dir / f"{r.spec.key}{r.source.suffix}"
        if r.spec.key not in labels:
            labels[r.spec.key] = _template_labels(template)
        fixed, continued = labels[r.spec.key]
        if r.spec.pages and len(r.pdf.pages) > r.spec.pages:
            fixed = fixed | continued
        printed = [w.text for w in r.pdf.words()]
        for label in fixed:
            assert any(label in word for word in printed), (r.source.name, label)


def test_nothing_is_printed_outside_the_printable_area(rendered: list[Rendered]) -> None:
    limit = 8 * MM  # office printers leave about 5 mm; tables may reach into the margin, not further
    for r in rendered:
        for w in r.pdf.words():
            width, height = r.pdf.pages[w.page]
            assert w.x0 >= limit and w.y0 >= limit, (r.source.name, w)
            assert w.x1 <= width - limit and w.y1 <= height - limit, (r.source.name, w)


def test_each_form_prints_its_nominee(rendered: list[Rendered]) -> None:
    dossier = typical(load_campaign())
    for number in (3, 6, 8):
        for person in dossier.ordered_individuals():
            r = next(
                r
                for r in _forms(rendered, variant="typical", number=number)
                if f"({person.name})" in r.source.name
            )
            text = r.pdf.text()
            assert person.name in text and person.unit_and_title in text, r.source.name
    for number in (2, 5, 7):
        for c in dossier.ordered_collectives():
            r = next(
                r
                for r in _forms(rendered, variant="typical", number=number)
                if f"({c.name})" in r.source.name
            )
            assert c.name in r.pdf.text(), r.source.name
    summary = _forms(rendered, variant="typical", number=4)[0].pdf.text()
    assert all(p.name in summary for p in dossier.individuals)


def test_cjk_glyphs_are_embedded_not_missing(rendered: list[Rendered]) -> None:
    r = _forms(rendered, variant="typical", number=3)[0]
    fonts = subprocess.run(["pdffonts", str(r.pdf.path)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Noto" in fonts or "Song" in fonts, fonts
    assert "辽宁省政务公开工作先进个人初审推荐登记表" in r.pdf.text()


def test_report_pages_are_numbered_with_dashes(rendered: list[Rendered]) -> None:
    r = next(r for r in _forms(rendered, variant="maximal") if r.spec.key == "report_initial")
    text = r.pdf.text()
    assert "—1—" in text and "—2—" in text


def test_every_page_of_the_summary_starts_with_its_column_headings(
    tmp_path: Path, campaign: Campaign
) -> None:
    from nominator.export.summary_xlsx import render_summary

    soffice = _soffice()
    xlsx = tmp_path / "summary.xlsx"
    xlsx.write_bytes(render_summary(maximal(campaign), campaign, "initial"))
    done = LibreOffice(soffice).to_pdf([xlsx], tmp_path / "pdf").results[xlsx]
    assert done.pdf is not None
    pdf = Pdf(done.pdf, _page_sizes(done.pdf))
    assert len(pdf.pages) > 1
    words = pdf.words()
    for page in range(len(pdf.pages)):
        on_page = [w for w in words if w.page == page]
        numbers = [w for w in on_page if re.fullmatch(r"\d+", w.text) and w.x1 < 70]  # 序号 column
        assert numbers, page  # every page holds rows (the totals never stand alone)
        heading = min((w for w in on_page if w.text == "序号"), key=lambda w: w.y0)
        assert all(w.y0 > heading.y1 for w in numbers), page


# ---------------------------------------------------------------- the photo in its cell


def _red_box(png: Path) -> tuple[int, int, int, int]:
    image = Image.open(png).convert("RGB")
    pixels = image.load()
    xs, ys = [], []
    for y in range(0, image.height, 2):
        for x in range(image.width):
            r, g, b = pixels[x, y]
            if r > 150 and g < 100 and b < 100:
                xs.append(x)
                ys.append(y)
    assert xs, png
    return min(xs), min(ys), max(xs), max(ys)


def _dark(pixel: tuple[int, int, int]) -> bool:
    return sum(pixel) < 300


@pytest.mark.parametrize("form", ["form3", "form6"])
def test_the_photo_sits_inside_its_cell_whole_and_clear_of_the_rules(
    tmp_path: Path, campaign: Campaign, form: str
) -> None:
    soffice = _soffice()
    dossier = typical(campaign)
    person = dossier.ordered_individuals()[0]
    person.photo_data = solid_photo(campaign)
    docx = tmp_path / f"{form}.docx"
    docx.write_bytes(render_document(form, dossier, campaign, record=person))
    pdf = LibreOffice(soffice).to_pdf([docx], tmp_path / "pdf").results[docx].pdf
    assert pdf is not None
    dpi = 200
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    png = next(tmp_path.glob("p*.png"))
    x0, y0, x1, y1 = _red_box(png)
    px_mm = dpi / 25.4
    assert abs((x1 - x0 + 1) / px_mm - campaign.photo.width_mm) < 0.5  # whole: nothing cut off
    assert abs((y1 - y0 + 1) / px_mm - campaign.photo.height_mm) < 0.8
    pixels = Image.open(png).convert("RGB").load()
    middle = (y0 + y1) // 2
    for direction, start in ((-1, x0), (1, x1)):
        # a rule within 2 mm beside the photo, and not touching it (the 1 mm the cell keeps free)
        found = next(
            (k for k in range(1, round(2 * px_mm)) if _dark(pixels[start + direction * k, middle])), None
        )
        assert found is not None and found >= 2, (direction, found)


def test_the_photo_sheet_prints_each_photo_whole(tmp_path: Path, campaign: Campaign) -> None:
    from nominator.export.photo_sheets import write_photo_sheet

    soffice = _soffice()
    sheet = tmp_path / "sheet.docx"
    write_photo_sheet([("沈阳市", "王丽娜", solid_photo(campaign))], campaign.photo, sheet)
    pdf = LibreOffice(soffice).to_pdf([sheet], tmp_path / "pdf").results[sheet].pdf
    assert pdf is not None
    dpi = 150
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(tmp_path / "s")], check=True)
    image = Image.open(next(tmp_path.glob("s*.png"))).convert("RGB")
    pixels = image.load()
    red = [(x, y) for y in range(0, image.height, 3) for x in range(0, image.width, 1)
           if pixels[x, y][0] > 150 and pixels[x, y][1] < 100]  # fmt: skip
    x0, x1 = min(x for x, _ in red), max(x for x, _ in red)
    y0 = min(y for _, y in red)
    strip = [x for x, y in red if y0 + 20 <= y <= y0 + 40]
    width_mm = (max(strip) - min(strip) + 1) / (dpi / 25.4)
    # one strip of five photos side by side, each whole: not clipped at its right edge
    assert abs(width_mm - campaign.photo.copies * campaign.photo.width_mm) < 1.0, width_mm
    assert min(strip) == x0 and max(strip) == x1


# ---------------------------------------------------------------- long text


def test_a_3000_character_deeds_text_prints_whole(tmp_path: Path, campaign: Campaign) -> None:
    soffice = _soffice()
    dossier = typical(campaign)
    person = dossier.ordered_individuals()[0]
    person.deeds_full = long_deeds(campaign.limit("deeds_full"))
    docx = tmp_path / "long.docx"
    docx.write_bytes(render_document("form6", dossier, campaign, record=person))
    done = LibreOffice(soffice).to_pdf([docx], tmp_path / "pdf").results[docx]
    assert done.pdf is not None
    pdf = Pdf(done.pdf, _page_sizes(done.pdf))
    # only the value column (right of the label column), so labels do not interleave
    text = pdf.text(x_from_mm=28 + 19.5 + 0.5)
    assert person.deeds_full.replace("\n", "") in text
    with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as zf:
        declared = int(re.search(r"<Pages>(\d+)<", zf.read("docProps/app.xml").decode()).group(1))  # type: ignore[union-attr]
    assert declared == len(pdf.pages) > campaign.forms["form6"].pages
