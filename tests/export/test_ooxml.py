"""Every part of every generated Word file is in the schema's element order, with no property
given twice: what Word forgives, stricter readers (and Word's own repair) do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import Dossier
from nominator.export.ooxml import order_problems, package_problems, put_in_schema_order
from nominator.export.package import export_stage

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _xml(body: str) -> etree._Element:
    return etree.fromstring(f'<w:root xmlns:w="{W}">{body}</w:root>')


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (
            "<w:tblPr><w:tblLook w:val='04A0'/><w:tblLayout w:type='fixed'/></w:tblPr>",
            "w:tblLayout after w:tblLook",
        ),
        (
            "<w:tblPr><w:tblLayout w:type='fixed'/><w:tblLayout w:type='fixed'/></w:tblPr>",
            "w:tblLayout repeated",
        ),
        (
            "<w:p><w:pPr><w:snapToGrid w:val='0'/><w:pStyle w:val='Footer'/></w:pPr></w:p>",
            "w:pStyle after w:snapToGrid",
        ),
        ("<w:pPr><w:jc w:val='both'/><w:spacing w:line='240'/></w:pPr>", "w:spacing after w:jc"),
        ("<w:tc><w:p/><w:tcPr/></w:tc>", "has properties after its content"),
    ],
)
def test_order_slips_are_found_and_put_right(broken: str, problem: str) -> None:
    root = _xml(broken)
    assert any(problem in p for p in order_problems(root))
    put_in_schema_order(root)
    assert order_problems(root) == []


def test_unknown_children_are_left_where_they_are() -> None:
    root = _xml('<w:rPr xmlns:x="urn:x"><w:sz w:val="24"/><x:ext/><w:rFonts/></w:rPr>')
    before = etree.tostring(root)
    put_in_schema_order(root)
    assert etree.tostring(root) == before


@pytest.mark.parametrize("stage", ["initial", "formal"])
def test_every_generated_part_is_in_schema_order(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, stage: str
) -> None:
    result = export_stage(demo_dossier, campaign, stage, tmp_path, make_pdf=False)
    files = sorted(result.folder.rglob("*.docx"))
    assert len(files) > 10
    for path in files:
        assert package_problems(path.read_bytes()) == [], path.name


def test_the_shipped_templates_are_in_schema_order() -> None:
    for path in sorted(load_campaign().forms_dir.glob("*.docx")):
        assert package_problems(path.read_bytes()) == [], path.name


def _reference_order(root: etree._Element) -> None:
    """put_in_schema_order as first written (element by element in Python): the quicker one
    must do exactly what it did, quirks of walking a tree while changing it included."""
    from nominator.export.ooxml import _ORDER, _TRPR_ONCE

    def children(element: etree._Element) -> list[etree._Element]:
        return [child for child in element if isinstance(child.tag, str)]

    def drop(element: etree._Element, once: frozenset[str]) -> None:
        seen: dict[str, etree._Element] = {}
        for child in children(element):
            if child.tag in once:
                if child.tag in seen:
                    element.remove(seen[child.tag])
                seen[child.tag] = child

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == f"{{{W}}}trPr":
            drop(element, _TRPR_ONCE)
            continue
        rule = _ORDER.get(element.tag)
        if rule is None:
            continue
        ranks, repeatable, prefix_only = rule
        kids = children(element)
        if prefix_only:
            known = [child for child in kids if child.tag in ranks]
            if known != kids[: len(known)]:
                for child in known:
                    element.remove(child)
                rest = children(element)
                for child in sorted(known, key=lambda c: ranks[c.tag]):
                    if rest:
                        rest[0].addprevious(child)
                    else:
                        element.append(child)
            continue
        if any(child.tag not in ranks for child in kids):
            continue
        drop(element, frozenset(ranks) - repeatable)
        kids = children(element)
        ordered = sorted(kids, key=lambda c: ranks[c.tag])
        if ordered != kids:
            for child in kids:
                element.remove(child)
            for child in ordered:
                element.append(child)


@pytest.mark.parametrize("seed", range(6))
def test_ordering_does_what_it_always_did_on_shuffled_forms(campaign: Campaign, seed: int) -> None:
    """Rendered forms with the children of random elements shuffled and some properties given
    twice (comments among them): both orderings give the same XML."""
    import copy
    import io
    import random
    import zipfile

    from nominator.export.documents import render_document
    from nominator.interchange.demo import build_demo_dossier

    dossier = build_demo_dossier(campaign)
    person = dossier.ordered_individuals()[seed % 3]
    data = render_document("form6", dossier, campaign, record=person)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    rnd = random.Random(seed)
    for element in list(body.iter()):
        if not isinstance(element.tag, str) or len(element) < 2 or rnd.random() > 0.3:
            continue
        kids = list(element)
        if rnd.random() < 0.3:
            element.append(copy.deepcopy(rnd.choice(kids)))
        if rnd.random() < 0.2:
            element.insert(rnd.randrange(len(element) + 1), etree.Comment("Word"))
        kids = list(element)
        rnd.shuffle(kids)
        for kid in kids:
            element.append(kid)
    expected, actual = copy.deepcopy(body), copy.deepcopy(body)
    _reference_order(expected)
    put_in_schema_order(actual)
    assert etree.tostring(actual) == etree.tostring(expected)
