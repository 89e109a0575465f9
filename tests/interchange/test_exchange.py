"""The exchange file: lossless round trip, a hand-written file, and every kind of bad file."""

from __future__ import annotations

import copy
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest

from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.interchange.exchange import (
    dossier_to_json,
    import_into_store,
    read_exchange,
    write_exchange,
)
from nominator.store.session import Store, load_dossier

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


def hand_written() -> dict[str, Any]:
    """A county clerk's file, typed by hand: small, with a few mistakes the checker must find."""
    return {
        "format": "nominator-exchange",
        "version": 1,
        "campaign": "liaoning-zwgk-2025",
        "unit": {
            "name": "沈阳市",
            "kind": "region",
            "contact": "王某",
            "phone": "024-12345678",
            "allocation": {"collectives": 1, "individuals": 1},
        },
        "collectives": [
            {"name": "沈阳市和平区人民政府办公室政务公开科", "level": "县级及以下", "order": 1},
            {"name": "沈阳市浑南区政务公开科", "level": "县级及以下", "order": 2},
        ],
        "individuals": [
            {
                "name": "张某某",
                "gender": "男",
                "ethnicity": "汉族",
                "birth_date": "1966-02-30",
                "assessments": [{"year": 2022, "result": "基本称职"}],
                "photo": "photos/张某某-19660101.jpg",
                "custom_note": "县里加的备注",
                "order": 1,
            }
        ],
        "members": [{"name": "钱某", "role": "组长", "phone": "024-12345678", "order": 1}],
        "reports": {"initial": {"process": "……", "date": "2025-12-20"}},
    }


def write_json(folder: Path, data: Any, photos: dict[str, bytes] | None = None) -> Path:
    path = folder / "exchange.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for name, content in (photos or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content)
    return path


def test_export_import_export_gives_the_same_json(tmp_path: Path, demo_dossier: Dossier) -> None:
    first = write_exchange(demo_dossier, tmp_path / "a" / "out.json")
    import_into_store(first, tmp_path / "b.nominator")
    second = write_exchange(load_dossier(tmp_path / "b.nominator"), tmp_path / "b" / "out.json")
    assert json.loads(first.read_text("utf-8")) == json.loads(second.read_text("utf-8"))
    assert (
        tmp_path / "b" / "photos" / demo_dossier.individuals[0].photo
    ).read_bytes() == demo_dossier.individuals[0].photo_data


def test_zip_round_trip_carries_the_photos(tmp_path: Path, demo_dossier: Dossier) -> None:
    out = write_exchange(demo_dossier, tmp_path / "沈阳市.zip")
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    assert "exchange.json" in names
    assert {f"photos/{p.photo}" for p in demo_dossier.individuals} <= names
    dossier, notices = read_exchange(out)
    assert notices == []
    assert [p.photo_data for p in dossier.individuals] == [p.photo_data for p in demo_dossier.individuals]


def test_hand_written_file_imports_and_keeps_unknown_keys(tmp_path: Path) -> None:
    path = write_json(tmp_path, hand_written(), {"photos/张某某-19660101.jpg": JPEG})
    report = import_into_store(path, tmp_path / "s.nominator")
    assert (report.collectives, report.individuals, report.members) == (2, 1, 1)
    dossier = load_dossier(tmp_path / "s.nominator")
    assert dossier.individuals[0].extra == {"custom_note": "县里加的备注"}
    assert dossier.individuals[0].birth_date == "1966-02-30"  # kept as typed; the checker flags it
    assert dossier_to_json(dossier)["individuals"][0]["custom_note"] == "县里加的备注"


def test_unknown_top_level_keys_are_kept_with_a_notice(tmp_path: Path) -> None:
    data = hand_written()
    data["generator"] = {"name": "县里的表格"}
    dossier, notices = read_exchange(write_json(tmp_path, data, {"photos/张某某-19660101.jpg": JPEG}))
    assert dossier.extra == {"generator": {"name": "县里的表格"}}
    assert any("generator" in n for n in notices)
    assert dossier_to_json(dossier)["generator"] == {"name": "县里的表格"}


def test_importing_over_existing_data_needs_replace_and_backs_up(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    db = tmp_path / "s.nominator"
    with Store.create(db, campaign="liaoning-zwgk-2025") as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    path = write_json(tmp_path, hand_written(), {"photos/张某某-19660101.jpg": JPEG})
    with pytest.raises(UserError, match="--replace"):
        import_into_store(path, db)
    assert len(load_dossier(db).individuals) == 10  # untouched
    import_into_store(path, db, replace=True)
    assert len(load_dossier(db).individuals) == 1
    from nominator.store import backup

    assert any("before-import" in b.name for b in backup.list_backups(db))


# ---- bad files: each refused with a message naming the problem; the store unchanged ---------


def refused(tmp_path: Path, data: Any, match: str, photos: dict[str, bytes] | None = None) -> None:
    db = tmp_path / "s.nominator"
    path = write_json(tmp_path, data, photos if photos is not None else {"photos/张某某-19660101.jpg": JPEG})
    with pytest.raises(UserError, match=match):
        import_into_store(path, db)
    assert not db.exists()


def test_wrong_format_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, {**hand_written(), "format": "something-else"}, "不是推荐材料助手的交换文件")


def test_wrong_version_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, {**hand_written(), "version": 2}, "只支持版本 1")


def test_unknown_campaign_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, {**hand_written(), "campaign": "guangdong-2030"}, "未知的评选活动")


def test_campaign_id_cannot_walk_out_of_the_campaign_folder(tmp_path: Path) -> None:
    refused(tmp_path, {**hand_written(), "campaign": "../../pyproject"}, "未知的评选活动")


def test_wrong_type_names_the_field(tmp_path: Path) -> None:
    data = hand_written()
    data["individuals"][0]["birth_date"] = 19660101
    refused(tmp_path, data, r"individuals\[0\]\.birth_date.*应为文本")


def test_staff_count_as_text_names_the_field(tmp_path: Path) -> None:
    data = hand_written()
    data["collectives"][1]["staff_count"] = "六"
    refused(tmp_path, data, r"第2个先进集体.*collectives\[1\]\.staff_count.*整数")


def test_list_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, {**hand_written(), "members": {"name": "x"}}, "members.*应为列表")


def test_ten_megabyte_string_is_refused(tmp_path: Path) -> None:
    data = hand_written()
    data["collectives"][0]["deeds_full"] = "字" * (10 * 1024 * 1024)
    refused(tmp_path, data, "不像正常")


def test_missing_photo_is_named(tmp_path: Path) -> None:
    refused(tmp_path, hand_written(), "找不到交换文件中的照片", photos={})


def test_not_json_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "nominator-exchange",\n "version": 1,,}', encoding="utf-8")
    with pytest.raises(UserError, match="第2行"):
        read_exchange(path)


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps(hand_written(), ensure_ascii=False).encode("gbk"))
    with pytest.raises(UserError, match="UTF-8"):
        read_exchange(path)


def test_missing_keys_mean_not_filled_in_yet(tmp_path: Path) -> None:
    data = {"format": "nominator-exchange", "version": 1, "campaign": "liaoning-zwgk-2025"}
    dossier, _ = read_exchange(write_json(tmp_path, data))
    assert dossier.unit.name == "" and dossier.collectives == []


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def zipped_exchange(photo: str) -> bytes:
    data = copy.deepcopy(hand_written())
    data["individuals"][0]["photo"] = photo
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def test_zip_slip_path_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "x.zip", [("exchange.json", zipped_exchange("../../etc/passwd"))])
    with pytest.raises(UserError, match="不安全"):
        read_exchange(path)


def test_absolute_path_in_zip_is_refused(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "x.zip", [("exchange.json", zipped_exchange("/etc/passwd"))])
    with pytest.raises(UserError, match="不安全"):
        read_exchange(path)


def test_symlink_entry_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("photos/张某某-19660101.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = make_zip(
        tmp_path / "x.zip",
        [("exchange.json", zipped_exchange("photos/张某某-19660101.jpg")), (link, b"/etc/passwd")],
    )
    with pytest.raises(UserError, match="链接"):
        read_exchange(path)


def test_zip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("exchange.json", zipped_exchange("photos/张某某-19660101.jpg"))
        zf.writestr("photos/张某某-19660101.jpg", b"\0" * (40 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(UserError, match="过大"):
        read_exchange(path)


def test_duplicate_names_in_zip_are_refused(tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we are making on purpose
        path = make_zip(
            tmp_path / "dup.zip",
            [("exchange.json", zipped_exchange("photos/a.jpg")), ("exchange.json", b"{}")],
        )
    with pytest.raises(UserError, match="重名"):
        read_exchange(path)


def test_corrupt_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UserError, match="不是有效的 zip"):
        read_exchange(path)


def test_wrong_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<x/>", encoding="utf-8")
    with pytest.raises(UserError, match=r"\.json 或 \.zip"):
        read_exchange(path)
