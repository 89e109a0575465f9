"""The store file: create, reopen, edit in small committed steps, one writer, backups."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from nominator.domain.model import Dossier, Individual, Member, Report
from nominator.errors import UserError
from nominator.store import backup
from nominator.store.session import Store, inspect_file, load_dossier, schema_head


def make_store(tmp_path: Path, dossier: Dossier | None = None) -> Path:
    path = tmp_path / "沈阳市.nominator"
    with Store.create(path, campaign="liaoning-zwgk-2025") as store:
        if dossier is not None:
            with store.transaction() as w:
                w.replace_dossier(dossier)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dossier_survives_a_save_and_reopen_unchanged(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    loaded = load_dossier(path)
    for record in loaded.collectives + loaded.individuals + loaded.members:
        record.id = None
    for record in demo_dossier.collectives + demo_dossier.individuals + demo_dossier.members:
        record.id = None
    assert loaded == demo_dossier


def test_new_store_is_sqlite_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with Store.open(path) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert inspect_file(path).revision == schema_head()


def test_each_edit_is_on_disk_when_the_call_returns(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    with Store.open(path) as store:
        first_id = store.ids("individual")[0]
        person = store.get("individual", first_id)
        assert isinstance(person, Individual)
        person.phone = "13912345678"
        with store.transaction() as w:
            w.update("individual", person)
        # another reader (what a crash-and-reopen would see) finds the change already
        with sqlite3.connect(path) as conn:
            assert (
                conn.execute(
                    "SELECT json_extract(fields, '$.phone') FROM nominee WHERE id=?", (first_id,)
                ).fetchone()[0]
                == "13912345678"
            )


def test_update_returns_the_old_record_so_it_can_be_undone(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    with Store.open(path) as store:
        rid = store.ids("collective")[1]
        record = store.get("collective", rid)
        original_name = record.name
        record.name = "改过的名称"
        with store.transaction() as w:
            old = w.update("collective", record)
        assert old.name == original_name
        with store.transaction() as w:
            w.update("collective", old)
        assert store.get("collective", rid).name == original_name


def test_delete_then_add_back_restores_record_photo_and_position(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    path = make_store(tmp_path, demo_dossier)
    with Store.open(path) as store:
        ids = store.ids("individual")
        with store.transaction() as w:
            removed, position = w.delete("individual", ids[2])
        assert position == 2 and store.ids("individual") == ids[:2] + ids[3:]
        assert isinstance(removed, Individual) and removed.photo_data
        with store.transaction() as w:
            w.add("individual", removed, position)
        assert store.ids("individual") == ids
        back = store.get("individual", ids[2])
        assert back.name == removed.name and back.photo_data == removed.photo_data


def test_reorder_changes_the_recommendation_order(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    with Store.open(path) as store:
        ids = store.ids("member")
        with store.transaction() as w:
            old = w.reorder("member", list(reversed(ids)))
        assert old == ids
    names = [m.name for m in load_dossier(path).members]
    assert names == [m.name for m in reversed(demo_dossier.members)]


def test_overrides_are_kept_per_record_and_for_the_unit(tmp_path: Path, demo_dossier: Dossier) -> None:
    demo_dossier.individuals[1].overrides = {"E1": "经研究同意"}
    demo_dossier.unit.overrides = {"D1": "已报备"}
    path = make_store(tmp_path, demo_dossier)
    loaded = load_dossier(path)
    assert loaded.individuals[1].overrides == {"E1": "经研究同意"}
    assert loaded.unit.overrides == {"D1": "已报备"}


def test_reports_are_stored_per_stage(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with Store.open(path) as store:
        with store.transaction() as w:
            w.set_report("initial", Report({"process": "过程"}, "2025-12-20"))
        assert store.report("initial").sections == {"process": "过程"}
        assert store.report("formal") == Report()


def test_second_writer_on_the_same_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with Store.open(path), pytest.raises(UserError, match="已在另一个窗口或程序中打开"):
        Store.open(path)
    with Store.open(path):  # released on close
        pass


def test_lock_file_is_removed_when_the_store_closes(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with Store.open(path):
        assert path.with_name(path.name + ".lock").exists()
    assert not path.with_name(path.name + ".lock").exists()


def test_opening_makes_a_rotating_backup(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    for _ in range(backup.KEEP + 3):
        Store.open(path).close()
    backups = backup.list_backups(path)
    assert len(backups) == backup.KEEP
    restored = tmp_path / "restored.nominator"
    backup.restore(restored, backups[0])
    assert [i.name for i in load_dossier(restored).individuals] == [i.name for i in demo_dossier.individuals]


def test_restore_from_backup_brings_back_deleted_data(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    with Store.open(path) as store:  # the backup on open holds all 10
        for rid in store.ids("individual"):
            with store.transaction() as w:
                w.delete("individual", rid)
    backup.restore(path, backup.list_backups(path)[-1])
    assert len(load_dossier(path).individuals) == 10


def test_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.close()
    before = digest(path)
    with pytest.raises(UserError, match="更新版本"):
        Store.open(path)
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists() or Path(str(path) + "-wal").stat().st_size == 0


def test_a_file_that_is_not_a_store_is_named_as_such(tmp_path: Path) -> None:
    other = tmp_path / "别的.nominator"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE x(a)")
    conn.close()
    with pytest.raises(UserError, match="不是推荐材料助手的推荐库文件"):
        Store.open(other)


def test_a_damaged_file_is_detected_and_the_newest_backup_named(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    path = make_store(tmp_path, demo_dossier)
    Store.open(path).close()  # leaves a backup
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    for page in range(2, len(data) // 4096):
        data[page * 4096 + 8 : page * 4096 + 40] = b"\x00" * 32
    path.write_bytes(bytes(data))
    with pytest.raises(UserError) as caught:
        Store.open(path)
    assert "已损坏" in str(caught.value) and "从备份恢复" in str(caught.value)


def test_garbage_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "坏的.nominator"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a store" * 100)
    with pytest.raises(UserError, match="已损坏或不是有效的推荐库文件"):
        Store.open(path)


def test_missing_file_is_refused_with_its_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到推荐库文件"):
        Store.open(tmp_path / "没有.nominator")


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with pytest.raises(UserError, match="已存在"):
        Store.create(path, campaign="liaoning-zwgk-2025")


def test_member_records_round_trip(tmp_path: Path) -> None:
    path = make_store(tmp_path)
    with Store.open(path) as store:
        with store.transaction() as w:
            rid = w.add(
                "member",
                Member(name="钱某", unit_and_title="办公室副主任", role="组长", phone="024-12345678"),
            )
        assert store.get("member", rid).name == "钱某"


def test_store_records_which_version_created_it(tmp_path: Path) -> None:
    from nominator import __version__

    with Store.open(make_store(tmp_path)) as store:
        assert store.meta("created_by") == __version__


def test_records_lists_in_order_without_photo_bytes_unless_asked(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    path = make_store(tmp_path, demo_dossier)
    with Store.open(path) as store:
        people = store.records("individual")
        assert [p.name for p in people] == [p.name for p in demo_dossier.individuals]
        assert all(isinstance(p, Individual) and p.photo_data is None and p.photo for p in people)
        with_photos = store.records("individual", with_photos=True)
        assert all(isinstance(p, Individual) and p.photo_data for p in with_photos)


def test_save_copy_writes_a_whole_store_elsewhere(tmp_path: Path, demo_dossier: Dossier) -> None:
    path = make_store(tmp_path, demo_dossier)
    copy_path = tmp_path / "副本.nominator"
    with Store.open(path) as store:
        store.save_copy(copy_path)
        with pytest.raises(UserError, match="已存在"):
            store.save_copy(copy_path)
    assert len(load_dossier(copy_path).individuals) == 10


def test_feedback_after_the_initial_stage_is_stored(tmp_path: Path, demo_dossier: Dossier) -> None:
    demo_dossier.individuals[2].feedback = "dropped"
    demo_dossier.collectives[0].feedback = "kept"
    path = make_store(tmp_path, demo_dossier)
    loaded = load_dossier(path)
    assert loaded.individuals[2].feedback == "dropped" and loaded.collectives[0].feedback == "kept"
