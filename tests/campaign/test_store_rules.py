"""A store keeps its rules: the campaign file as it was when the store was made travels inside the
store, so a dossier copied to another PC follows the same rules; another version is adopted only
on purpose, and what would change is said first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nominator.campaign import add, differences, load_campaign, parse_campaign
from nominator.cli import main
from nominator.errors import UserError
from nominator.interchange.demo import create_demo_store
from nominator.interchange.exchange import import_into_store, write_exchange
from nominator.paths import resources_dir
from nominator.store.session import Store, load_dossier

SHIPPED = resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml"


def edited(*changes: tuple[str, str], new_id: str = "liaoning-zwgk-2026") -> str:
    text = SHIPPED.read_text(encoding="utf-8").replace('id = "liaoning-zwgk-2025"', f'id = "{new_id}"', 1)
    for old, new in changes:
        text = text.replace(old, new, 1)
    return text


def test_a_store_follows_its_own_copy_when_the_installed_file_changes(tmp_path: Path) -> None:
    first = tmp_path / "liaoning-zwgk-2026.toml"
    first.write_text(edited(), encoding="utf-8")
    add(first)
    db = create_demo_store(tmp_path / "s.nominator", campaign="liaoning-zwgk-2026")
    # the office sends a corrected file with the same id; the clerk adds it
    first.write_text(edited(("mailbox_limit_mb = 25", "mailbox_limit_mb = 40")), encoding="utf-8")
    add(first, replace=True)
    assert load_campaign("liaoning-zwgk-2026").email.mailbox_limit_mb == 40
    with Store.open(db) as store:
        assert store.rules().email.mailbox_limit_mb == 25
        changes = differences(store.rules(), load_campaign("liaoning-zwgk-2026"))
        assert changes == ["邮箱附件上限(MB):25.0 → 40.0"]
        before = store.rules()
        with store.transaction() as w:
            w.set_rules(load_campaign("liaoning-zwgk-2026"))
        assert store.rules().email.mailbox_limit_mb == 40
        with store.transaction() as w:
            w.set_rules(before)  # undo
        assert store.rules().email.mailbox_limit_mb == 25


def test_a_store_opened_where_its_campaign_is_not_installed_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "liaoning-zwgk-2026.toml"
    source.write_text(edited(('to = "zfxxgk@ln.gov.cn"', 'to = "other@ln.gov.cn"')), encoding="utf-8")
    db = create_demo_store(
        tmp_path / "s.nominator",
        campaign=parse_campaign(
            source.read_text(encoding="utf-8"), file_name=source.name, forms_dir=load_campaign().forms_dir
        ),
    )
    monkeypatch.setenv("NOMINATOR_DATA_DIR", str(tmp_path / "another-pc"))
    assert main(["check", "--db", str(db), "--stage", "formal"]) == 0
    assert main(["export", "--db", str(db), "--stage", "formal", "--out", str(tmp_path / "out")]) == 0
    assert any(
        "other@ln.gov.cn" in p.read_text("utf-8", errors="replace") for p in (tmp_path / "out").rglob("*.eml")
    )


def test_a_store_from_before_copies_were_kept_takes_the_installed_campaign_and_keeps_it(
    tmp_path: Path,
) -> None:
    db = create_demo_store(tmp_path / "old.nominator")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM meta WHERE key IN ('campaign_file', 'campaign_templates')")
    with Store.open(db) as store:
        assert store.meta("campaign_file") is None
        assert store.rules().id == "liaoning-zwgk-2025"
        assert store.meta("campaign_file") == load_campaign().text
        assert set(store.recorded_template_digests()) >= {"form2.docx", "form4.xlsx"}


def test_an_exchange_file_of_another_campaign_is_refused_naming_both(tmp_path: Path) -> None:
    ours = create_demo_store(tmp_path / "ours.nominator")
    theirs = create_demo_store(tmp_path / "theirs.nominator", campaign="example-zwgk-2026")
    exchange = write_exchange(load_dossier(theirs), tmp_path / "theirs.zip")
    with pytest.raises(UserError) as err:
        import_into_store(exchange, ours, replace=True)
    message = str(err.value)
    assert "示例省政务公开工作先进集体和先进个人评选表彰(示例)" in message
    assert "辽宁省政务公开工作先进集体和先进个人评选表彰" in message
    code = main(["merge", str(exchange), "--db", str(ours)])
    assert code == 2
