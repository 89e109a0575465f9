"""Every document of a stage, rendered from the templates in forms/.

Rendering is a pure function of (dossier, campaign, template): the same input gives the same
bytes. Package dates (zip entries, docProps/core.xml) are fixed to the campaign's notice date,
so two exports of unchanged data are byte-identical.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from nominator.campaign import Campaign, FormSpec
from nominator.domain.model import (
    Collective,
    Dossier,
    Individual,
    Member,
    Period,
    parse_date,
    parse_month,
)
from nominator.domain.photofix import printable_jpeg
from nominator.errors import UserError
from nominator.export.fit import (
    Layout,
    drop_continued_marks,
    fit_tables,
    pictures_without_gap,
    plan,
    template_layout,
)
from nominator.export.ooxml import put_in_schema_order
from nominator.export.templates import jinja_env, load_sheet_template, load_template
from nominator.files import safe_filename

Record = Collective | Individual | None

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PARAGRAPH_STRIP = " \t\u3000"


class TextBlock:
    """A free text as paragraphs: `{% for para in deeds_full %}` gives one paragraph each,
    `{{ deeds_full }}` gives the whole text with line breaks.

    Where a form lets a text go on onto "(续)" rows, `deeds_full.first` is the part that fits
    the box on page 1 and `deeds_full.more` the rest, one list of paragraphs per "(续)" row
    (see nominator/export/fit.py); until the form's layout is applied, `first` is everything."""

    def __init__(self, text: str, *, dated_lines: bool = False) -> None:
        lines = (line.strip(_PARAGRAPH_STRIP) for line in clean(text).splitlines())
        paragraphs = [line for line in lines if line]
        if dated_lines:
            paragraphs = [_DATED.sub("\\1\t", line, count=1) for line in paragraphs]
        self.paragraphs: tuple[str, ...] = tuple(paragraphs) or ("",)
        self.first: list[str] = list(self.paragraphs)
        self.more: list[list[str]] = []

    def __iter__(self) -> Iterator[str]:
        return iter(self.paragraphs)

    def __str__(self) -> str:
        return "\n".join(self.paragraphs)


# 简历: "2008.07—2012.06 沈阳市…科员" — the dates, then a tab to where the post's lines start
_DATED = re.compile(r"^([0-9０-９][0-9０-９.．年月\-—–~～至今]*)[ \t\u3000]+")


def clean(text: str | None) -> str:
    """Text as typed, without characters that Word's XML cannot hold."""
    return _CONTROL.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")


def cn_date(text: str) -> str:
    """2025-12-20 → 2025年12月20日; a blank line for the clerk to write on when empty."""
    day = parse_date(text)
    if day:
        return f"{day.year}年{day.month}月{day.day}日"
    return clean(text) or "    年  月  日"


def dotted_month(text: str) -> str:
    """1986-03-14 / 1986-03 → 1986.03, as personnel forms write 出生年月 and 参加工作时间."""
    month = parse_month(text)
    return f"{month.year}.{month.month:02d}" if month else clean(text)


def period_text(period: Period | None) -> str:
    if period is None or (not period.start and not period.end):
        return ""
    start, end = parse_date(period.start), parse_date(period.end)
    if start and end:
        end_text = f"{end.month}月{end.day}日" if end.year == start.year else cn_date(period.end)
        return f"{cn_date(period.start)}至{end_text}"
    return f"{cn_date(period.start)}至{cn_date(period.end)}"


def stage_of(form_key: str, campaign: Campaign) -> str:
    for stage in campaign.stages.values():
        if form_key in stage.forms:
            return stage.key
    raise UserError(f"文书“{form_key}”不属于任何报送阶段,请检查活动规则文件。")


# ---------------------------------------------------------------- contexts


def _common(spec: FormSpec, dossier: Dossier, campaign: Campaign, stage: str) -> dict[str, Any]:
    unit = clean(dossier.unit.name)
    report = dossier.reports.get(campaign.stages[stage].report)
    return {
        "attachment": spec.attachment,
        "form_title": spec.title_for(unit),
        "unit_name": unit,
        "fill_date": cn_date(report.date if report else ""),
        "stage_name": campaign.stages[stage].name,
        "issuer": campaign.issuer,
    }


def _publicity(record: Collective | Individual, campaign: Campaign, stage: str) -> dict[str, str]:
    period = record.publicity.get(campaign.publicity.level_for(stage))
    return {
        "publicity_period": period_text(period),
        "publicity_result": clean(period.result) if period else "",
    }


def collective_context(c: Collective, index: int, campaign: Campaign, stage: str) -> dict[str, Any]:
    return {
        "index": index,
        "name": clean(c.name),
        "level": clean(c.level),
        "nature": clean(c.nature),
        "leader": clean(c.leader),
        "staff_count": "" if c.staff_count is None else str(c.staff_count),
        "contact": clean(c.contact),
        "phone": clean(c.phone),
        "deeds_brief": TextBlock(c.deeds_brief),
        "deeds_full": TextBlock(c.deeds_full),
        "honors": TextBlock(c.honors or "无"),
        **_publicity(c, campaign, stage),
    }


def individual_context(
    p: Individual, index: int, campaign: Campaign, stage: str, tpl: DocxTemplate | None
) -> dict[str, Any]:
    assessments = sorted(p.assessments, key=lambda a: a.year)
    photo: object = "照片"
    if p.photo_data and tpl is not None:
        # The normalised copy (upright, baseline JFIF, 5:7), never the raw bytes: Word ignores
        # EXIF rotation and python-docx refuses JPEGs that do not start with JFIF/Exif.
        photo = InlineImage(
            tpl,
            io.BytesIO(printable_jpeg(p.photo_data, campaign.photo)),
            width=Mm(campaign.photo.width_mm),
            height=Mm(campaign.photo.height_mm),
        )
    return {
        "index": index,
        "name": clean(p.name),
        "gender": clean(p.gender),
        "ethnicity": clean(p.ethnicity),
        "birth_month": dotted_month(p.birth_date),
        "birth_date": cn_date(p.birth_date),
        "political_status": clean(p.political_status),
        "education": clean(p.education),
        "work_start": dotted_month(p.work_start),
        "unit_and_title": clean(p.unit_and_title),
        "rank": clean(p.rank),
        "level": clean(p.level),
        "years_in_field": "" if p.years_in_field is None else str(p.years_in_field),
        "phone": clean(p.phone),
        "assessments": "    ".join(f"{a.year}年:{clean(a.result)}" for a in assessments),
        "assessment_list": [{"year": a.year, "result": clean(a.result)} for a in assessments],
        "resume": TextBlock(p.resume, dated_lines=True),
        "deeds_brief": TextBlock(p.deeds_brief),
        "deeds_full": TextBlock(p.deeds_full),
        "honors": TextBlock(p.honors or "无"),
        "photo": photo,
        **_publicity(p, campaign, stage),
    }


def ordered_members(members: Sequence[Member], campaign: Campaign) -> list[Member]:
    """In the order of the roles' list (组长, 副组长, 成员, then 办公室); the clerk's within each."""
    role = campaign.kinds["member"].field("role")
    rank = {name: n for n, name in enumerate(role.choices if role else ())}
    return sorted(members, key=lambda m: (rank.get(m.role, len(rank)), m.order))


def members_context(dossier: Dossier, campaign: Campaign) -> dict[str, Any]:
    return {
        "members": [
            {
                "index": n,
                "name": clean(m.name),
                "unit_and_title": clean(m.unit_and_title),
                "role": clean(m.role),
                "phone": clean(m.phone),
            }
            for n, m in enumerate(ordered_members(dossier.members, campaign), start=1)
        ]
    }


_NUMERALS = "一二三四五六七八九十"


def report_context(spec: FormSpec, dossier: Dossier, campaign: Campaign, stage: str) -> dict[str, Any]:
    report = dossier.reports.get(campaign.stages[stage].report)
    texts = report.sections if report else {}
    unit = clean(dossier.unit.name)
    stage_name = campaign.stages[stage].name
    heading = spec.heading or "{unit}{stage}{short_title}推荐情况报告"
    return {
        "report_title": heading.format(unit=unit, short_title=campaign.short_title, stage=stage_name),
        "addressee": campaign.issuer,
        "sections": [
            {
                "number": _NUMERALS[n] if n < len(_NUMERALS) else str(n + 1),
                "heading": section.heading,
                "paragraphs": TextBlock(texts.get(section.key, "")),
            }
            for n, section in enumerate(campaign.reports[campaign.stages[stage].report])
        ],
        "report_date": cn_date(report.date if report else ""),
    }


# ---------------------------------------------------------------- rendering


def render_document(
    form_key: str,
    dossier: Dossier,
    campaign: Campaign,
    *,
    record: Record = None,
    forms: Path | None = None,
) -> bytes:
    """One .docx: a unit document (report, 附件9) or the form of one collective/individual."""
    spec = campaign.forms[form_key]
    if spec.kind != "docx":
        raise ValueError(f"{form_key} is not a Word document")
    stage = stage_of(form_key, campaign)
    template = load_template(spec, forms=forms or campaign.forms_dir)
    tpl = template.fresh()
    context = _common(spec, dossier, campaign, stage)
    if spec.per == "collective":
        if not isinstance(record, Collective):
            raise TypeError(f"{form_key} needs a Collective")
        context |= collective_context(record, _index(dossier.ordered_collectives(), record), campaign, stage)
    elif spec.per == "individual":
        if not isinstance(record, Individual):
            raise TypeError(f"{form_key} needs an Individual")
        context |= individual_context(
            record, _index(dossier.ordered_individuals(), record), campaign, stage, tpl
        )
    elif spec.content == "report":
        context |= report_context(spec, dossier, campaign, stage)
    else:
        context |= members_context(dossier, campaign)
    layout = template_layout_of(template.data)
    planned = plan(
        layout,
        {k: v.paragraphs for k, v in context.items() if isinstance(v, TextBlock) and k in layout.fields},
    )
    for name, first in planned.first.items():
        context[name].first, context[name].more = first, planned.more[name]
    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise UserError(
            f"模板“{template.path.name}”无法填写({exc.message}),请对照 forms/README.md 检查占位符。"
        ) from None
    body = tpl.docx.element.body
    _tidy_runs(body)
    drop_continued_marks(body)
    pictures_without_gap(body)
    whole = fit_tables(body)
    if spec.keep_signature:
        keep_signature_with_last_paragraph(body)
    pages = spec.pages + planned.extra_pages if spec.pages and whole else None
    _set_page_count(tpl.docx, pages)
    # The file's own title (Word's 属性) is the form's, not whatever the template carried.
    tpl.docx.core_properties.title = context["form_title"] if spec.content != "report" else spec.title
    out = io.BytesIO()
    tpl.save(out)
    return normalize_package(out.getvalue(), fixed_timestamp(campaign))


_layouts: dict[bytes, Layout] = {}


def template_layout_of(data: bytes) -> Layout:
    """Where a template's texts may go on ("(续)"), read once per template content."""
    key = hashlib.sha1(data).digest()
    if key not in _layouts:
        from docx import Document

        _layouts[key] = template_layout(Document(io.BytesIO(data)).element.body)
    return _layouts[key]


def keep_signature_with_last_paragraph(body: Any) -> None:
    """The 落款 (the right-aligned unit name and date at the end) never stands alone on a page:
    the last paragraph of the text is kept with it, at least its last two lines."""
    paragraphs = [p for p in body if p.tag == f"{_W}p"]
    index = len(paragraphs) - 1
    while index >= 0:
        p = paragraphs[index]
        jc = p.find(f"{_W}pPr/{_W}jc")
        text = "".join(p.itertext()).strip()
        if text and (jc is None or jc.get(f"{_W}val") not in ("right", "end")):
            break
        index -= 1
    if index < 0:
        return
    from lxml import etree

    for p in paragraphs[index:-1]:
        p_pr = p.find(f"{_W}pPr")
        if p_pr is None:
            p_pr = etree.SubElement(p, f"{_W}pPr")
            p.insert(0, p_pr)
        if p_pr.find(f"{_W}keepNext") is None:
            etree.SubElement(p_pr, f"{_W}keepNext")
        put_in_schema_order(p_pr)
    last = paragraphs[index].find(f"{_W}pPr")
    for old in last.findall(f"{_W}widowControl"):
        last.remove(old)
    etree.SubElement(last, f"{_W}widowControl")
    put_in_schema_order(last)


_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def _set_page_count(document: Any, pages: int | None) -> None:
    """docProps/app.xml's Pages: the pages the form prints by construction (its page contract and
    its "(续)" pages); left out where only an office suite can count them."""
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) != "/docProps/app.xml":
            continue
        root = etree.fromstring(part.blob)
        for old in root.findall(f"{_APP}Pages"):
            root.remove(old)
        if pages is not None:
            etree.SubElement(root, f"{_APP}Pages").text = str(pages)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _tidy_runs(body: Any) -> None:
    """Drop the empty, unformatted runs docxtpl leaves around an inserted picture, so every run
    with text keeps its East-Asian font."""
    for run in list(body.iter(f"{_W}r")):
        children = [child.tag for child in run]
        if children == [f"{_W}t"] and not run[0].text:
            run.getparent().remove(run)


def _index(records: Sequence[object], record: object) -> int:
    for n, item in enumerate(records, start=1):
        if item is record:
            return n
    return 0


def fixed_timestamp(campaign: Campaign) -> str:
    return f"{campaign.notice_date.isoformat()}T00:00:00Z"


_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def normalize_package(data: bytes, timestamp: str) -> bytes:
    """The same package with constant zip entry dates and constant created/modified properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = _CORE_DATES.sub(rf"\g<1>{timestamp}\g<3>", blob.decode("utf-8")).encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, blob)
    return out.getvalue()


# ---------------------------------------------------------------- a stage's files


MAX_SUBJECT = 40  # characters of a collective's or person's name in a file name


def document_filename(spec: FormSpec, unit_name: str, subject: str = "") -> str:
    """附件3 辽宁省…登记表(张某某).docx; 初审推荐工作报告.docx for the reports."""
    title = spec.title_for(unit_name)
    prefix = f"附件{spec.number} " if spec.number else ""
    subject = " ".join(subject.split())
    if len(subject) > MAX_SUBJECT:
        subject = subject[: MAX_SUBJECT - 1] + "…"
    suffix = f"({subject})" if subject else ""
    return safe_filename(f"{prefix}{title}{suffix}.{spec.kind}")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _unique(out_dir: Path, name: str, used: set[str]) -> Path:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    used.add(candidate.casefold())
    return out_dir / candidate


def stage_outputs(dossier: Dossier, campaign: Campaign, stage: str) -> Iterator[tuple[FormSpec, str, Record]]:
    """(form, file name, record) for every document of the stage, in the notice's order."""
    unit_name = clean(dossier.unit.name)
    for form_key in campaign.stages[stage].forms:
        spec = campaign.forms[form_key]
        if spec.per == "collective":
            for c in dossier.ordered_collectives():
                yield spec, document_filename(spec, unit_name, clean(c.name)), c
        elif spec.per == "individual":
            for p in dossier.ordered_individuals():
                yield spec, document_filename(spec, unit_name, clean(p.name)), p
        else:
            yield spec, document_filename(spec, unit_name), None


def render_stage_documents(
    dossier: Dossier, campaign: Campaign, stage: str, out_dir: Path, *, forms: Path | None = None
) -> list[Path]:
    """Write every document of `stage` into out_dir (created if needed); the paths, in order."""
    from nominator.export.summary_xlsx import render_summary

    if stage not in campaign.stages:
        raise UserError(f"未知的报送阶段“{stage}”。")
    dossier = dossier.for_stage(stage, campaign)  # leaves out nominees a review dropped
    forms = forms or campaign.forms_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    # check every template before writing anything, so a broken one leaves no half-done folder
    for form_key in campaign.stages[stage].forms:
        spec = campaign.forms[form_key]
        if spec.kind == "docx":
            load_template(spec, forms=forms)
        else:
            load_sheet_template(spec, campaign, forms=forms)
    written: list[Path] = []
    used: set[str] = set()
    for spec, name, record in stage_outputs(dossier, campaign, stage):
        path = _unique(out_dir, name, used)
        if spec.kind == "xlsx":
            data = render_summary(dossier, campaign, stage, forms=forms)
        else:
            data = render_document(spec.key, dossier, campaign, record=record, forms=forms)
        _write(path, data)
        written.append(path)
    return written
