"""Backups: rotating copies on open and before an upgrade or import, `nominator restore`, and a
damaged store named as such on open, with the newest good backup offered."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from nominator.cli import main
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.interchange.exchange import import_into_store, write_exchange
from nominator.store import backup
from nominator.store.session import Store, load_dossier

FROZEN = Path(__file__).parents[1] / "fixtures" / "stores" / "schema-0001.nominator"


def make_store(folder: Path, dossier: Dossier, name: str = "沈阳市.nominator") -> Path:
    path = folder / name
    with Store.create(path, campaign=dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(dossier)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reasons(db: Path) -> list[str]:
    return [b.stem.split("-", 3)[3] for b in backup.list_backups(db)]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---- rotation ------------------------------------------------------------------------------


def test_backups_are_made_on_open_before_upgrade_and_before_import(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    old = tmp_path / "old.nominator"
    shutil.copy(FROZEN, old)
    Store.open(old, backup_on_open=False).close()
    assert reasons(old) == ["before-upgrade"]

    db = make_store(tmp_path, demo_dossier)
    Store.open(db).close()
    import_into_store(write_exchange(demo_dossier, tmp_path / "x.zip"), db, replace=True)
    assert reasons(db) == ["before-import", "open", "open"]  # newest first; import opens too


def test_rotation_keeps_the_newest_and_every_backup_is_a_whole_store(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    db = make_store(tmp_path, demo_dossier)
    for n in range(backup.KEEP + 4):
        with Store.open(db) as store, store.transaction() as w:
            w.update_unit(store.unit().__class__(**{**vars(store.unit()), "contact": f"联系人{n}"}))
    kept = backup.list_backups(db)
    assert len(kept) == backup.KEEP
    assert all(backup.is_good(b) for b in kept)
    # the newest backup holds the state as it was opened the last time
    assert (
        load_dossier(_copy(kept[0], tmp_path / "newest.nominator")).unit.contact == f"联系人{backup.KEEP + 2}"
    )
    assert backup.backup_dir_for(db).is_relative_to(backup.data_dir())


def _copy(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    return target


# ---- nominator restore ---------------------------------------------------------------------


def test_restore_lists_backups_newest_first(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_store(tmp_path, demo_dossier)
    for _ in range(3):
        Store.open(db).close()
    code, out, _ = cli(capsys, "restore", "--db", str(db), "--list")
    assert code == 0
    assert out.split() == [str(b) for b in backup.list_backups(db)] and len(out.split()) == 3


def test_restore_brings_back_the_newest_good_backup_and_keeps_the_current_content(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_store(tmp_path, demo_dossier)
    Store.open(db).close()
    with Store.open(db) as store:  # backed up with all ten people, then they are deleted
        for rid in store.ids("individual"):
            with store.transaction() as w:
                w.delete("individual", rid)
    newest = backup.list_backups(db)[0]
    newest.write_bytes(newest.read_bytes()[:5000])  # and the newest backup is itself broken
    code, out, _ = cli(capsys, "restore", "--db", str(db))
    assert code == 0 and "已从备份" in out
    assert len(load_dossier(db).individuals) == 10
    assert reasons(db)[0] == "before-restore"  # the emptied store, kept in case
    emptied = backup.list_backups(db)[0]
    assert len(load_dossier(_copy(emptied, tmp_path / "e.nominator")).individuals) == 0


def test_restore_of_a_named_backup_and_refusal_of_a_broken_one(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_store(tmp_path, demo_dossier)
    Store.open(db).close()
    first = backup.list_backups(db)[0]
    with Store.open(db) as store, store.transaction() as w:
        w.delete("member", store.ids("member")[0])
    assert cli(capsys, "restore", "--db", str(db), "--backup", first.name)[0] == 0
    assert len(load_dossier(db).members) == 6
    broken = tmp_path / "broken.nominator"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    before = digest(db)
    code, _, err = cli(capsys, "restore", "--db", str(db), "--backup", str(broken))
    assert code == 2 and "不能用来恢复" in err and "Traceback" not in err
    assert digest(db) == before


def test_restore_is_refused_while_the_store_is_open(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_store(tmp_path, demo_dossier)
    with Store.open(db):
        before = digest(db)
        code, _, err = cli(capsys, "restore", "--db", str(db))
        assert code == 2 and "已在另一个窗口或程序中打开" in err
        assert digest(db) == before


# ---- a damaged store is detected on open, the newest good backup named ------------------------


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 3]


def zeroed_header(data: bytes) -> bytes:
    return b"\x00" * 100 + data[100:]


def random_middle(data: bytes) -> bytes:
    import random

    rnd = random.Random(7)
    middle = len(data) // 2
    return data[:8192] + bytes(rnd.randrange(256) for _ in range(middle - 8192)) + data[middle:]


def garbage_pages(data: bytes) -> bytes:
    page = 4096
    out = bytearray(data)
    for n in range(1, len(data) // page):
        out[n * page : n * page + 64] = b"\xa5" * 64
    return bytes(out)


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": truncated,
    "zeroed-header": zeroed_header,
    "random-bytes-in-the-middle": random_middle,
    "page-headers-overwritten": garbage_pages,
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_store_is_detected_and_the_newest_good_backup_named(
    tmp_path: Path, demo_dossier: Dossier, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = make_store(tmp_path, demo_dossier)
    Store.open(db).close()
    Store.open(db).close()
    good = backup.list_backups(db)
    good[0].write_bytes(b"not a store")  # the newest backup is bad too: the one before is named
    db.write_bytes(DAMAGE[damage](db.read_bytes()))
    before = digest(db)
    with pytest.raises(UserError) as caught:
        Store.open(db)
    message = str(caught.value)
    assert ("已损坏" in message or "不是推荐材料助手" in message) and "Traceback" not in message
    if "已损坏" in message:
        assert f"最近的完好备份是“{good[1].name}”" in message
    assert digest(db) == before  # looked at, not changed
    # and `nominator restore` brings the named backup back
    assert cli(capsys, "restore", "--db", str(db))[0] == 0
    assert len(load_dossier(db).individuals) == 10
    kept = [b for b in backup.backup_dir_for(db).iterdir() if b.suffix == ".damaged"]
    assert [digest(b) for b in kept] == [before]  # the damaged file kept byte for byte, never offered


@pytest.mark.parametrize("edits", ["whole-store", "small-edits"])
def test_a_wal_file_from_another_store_is_refused_not_mixed_in(
    tmp_path: Path, demo_dossier: Dossier, edits: str
) -> None:
    db = make_store(tmp_path, demo_dossier)
    Store.open(db).close()
    other = make_store(tmp_path, demo_dossier, "大连市.nominator")
    store = Store.open(other)
    if edits == "whole-store":
        demo_dossier.unit.name = "大连市"
        with store.transaction() as w:
            w.replace_dossier(demo_dossier)
    else:  # two stores made from the same data: only a page or two differ
        member = store.get("member", store.ids("member")[0])
        member.name = "外来的人"
        with store.transaction() as w:
            w.update("member", member)
    foreign_wal = Path(str(other) + "-wal").read_bytes()
    store.close()
    Path(str(db) + "-wal").write_bytes(foreign_wal)  # copied in beside it, as from a USB stick
    before = digest(db)
    with pytest.raises(UserError, match="不属于这个推荐库") as caught:
        Store.open(db)
    assert "最近的完好备份是" in str(caught.value)
    assert digest(db) == before and Path(str(db) + "-wal").read_bytes() == foreign_wal
    Path(str(db) + "-wal").unlink()  # what the message asks for
    dossier = load_dossier(db)
    assert dossier.unit.name == "沈阳市" and dossier.members[0].name != "外来的人"


def test_a_stores_own_wal_after_a_crash_is_not_mistaken_for_a_foreign_one(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    db = make_store(tmp_path, demo_dossier)
    store = Store.open(db)
    member = store.get("member", store.ids("member")[0])
    member.name = "崩溃前保存的"
    with store.transaction() as w:
        w.update("member", member)
    # a crash: the -wal stays as it is; copy the files as they are on disk at that moment
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy(str(db) + suffix, str(crashed / db.name) + suffix)
    store.close()
    assert load_dossier(crashed / db.name).members[0].name == "崩溃前保存的"


def test_sqlite_sees_the_identity_written_with_every_edit(tmp_path: Path, demo_dossier: Dossier) -> None:
    db = make_store(tmp_path, demo_dossier)
    with sqlite3.connect(db) as conn:
        identity = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert identity != 0
    other = make_store(tmp_path, demo_dossier, "other.nominator")
    with sqlite3.connect(other) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] not in (0, identity)
    conn.close()
