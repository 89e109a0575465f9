"""Every released schema has a frozen store under tests/fixtures/stores; each must open in this
version, upgraded in a temp copy, with every record intact."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from nominator.campaign import Campaign
from nominator.domain.checks import check
from nominator.store import backup
from nominator.store.schema import Base
from nominator.store.session import Store, inspect_file, schema_head

FIXTURES = Path(__file__).parent.parent / "fixtures" / "stores"
FROZEN = sorted(FIXTURES.glob("schema-*.nominator"))


def test_there_is_a_frozen_store_for_the_first_schema() -> None:
    assert [p.name for p in FROZEN][:1] == ["schema-0001.nominator"]


@pytest.mark.parametrize("frozen", FROZEN, ids=lambda p: p.stem)
def test_frozen_store_upgrades_and_keeps_every_record(
    tmp_path: Path, frozen: Path, campaign: Campaign
) -> None:
    copy = tmp_path / frozen.name
    shutil.copy(frozen, copy)
    with Store.open(copy) as store:
        dossier = store.load_dossier()
        assert store.meta("created_by")  # the 0002 migration filled it in
    assert inspect_file(copy).revision == schema_head()
    assert dossier.unit.name == "沈阳市"
    assert (len(dossier.collectives), len(dossier.individuals), len(dossier.members)) == (5, 10, 6)
    assert all(p.photo_data and p.photo_data[:2] == b"\xff\xd8" for p in dossier.individuals)
    assert check(dossier, campaign, "formal", today=dt.date(2026, 1, 10)) == []
    assert any("open" in b.name for b in backup.list_backups(copy))  # backed up before the upgrade


def test_the_orm_describes_the_migrated_schema_exactly(tmp_path: Path) -> None:
    path = tmp_path / "new.nominator"
    Store.create(path, campaign="liaoning-zwgk-2025").close()
    migrated = inspect(create_engine(f"sqlite:///{path}"))
    for table in Base.metadata.sorted_tables:
        columns = {c["name"] for c in migrated.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_the_quick_revision_reading_agrees_with_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from nominator.store.session import MIGRATIONS, known_revisions

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(cfg)
    assert schema_head() == scripts.get_current_head()
    assert known_revisions() == {rev.revision for rev in scripts.walk_revisions()}
