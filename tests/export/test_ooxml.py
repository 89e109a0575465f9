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
