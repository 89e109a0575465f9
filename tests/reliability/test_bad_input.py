"""Bad input corpus (tests/fixtures/bad/make_corpus.py): every broken photo and exchange file gives
a clear Chinese message — never a traceback — and leaves the store exactly as it was. Names with
characters Windows refuses, formula-like text and text in other scripts survive store → exchange →
export with safe file names."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nominator.campaign import Campaign
from nominator.cli import main
from nominator.domain.checks import check
from nominator.domain.model import Dossier
from nominator.domain.photo import check_photo_bytes
from nominator.export.package import export_stage
from nominator.files import safe_filename
from nominator.interchange.exchange import read_exchange, write_exchange
from nominator.store.session import Store, load_dossier
from tests.fixtures.bad.make_corpus import EXCHANGES, PHOTOS, Case

TODAY = dt.date(2025, 12, 21)
WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def demo_store(tmp_path: Path, demo_dossier: Dossier) -> Path:
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    return db


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


@pytest.mark.parametrize("case", EXCHANGES, ids=lambda c: c.name)
def test_bad_exchange_file_is_refused_with_a_message_and_the_store_unchanged(
    tmp_path: Path, demo_store: Path, case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / case.name
    bad.write_bytes(case.make())
    before = digest(demo_store)
    code, said = one_line_error(capsys, "import", str(bad), "--db", str(demo_store), "--replace")
    assert code == 2
    assert re.search(case.phrase, said), said
    assert len(said.strip().splitlines()) <= 2  # the message (argparse usage never applies here)
    assert digest(demo_store) == before
    assert not (tmp_path / "etc").exists() and not list(tmp_path.glob("**/passwd"))


@pytest.mark.parametrize("case", PHOTOS, ids=lambda c: c.name)
def test_broken_photo_is_named_by_the_checker_and_the_photo_command(
    tmp_path: Path,
    demo_dossier: Dossier,
    campaign: Campaign,
    case: Case,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = case.make()
    problems = check_photo_bytes(data, campaign.photo, target="individuals[0].photo")
    assert any(p.is_error and re.search(case.phrase, p.message) for p in problems), problems
    photo = tmp_path / case.name
    photo.write_bytes(data)
    code, said = one_line_error(capsys, "photo", "check", str(photo))
    assert code in (1, 2) and re.search(case.phrase, said), said
    # in a dossier (imported from a county's file, say) the checker names it and export refuses
    demo_dossier.individuals[0].photo_data = data
    found = check(demo_dossier, campaign, "formal", today=dt.date(2026, 1, 10))
    assert any(p.target.path.startswith("individuals[0].photo") and p.is_error for p in found)


def test_the_corpus_can_be_written_out_for_manual_tries(tmp_path: Path) -> None:
    from tests.fixtures.bad import make_corpus

    make_corpus.main(tmp_path)
    assert len(list((tmp_path / "exchange").iterdir())) == len(EXCHANGES)
    assert len(list((tmp_path / "workbooks").iterdir())) == len(make_corpus.WORKBOOKS)
    assert len(list((tmp_path / "stores").glob("*.nominator"))) == len(make_corpus.STORES) + 1
    small = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix not in (".zip", ".xlsx")]
    assert all(p.stat().st_size < 2 * 1024 * 1024 for p in small)


# ---- names and text that travel through every layer ------------------------------------------

HOSTILE_NAMES = [
    '沈阳市<和平>区:政务"公开"/科\\室|?*',
    "沈阳市政务公开科.",
    "CON",
    "NUL.办公室",
    "沈阳市政务公开科   ",
]
OTHER_SCRIPTS = {
    "dot": "买买提·艾力",
    "emoji": "王丽娜😀",
    "traditional": "沈陽市政務公開與資訊處",
    "ext-b": "沈阳市𠀾区政务公开科",
}
FORMULAS = ["=SUM(A1:A9)", "+86 13912345678", "-1+2", "@cmd", '=HYPERLINK("http://x")']


def assert_safe(name: str) -> None:
    stem = name.split(".")[0]
    assert not WINDOWS_FORBIDDEN.search(name), name
    assert not name.endswith((".", " ")), name
    assert stem.upper() not in RESERVED, name


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_windows_refuses_give_safe_file_names(name: str) -> None:
    assert_safe(safe_filename(f"附件2 登记表({name}).docx"))
    assert_safe(safe_filename(name))
    assert safe_filename(name).strip()


def test_hostile_names_other_scripts_and_formulas_round_trip_into_a_safe_package(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    names = [HOSTILE_NAMES[0], "CON", HOSTILE_NAMES[1], OTHER_SCRIPTS["traditional"], OTHER_SCRIPTS["ext-b"]]
    for collective, name in zip(demo_dossier.collectives, names, strict=True):
        collective.name = name
    person = demo_dossier.individuals[0]
    person.name = OTHER_SCRIPTS["dot"]
    person.photo = f"{person.name}-{person.birth_date.replace('-', '')}.jpg"
    for collective, formula in zip(demo_dossier.collectives, FORMULAS, strict=True):
        collective.honors = formula
    demo_dossier.collectives[0].deeds_brief = "繁體:臺灣資訊;表情😀;間隔·號"
    db = tmp_path / "s.nominator"
    with Store.create(db, campaign=campaign.id) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    # store → exchange → a second store
    exchange = write_exchange(load_dossier(db), tmp_path / "交换.zip")
    other = tmp_path / "t.nominator"
    from nominator.interchange.exchange import import_into_store

    import_into_store(exchange, other)
    again = load_dossier(other)
    assert [c.name for c in again.collectives] == [c.name for c in demo_dossier.collectives]
    assert [c.honors for c in again.collectives] == FORMULAS
    assert again.collectives[0].deeds_brief == demo_dossier.collectives[0].deeds_brief
    assert read_exchange(exchange)[0].individuals[0].name == OTHER_SCRIPTS["dot"]
    # → export: every file name safe on Windows, the text whole inside
    assert [p for p in check(again, campaign, "initial", today=TODAY) if p.is_error] == []
    result = export_stage(again, campaign, "initial", tmp_path / "out", today=TODAY, make_pdf=False)
    for path in result.folder.rglob("*"):
        assert_safe(path.name)
    with zipfile.ZipFile(result.zip) as zf:
        for member in zf.namelist():
            for part in member.split("/"):
                assert_safe(part)
    assert any("𠀾" in p.name for p in result.electronic)
    assert any("沈陽市政務公開與資訊處" in p.name for p in result.electronic)
    assert any("买买提·艾力" in p.name for p in result.electronic)


def test_formula_like_text_stays_text_in_the_summary_sheet(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    from nominator.export.summary_xlsx import render_summary

    for collective, formula in zip(demo_dossier.collectives, FORMULAS, strict=True):
        collective.name = formula
    out = tmp_path / "附件4.xlsx"
    out.write_bytes(render_summary(demo_dossier, campaign))
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    shown = {str(c.value) for c in cells}
    assert all(any(f in value for value in shown) for f in FORMULAS)
