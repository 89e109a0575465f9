"""Print checks: every document of both stages converted to PDF by LibreOffice.

Skipped, with the reason shown, only when soffice is not installed (CI installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from nominator.campaign import load_campaign
from nominator.export.documents import render_document, render_stage_documents
from nominator.store.demo import build_demo_dossier
from tests.export.test_documents import long_deeds

pytestmark = pytest.mark.render

A4 = (595.3, 841.9)  # points
MM = 72 / 25.4
LONG_DEEDS = "附件6 长事迹.docx"


@dataclass(frozen=True)
class Pdf:
    path: Path
    pages: list[tuple[float, float]]

    def text(self, *, x_from_mm: float = 0) -> str:
        """The text of every page (optionally only right of x), whitespace removed."""
        width, height = self.pages[0]
        args = [
            "-x",
            str(round(x_from_mm * MM)),
            "-y",
            "0",
            "-W",
            str(round(width)),
            "-H",
            str(round(height)),
        ]
        out = subprocess.run(
            ["pdftotext", *args, str(self.path), "-"], check=True, capture_output=True, text=True
        ).stdout
        return re.sub(r"\s+", "", out)

    def words(self) -> list[tuple[int, float, float, float, float]]:
        """(page, xMin, yMin, xMax, yMax) of every word."""
        html = subprocess.run(
            ["pdftotext", "-bbox", str(self.path), "-"], check=True, capture_output=True, text=True
        ).stdout
        words = []
        for n, page in enumerate(html.split("<page ")[1:]):
            for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page):
                x0, y0, x1, y1 = map(float, m.groups())
                words.append((n, x0, y0, x1, y1))
        return words


def _page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


@pytest.fixture(scope="session")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice 不可用:未安装 LibreOffice,跳过打印效果检查(CI 会安装 libreoffice-writer/calc)")
    campaign = load_campaign()
    dossier = build_demo_dossier(campaign)
    root = tmp_path_factory.mktemp("render")
    docs: list[Path] = []
    for stage in campaign.stages:
        docs += render_stage_documents(dossier, campaign, stage, root / "docs" / stage)
    person = dossier.ordered_individuals()[0]
    person.deeds_full = long_deeds(campaign.limit("deeds_full"))
    long_doc = root / "docs" / LONG_DEEDS
    long_doc.write_bytes(render_document("form6", dossier, campaign, record=person))
    docs.append(long_doc)
    out = root / "pdf"
    profile = (root / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, docs)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    result = {}
    for doc in docs:
        pdf = out / (doc.stem + ".pdf")
        assert pdf.is_file(), f"LibreOffice did not convert {doc.name}"
        result[doc.name] = Pdf(pdf, _page_sizes(pdf))
    return result


def _matching(pdfs: dict[str, Pdf], prefix: str) -> list[tuple[str, Pdf]]:
    found = [(name, pdf) for name, pdf in pdfs.items() if name.startswith(prefix) and name != LONG_DEEDS]
    assert found, prefix
    return found


def test_every_page_is_a4(pdfs: dict[str, Pdf]) -> None:
    for name, pdf in pdfs.items():
        for width, height in pdf.pages:
            size = sorted((round(width, 1), round(height, 1)))
            assert size == list(A4), name
        portrait = name.endswith(".docx")
        assert (pdf.pages[0][0] < pdf.pages[0][1]) == portrait, name


@pytest.mark.parametrize(
    ("prefix", "pages"),
    [
        ("附件2 ", 1),  # 登记表: one page for normal-length text
        ("附件3 ", 1),
        ("附件4 ", 1),
        ("附件7 ", 1),  # 征求意见表: one page, signed by other departments
        ("附件8 ", 1),
        ("附件9 ", 1),
        ("初审推荐工作报告", 2),
        ("正式推荐工作报告", 1),
        ("附件5 ", 2),
        ("附件6 ", 3),
    ],
)
def test_expected_page_count(pdfs: dict[str, Pdf], prefix: str, pages: int) -> None:
    for name, pdf in _matching(pdfs, prefix):
        assert len(pdf.pages) == pages, name


def test_nothing_is_printed_outside_the_page_margins(pdfs: dict[str, Pdf]) -> None:
    for name, pdf in pdfs.items():
        limit = 8 * MM  # tables may reach a little into the margin, never off the paper
        for page, x0, y0, x1, y1 in pdf.words():
            width, height = pdf.pages[page]
            assert x0 >= limit and y0 >= limit, (name, page, x0, y0)
            assert x1 <= width - limit and y1 <= height - limit, (name, page, x1, y1)


def test_each_form_prints_its_nominee(pdfs: dict[str, Pdf]) -> None:
    dossier = build_demo_dossier()
    for prefix in ("附件3 ", "附件6 ", "附件8 "):
        for person in dossier.ordered_individuals():
            name, pdf = next((n, p) for n, p in _matching(pdfs, prefix) if f"({person.name})" in n)
            text = pdf.text()
            assert person.name in text and person.unit_and_title in text, name
    for prefix in ("附件2 ", "附件5 ", "附件7 "):
        for c in dossier.ordered_collectives():
            name, pdf = next((n, p) for n, p in _matching(pdfs, prefix) if f"({c.name})" in n)
            assert c.name in pdf.text(), name
    summary = _matching(pdfs, "附件4 ")[0][1].text()
    assert all(p.name in summary for p in dossier.individuals)


def test_cjk_glyphs_are_embedded_not_missing(pdfs: dict[str, Pdf]) -> None:
    pdf = _matching(pdfs, "附件3 ")[0][1]
    fonts = subprocess.run(["pdffonts", str(pdf.path)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Noto" in fonts or "Song" in fonts, fonts
    assert "辽宁省政务公开工作先进个人初审推荐登记表" in pdf.text()


def test_a_3000_character_deeds_text_prints_whole(pdfs: dict[str, Pdf]) -> None:
    pdf = pdfs[LONG_DEEDS]
    deeds = long_deeds(load_campaign().limit("deeds_full")).replace("\n", "")
    # only the value column (right of the 21 mm label column), so labels do not interleave
    assert deeds in pdf.text(x_from_mm=28 + 21 + 1)
    assert len(pdf.pages) > 3


def test_report_pages_are_numbered_with_dashes(pdfs: dict[str, Pdf]) -> None:
    pdf = _matching(pdfs, "初审推荐工作报告")[0][1]
    text = pdf.text()
    assert "—1—" in text and "—2—" in text
