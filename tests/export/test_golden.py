"""The demo store's documents stay what they were: every change to them is deliberate.

The digests in tests/fixtures/golden/ were taken from the documents as the clerk received them;
a refactoring that changes a single byte of a form fails here, naming the file and the part.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.golden.manifest import export_demo, golden_path


@pytest.mark.parametrize("campaign_id", ["liaoning-zwgk-2025"])
def test_demo_documents_match_their_golden_copies(campaign_id: str, tmp_path: Path) -> None:
    expected = json.loads(golden_path(campaign_id).read_text(encoding="utf-8"))
    actual = export_demo(campaign_id, tmp_path)
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
