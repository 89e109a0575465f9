"""Export case: a full formal package of 100 collectives + 300 individuals with photos, against
the floor of copying the same bytes (the templates once per document, and the photos)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

from benchmarks.case_store import big_dossier
from benchmarks.run import Case
from nominator.campaign import load_campaign
from nominator.export.package import export_stage


def setup(tmp: Path) -> dict[str, Any]:
    os.environ["NOMINATOR_DATA_DIR"] = str(tmp / "data")
    dossier = big_dossier()
    campaign = load_campaign()
    for record in dossier.collectives + dossier.individuals:
        record.overrides.update({"Q4": "基准测试数据"})
    templates = {
        key: load_campaign().forms_dir / f"{key}.docx"
        for key in campaign.stages["formal"].forms
        if key.startswith(("form", "report"))
    }
    return {"dossier": dossier, "campaign": campaign, "tmp": tmp, "templates": templates, "n": 0}


def copy_floor(ctx: dict[str, Any]) -> None:
    out = ctx["tmp"] / "floor"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    dossier, campaign = ctx["dossier"], ctx["campaign"]
    k = 0
    for key in campaign.stages["formal"].forms:
        spec = campaign.forms[key]
        count = {"collective": len(dossier.collectives), "individual": len(dossier.individuals)}.get(
            spec.per, 1
        )
        for _ in range(count):
            k += 1
            shutil.copyfile(ctx["templates"][key], out / f"{k}.docx")
    for n, person in enumerate(dossier.individuals):
        (out / f"{n}.jpg").write_bytes(person.photo_data)


def full_export(ctx: dict[str, Any]) -> None:
    ctx["n"] += 1
    out = ctx["tmp"] / f"out{ctx['n']}"
    export_stage(ctx["dossier"], ctx["campaign"], "formal", out, today=dt.date(2026, 1, 10), make_pdf=False)
    shutil.rmtree(out)


CASES = [
    Case(
        "export formal 100+300 with photos (no PDF)",
        "copy the same template and photo bytes",
        setup,
        copy_floor,
        full_export,
        repeat=3,
    ),
]
