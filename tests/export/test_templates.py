"""A template a clerk edited in Word: used as edited, and refused by name when it is broken."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from nominator.campaign import Campaign, FormSpec, load_campaign
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.export.documents import render_document, render_stage_documents
from nominator.export.templates import check_campaign_templates, load_template


@pytest.fixture()
def forms(tmp_path: Path) -> Path:
    """A private copy of forms/ that a test may edit."""
    target = tmp_path / "forms"
    shutil.copytree(load_campaign().forms_dir, target, ignore=shutil.ignore_patterns("_source", "*.md"))
    return target


def edit_template(path: Path, old: str, new: str) -> None:
    """Change the text of a template's body the way an edit in Word would."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text, old
                data = text.replace(old, new).encode("utf-8")
            dst.writestr(info, data)
    path.write_bytes(buf.getvalue())


DOCX_FORMS = sorted(key for key, spec in load_campaign().forms.items() if spec.kind == "docx")


def form(key: str) -> FormSpec:
    return load_campaign().forms[key]


@pytest.mark.parametrize("form_key", DOCX_FORMS)
def test_every_shipped_template_loads_clean(form_key: str) -> None:
    assert (
        load_template(form(form_key), load_campaign(), forms=load_campaign().forms_dir).path.name
        == f"{form_key}.docx"
    )


def test_every_docx_form_of_the_campaign_has_a_template(campaign: Campaign) -> None:
    docx_forms = {key for key, spec in campaign.forms.items() if spec.kind == "docx"}
    assert {p.stem for p in load_campaign().forms_dir.glob("*.docx")} == docx_forms
    assert check_campaign_templates(campaign) == []


def test_a_field_the_campaign_prints_must_have_its_placeholder(forms: Path) -> None:
    # 附件8 prints the 职级: a template without {{ rank }} would leave a required field off the paper.
    edit_template(forms / "form8.docx", "{{ rank }}", "")
    with pytest.raises(UserError, match=r"模板“form8\.docx”缺少占位符 \{\{ rank \}\}"):
        load_template(form("form8"), load_campaign(), forms=forms)


def test_a_missing_placeholder_is_named(forms: Path) -> None:
    edit_template(forms / "form3.docx", "{{ name }}", "")
    with pytest.raises(UserError) as err:
        load_template(form("form3"), load_campaign(), forms=forms)
    assert "模板“form3.docx”缺少占位符 {{ name }}" in str(err.value)


def test_a_misspelled_placeholder_is_named(forms: Path) -> None:
    edit_template(forms / "form3.docx", "{{ name }}", "{{ nmae }}")
    with pytest.raises(UserError) as err:
        load_template(form("form3"), load_campaign(), forms=forms)
    message = str(err.value)
    assert "模板“form3.docx”中的占位符 {{ nmae }} 无法识别" in message
    assert "模板“form3.docx”缺少占位符 {{ name }}" in message


def test_a_box_for_the_first_part_without_its_continued_rows_is_refused(forms: Path) -> None:
    edit_template(forms / "form6.docx", "deeds_full.more", "deeds_brief.more")
    with pytest.raises(UserError) as err:
        load_template(form("form6"), load_campaign(), forms=forms)
    assert "{{ deeds_full.first }}" in str(err.value) and "超出的文字会丢失" in str(err.value)


def test_a_misspelled_attribute_in_a_row_loop_is_named(forms: Path) -> None:
    edit_template(forms / "form9.docx", "{{ m.phone }}", "{{ m.phnoe }}")
    with pytest.raises(UserError, match=r"模板“form9.docx”中的占位符 \{\{ m.phnoe \}\} 无法识别"):
        load_template(form("form9"), load_campaign(), forms=forms)


def test_unbalanced_braces_are_reported_not_crashed(forms: Path) -> None:
    edit_template(forms / "form7.docx", "{{ name }}", "{% if name %}{{ name }}")
    with pytest.raises(UserError, match=r"模板“form7\.docx”中的占位符写法有误"):
        load_template(form("form7"), load_campaign(), forms=forms)


def test_a_file_that_is_not_a_word_document_is_reported(forms: Path) -> None:
    (forms / "form8.docx").write_text("not a docx", encoding="utf-8")
    with pytest.raises(UserError, match=r"模板“form8\.docx”无法打开"):
        load_template(form("form8"), load_campaign(), forms=forms)


def test_a_missing_template_is_reported(forms: Path) -> None:
    (forms / "form2.docx").unlink()
    with pytest.raises(UserError, match=r"找不到模板“form2\.docx”"):
        load_template(form("form2"), load_campaign(), forms=forms)


def test_a_broken_template_stops_the_export_before_any_file_is_written(
    forms: Path, campaign: Campaign, demo_dossier: Dossier, tmp_path: Path
) -> None:
    edit_template(forms / "form9.docx", "{{ m.name }}", "{{ m.nmae }}")
    out = tmp_path / "out"
    with pytest.raises(UserError, match=r"form9\.docx"):
        render_stage_documents(demo_dossier, campaign, "initial", out, forms=forms)
    assert not out.exists() or not any(out.iterdir())


def test_wording_changed_in_a_template_is_used_by_the_next_export(
    forms: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    edit_template(forms / "form7.docx", "纪检监察", "纪委监委")
    person = demo_dossier.ordered_collectives()[0]
    doc = Document(io.BytesIO(render_document("form7", demo_dossier, campaign, record=person, forms=forms)))
    labels = [row.cells[0].text for row in doc.tables[0].rows]
    assert "纪委监委\n机关意见" in labels and "纪检监察\n机关意见" not in labels


def test_an_optional_field_added_by_the_clerk_is_filled(
    forms: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    edit_template(forms / "form8.docx", "{{ unit_name }}", "{{ unit_name }}(联系电话 {{ phone }})")
    person = demo_dossier.ordered_individuals()[0]
    doc = Document(io.BytesIO(render_document("form8", demo_dossier, campaign, record=person, forms=forms)))
    assert f"沈阳市(联系电话 {person.phone})" in [row.cells[1].text for row in doc.tables[0].rows]
