"""Excel intake: reading a filled 400-row template, against openpyxl's plain load of the same file.

The template holds 400 individuals typed the way clerks type them (text dates, dropdown values,
a few mistakes). The baseline is openpyxl's read-only load that walks every cell and does
nothing else, so the ratio says what our per-cell checks and record building cost on top of
reading the workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from benchmarks.run import Case
from nominator.campaign import load_campaign
from nominator.interchange.demo import build_demo_dossier
from nominator.interchange.intake import read_template
from nominator.interchange.template import write_template

ROWS = 400


def setup(tmp: Path) -> dict[str, Any]:
    campaign = load_campaign()
    demo = build_demo_dossier(campaign)
    path = tmp / "filled.xlsx"
    write_template(path, campaign)
    wb = load_workbook(path)
    ws = wb["先进个人"]
    for n in range(ROWS):
        p = demo.individuals[n % len(demo.individuals)]
        birth: object = dt.datetime.fromisoformat(p.birth_date) if n % 3 == 0 else p.birth_date
        values = [
            f"{p.name}{n:03d}", p.gender, p.ethnicity if n % 50 else "汉人", birth, p.political_status,
            p.education, p.work_start, p.unit_and_title, p.rank, p.level, p.years_in_field, "024-22721005",
            "称职", "优秀", "称职", "2008.07—2024.12 科员", p.deeds_brief, p.deeds_full, "无",
            "是", "是", "是", "是", "2025-12-08", "2025-12-12", "无异议",
        ]  # fmt: skip
        for col, value in enumerate(values, start=1):
            ws.cell(n + 2, col).value = value
    wb.save(path)
    return {"path": path, "campaign": campaign}


def plain_load(ctx: dict[str, Any]) -> int:
    wb = load_workbook(ctx["path"], read_only=True, data_only=False)
    try:
        return sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for _ in row)
    finally:
        wb.close()


def intake(ctx: dict[str, Any]) -> int:
    return len(read_template(ctx["path"], ctx["campaign"]).rows)


CASES = [
    Case(
        name=f"read filled template ({ROWS} individuals)",
        baseline_name="openpyxl read-only load, every cell",
        setup=setup,
        baseline=plain_load,
        target=intake,
    )
]
