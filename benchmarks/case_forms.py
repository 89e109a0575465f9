"""Rendering the per-nominee forms, against opening and saving the same template unchanged.

For 10, 100 and 400 nominees the target renders 附件3 (photo included) once per nominee; the
baseline opens forms/form3.docx with python-docx and saves it, once per nominee. Both grow with
the count; the ratio says what filling the template costs on top of merely reading and writing
it, and equal ratios across the three sizes show the cost per document stays flat (linear
growth overall).
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

from docx import Document

from benchmarks.run import Case
from nominator.campaign import load_campaign
from nominator.domain.model import Dossier
from nominator.export.documents import render_document
from nominator.export.templates import template_path
from nominator.interchange.demo import build_demo_dossier

SIZES = (10, 100, 400)


def _dossier(count: int) -> Dossier:
    dossier = build_demo_dossier()
    models = dossier.ordered_individuals()
    dossier.individuals = [
        dataclasses.replace(models[n % len(models)], name=f"测试{n:03d}", order=n + 1) for n in range(count)
    ]
    return dossier


def _setup(count: int) -> Any:
    def build(_: Path) -> tuple[Dossier, bytes]:
        return _dossier(count), template_path("form3", load_campaign().forms_dir).read_bytes()

    return build


def _baseline(ctx: tuple[Dossier, bytes]) -> None:
    dossier, template = ctx
    for _ in dossier.individuals:
        Document(io.BytesIO(template)).save(io.BytesIO())


def _target(ctx: tuple[Dossier, bytes]) -> None:
    dossier, _ = ctx
    campaign = load_campaign()
    for person in dossier.individuals:
        render_document("form3", dossier, campaign, record=person)


CASES = [
    Case(
        name=f"render 附件3 × {count}",
        baseline_name=f"python-docx open+save template × {count}",
        setup=_setup(count),
        baseline=_baseline,
        target=_target,
        repeat=5 if count < 400 else 3,
    )
    for count in SIZES
]
