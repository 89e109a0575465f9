"""V3's limits for the 登记表 come from the campaign file and match the templates: text at the
limit prints the registration form on one page; longer text is refused while typing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.export.documents import render_document
from nominator.export.office import convert_to_pdf, page_count

DEEDS = "围绕企业和群众关切,组织政策解读,制作图解、短视频等多种形式的解读材料。"


@pytest.mark.render
@pytest.mark.parametrize(("form", "kind", "limit"), [("form2", "collectives", "deeds_brief_collective"),
                                                     ("form3", "individuals", "deeds_brief_individual")])  # fmt: skip
def test_registration_form_with_deeds_at_the_limit_is_one_page(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, form: str, kind: str, limit: str
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice 不可用:无法把登记表转换为 PDF 来数页数")
    record = getattr(demo_dossier, kind)[0]
    record.deeds_brief = (DEEDS * 50)[: campaign.limit(limit)]
    docx = tmp_path / f"{form}.docx"
    docx.write_bytes(render_document(form, demo_dossier, campaign, record=record))
    pdf = convert_to_pdf([docx], tmp_path / "pdf")[docx]
    assert page_count(pdf) == 1
