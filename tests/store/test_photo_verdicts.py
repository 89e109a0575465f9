"""Photo verdicts kept in the store (0005): a photo judged once is not decoded again — not by
the window, not by `nominator check` in a new process — until the photo or the campaign's photo
rules change; and what was kept cannot outlive either."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nominator.campaign import Campaign, from_text
from nominator.domain import checks
from nominator.domain import photo as photo_module
from nominator.domain.checks import check
from nominator.domain.model import Individual
from nominator.interchange.demo import create_demo_store
from nominator.operations import KeepPhotoVerdicts, perform
from nominator.store.session import Store, load_with_rules
from tests import photo_corpus as corpus

FORMAL_DAY = dt.date(2026, 1, 10)


@pytest.fixture()
def judged(tmp_path: Path) -> Path:
    """The demo store after the window's first check: every photo judged and kept."""
    path = create_demo_store(tmp_path / "demo.nominator")
    checks._photo_cache.clear()
    dossier, campaign = load_with_rules(path)
    check(dossier, campaign, "formal", today=FORMAL_DAY)
    with Store.open(path, backup_on_open=False) as store:
        assert perform(store, KeepPhotoVerdicts(dossier.photo_verdicts)).value == len(
            {p.photo_data for p in dossier.individuals}
        )
    checks._photo_cache.clear()  # as in a new process
    return path


@pytest.fixture()
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every photo the checker decodes from now on."""
    seen: list[bytes] = []
    real = photo_module.inspect_photo

    def counting(data: bytes, rules: object, *, target: str) -> photo_module.PhotoVerdict:
        seen.append(data)
        return real(data, rules, target=target)  # type: ignore[arg-type]

    monkeypatch.setattr(photo_module, "inspect_photo", counting)
    checks._photo_cache.clear()
    return seen


def verdict_rows(path: Path) -> list[tuple[str, str]]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        rows = [(r[0], r[1]) for r in conn.execute(text("SELECT rules, sha256 FROM photo_verdict"))]
    engine.dispose()
    return rows


def test_a_new_process_checks_without_decoding_a_judged_photo(judged: Path, decodes: list[bytes]) -> None:
    dossier, campaign = load_with_rules(judged)  # as `nominator check` does
    assert check(dossier, campaign, "formal", today=FORMAL_DAY) == []
    assert decodes == []


def test_a_replaced_photo_is_judged_again_and_only_it(judged: Path, decodes: list[bytes]) -> None:
    blue = corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE, (413, 579)))
    with Store.open(judged, backup_on_open=False) as store:
        person = store.records("individual")[2]
        assert isinstance(person, Individual)
        with store.transaction() as writer:
            writer.update("individual", dataclasses.replace(person, photo_data=blue))
    dossier, campaign = load_with_rules(judged)
    problems = check(dossier, campaign, "formal", today=FORMAL_DAY)
    assert decodes == [blue]
    assert [(p.rule, p.target.kind, p.target.index, p.target.field) for p in problems] == [
        ("F2", "individual", 2, "photo")
    ]
    assert "背景" in problems[0].message


def test_changed_photo_rules_judge_every_photo_again(judged: Path, decodes: list[bytes]) -> None:
    with Store.open(judged, backup_on_open=False) as store:
        text = store.rules().text
        assert "min_bytes = 10_000\n" in text
        with store.transaction() as writer:
            writer.set_rules(from_text(text.replace("min_bytes = 10_000\n", "min_bytes = 9_000_000\n")))
    dossier, campaign = load_with_rules(judged)
    problems = check(dossier, campaign, "formal", today=FORMAL_DAY)
    photos = {p.photo_data for p in dossier.individuals}
    assert len(decodes) == len(photos)
    assert {(p.target.index, p.target.field) for p in problems if p.rule == "F3"} == {
        (n, "photo") for n in range(len(dossier.individuals))
    }
    with Store.open(judged, backup_on_open=False) as store:  # the window keeps the new ones…
        perform(store, KeepPhotoVerdicts(dossier.photo_verdicts))
    fingerprint = photo_module.rules_fingerprint(campaign.photo)
    assert {fp for fp, _ in verdict_rows(judged)} == {fingerprint}  # …and lets the old ones go


def test_a_new_checker_version_judges_again(
    judged: Path, decodes: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(photo_module, "CHECK_VERSION", photo_module.CHECK_VERSION + 1)
    photo_module.rules_fingerprint.cache_clear()
    try:
        dossier, campaign = load_with_rules(judged)
        check(dossier, campaign, "formal", today=FORMAL_DAY)
    finally:
        photo_module.rules_fingerprint.cache_clear()
    assert len(decodes) == len({p.photo_data for p in dossier.individuals})


def test_a_verdict_row_edited_by_hand_is_passed_over(judged: Path, decodes: list[bytes]) -> None:
    engine = create_engine(f"sqlite:///{judged}")
    with engine.begin() as conn:
        conn.execute(text("""UPDATE photo_verdict SET verdict = '{"problems": 3}' WHERE rowid = 1"""))
    engine.dispose()
    dossier, campaign = load_with_rules(judged)
    assert check(dossier, campaign, "formal", today=FORMAL_DAY) == []
    assert len(decodes) == 1


def test_verdicts_of_photos_no_longer_held_are_let_go(judged: Path, campaign: Campaign) -> None:
    with Store.open(judged, backup_on_open=False) as store:
        person = store.records("individual")[0]
        assert isinstance(person, Individual)
        gone = photo_module.photo_digest(person.photo_data or b"")
        with store.transaction() as writer:
            writer.update("individual", dataclasses.replace(person, photo_data=None, photo=""))
        dossier = store.load_dossier()
        check(dossier, store.rules(), "formal", today=FORMAL_DAY)
        perform(store, KeepPhotoVerdicts(dossier.photo_verdicts))
    assert gone not in {sha for _, sha in verdict_rows(judged)}


def test_verdicts_kept_by_an_older_checker_are_not_trusted(tmp_path: Path, decodes: list[bytes]) -> None:
    """The frozen store of 0005 keeps the verdicts the first checker made (CHECK_VERSION 1): they
    load, but a later checker judges its photos itself."""
    import shutil

    copy = tmp_path / "schema-0005.nominator"
    shutil.copy(Path(__file__).parent.parent / "fixtures" / "stores" / "schema-0005.nominator", copy)
    dossier, campaign = load_with_rules(copy)
    photos = {p.photo_data for p in dossier.individuals}
    assert len(dossier.photo_verdicts) == len(photos)
    assert check(dossier, campaign, "formal", today=FORMAL_DAY) == []
    assert len(decodes) == len(photos)
