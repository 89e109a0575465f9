"""The 文明 campaign's templates (forms/mudanjiang-wmjs-2021/): they open, their placeholders are the
campaign's fields, they are what their generator makes, and filled in they print as a clerk needs.

The campaign cannot make a store yet (issue 17, step 3), so the templates are filled by hand
(tests/export/wenming_samples.py) with the export's own layout steps. Print checks convert with
LibreOffice and are skipped, with the reason, only when soffice is not installed.
"""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docxtpl import DocxTemplate
from openpyxl import load_workbook

from nominator.campaign import Campaign
from nominator.campaign.catalog import templates_folder
from nominator.export.office import LibreOffice, find_soffice
from nominator.export.templates import (
    PLACEHOLDER,
    _loop_attributes,
    _template_source,
    jinja_env,
    open_workbook,
    scan_sheet,
)
from tests.export import wenming_samples as ws
from tests.export.wenming_samples import Filled, Nominee, at_the_limits, typical, wenming

GENERATOR = ws.FORMS / "_source" / "make_templates.py"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return wenming()


def _used_forms(campaign: Campaign) -> list[str]:
    return sorted({key for stage in campaign.stages.values() for key in stage.forms})


# ---------------------------------------------------------------- the templates and the campaign


def test_every_form_of_the_campaign_has_its_template_where_the_catalog_looks(campaign: Campaign) -> None:
    assert templates_folder(campaign.id, campaign.templates) == ws.FORMS
    for key in _used_forms(campaign):
        spec = campaign.forms[key]
        assert (ws.FORMS / f"{key}.{spec.kind}").is_file(), key
    assert {p.name for p in ws.FORMS.iterdir() if p.is_file() and p.suffix != ".md"} == {
        f"{key}.{campaign.forms[key].kind}" for key in _used_forms(campaign)
    }


def _placeholders(path: Path) -> tuple[set[str], str]:
    tpl = DocxTemplate(str(path))
    return set(tpl.get_undeclared_template_variables(jinja_env=jinja_env())), _template_source(tpl)


@pytest.mark.parametrize("key", ["report", "application"])
def test_the_word_templates_hold_the_campaigns_placeholders_and_no_other(
    campaign: Campaign, key: str
) -> None:
    spec = campaign.forms[key]
    want = ws.expected(campaign, spec)
    used, source = _placeholders(ws.FORMS / f"{key}.docx")
    assert want.required <= used, sorted(want.required - used)
    assert used <= want.known, sorted(used - want.known)
    tree = jinja_env().parse(source)
    assert list(_loop_attributes(tree, want.loops)) == []
    for name in set(re.findall(r"\b(\w+)\.first\b", source)):  # a box that goes on has its "(续)" rows
        assert f"{name}.more" in source, name


def test_the_application_prints_every_field_category_level_and_attestation(campaign: Campaign) -> None:
    """A field added to the campaign without a place on the 申报表 is caught here."""
    used, source = _placeholders(ws.FORMS / "application.docx")
    kind = campaign.kinds[ws.KIND]
    assert {f.id for f in kind.fields()} | {"category", "level", "attestations"} <= used
    assert "a.box" in source and "a.text" in source


def test_the_list_has_one_sample_row_with_the_campaigns_columns_in_order(campaign: Campaign) -> None:
    spec = campaign.form_for("summary")
    assert spec is not None
    sheet = open_workbook((ws.FORMS / f"{spec.key}.xlsx").read_bytes()).worksheets[0]
    problems, rows = scan_sheet(sheet, ws.sheet_fields(campaign), "list.xlsx")
    assert problems == []
    columns = [
        PLACEHOLDER.fullmatch(str(cell.value)).group(1).removeprefix("c.")  # type: ignore[union-attr]
        for cell in sheet[rows["c"]]
    ]
    assert columns == ["index", *spec.row_fields[ws.KIND], "note"]
    assert all(cell.number_format == "@" for cell in sheet[rows["c"]])  # typed over, it stays text


def test_the_generator_makes_the_committed_templates_byte_for_byte(tmp_path: Path) -> None:
    module_spec = importlib.util.spec_from_file_location("wenming_templates", GENERATOR)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module
    try:
        module_spec.loader.exec_module(module)
        written = module.build(tmp_path)
    finally:
        del sys.modules[module_spec.name]
    assert [p.name for p in written] == ["report.docx", "application.docx", "list.xlsx"]
    for path in written:
        assert path.read_bytes() == (ws.FORMS / path.name).read_bytes(), path.name


def test_the_templates_keep_the_house_typography() -> None:
    """A4, GB/T 9704 margins for the report, the form margins for the 申报表, the house fonts."""
    report = Document(str(ws.FORMS / "report.docx")).sections[0]
    form = Document(str(ws.FORMS / "application.docx")).sections[0]
    for section in (report, form):
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    assert (round(report.top_margin.mm), round(report.bottom_margin.mm)) == (37, 35)
    assert (round(form.top_margin.mm), round(form.bottom_margin.mm)) == (25, 22)
    for name in ("report.docx", "application.docx"):
        with zipfile.ZipFile(ws.FORMS / name) as package:
            fonts = package.read("word/fontTable.xml").decode("utf-8")
            document = package.read("word/document.xml").decode("utf-8")
        assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
        assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts
        assert 'w:eastAsia="方正小标宋简体"' in document and 'w:eastAsia="仿宋_GB2312"' in document
        assert 'w:eastAsia="黑体"' in document


# ---------------------------------------------------------------- filled in


def test_formula_like_text_in_the_list_stays_text(campaign: Campaign) -> None:
    sample = typical()
    risky = ['=HYPERLINK("http://example.com","点击")', "+86 13945312876", "-1+1", "@SUM(A1)"]
    sample.nominees = [
        Nominee(
            "unit", "市级", {**sample.nominees[1].values, "name": text, "leader": text, "phone": text}, {}
        )
        for text in risky
    ]
    book = load_workbook(io.BytesIO(ws.render_list(campaign, sample)))
    values = [cell for row in book.worksheets[0].iter_rows() for cell in row if cell.value in risky]
    assert len(values) == 3 * len(risky)
    assert all(cell.data_type == "s" for cell in values)


def test_the_report_lists_every_nominee_in_order_with_category_and_level(
    campaign: Campaign, tmp_path: Path
) -> None:
    sample = typical()
    filled = ws.render_docx(
        ws.FORMS / "report.docx", ws.report_context(campaign, sample), campaign.forms["report"]
    )
    table = Document(io.BytesIO(filled.data)).tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    labels = {c.id: c.label for c in campaign.kinds[ws.KIND].categories}
    assert rows == [
        [str(n), x.values["name"], labels[x.category], x.level, x.values["unit_type"]]
        for n, x in enumerate(sample.nominees, start=1)
    ]


def test_an_exceptional_application_prints_its_reason_and_the_others_print_none(campaign: Campaign) -> None:
    spec = campaign.forms["application"]
    texts = []
    for n, nominee in enumerate(typical().nominees, start=1):
        context = ws.common(campaign, spec, typical()) | ws.nominee_context(campaign, nominee, n)
        document = Document(io.BytesIO(ws.render_docx(ws.FORMS / "application.docx", context, spec).data))
        back = document.tables[-1]
        texts.append((nominee, back.rows[0].cells[1].text.strip(), back.rows[1].cells[1].text))
    for nominee, reason, self_check in texts:
        assert reason == (nominee.values.get("exception_reason") or "无")
        assert "☑ 已对照本类别测评体系(2021年版)逐项自检自查" in self_check
        assert f"对照{nominee.level}" in self_check and f"{nominee.values['self_score']}分" in self_check


def test_an_unticked_self_check_prints_an_empty_box(campaign: Campaign) -> None:
    spec = campaign.forms["application"]
    nominee = typical().nominees[0]
    nominee.attestations = {"self_checked": True, "no_negative_list": False}
    context = ws.common(campaign, spec, typical()) | ws.nominee_context(campaign, nominee, 1)
    back = Document(io.BytesIO(ws.render_docx(ws.FORMS / "application.docx", context, spec).data)).tables[-1]
    assert "☐ 创建届期内不存在测评体系负面清单所列情况" in back.rows[1].cells[1].text


# ---------------------------------------------------------------- printed


def _pdf_text(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return re.sub(r"\s+", "", out)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found
    return int(found.group(1))


@pytest.fixture(scope="module")
def printed(
    campaign: Campaign, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[Path, tuple[Filled, Path]]]:
    soffice = find_soffice()
    if soffice is None:
        pytest.skip("soffice 不可用:未安装 LibreOffice,跳过打印效果检查(CI 会安装 libreoffice-writer/calc)")
    root = tmp_path_factory.mktemp("wenming")
    out: dict[str, dict[Path, tuple[Filled, Path]]] = {}
    for name, sample in (("typical", typical()), ("limits", at_the_limits(campaign))):
        filled = ws.render_all(campaign, sample, root / name)
        conversion = LibreOffice(soffice).to_pdf(list(filled), root / name / "pdf")
        assert conversion.complete, conversion.problem()
        out[name] = {path: (f, conversion.results[path].pdf) for path, f in filled.items()}  # type: ignore[misc]
    return out


@pytest.mark.render
@pytest.mark.parametrize("variant", ["typical", "limits"])
def test_each_application_prints_the_pages_it_states(
    printed: dict[str, dict[Path, tuple[Filled, Path]]], campaign: Campaign, variant: str
) -> None:
    contract = campaign.forms["application"].pages
    applications = {p: v for p, v in printed[variant].items() if p.name.startswith("application")}
    assert applications
    for path, (filled, pdf) in applications.items():
        assert filled.pages is not None, path.name  # every box took its text
        assert _pages(pdf) == filled.pages, path.name
        if variant == "typical":
            assert filled.pages == contract, path.name  # one sheet, both sides
        else:
            assert filled.pages > contract and "(续)" in _pdf_text(pdf, 2), path.name


@pytest.mark.render
@pytest.mark.parametrize("variant", ["typical", "limits"])
def test_the_back_page_holds_the_reason_the_self_check_and_every_seal_box(
    printed: dict[str, dict[Path, tuple[Filled, Path]]], variant: str
) -> None:
    for path, (_filled, pdf) in printed[variant].items():
        if not path.name.startswith("application"):
            continue
        last = _pages(pdf)
        back = _pdf_text(pdf, last)
        for label in (
            "破格申报理由",
            "自检自查情况",
            "申报单位意见",
            "县(市)区文明办或主管部门推荐意见",
            "市文明办审核意见",
        ):
            assert label in back, (path.name, label)
        assert back.count("(盖章)") == 3 and back.count("年月日") == 3, path.name
        assert "负责人(签字)" in back
        front = _pdf_text(pdf, 1)
        for label in ("申报类别", "单位(家庭)名称", "主管部门", "往届所获文明荣誉", "创建工作主要成效"):
            assert label in front, (path.name, label)
        assert "(盖章)" not in "".join(_pdf_text(pdf, page) for page in range(2, last)), path.name


@pytest.mark.render
def test_the_report_keeps_its_last_paragraph_with_the_signature_and_lists_every_nominee(
    printed: dict[str, dict[Path, tuple[Filled, Path]]],
) -> None:
    for variant, sample in (("typical", typical()), ("limits", None)):
        (path, (_filled, pdf)) = next((p, v) for p, v in printed[variant].items() if p.name == "report.docx")
        pages = _pages(pdf)
        signature_page = next(n for n in range(1, pages + 1) if "2021年9月14日" in _pdf_text(pdf, n))
        text = _pdf_text(pdf, signature_page)
        assert text.index("附件:") > 0, "the 落款 page starts with text of the report"
        assert text.index("名单附") < text.index("附件:") < text.index("2021年9月14日")
        appendix = "".join(_pdf_text(pdf, n) for n in range(signature_page + 1, pages + 1))
        assert appendix.startswith("附件"), path
        if sample is not None:
            for nominee in sample.nominees:
                assert nominee.values["name"] in appendix


@pytest.mark.render
def test_the_typical_list_prints_on_one_page_with_every_nominee(
    printed: dict[str, dict[Path, tuple[Filled, Path]]],
) -> None:
    (_filled, pdf) = next(v for p, v in printed["typical"].items() if p.name == "list.xlsx")
    assert _pages(pdf) == 1
    text = _pdf_text(pdf, 1)
    for nominee in typical().nominees:
        assert nominee.values["name"] in text
    assert "破格申报" in text and "共推荐精神文明建设先进集体4个" in text
