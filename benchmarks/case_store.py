"""Store case: opening a 100-collective / 300-individual store as the window does (inspect, lock,
back up, load), against a bare SQLAlchemy select of every row. Checking is in case_scale."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from benchmarks.run import Case
from benchmarks.scale import scale_store
from nominator.store.schema import Base
from nominator.store.session import Store


def setup(tmp: Path) -> dict[str, Any]:
    os.environ["NOMINATOR_DATA_DIR"] = str(tmp / "data")
    return {"path": scale_store((100, 300), tmp / "big.nominator", verdicts=True)}


def bare_select_all(ctx: dict[str, Any]) -> None:
    engine = create_engine(f"sqlite:///{ctx['path']}")
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            conn.execute(select(table)).all()
    engine.dispose()


def open_and_load(ctx: dict[str, Any]) -> None:
    with Store.open(ctx["path"]) as store:  # as the window does: inspect, lock, back up, load
        store.load_dossier()


CASES = [
    Case(
        "open store 100+300 (with backup)", "bare select of all rows", setup, bare_select_all, open_and_load
    ),
]
