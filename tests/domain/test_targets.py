"""Problem targets are structured inside the program (kind, record id, its place in the stage's
list, field); their string form exists for `check --json`, a contract (exchange-format.md), and
must stay exactly what it was: `individuals[2].birth_date`, `unit.allocation.collectives`,
`reports.initial.process`, `collectives`, `members`."""

from __future__ import annotations

import copy
import datetime as dt
import re

from nominator.campaign import Campaign
from nominator.domain.checks import check, summarize
from nominator.domain.model import Dossier, Member, Period
from nominator.domain.problems import Target
from nominator.domain.targets import locate

GRAMMAR = re.compile(
    r"^(unit(\.[a-z_]+(\.[a-z_]+)?)?"
    r"|(collectives|individuals|members)(\[\d+\](\.[a-z_]+(\.[a-z_0-9]+)?)?)?"
    r"|reports\.[a-z_]+(\.[a-z_0-9]+)?)$"
)


def broken(dossier: Dossier) -> Dossier:
    """Something wrong in every part: the unit, records of each kind, the lists, the reports."""
    b = copy.deepcopy(dossier)
    for n, record in enumerate((*b.collectives, *b.individuals, *b.members)):
        record.id = 500 + n  # as a store gives them
    b.unit.phone, b.unit.contact, b.unit.allocation.collectives = "12", "", None
    b.collectives[0].name = ""
    b.collectives[1].phone = "abc"
    b.collectives[2].publicity = {"unit": Period("2025-13-01", "", "")}
    b.collectives[3].name = b.collectives[4].name
    b.individuals[0].birth_date = "1986-02-30"
    b.individuals[2].rank = "副厅级及以上"
    b.individuals[3].photo = "wrong.jpg"
    b.individuals[5].assessments = []
    b.individuals[6].name, b.individuals[6].birth_date = b.individuals[7].name, b.individuals[7].birth_date
    b.members = [Member(name="", phone="x")]
    b.reports = {}
    b.unit.allocation.individuals = 1  # over the quota
    return b


def test_the_string_form_of_every_target_keeps_the_contract_grammar(
    demo_dossier: Dossier, campaign: Campaign
) -> None:
    for stage in campaign.stages:
        for problem in check(broken(demo_dossier), campaign, stage, today=dt.date(2025, 12, 1)):
            assert GRAMMAR.match(problem.target.path), problem.target


def test_check_json_says_the_targets_as_it_always_did(demo_dossier: Dossier, campaign: Campaign) -> None:
    problems = check(broken(demo_dossier), campaign, "initial", today=dt.date(2025, 12, 1))
    said = {(p["rule"], p["target"]) for p in summarize("initial", problems)["problems"]}
    assert {
        ("V2", "unit.phone"),
        ("V1", "unit.contact"),
        ("Q1", "unit.allocation.collectives"),
        ("Q1", "individuals"),
        ("V1", "collectives[0].name"),
        ("V2", "collectives[1].phone"),
        ("V2", "collectives[2].publicity.unit"),
        ("V4", "collectives[4].name"),
        ("V2", "individuals[0].birth_date"),
        ("E1", "individuals[2].rank"),
        ("F2", "individuals[3].photo"),
        ("E3", "individuals[5].assessments.2024"),
        ("V4", "individuals[7].name"),
        ("V1", "members[0].name"),
        ("V2", "members[0].phone"),
        ("V1", "reports.initial.date"),
    } <= said


def test_a_record_target_carries_the_record_it_means(demo_dossier: Dossier, campaign: Campaign) -> None:
    """The window goes to `target.record`; the headings name `target.index` in the stage's list:
    both are the same record, in every stage (a dropped nominee leaves the formal list)."""
    dossier = broken(demo_dossier)
    dossier.individuals[1].feedback = "dropped"
    for stage in campaign.stages:
        view = dossier.for_stage(stage, campaign)
        for problem in check(dossier, campaign, stage, today=dt.date(2025, 12, 1)):
            target = problem.target
            if not target.is_record:
                continue
            assert target.index is not None
            listed = {
                "collective": view.ordered_collectives(),
                "individual": view.ordered_individuals(),
                "member": view.ordered_members(),
            }[target.kind]
            assert listed[target.index].id == target.record
            where = locate(target, view, campaign)
            assert where.record.startswith(f"{campaign.kinds[target.kind].label} {target.index + 1}“")


def test_a_loose_photo_file_is_named_as_it_was_given() -> None:
    assert Target.of_file("照片/张某某.jpg").path == "照片/张某某.jpg"
    assert (
        Target.of_record("individual", 7, 2).at("publicity").at("unit").path
        == "individuals[2].publicity.unit"
    )
