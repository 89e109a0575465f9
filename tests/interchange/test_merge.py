"""逐级推荐: a city merges its districts' exchange files, sees duplicates and its quota, and
gets every nominee marked with where it came from."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from nominator.campaign import Campaign
from nominator.domain.model import Collective, Dossier, Individual, Member, Unit
from nominator.errors import UserError
from nominator.interchange.exchange import write_exchange
from nominator.interchange.merge import apply_merge, preview_merge
from nominator.store import backup
from nominator.store.session import Store


def sub_unit(demo: Dossier, name: str, collectives: list[int], individuals: list[int]) -> Dossier:
    """A district's own dossier, cut from the demo."""
    return replace(
        copy.deepcopy(demo),
        unit=Unit(name=name, kind="other", contact="某某", phone="024-12345678"),
        collectives=[copy.deepcopy(demo.collectives[n]) for n in collectives],
        individuals=[copy.deepcopy(demo.individuals[n]) for n in individuals],
        members=[Member(name=f"{name}联络员", unit_and_title=f"{name}政府办公室", role="成员")],
        reports={},
    )


def newcomer(demo: Dossier, n: int) -> Individual:
    person = copy.deepcopy(demo.individuals[n % len(demo.individuals)])
    person.name = f"新人{'甲乙丙丁戊己庚辛'[n]}"
    person.photo = ""
    return person


@pytest.fixture()
def city(tmp_path: Path, demo_dossier: Dossier) -> Path:
    """沈阳市's store with its own first 2 collectives and 4 individuals (allocation 5 / 10)."""
    own = replace(
        demo_dossier, collectives=demo_dossier.collectives[:2], individuals=demo_dossier.individuals[:4]
    )
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=own.campaign) as store, store.transaction() as w:
        w.replace_dossier(own)
    return db


@pytest.fixture()
def district_files(tmp_path: Path, demo_dossier: Dossier) -> list[Path]:
    """Three subordinate files; 新民市 repeats the city's own 王丽娜, 司法局 repeats 和平区's 陈伟."""
    heping = sub_unit(demo_dossier, "和平区", [2], [4, 5])
    xinmin = sub_unit(demo_dossier, "新民市", [3], [6, 0])
    justice = sub_unit(demo_dossier, "沈阳市司法局", [], [5])
    justice.individuals += [newcomer(demo_dossier, n) for n in range(6)]
    folder = tmp_path / "下级"
    return [
        write_exchange(heping, folder / "和平区.zip"),
        write_exchange(xinmin, folder / "新民市.json"),
        write_exchange(justice, folder / "司法局.zip"),
    ]


def test_merge_preview_names_sources_duplicates_and_the_quota(
    city: Path, district_files: list[Path], campaign: Campaign
) -> None:
    with Store.open(city, backup_on_open=False) as store:
        preview = preview_merge(store.load_dossier(), district_files, campaign)
        assert len(store.records("individual")) == 4  # a preview writes nothing
    assert preview.sources == ["和平区", "新民市", "沈阳市司法局"]
    people = preview.of_kind("individual")
    assert [(i.source, i.record.name) for i in people][:4] == [
        ("和平区", "刘思雨"),
        ("和平区", "陈伟"),
        ("新民市", "王丽娜"),  # in the district's own order
        ("新民市", "孙佳慧"),
    ]
    assert [f"{i.label}与{i.duplicate_of}重复" for i in preview.duplicates] == [
        "先进个人“王丽娜”(出生日期1986-03-14)与本单位已有的第1名先进个人重复",
        "先进个人“陈伟”(出生日期1979-04-17)与“和平区”报送的先进个人“陈伟”(出生日期1979-04-17)重复",
    ]
    # 4 own + 2 + 1 + 6 new individuals = 13 > 12 (10 × 1.2)
    quota = [(p.rule, p.target.path) for p in preview.quota_problems if p.is_error]
    assert quota == [("Q1", "individuals")]
    (q1,) = [p for p in preview.quota_problems if p.rule == "Q1"]
    assert (
        q1.message
        == "已填报13名先进个人,超过名额:附件10分配名额10名,可上浮20%推荐12名(四舍五入)。请删减1名。"
    )
    assert "沈阳市司法局:工作机构成员 1 名是下级自己的名单,默认不合并到本单位的附件9。" in preview.notices


def test_merge_appends_marked_nominees_skips_duplicates_and_keeps_the_city_first(
    city: Path, district_files: list[Path], campaign: Campaign
) -> None:
    with Store.open(city, backup_on_open=False) as store:
        preview = preview_merge(store.load_dossier(), district_files, campaign)
        with store.transaction() as w:
            counts = apply_merge(w, preview)
        assert (counts.collectives, counts.individuals, counts.members, counts.skipped_duplicates) == (
            2,
            9,
            0,
            2,
        )
        merged = store.load_dossier()
    names = [(i.source, i.name) for i in merged.ordered_individuals()]
    assert names[:4] == [("", "王丽娜"), ("", "李建国"), ("", "张海燕"), ("", "赵志刚")]
    assert names[4:7] == [("和平区", "刘思雨"), ("和平区", "陈伟"), ("新民市", "孙佳慧")]
    assert [c.source for c in merged.ordered_collectives()] == ["", "", "和平区", "新民市"]
    assert merged.individuals[4].photo_data is not None  # photos travel with the nominee
    assert not any("联络员" in m.name for m in merged.members)  # 附件9 stays the city's own list
    assert any("before-merge" in b.name for b in backup.list_backups(city))


def test_duplicates_and_members_can_be_merged_when_asked(
    city: Path, district_files: list[Path], campaign: Campaign
) -> None:
    with Store.open(city, backup_on_open=False) as store:
        preview = preview_merge(store.load_dossier(), district_files, campaign)
        with store.transaction() as w:
            counts = apply_merge(w, preview, skip_duplicates=False, include_members=True)
        assert (counts.individuals, counts.members, counts.skipped_duplicates) == (11, 3, 0)
        assert store.records("member")[-1].name == "沈阳市司法局联络员"


def test_a_nominee_a_county_had_merged_keeps_its_first_source(
    tmp_path: Path, city: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    county = sub_unit(demo_dossier, "康平县", [4], [])
    county.collectives[0].source = "某某乡"
    county.collectives[0].feedback = "dropped"
    path = write_exchange(county, tmp_path / "康平县.json")
    with Store.open(city, backup_on_open=False) as store:
        (incoming, _member) = preview_merge(store.load_dossier(), [path], campaign).incoming
    assert isinstance(incoming.record, Collective)
    assert (incoming.record.source, incoming.record.feedback) == ("康平县/某某乡", "")


def test_one_bad_file_refuses_the_whole_merge(
    tmp_path: Path, city: Path, district_files: list[Path], campaign: Campaign
) -> None:
    bad = tmp_path / "坏.zip"
    bad.write_bytes(b"not a zip")
    with Store.open(city, backup_on_open=False) as store:
        with pytest.raises(UserError, match="不是有效的 zip"):
            preview_merge(store.load_dossier(), [*district_files, bad], campaign)
        assert len(store.records("individual")) == 4


def test_merging_the_citys_own_file_is_pointed_out(tmp_path: Path, city: Path, campaign: Campaign) -> None:
    with Store.open(city, backup_on_open=False) as store:
        own = store.load_dossier()
        path = write_exchange(own, tmp_path / "本市.json")
        preview = preview_merge(own, [path], campaign)
    assert "“本市.json”的推荐单位就是本单位“沈阳市”,请确认选的是下级报送的文件。" in preview.notices
    assert all(i.is_duplicate for i in preview.incoming if i.kind != "member")
