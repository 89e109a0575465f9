"""The Word documents of both stages, reopened with python-docx and read as a clerk would."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import Dossier, Member
from nominator.export.documents import render_document, render_stage_documents
from nominator.files import safe_filename
from nominator.interchange.demo import build_demo_dossier

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_WIDTH_TWIPS = 8844  # 210 − 28 − 26 mm


@pytest.fixture(scope="module")
def stage_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    campaign = load_campaign()
    dossier = build_demo_dossier(campaign)
    out = tmp_path_factory.mktemp("stages")
    return {stage: render_stage_documents(dossier, campaign, stage, out / stage) for stage in campaign.stages}


def _docx(files: dict[str, list[Path]]) -> list[Path]:
    return [p for paths in files.values() for p in paths if p.suffix == ".docx"]


def _open(path: Path | bytes) -> DocumentObject:
    return Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))


def _east_asian(run: object) -> str | None:
    fonts = run._r.find(f"{W}rPr/{W}rFonts")  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def _text(doc: DocumentObject) -> str:
    """All text of body and tables, as the printed page shows it (no whitespace)."""
    return "".join("".join(t.itertext()) for t in doc.element.body.iter(f"{W}t")).replace(" ", "")


def test_initial_stage_writes_report_forms_summary_and_members_list(
    stage_files: dict[str, list[Path]],
) -> None:
    names = [p.name for p in stage_files["initial"]]
    assert names[0] == "初审推荐工作报告.docx"
    assert "附件3 辽宁省政务公开工作先进个人初审推荐登记表(王丽娜).docx" in names
    assert (
        "附件2 辽宁省政务公开工作先进集体初审推荐登记表(沈阳市和平区人民政府办公室政务公开科).docx" in names
    )
    assert "附件4 辽宁省政务公开工作先进集体和先进个人推荐对象汇总表.xlsx" in names
    assert names[-1] == "附件9 沈阳市政务公开工作先进集体和先进个人评选表彰工作机构成员名单.docx"
    assert len(names) == 1 + 5 + 10 + 1 + 1


def test_formal_stage_writes_approval_and_consultation_forms(stage_files: dict[str, list[Path]]) -> None:
    names = [p.name for p in stage_files["formal"]]
    assert names[0] == "正式推荐工作报告.docx"
    assert "附件6 辽宁省政务公开工作先进个人推荐审批表(郑凯).docx" in names
    assert "附件8 辽宁省政务公开工作先进个人征求意见表(郑凯).docx" in names
    assert sum(n.startswith("附件7 ") for n in names) == 5
    assert len(names) == 1 + 5 + 10 + 5 + 10


def test_every_document_is_a4_portrait_reports_with_gbt9704_margins(
    stage_files: dict[str, list[Path]],
) -> None:
    for path in _docx(stage_files):
        report = "报告" in path.name
        for section in _open(path).sections:
            assert section.page_width is not None and section.page_height is not None
            size = (round(section.page_width.mm), round(section.page_height.mm))
            assert size == (210, 297), path.name
            for got, want in (
                (section.top_margin, 37 if report else 25),
                (section.bottom_margin, 35 if report else 22),
                (section.left_margin, 28),
                (section.right_margin, 26),
            ):
                assert got is not None and abs(got.mm - want) < 0.1, (path.name, got, want)


def test_every_run_and_style_names_an_east_asian_font(stage_files: dict[str, list[Path]]) -> None:
    for path in _docx(stage_files):
        doc = _open(path)
        parts = [doc.element.body] + [
            s.footer._element for s in doc.sections if s.footer.is_linked_to_previous is False
        ]
        for part in parts:
            for run in part.iter(f"{W}r"):
                if run.find(f"{W}t") is None:
                    continue  # a picture or field character: nothing to shape
                fonts = run.find(f"{W}rPr/{W}rFonts")
                assert fonts is not None and fonts.get(f"{W}eastAsia"), (path.name, "".join(run.itertext()))
                assert fonts.get(f"{W}eastAsiaTheme") is None
        styles = doc.styles.element
        default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        assert default is not None and default.get(f"{W}eastAsia") == "仿宋_GB2312"
        for style in styles.iter(f"{W}style"):
            if style.get(f"{W}type") == "numbering":
                continue
            fonts = style.find(f"{W}rPr/{W}rFonts")
            assert fonts is not None and fonts.get(f"{W}eastAsia"), (path.name, style.get(f"{W}styleId"))


def test_body_is_fangsong_and_title_is_xiaobiaosong_22pt(stage_files: dict[str, list[Path]]) -> None:
    path = next(p for p in stage_files["initial"] if p.name.startswith("附件3"))
    doc = _open(path)
    title = doc.paragraphs[1]
    assert title.text == "辽宁省政务公开工作先进个人初审推荐登记表"
    run = title.runs[0]
    assert run.font.size is not None and run.font.size.pt == 22
    assert _east_asian(run) == "方正小标宋简体"
    cell_run = doc.tables[1].cell(0, 1).paragraphs[0].runs[0]
    assert cell_run.text == "王丽娜"
    assert _east_asian(cell_run) == "仿宋_GB2312"


def test_font_table_names_the_stock_windows_fallbacks(stage_files: dict[str, list[Path]]) -> None:
    with zipfile.ZipFile(stage_files["initial"][0]) as zf:
        fonts = zf.read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/>' in fonts


def test_each_individual_form_carries_that_persons_facts_and_no_one_elses(
    stage_files: dict[str, list[Path]], demo_dossier: Dossier
) -> None:
    people = demo_dossier.ordered_individuals()
    for stage, prefix in (("initial", "附件3"), ("formal", "附件6")):
        forms = {p.name: p for p in stage_files[stage] if p.name.startswith(prefix)}
        for person in people:
            path = next(v for k, v in forms.items() if k.endswith(f"({person.name}).docx"))
            text = _text(_open(path))
            assert person.name in text
            assert person.unit_and_title in text
            assert person.birth_date[:7].replace("-", ".") in text
            assert person.ethnicity in text and person.political_status in text
            for a in person.assessments:
                assert f"{a.year}年:{a.result}" in text
            others = [p.name for p in people if p.name != person.name and p.name not in person.name]
            assert not [n for n in others if n in text], path.name
    formal_zheng = next(p for p in stage_files["formal"] if p.name.startswith("附件6") and "郑凯" in p.name)
    text = _text(_open(formal_zheng))
    assert "公示时间:2026年1月5日至1月9日" in text  # the formal stage shows the region's publicity
    assert "简历" in text.replace(" ", "")


def test_collective_forms_carry_name_leader_and_deeds(
    stage_files: dict[str, list[Path]], demo_dossier: Dossier
) -> None:
    first = demo_dossier.ordered_collectives()[0]
    for stage, prefix in (("initial", "附件2"), ("formal", "附件5"), ("formal", "附件7")):
        path = next(p for p in stage_files[stage] if p.name.startswith(prefix) and first.name in p.name)
        text = _text(_open(path))
        assert first.name in text and first.leader.replace(" ", "") in text, path.name
        if prefix != "附件7":
            assert f"{first.staff_count}人" in text
            assert "2025年12月8日至12月12日" in text if stage == "initial" else "2026年1月5日至1月9日" in text
            assert "推进政府网站" in text if prefix == "附件5" else "推进政府网站" not in text


def test_photo_sits_in_its_box_at_35_by_49_mm(stage_files: dict[str, list[Path]]) -> None:
    for prefix in ("附件3", "附件6"):
        for path in (p for paths in stage_files.values() for p in paths if p.name.startswith(prefix)):
            doc = _open(path)
            extents = list(
                doc.element.body.iter(
                    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
                )
            )
            assert len(extents) == 1, path.name
            cx, cy = int(extents[0].get("cx")), int(extents[0].get("cy"))
            assert (round(cx / 36000, 1), round(cy / 36000, 1)) == (35.0, 49.0)
            photo_cell = doc.tables[1].cell(0, 6)
            assert photo_cell.width is not None and photo_cell.width.mm >= 35 + 1.9  # 1 mm clear each side
            inline = extents[0].getparent()
            assert all(inline.get(side) == "0" for side in ("distL", "distR", "distT", "distB"))


def test_a_missing_photo_leaves_the_box_labelled(campaign: Campaign, demo_dossier: Dossier) -> None:
    person = demo_dossier.ordered_individuals()[0]
    person.photo_data = None
    doc = _open(render_document("form3", demo_dossier, campaign, record=person))
    assert doc.tables[1].cell(0, 6).text == "照片"


def test_tables_have_consistent_fixed_widths_for_word_and_wps(stage_files: dict[str, list[Path]]) -> None:
    for path in _docx(stage_files):
        for tbl in _open(path).element.body.iter(f"{W}tbl"):
            grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
            assert sum(grid) == TEXT_WIDTH_TWIPS, path.name
            tbl_w = tbl.find(f"{W}tblPr/{W}tblW")
            assert tbl_w is not None and int(tbl_w.get(f"{W}w")) == TEXT_WIDTH_TWIPS
            assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
            for tr in tbl.iter(f"{W}tr"):
                col = 0
                for tc in tr.iter(f"{W}tc"):
                    span_el = tc.find(f"{W}tcPr/{W}gridSpan")
                    span = int(span_el.get(f"{W}val")) if span_el is not None else 1
                    width = int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w"))
                    assert width == sum(grid[col : col + span]), path.name
                    col += span
                assert col == len(grid)


def test_the_approval_form_is_one_sheet_facts_on_the_front_opinions_together_on_the_back(
    stage_files: dict[str, list[Path]],
) -> None:
    path = next(p for p in stage_files["formal"] if p.name.startswith("附件6"))
    doc = _open(path)
    front, back = doc.tables[1], doc.tables[2]  # the unit line, page 1, page 2
    labels = [[r.cells[0].text.replace(" ", "").replace("\n", "") for r in t.rows] for t in (front, back)]
    assert labels[0][-2:] == ["简历", "主要事迹"]
    assert labels[1] == [
        "曾获荣誉", "公示情况", "推荐单位意见", "市级(主管部门)评选机构意见", "省评选表彰办意见",
        "省人力资源社会保障厅意见",
    ]  # fmt: skip
    page_break = back._tbl.getprevious()
    assert page_break.find(f"{W}pPr/{W}pageBreakBefore") is not None
    for row in (*front.rows, *back.rows):  # no box is ever split across two pages
        assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None


def test_a_long_deeds_text_goes_on_in_continued_rows_labelled_again(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    person = demo_dossier.ordered_individuals()[0]
    person.deeds_full = long_deeds(campaign.limit("deeds_full"))
    doc = _open(render_document("form6", demo_dossier, campaign, record=person))
    continued = doc.tables[2]  # between page 1 and the opinions page
    assert continued._tbl.getprevious().find(f"{W}pPr/{W}pageBreakBefore") is not None
    labels = {r.cells[0].text.replace(" ", "").replace("\n", "") for r in continued.rows}
    assert labels == {"主要事迹(续)"} and len(continued.rows) >= 2
    first = continued.rows[0].cells[1].paragraphs[0]
    assert first.paragraph_format.first_line_indent in (None, 0)  # goes on mid-sentence: no indent
    assert "⁠" not in _text(doc)
    with zipfile.ZipFile(io.BytesIO(render_document("form6", demo_dossier, campaign, record=person))) as zf:
        pages = int(zf.read("docProps/app.xml").decode().split("<Pages>")[1].split("<")[0])
    assert pages > campaign.forms["form6"].pages  # the "(续)" pages come on top (render tests count them)


def test_members_list_is_titled_with_the_unit_and_ordered_by_role(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.members.append(Member("冯晓", "沈阳市财政局副局长", "副组长", "024-22721009", order=99))
    doc = _open(render_document("form9", demo_dossier, campaign))
    assert doc.paragraphs[1].text == "沈阳市政务公开工作先进集体和先进个人评选表彰工作机构成员名单"
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows[1:]]
    assert [r[1] for r in rows][:3] == ["钱宏伟", "马丽", "冯晓"]
    assert rows[2] == ["3", "冯晓", "沈阳市财政局副局长", "副组长", "024-22721009"]
    assert doc.tables[0].rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None


def test_report_has_title_addressee_numbered_sections_and_page_numbers(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.reports["initial"].sections["other"] = "第一段。\n\n第二段。"
    doc = _open(render_document("report_initial", demo_dossier, campaign))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == "沈阳市关于政务公开工作先进集体和先进个人初审推荐情况的报告"
    assert texts[1] == "省评选表彰办:"
    assert "一、推荐过程" in texts and "五、其他需要说明的情况" in texts
    assert texts.index("第二段。") == texts.index("第一段。") + 1
    assert texts[-2:] == ["沈阳市", "2025年12月20日"]
    heading = next(p for p in doc.paragraphs if p.text == "一、推荐过程")
    assert _east_asian(heading.runs[0]) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("按照省评选表彰办"))
    assert body.runs[0].font.size is not None and body.runs[0].font.size.pt == 16
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        xml = footer._element.xml
        assert " PAGE " in xml and "— " in footer.paragraphs[0].text and " —" in footer.paragraphs[0].text


def test_the_same_data_renders_to_the_same_bytes(campaign: Campaign, tmp_path: Path) -> None:
    first = render_stage_documents(build_demo_dossier(campaign), campaign, "formal", tmp_path / "a")
    second = render_stage_documents(build_demo_dossier(campaign), campaign, "formal", tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    with zipfile.ZipFile(first[1]) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert "2025-12-11T00:00:00Z" in core


def test_markup_and_control_characters_in_data_print_literally(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    person = demo_dossier.ordered_individuals()[0]
    person.unit_and_title = "A&B<科>\x0b室"
    person.deeds_brief = "第一段\n\u3000\u3000第二段"
    doc = _open(render_document("form3", demo_dossier, campaign, record=person))
    text = _text(doc)
    assert "A&B<科>室" in text
    deeds_cell = next(r.cells[1] for r in doc.tables[1].rows if r.cells[0].text == "主要事迹")
    assert [p.text for p in deeds_cell.paragraphs if p.text] == ["第一段", "第二段"]


def test_a_3000_character_deeds_text_is_all_in_the_approval_form(
    campaign: Campaign, demo_dossier: Dossier
) -> None:
    person = demo_dossier.ordered_individuals()[0]
    person.deeds_full = long_deeds(campaign.limit("deeds_full"))
    text = _text(_open(render_document("form6", demo_dossier, campaign, record=person)))
    assert person.deeds_full.replace("\n", "") in text.replace("主要事迹(续)", "")


def long_deeds(length: int) -> str:
    """A deeds text of exactly `length` characters, in paragraphs, every sentence numbered."""
    sentences: list[str] = []
    n = 0
    while sum(len(s) for s in sentences) < length:
        n += 1
        sentences.append(f"第{n:03d}项,健全政务公开制度,规范办理依申请公开,群众满意度持续提升。")
    text = "".join(sentences)[:length]
    return "\n".join(text[i : i + 500] for i in range(0, len(text), 500))


def test_file_names_are_windows_safe(campaign: Campaign, demo_dossier: Dossier, tmp_path: Path) -> None:
    demo_dossier.individuals[0].name = 'A<>:"/\\|?*B. '
    demo_dossier.individuals.append(
        dataclasses.replace(demo_dossier.individuals[1], order=50, birth_date="1980-01-01")
    )
    paths = render_stage_documents(demo_dossier, campaign, "initial", tmp_path)
    names = [p.name for p in paths]
    assert "附件3 辽宁省政务公开工作先进个人初审推荐登记表(AB.).docx" in names
    assert "附件3 辽宁省政务公开工作先进个人初审推荐登记表(李建国)-2.docx" in names
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("a/b:c*.docx", "abc.docx"),
        ("CON.docx", "_CON.docx"),
        ("com1", "_com1"),
        ("名单. . .docx", "名单.docx"),
        ("  ", "未命名"),
        ("张某某 ", "张某某"),
    ],
)
def test_safe_filename(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


def test_a_very_long_collective_name_keeps_the_path_short(
    campaign: Campaign, demo_dossier: Dossier, tmp_path: Path
) -> None:
    demo_dossier.collectives[0].name = "很长的集体名称" * 30
    paths = render_stage_documents(demo_dossier, campaign, "initial", tmp_path)
    assert max(len(p.name) for p in paths) <= 130
