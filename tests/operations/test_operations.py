"""Every operation, performed on a real store, changes it; performing its undo brings the store
back exactly as it was (record ids, order and photos included), and performing the undo's undo
redoes it exactly. The class is tested, not the examples: a new operation without a case here
fails `test_every_operation_has_a_case`."""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from nominator import operations as ops
from nominator.campaign import Campaign, from_text
from nominator.domain.model import Collective, Dossier, Individual, Member, Report
from nominator.domain.photo_match import match_photos
from nominator.errors import UserError
from nominator.interchange.exchange import write_exchange
from nominator.interchange.intake import IntakePreview, IntakeRow
from nominator.interchange.merge import preview_merge
from nominator.interchange.photos import photo_files_in
from nominator.operations.base import Operation
from nominator.store import backup
from nominator.store.session import Store

Case = Callable[[Store, Campaign, Path], Operation]


def _individuals(store: Store) -> list[Individual]:
    return [p for p in store.records("individual", with_photos=True) if isinstance(p, Individual)]


def edit_record(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    record = store.get("collective", store.ids("collective")[1])
    record.name = "改过名称的集体"
    return ops.EditRecord("collective", record)


def edit_records(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    people = _individuals(store)[:2]
    for person in people:
        person.name += "某"
    return ops.EditRecords("individual", list(people))


def fix_photos(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    people = _individuals(store)[:3]
    for n, person in enumerate(people):
        person.photo, person.photo_data = f"处理后{n}.jpg", b"\xff\xd8 fixed %d" % n
    return ops.FixPhotos("individual", list(people))


def add_record(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    return ops.AddRecord("member", campaign, Member(name="新成员"), position=1)


def insert_records(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    return ops.InsertRecords(
        [("member", Member(name="插入的成员"), 0), ("collective", Collective(name="插入"), 2)]
    )


def delete_records(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    ids = store.ids("individual")
    # the first and a later one: putting them back must give each its old neighbours
    return ops.DeleteRecords(
        [("individual", ids[0]), ("individual", ids[3]), ("member", store.ids("member")[-1])]
    )


def reorder(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    return ops.Reorder("member", list(reversed(store.ids("member"))))


def move_record(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    return ops.MoveRecord("individual", store.ids("individual")[2], -1)


def edit_unit(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    unit = store.unit()
    unit.contact = "新联系人"
    return ops.EditUnit(unit)


def edit_report(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    report = Report({"process": "改过的推荐过程"}, "2025-12-21")
    return ops.EditReport("initial", report)


def set_override(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    return ops.SetOverride("E1", "经研究同意", "individual", store.ids("individual")[1])


def set_override_on_the_unit(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    return ops.SetOverride("Q3", "确需推荐")


def import_excel(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    rows = [
        IntakeRow("member", "工作机构成员", 2, Member(name="钱某", role="组长")),
        IntakeRow("member", "工作机构成员", 3, Member(name="孙某", role="成员")),
    ]
    return ops.ImportExcel(IntakePreview(tmp / "导入.xlsx", rows))


def merge_files(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    other = store.load_dossier()
    for record in (*other.collectives, *other.individuals):
        record.name += "(下级)"
    other.unit.name = "和平区"
    files = [write_exchange(other, tmp / "和平区.zip")]
    return ops.MergeFiles(preview_merge(store.load_dossier(), files, campaign))


def import_photo_folder(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    folder = tmp / "照片"
    folder.mkdir()
    people = _individuals(store)
    for person in people[:2]:
        (folder / f"{person.name}-{person.birth_date.replace('-', '')}.jpg").write_bytes(b"\xff\xd8 new")
    fields = campaign.kinds["individual"].photo
    assert fields is not None
    return ops.ImportPhotoFolder(folder, match_photos(photo_files_in(folder), people, fields))


def replace_contents(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    dossier = store.load_dossier()
    dossier.individuals = dossier.individuals[:4]
    dossier.collectives[0].name = "交换文件中的集体"
    return ops.ReplaceContents(dossier)


def adopt_campaign(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    newer = from_text(campaign.text.replace("mailbox_limit_mb = 25", "mailbox_limit_mb = 40"))
    return ops.AdoptCampaign(newer)


CASES: dict[str, Case] = {
    "EditRecord": edit_record,
    "EditRecords": edit_records,
    "FixPhotos": fix_photos,
    "AddRecord": add_record,
    "InsertRecords": insert_records,
    "DeleteRecords": delete_records,
    "Reorder": reorder,
    "MoveRecord": move_record,
    "EditUnit": edit_unit,
    "EditReport": edit_report,
    "SetOverride": set_override,
    "SetOverride on the unit": set_override_on_the_unit,
    "ImportExcel": import_excel,
    "MergeFiles": merge_files,
    "ImportPhotoFolder": import_photo_folder,
    "ReplaceContents": replace_contents,
    "AdoptCampaign": adopt_campaign,
}


def keep_photo_verdicts(store: Store, campaign: Campaign, tmp: Path) -> Operation:
    from nominator.domain.checks import _photo_cache, check

    _photo_cache.clear()  # judged here, not remembered from another test
    dossier = store.load_dossier(with_photos=True)
    check(dossier, store.rules(), "formal")
    assert dossier.photo_verdicts
    return ops.KeepPhotoVerdicts(dict(dossier.photo_verdicts))


# operations that keep what spares work later and change nothing the dossier shows
BOOKKEEPING: dict[str, Case] = {"KeepPhotoVerdicts": keep_photo_verdicts}


def all_operations() -> set[type[Operation]]:
    found: set[type[Operation]] = set()
    pending = [Operation]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub.__module__.startswith("nominator."):
                found.add(sub)
                pending.append(sub)
    return found


def test_every_operation_has_a_case() -> None:
    covered = {name.split(" ")[0] for name in CASES}
    edits = {cls for cls in all_operations() if not issubclass(cls, ops.Bookkeeping)}
    assert {cls.__name__ for cls in edits} <= covered
    kept = {cls for cls in all_operations() if issubclass(cls, ops.Bookkeeping)} - {ops.Bookkeeping}
    assert {cls.__name__ for cls in kept} <= set(BOOKKEEPING)


@pytest.fixture()
def store(tmp_path: Path, demo_dossier: Dossier) -> Store:
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as created, created.transaction() as w:
        w.replace_dossier(demo_dossier)
    return Store.open(db, backup_on_open=False)


def state(store: Store) -> tuple[Dossier, str]:
    return store.load_dossier(with_photos=True), store.rules().text


@pytest.mark.parametrize("case", list(CASES))
def test_undo_brings_the_store_back_exactly_and_redo_redoes_it(
    case: str, store: Store, campaign: Campaign, tmp_path: Path
) -> None:
    op = CASES[case](store, campaign, tmp_path)
    before = state(store)
    outcome = ops.perform(store, op)
    after = state(store)
    assert after != before and not outcome.changes.is_empty()
    assert outcome.undo is not None and outcome.undo.name == op.name  # the undo menu says the same
    undone = ops.perform(store, outcome.undo)
    assert state(store) == before
    assert undone.undo is not None
    ops.perform(store, undone.undo)
    assert state(store) == after
    store.close()


@pytest.mark.parametrize("case", list(BOOKKEEPING))
def test_bookkeeping_keeps_something_and_changes_nothing_the_dossier_shows(
    case: str, store: Store, campaign: Campaign, tmp_path: Path
) -> None:
    op = BOOKKEEPING[case](store, campaign, tmp_path)
    before = state(store)
    outcome = ops.perform(store, op)
    assert outcome.value  # something was kept…
    assert state(store) == before  # …and the dossier is as it was
    assert outcome.undo is None and outcome.changes.is_empty()  # no undo step, nothing to redraw
    store.close()


def test_the_changes_name_what_a_view_must_redraw(store: Store, campaign: Campaign, tmp_path: Path) -> None:
    rid = store.ids("collective")[1]
    assert ops.perform(store, edit_record(store, campaign, tmp_path)).changes.records == {("collective", rid)}
    assert ops.perform(store, add_record(store, campaign, tmp_path)).changes.lists == {"member"}
    assert ops.perform(store, edit_unit(store, campaign, tmp_path)).changes.touches_unit()
    assert ops.perform(store, replace_contents(store, campaign, tmp_path)).changes.touches_record("member", 1)
    assert ops.perform(store, adopt_campaign(store, campaign, tmp_path)).changes.campaign
    store.close()


def test_a_refused_or_failing_operation_changes_nothing(store: Store, campaign: Campaign) -> None:
    before = state(store)
    full = len(store.ids("collective"))
    unit = store.unit()
    unit.allocation = dataclasses.replace(unit.allocation, collectives=1)
    ops.perform(store, ops.EditUnit(unit))
    before = state(store)
    with pytest.raises(UserError, match="名额"):
        ops.perform(store, ops.AddRecord("collective", campaign, Collective(name="超出名额")))
    assert state(store) == before and len(store.ids("collective")) == full
    # a bulk operation failing half-way (a record of the wrong kind) leaves nothing behind
    rows = [
        IntakeRow("member", "工作机构成员", 2, Member(name="钱某")),
        IntakeRow("member", "x", 3, Collective()),
    ]
    with pytest.raises(TypeError):
        ops.perform(store, ops.ImportExcel(IntakePreview(Path("x.xlsx"), copy.deepcopy(rows))))
    assert state(store) == before
    store.close()


def test_a_cancelled_operation_changes_nothing(store: Store, campaign: Campaign, tmp_path: Path) -> None:
    op = import_photo_folder(store, campaign, tmp_path)
    before = state(store)
    seen: list[str] = []

    def cancel_on_the_second_file(step: int, _steps: int, text: str) -> None:
        seen.append(text)
        if step == 1:
            raise ops.Cancelled

    with pytest.raises(ops.Cancelled):
        ops.perform(store, op, cancel_on_the_second_file)
    assert state(store) == before and len(seen) == 2
    store.close()


def test_an_import_backs_the_store_up_first_and_its_undo_and_redo_do_not(
    store: Store, campaign: Campaign, tmp_path: Path
) -> None:
    outcome = ops.perform(store, replace_contents(store, campaign, tmp_path))
    assert [b for b in backup.list_backups(store.path) if "before-import" in b.name]
    assert outcome.undo is not None
    count = len(backup.list_backups(store.path))
    undone = ops.perform(store, outcome.undo)
    assert undone.undo is not None
    ops.perform(store, undone.undo)
    assert len(backup.list_backups(store.path)) == count
    store.close()


def test_a_transaction_is_one_thread_s_and_a_reader_sees_only_what_was_committed(
    store: Store, campaign: Campaign
) -> None:
    """While an operation's transaction is open (a long import in the window's worker), another
    reader (the checker, `nominator check`) sees the store as it was; after it, all of it."""
    reader = Store.open_for_reading(store.path)
    inside: list[int] = []

    class Peek(ops.EditRecord):
        def apply(self, writer, progress):  # type: ignore[no-untyped-def]
            outcome = super().apply(writer, progress)
            thread = threading.Thread(target=lambda: inside.append(len(reader.get("collective", rid).name)))
            thread.start()
            thread.join()
            return outcome

    rid = store.ids("collective")[0]
    record = store.get("collective", rid)
    old = record.name
    record.name = "改" * 30
    ops.perform(store, Peek("collective", record))
    assert inside == [len(old)]
    assert reader.get("collective", rid).name == "改" * 30
    reader.close()
    store.close()
