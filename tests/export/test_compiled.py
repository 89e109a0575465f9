"""Forms filled from templates read once are the forms docxtpl fills from a fresh template.

The compiled path (nominator/export/compiled.py) prepares each template once and writes the
package itself; docxtpl + python-docx is the reference. Every form of both stages, for a dossier
whose texts and photos take every branch, must come out byte for byte the same; and a person's
form must not depend on who else is being exported, or in which order the forms are made."""

from __future__ import annotations

import copy

import pytest

from nominator.campaign import Campaign
from nominator.export.compiled import compile_template
from nominator.export.documents import render_document, render_with_docxtpl, stage_outputs
from nominator.export.templates import jinja_env, load_template
from tests.export.varied import varied_dossier


@pytest.mark.parametrize("stage", ["initial", "formal"])
def test_every_form_is_the_one_docxtpl_fills(campaign: Campaign, stage: str) -> None:
    dossier = varied_dossier(campaign).for_stage(stage, campaign)
    differ = []
    for spec, name, record in stage_outputs(dossier, campaign, stage):
        if spec.kind != "docx":
            continue
        assert compile_template(load_template(spec, campaign, forms=campaign.forms_dir).data, jinja_env).fast
        compiled = render_document(spec.key, dossier, campaign, record=record)
        if compiled != render_with_docxtpl(spec.key, dossier, campaign, record=record):
            differ.append(name)
    assert differ == []


def test_a_persons_forms_do_not_depend_on_the_others(campaign: Campaign) -> None:
    """The same person first in a dossier of one and of many, her forms made before and after
    everyone else's: the same bytes (nothing of one render leaks into the next)."""
    crowd = varied_dossier(campaign, collectives=3, individuals=12)
    alone = copy.deepcopy(crowd)
    alone.individuals = alone.individuals[:1]
    person = crowd.individuals[0]
    forms = [k for k in campaign.stages["formal"].forms if campaign.forms[k].per == "individual"]
    first = {k: render_document(k, alone, campaign, record=alone.individuals[0]) for k in forms}
    for other in crowd.individuals[1:]:
        for key in forms:
            render_document(key, crowd, campaign, record=other)
    assert {k: render_document(k, crowd, campaign, record=person) for k in forms} == first
