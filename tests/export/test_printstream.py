"""The print set written while the documents are rendered is the one docxcompose joins from
the finished files (printset.compose_print_set), part for part — for a dossier that takes
every path, for templates a clerk has edited in Word (their own styles, a bookmark, Word's
namespaces), and for one document alone; and what the stream does not model is joined the old
way, so the package is whole either way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import Dossier
from nominator.export.documents import print_source, write_stage_documents
from nominator.export.package import export_stage
from nominator.export.printset import PrintItem, compose_print_set
from nominator.export.printstream import PrintSetWriter
from nominator.interchange.demo import build_demo_dossier
from tests.export.varied import varied_dossier


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def both_ways(
    dossier: Dossier, campaign: Campaign, stage: str, tmp: Path, *, forms: Path | None = None, limit: int = 0
) -> tuple[PrintSetWriter, dict[str, bytes], dict[str, bytes]]:
    """The stage's documents joined while written, and joined afterwards from the files."""
    out = tmp / stage
    writer = PrintSetWriter(tmp / f"stream-{stage}.docx")
    items = []
    paper = campaign.printing.paper_mm
    for done in write_stage_documents(dossier, campaign, stage, out, forms=forms, numbered=True):
        if limit and len(items) == limit:
            break
        item = PrintItem(done.path.stem, done.path, numbered=done.spec.number == 0, duplex=done.spec.duplex)
        items.append(item)
        writer.add(item, functools.partial(print_source, done, paper))
    writer.close()
    compose_print_set(items, tmp / f"joined-{stage}.docx", paper=paper)
    streamed = members(tmp / f"stream-{stage}.docx") if not writer.failed else {}
    return writer, streamed, members(tmp / f"joined-{stage}.docx")


def differences(streamed: dict[str, bytes], joined: dict[str, bytes]) -> list[str]:
    assert sorted(streamed) == sorted(joined)
    return [name for name in joined if streamed[name] != joined[name]]


@pytest.mark.parametrize("stage", ["initial", "formal"])
def test_the_streamed_print_set_is_the_joined_one(campaign: Campaign, tmp_path: Path, stage: str) -> None:
    writer, streamed, joined = both_ways(varied_dossier(campaign), campaign, stage, tmp_path)
    assert writer.failed is None
    assert differences(streamed, joined) == []


@pytest.mark.parametrize("count", [1, 2])
def test_one_or_two_documents_alone(campaign: Campaign, tmp_path: Path, count: int) -> None:
    writer, streamed, joined = both_ways(varied_dossier(campaign), campaign, "formal", tmp_path, limit=count)
    assert writer.failed is None
    assert differences(streamed, joined) == []


WORDML14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CLERK_STYLES = (
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Clerk"><w:name w:val="Clerk Style"/>'
    '<w:link w:val="ClerkChar"/><w:pPr><w:spacing w:before="0"/></w:pPr></w:style>'
    '<w:style w:type="character" w:customStyle="1" w:styleId="ClerkChar"><w:name w:val="Clerk Char"/></w:style>'
)


HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def word_edited(path: Path, *, linked: bool = False) -> None:
    """What saving in Word adds: a namespace of its own with an id on a paragraph, a bookmark
    where the cursor was, a style of the clerk's (linked to a character style); and, if asked,
    a hyperlink (a relationship the stream does not model)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename).decode("utf-8")
            if info.filename == "word/document.xml":
                data = data.replace("<w:document ", f'<w:document xmlns:w14="{WORDML14}" ', 1)
                data = data.replace("<w:p>", '<w:p w14:paraId="0A1B2C3D">', 1)
                data = data.replace(
                    "</w:p>", '<w:bookmarkStart w:id="7" w:name="_GoBack"/><w:bookmarkEnd w:id="7"/></w:p>', 1
                )
                data = data.replace("<w:pPr>", '<w:pPr><w:pStyle w:val="Clerk"/>', 1)
                if linked:
                    link = '<w:hyperlink r:id="rId99"><w:r><w:t>政务公开</w:t></w:r></w:hyperlink></w:p>'
                    data = data.replace("</w:p>", link, 1)
            elif info.filename == "word/_rels/document.xml.rels" and linked:
                data = data.replace(
                    "</Relationships>",
                    f'<Relationship Id="rId99" Type="{HYPERLINK}" Target="https://www.ln.gov.cn/" '
                    'TargetMode="External"/></Relationships>',
                )
            elif info.filename == "word/styles.xml":
                data = data.replace("</w:styles>", CLERK_STYLES + "</w:styles>")
            dst.writestr(info, data.encode("utf-8"))
    path.write_bytes(buf.getvalue())


@pytest.fixture()
def forms(tmp_path: Path) -> Path:
    target = tmp_path / "forms"
    shutil.copytree(load_campaign().forms_dir, target, ignore=shutil.ignore_patterns("_source", "*.md"))
    return target


def test_templates_edited_in_word_are_joined_alike(campaign: Campaign, tmp_path: Path, forms: Path) -> None:
    for key in ("form5", "form7", "form8"):
        word_edited(forms / f"{key}.docx")
    writer, streamed, joined = both_ways(varied_dossier(campaign), campaign, "formal", tmp_path, forms=forms)
    assert writer.failed is None
    assert b"ClerkChar" in streamed["word/styles.xml"]  # the clerk's styles came along
    assert differences(streamed, joined) == []


def test_what_the_stream_does_not_model_is_joined_from_the_files(
    campaign: Campaign, tmp_path: Path, forms: Path
) -> None:
    word_edited(forms / "form7.docx", linked=True)
    writer, _, _ = both_ways(varied_dossier(campaign), campaign, "formal", tmp_path / "both", forms=forms)
    assert writer.failed and "relationship" in writer.failed
    edited = dataclasses.replace(campaign, forms_dir=forms)
    dossier = build_demo_dossier(edited)
    result = export_stage(
        dossier, edited, "formal", tmp_path / "out", today=dt.date(2026, 1, 9), make_pdf=False
    )
    joined = members(result.print_set)
    assert b"w:hyperlink" in joined["word/document.xml"]
    assert b"https://www.ln.gov.cn/" in joined["word/_rels/document.xml.rels"]
