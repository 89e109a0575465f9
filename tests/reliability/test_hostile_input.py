"""Hostile and damaged input, second round (issue 13): what other units send and machines that fail.

Every case comes from tests/fixtures/bad/make_corpus.py. A refused input gives one Chinese line
and exit 2, never a traceback, and leaves the store byte for byte as it was; a handled input is
taken with what made it dangerous removed; photos print upright in every form; a store that is
only unavailable is never called damaged.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import os
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageStat

from nominator import files as debris
from nominator.campaign import Campaign
from nominator.cli import main
from nominator.domain.model import Dossier, Individual, Unit
from nominator.errors import UserError
from nominator.export.package import export_stage
from nominator.interchange.exchange import import_into_store, read_exchange, write_exchange
from nominator.interchange.intake import read_template
from nominator.store import backup, inspect, session
from nominator.store.schema import PhotoRow
from nominator.store.session import Store, load_dossier
from tests import photo_corpus as pc
from tests.fixtures.bad.make_corpus import (
    HANDLED_EXCHANGES,
    HANDLED_WORKBOOKS,
    PRINTABLE_PHOTOS,
    STORES,
    WORKBOOKS,
    Case,
    Handled,
    StoreCase,
    damage_store,
)

ROOT = Path(__file__).parents[2]
TODAY = {"initial": dt.date(2025, 12, 21), "formal": dt.date(2026, 1, 10)}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def demo_store(tmp_path: Path, demo_dossier: Dossier) -> Path:
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    return db


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def refused_in_one_line(code: int, err: str, phrase: str) -> None:
    assert code == 2, err
    assert re.search(phrase, err), err
    assert len(err.strip().splitlines()) == 1 and CHINESE.search(err)


# ---- exchange files that are taken, made safe on the way in ----------------------------------------


@pytest.mark.parametrize("case", HANDLED_EXCHANGES, ids=lambda c: c.name)
def test_handled_exchange_file_imports_safely_and_exports_again(
    tmp_path: Path, case: Handled, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / case.name
    source.write_bytes(case.make())
    db = tmp_path / "新.nominator"
    code, out, _err = cli(capsys, "import", str(source), "--db", str(db))
    assert code == 0
    if case.notice:
        assert case.notice in out
    dossier = load_dossier(db)
    assert case.holds(dossier)
    # what was taken in can be sent on: export-data writes it and it reads back the same
    again = tmp_path / "再次.zip"
    code, _out, _err = cli(capsys, "export-data", "--db", str(db), "--out", str(again))
    assert code == 0
    assert case.holds(read_exchange(again)[0])
    assert db.stat().st_size < 8 * 1024 * 1024  # a 15-million-character key did not go in


def test_one_photo_named_by_twelve_people_is_stored_once(tmp_path: Path) -> None:
    [case] = [c for c in HANDLED_EXCHANGES if c.name == "one-photo-twelve-people.zip"]
    source = tmp_path / case.name
    source.write_bytes(case.make())
    photo_size = 2_000_004
    db = tmp_path / "s.nominator"
    import_into_store(source, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM photo").fetchone()[0] == 1
        assert (
            conn.execute("SELECT COUNT(DISTINCT photo_id) FROM nominee WHERE kind = 'individual'").fetchone()[
                0
            ]
            == 1
        )
    conn.close()
    assert db.stat().st_size < 2 * photo_size  # not twelve copies
    # every later open backs it up again: the backups are as small as the store
    Store.open(db).close()
    assert all(b.stat().st_size < 2 * photo_size for b in backup.list_backups(db))
    people = load_dossier(db).individuals
    assert len(people) == 12 and all(
        p.photo_data is not None and len(p.photo_data) == photo_size for p in people
    )


def test_a_shared_photo_outlives_the_people_who_leave(tmp_path: Path, demo_dossier: Dossier) -> None:
    shared = pc.jpeg(pc.portrait(seed=7))
    for person in demo_dossier.individuals[:3]:
        person.photo_data = shared
    db = tmp_path / "s.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store:
        with store.transaction() as w:
            w.replace_dossier(demo_dossier)
        ids = store.ids("individual")
        with store.transaction() as w:
            w.delete("individual", ids[0])  # one of the three leaves: the photo stays for the others
        second = store.get("individual", ids[1])
        assert isinstance(second, Individual)
        second.photo_data = pc.jpeg(pc.portrait(seed=8))  # another gets a new photo
        with store.transaction() as w:
            w.update("individual", second)
        third = store.get("individual", ids[2])
        assert isinstance(third, Individual) and third.photo_data == shared
        with store.engine.connect() as conn:
            rows = conn.execute(PhotoRow.__table__.select()).fetchall()
        assert len(rows) == len({r.sha256 for r in rows}) == len(demo_dossier.individuals) - 1


def test_duplicate_photos_of_an_older_store_are_merged_when_it_is_upgraded(tmp_path: Path) -> None:
    frozen = ROOT / "tests" / "fixtures" / "stores" / "schema-0001.nominator"
    copy = tmp_path / frozen.name
    copy.write_bytes(frozen.read_bytes())
    with sqlite3.connect(copy) as conn:  # as 0.1.0 stored one photo named by every person
        data, sha = conn.execute("SELECT data, sha256 FROM photo ORDER BY id LIMIT 1").fetchone()
        conn.execute("UPDATE photo SET data = ?, sha256 = ?", (data, sha))
        assert conn.execute("SELECT COUNT(*) FROM photo").fetchone()[0] == 10
    conn.close()
    with Store.open(copy) as store:
        people = store.load_dossier().individuals
    assert len(people) == 10 and all(p.photo_data == data for p in people)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT COUNT(*) FROM photo").fetchone()[0] == 1
    conn.close()


def test_text_from_the_window_is_cleaned_like_text_from_a_file(tmp_path: Path, demo_dossier: Dossier) -> None:
    db = tmp_path / "s.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store:
        with store.transaction() as w:
            w.replace_dossier(demo_dossier)
        with store.transaction() as w:
            w.update_unit(
                Unit(name="沈阳\x01市", kind="region", contact="王\u200b某", phone="024-1234\x7f5678")
            )
        unit = store.unit()
    assert (unit.name, unit.contact, unit.phone) == ("沈阳市", "王某", "024-12345678")


def test_a_lone_surrogate_an_older_version_stored_no_longer_breaks_export_data(
    tmp_path: Path, demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(demo_store) as conn:
        conn.execute("""UPDATE unit SET extra = '{"note": "a\\ud800b"}'""")
        conn.execute("UPDATE member SET name = '钱' || char(1) || '某'")
    conn.close()
    out = tmp_path / "交换.zip"
    code, _out, _err = cli(capsys, "export-data", "--db", str(demo_store), "--out", str(out))
    assert code == 0
    dossier, _notices = read_exchange(out)
    assert dossier.unit.extra == {"note": "a\ufffdb"}
    assert dossier.members[0].name == "钱某"


def test_a_json_file_cannot_reach_outside_its_folder_through_a_link(tmp_path: Path) -> None:
    import json

    from tests.fixtures.bad.make_corpus import base

    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"\xff\xd8\xff\xe0 not for export")
    folder = tmp_path / "county"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "张某某-19660101.jpg").symlink_to(secret)
    data = base()
    (folder / "exchange.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match="文件夹以外"):
        read_exchange(folder / "exchange.json")


@pytest.mark.parametrize(
    "photo", ["photos/loop", "photos/" + "字" * 200 + ".jpg"], ids=["link-loop", "name-too-long"]
)
def test_a_json_files_photo_path_the_disk_cannot_open_is_refused(tmp_path: Path, photo: str) -> None:
    import json

    from tests.fixtures.bad.make_corpus import base

    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "loop").symlink_to("loop2")
    (tmp_path / "photos" / "loop2").symlink_to("loop")
    data = base()
    data["individuals"][0]["photo"] = photo
    (tmp_path / "交换.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match=r"无法打开|找不到"):
        read_exchange(tmp_path / "交换.json")


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    source=st.sampled_from(["JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP"]),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=4000), st.integers(0, 255)), min_size=1, max_size=8
    ),
    cut=st.integers(min_value=0, max_value=10),
)
def test_a_damaged_photo_from_another_unit_is_named_never_a_traceback(
    campaign: Campaign, source: str, flips: list[tuple[int, int]], cut: int
) -> None:
    """Photos come in exchange files: the checker and the printing copy must survive any bytes."""
    from nominator.domain.photo import inspect_photo
    from nominator.domain.photofix import printable_jpeg

    data = bytearray(_SOURCES[source])
    for at, value in flips:
        data[at % len(data)] = value
    if cut == 0:
        data = data[: len(data) // 2]
    verdict = inspect_photo(bytes(data), campaign.photo, target="individuals[0].photo")
    assert all(CHINESE.search(p.message) for p in verdict.problems)
    try:
        printable_jpeg(bytes(data), campaign.photo)
    except UserError as exc:
        assert CHINESE.search(str(exc))


_SOURCES = {
    kind: pc.jpeg(pc.portrait()) if kind == "JPEG" else pc.encoded(pc.portrait(), kind)
    for kind in ("JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP")
}


# ---- photos print upright in every form ---------------------------------------------------------


def images_in(docx: Path) -> list[bytes]:
    with zipfile.ZipFile(docx) as zf:
        return [zf.read(name) for name in zf.namelist() if name.startswith("word/media/")]


def difference(data: bytes, expected: Image.Image) -> float:
    with Image.open(io.BytesIO(data)) as image:
        if image.size != expected.size:
            return 255.0
        return float(sum(ImageStat.Stat(ImageChops.difference(image.convert("RGB"), expected)).mean) / 3)


def test_every_photo_prints_upright_in_every_form(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    assert len(PRINTABLE_PHOTOS) <= len(demo_dossier.individuals)
    people = demo_dossier.ordered_individuals()
    for person, case in zip(people, PRINTABLE_PHOTOS, strict=False):
        person.photo_data = case.make()
    upright = pc.portrait()
    for stage, form in (("initial", "附件3"), ("formal", "附件6")):
        result = export_stage(
            demo_dossier, campaign, stage, tmp_path / stage, today=TODAY[stage], make_pdf=False
        )
        documents = [result.print_set, *([result.photo_sheet] if result.photo_sheet else [])]
        for person, case in zip(people, PRINTABLE_PHOTOS, strict=False):
            [own] = [p for p in result.electronic if form in p.name and f"({person.name})" in p.name]
            documents.append(own)
            [embedded] = images_in(own)
            assert difference(embedded, upright) < 6, (case.name, form)
        for document in documents:
            for data in images_in(document):
                assert data[6:10] in (b"JFIF", b"Exif"), document.name  # what python-docx and Word take
                with Image.open(io.BytesIO(data)) as image:
                    assert image.size == (campaign.photo.width_px, campaign.photo.height_px), document.name
                    assert not image.info.get("progressive")
        if result.photo_sheet:
            sheet = images_in(result.photo_sheet)
            for case in PRINTABLE_PHOTOS:
                assert min(difference(data, upright) for data in sheet) < 6, case.name


def test_a_photo_already_right_is_embedded_byte_for_byte(campaign: Campaign) -> None:
    from nominator.domain.photofix import printable_jpeg

    right = pc.jpeg(pc.portrait())
    assert printable_jpeg(right, campaign.photo) is right


# ---- Excel workbooks ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", WORKBOOKS, ids=lambda c: c.name)
def test_hostile_workbook_is_refused_with_a_message_and_the_store_unchanged(
    tmp_path: Path, demo_store: Path, case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / case.name
    bad.write_bytes(case.make())
    before = digest(demo_store)
    code, _out, err = cli(capsys, "import", str(bad), "--db", str(demo_store))
    refused_in_one_line(code, err, case.phrase)
    assert digest(demo_store) == before


@pytest.mark.parametrize("case", HANDLED_WORKBOOKS, ids=lambda c: c.name)
def test_odd_workbook_is_read_and_made_safe(tmp_path: Path, campaign: Campaign, case: Handled) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.make())
    assert case.holds(read_template(path, campaign))


# ---- stores: tampered, half-migrated, of a newer version -----------------------------------------


@pytest.mark.parametrize("case", STORES, ids=lambda c: c.name)
def test_tampered_store_gives_a_message_in_every_reading_command(
    tmp_path: Path, demo_store: Path, case: StoreCase, capsys: pytest.CaptureFixture[str]
) -> None:
    db = damage_store(demo_store, case, tmp_path / case.name)
    before = digest(db)
    for args in (
        ["check", "--db", str(db), "--stage", "formal"],
        ["export-data", "--db", str(db), "--out", str(tmp_path / "x.zip")],
        ["export", "--db", str(db), "--stage", "initial", "--out", str(tmp_path / "out")],
    ):
        code, _out, err = cli(capsys, *args)
        refused_in_one_line(code, err, case.phrase)
    assert digest(db) == before
    # nor can it be restored over a good store
    good = digest(demo_store)
    code, _out, err = cli(capsys, "restore", "--db", str(demo_store), "--backup", str(db))
    refused_in_one_line(code, err, "不能用来恢复")
    assert digest(demo_store) == good


def test_a_store_name_too_long_is_refused_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_dossier: Dossier
) -> None:
    db = tmp_path / ("沈阳市和平区人民政府办公室政务公开科" * 5)[:80]
    db = db.with_suffix(".nominator")
    exchange = write_exchange(demo_dossier, tmp_path / "x.zip")
    code, _out, err = cli(capsys, "import", str(exchange), "--db", str(db))
    refused_in_one_line(code, err, "过长")
    assert [p.name for p in tmp_path.iterdir()] == ["x.zip"]


def test_a_store_whose_creation_fails_half_way_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_conn: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(session, "_upgrade", full)
    db = tmp_path / "新.nominator"
    with pytest.raises((UserError, sqlite3.OperationalError)):
        Store.create(db, campaign="liaoning-zwgk-2025")
    assert list(tmp_path.iterdir()) == []


# ---- unavailable is not damaged -------------------------------------------------------------------

LOCK_HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA locking_mode=EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE unit SET name = name")
print("LOCKED", flush=True)
sys.stdin.read()
"""


def test_a_store_locked_by_another_program_is_unavailable_not_damaged(
    demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(demo_store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
        code, _out, err = cli(capsys, "check", "--db", str(demo_store), "--stage", "initial")
        refused_in_one_line(code, err, "正被另一个程序占用.*没有损坏.*请关闭那个程序")
        assert "已损坏" not in err
        with pytest.raises(UserError, match="正被另一个程序占用") as raised:
            Store.open(demo_store)
        assert "已损坏" not in str(raised.value)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(30)
        holder.stdout.close()  # type: ignore[union-attr]


def test_check_and_export_data_work_on_read_only_media(
    tmp_path: Path, demo_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a write-protected stick SQLite cannot create the store's shared-memory file; a folder
    in its place fails the same way, for readers and writers alike."""
    Path(f"{demo_store}-shm").mkdir()
    before = digest(demo_store)
    code, out, _err = cli(capsys, "check", "--db", str(demo_store), "--stage", "initial", "--json")
    assert code == 0 and '"errors": 0' in out
    code, _out, _err = cli(capsys, "export-data", "--db", str(demo_store), "--out", str(tmp_path / "x.json"))
    assert code == 0 and (tmp_path / "x.json").is_file()
    assert digest(demo_store) == before


@pytest.mark.parametrize(
    "code,name",
    [
        (sqlite3.SQLITE_BUSY, "database is locked"),
        (sqlite3.SQLITE_READONLY, "attempt to write a readonly database"),
        (sqlite3.SQLITE_IOERR, "disk I/O error"),
        (sqlite3.SQLITE_FULL, "database or disk is full"),
        (sqlite3.SQLITE_CANTOPEN, "unable to open database file"),
        (sqlite3.SQLITE_PERM, "access permission denied"),
    ],
)
def test_opening_a_store_that_is_only_unavailable_never_calls_it_damaged(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, code: int, name: str
) -> None:
    def failing(_path: Path) -> sqlite3.Connection:
        exc = sqlite3.OperationalError(name)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        raise exc

    monkeypatch.setattr(inspect, "connect_readonly", failing)
    with pytest.raises(UserError) as raised:
        inspect.inspect_file(demo_store)
    message = str(raised.value)
    assert (
        "没有损坏" in message
        and "已损坏" not in message
        and "从备份恢复" not in message.replace("不要从备份恢复", "")
    )


def test_a_damaged_store_is_still_called_damaged(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def corrupt(_path: Path) -> sqlite3.Connection:
        exc = sqlite3.DatabaseError("database disk image is malformed")
        exc.sqlite_errorcode = sqlite3.SQLITE_CORRUPT  # type: ignore[attr-defined]
        raise exc

    monkeypatch.setattr(inspect, "connect_readonly", corrupt)
    with pytest.raises(UserError, match="已损坏"):
        inspect.inspect_file(demo_store)


def test_a_full_disk_when_opening_is_said_and_the_store_is_whole(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(_source: Path, target: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(backup, "copy_database", no_space)
    with pytest.raises(UserError, match=r"磁盘空间不足.*没有损坏"):
        Store.open(demo_store)
    Store.open(demo_store, backup_on_open=False).close()  # and the lock was let go


# ---- what a killed export leaves ------------------------------------------------------------------


def test_a_dead_exports_leftovers_go_at_once_and_a_live_ones_stay(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    dead = tmp_path / f".nominator-export-{dead_pid}-abc"
    mine = tmp_path / f".nominator-export-{os.getpid()}-abc"
    unnamed = tmp_path / ".nominator-export-abc"
    for folder in (dead, mine, unnamed):
        folder.mkdir()
    removed = debris.remove_stale(tmp_path, ".nominator-export-*")
    assert removed == [dead]
    assert mine.exists() and unnamed.exists()


def test_export_work_is_hidden_while_it_runs_and_shown_when_done(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden: set[Path] = set()
    monkeypatch.setattr(debris, "hide", hidden.add)
    monkeypatch.setattr(debris, "unhide", hidden.discard)
    result = export_stage(demo_dossier, campaign, "initial", tmp_path, today=TODAY["initial"], make_pdf=False)
    assert not hidden  # every folder hidden while it was worked on is visible again
    assert result.folder.is_dir() and not result.folder.name.startswith(".")
    assert not list(tmp_path.glob(".nominator-*"))
