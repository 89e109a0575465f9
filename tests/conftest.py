"""Shared fixtures: the campaign, and the demo dossier built fresh for each test."""

from __future__ import annotations

import os

import pytest

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import Dossier
from nominator.interchange.demo import build_demo_dossier

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign()


@pytest.fixture()
def demo_dossier(campaign: Campaign) -> Dossier:
    return build_demo_dossier(campaign)


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Backups and settings go to a temp folder, never the developer's or CI's home."""
    monkeypatch.setenv("NOMINATOR_DATA_DIR", str(tmp_path_factory.mktemp("data")))
