"""Store cases: open a 100-collective / 300-individual store, and check it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from benchmarks.run import Case
from nominator.campaign import load_campaign
from nominator.domain import checks
from nominator.domain.model import Dossier
from nominator.domain.photo import make_demo_photo
from nominator.interchange.demo import build_demo_dossier
from nominator.store.schema import Base
from nominator.store.session import Store

COLLECTIVES, INDIVIDUALS = 100, 300


def _chinese_number(n: int) -> str:
    return "".join("零一二三四五六七八九"[int(d)] for d in f"{n:03d}")


def big_dossier() -> Dossier:
    campaign = load_campaign()
    demo = build_demo_dossier(campaign)
    dossier = copy.deepcopy(demo)
    dossier.unit.allocation.collectives, dossier.unit.allocation.individuals = 84, 250
    dossier.unit.overrides["Q3"] = "基准测试数据"
    dossier.collectives, dossier.individuals = [], []
    for n in range(COLLECTIVES):
        c = copy.deepcopy(demo.collectives[n % len(demo.collectives)])
        c.name = f"{c.name}{n:03d}"
        c.order = n + 1
        dossier.collectives.append(c)
    for n in range(INDIVIDUALS):
        i = copy.deepcopy(demo.individuals[n % len(demo.individuals)])
        i.name = f"{i.name}{_chinese_number(n)}"  # photo names must stay Chinese (F2)
        i.photo = f"{i.name}-{i.birth_yyyymmdd()}.jpg"
        i.photo_data = make_demo_photo(n, campaign.photo)  # distinct bytes: no verdict is reused
        i.order = n + 1
        dossier.individuals.append(i)
    return dossier


def setup(tmp: Path) -> dict[str, Any]:
    import os

    os.environ["NOMINATOR_DATA_DIR"] = str(tmp / "data")
    path = tmp / "big.nominator"
    with Store.create(path, campaign="liaoning-zwgk-2025") as store, store.transaction() as w:
        w.replace_dossier(big_dossier())
    with Store.open(path, backup_on_open=False) as store:
        dossier = store.load_dossier()
    return {"path": path, "dossier": dossier, "campaign": load_campaign()}


def bare_select_all(ctx: dict[str, Any]) -> None:
    engine = create_engine(f"sqlite:///{ctx['path']}")
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            conn.execute(select(table)).all()
    engine.dispose()


def open_and_load(ctx: dict[str, Any]) -> None:
    with Store.open(ctx["path"]) as store:  # as the window does: inspect, lock, back up, load
        store.load_dossier()


def check_cold(ctx: dict[str, Any]) -> None:
    checks._photo_cache.clear()  # as `nominator check` runs: every photo decoded
    checks.check(ctx["dossier"], ctx["campaign"], "formal")


def check_warm(ctx: dict[str, Any]) -> None:
    checks.check(ctx["dossier"], ctx["campaign"], "formal")  # as the window re-checks while typing


CASES = [
    Case(
        "open store 100+300 (with backup)", "bare select of all rows", setup, bare_select_all, open_and_load
    ),
    Case(
        "check formal 100+300 (photos decoded)", "bare select of all rows", setup, bare_select_all, check_cold
    ),
    Case(
        "check formal 100+300 (photo verdicts cached)",
        "bare select of all rows",
        setup,
        bare_select_all,
        check_warm,
    ),
]
