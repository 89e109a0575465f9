"""Schema versions: one frozen store per released schema under tests/fixtures/stores (each is
upgraded in a temp copy by tests/store/test_migrations.py); a store from a newer version is
refused without being touched.

Releasing: add the released head revision to RELEASED and freeze a store made with that release
as tests/fixtures/stores/schema-<revision>.nominator. Revisions after the last release need no
frozen store yet — no clerk can have such a file.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from nominator.errors import UserError
from nominator.store.session import Store, known_revisions, schema_head

FIXTURES = Path(__file__).parents[1] / "fixtures" / "stores"
RELEASED = ["0001"]  # head revision of each release, oldest first


def frozen_revisions() -> set[str]:
    return {p.stem.removeprefix("schema-") for p in FIXTURES.glob("schema-*.nominator")}


def test_every_released_schema_has_a_frozen_store() -> None:
    assert set(RELEASED) <= known_revisions()
    last = max(RELEASED)
    released_or_older = {r for r in known_revisions() if r <= last}
    assert released_or_older <= frozen_revisions(), "freeze a store for each released schema"
    assert frozen_revisions() <= known_revisions()
    assert schema_head() >= last


@pytest.mark.parametrize("how", ["revision", "revision-and-wal-mode"])
def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path, how: str) -> None:
    path = tmp_path / "新版本.nominator"
    shutil.copy(FIXTURES / "schema-0001.nominator", path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
        if how == "revision-and-wal-mode":
            conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    for sidecar in ("-wal", "-shm"):
        Path(str(path) + sidecar).unlink(missing_ok=True)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    stat = path.stat()
    with pytest.raises(UserError, match=r"由更新版本的推荐材料助手创建.*文件未被改动"):
        Store.open(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, -shm or lock file
