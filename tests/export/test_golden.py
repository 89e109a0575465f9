"""The demo store's documents stay what they were: every change to them is deliberate.

The digests in tests/fixtures/golden/ were taken from the documents as the clerk received them;
a refactoring that changes a single byte of a form fails here, naming the file and the part.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.golden.manifest import export_demo, export_frozen, frozen_golden_path, golden_path

FROZEN = sorted((Path(__file__).parents[1] / "fixtures" / "stores").glob("schema-*.nominator"))


@pytest.mark.parametrize("campaign_id", ["liaoning-zwgk-2025"])
def test_demo_documents_match_their_golden_copies(campaign_id: str, tmp_path: Path) -> None:
    expected = json.loads(golden_path(campaign_id).read_text(encoding="utf-8"))
    assert_same_documents(expected, export_demo(campaign_id, tmp_path))


@pytest.mark.parametrize("frozen", FROZEN, ids=lambda p: p.stem)
def test_a_past_store_upgraded_exports_the_documents_it_exported_before(frozen: Path, tmp_path: Path) -> None:
    """A store made by an earlier release (0.1.0 wrote schema 0001) opens in this version, is
    upgraded, and exports byte for byte the documents that release's schema gave: the digests were
    taken before the store's shape changed (issue 17: one generic table for every kind of nominee)."""
    expected = json.loads(frozen_golden_path(frozen).read_text(encoding="utf-8"))
    assert_same_documents(expected, export_frozen(frozen, tmp_path))


def assert_same_documents(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    assert sorted(actual) == sorted(expected), "the package holds other files than the golden copy"
    changed = [
        f"{path} :: {member}"
        for path, members in expected.items()
        for member in (members if isinstance(members, dict) else {"": members})
        if (actual[path] if isinstance(members, str) else actual[path].get(member))
        != (members if isinstance(members, str) else members[member])
    ]
    extra = [
        f"{path} :: {member}"
        for path, members in actual.items()
        if isinstance(members, dict)
        for member in members
        if member not in expected[path]
    ]
    assert not changed and not extra, "documents differ from the golden copies:\n" + "\n".join(
        changed + extra
    )
