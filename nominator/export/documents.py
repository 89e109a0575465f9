# Over 500 lines: one document from template to bytes (render, fit, finish, the print set's source) on one
# compiled template's state; the compiling is compiled.py.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import InlineImage
from jinja2 import TemplateError

from nominator.campaign import Campaign, FormSpec
from nominator.domain.model import (
    NOMINEE_KINDS,
    Dossier,
    Member,
    Nominee,
)
from nominator.errors import UserError
from nominator.export.compiled import CompiledTemplate, Filling, compile_template, docx_bytes
from nominator.export.fit import (
    Layout,
    Plan,
    drop_continued_marks,
    fit_tables,
    pictures_without_gap,
    plan,
    template_layout,
)
from nominator.export.ooxml import put_in_schema_order
from nominator.export.printstream import ImageFacts, Source, source_of_document, strip_blanks_like_parser
from nominator.export.templates import LoadedTemplate, jinja_env, load_sheet_template, load_template
from nominator.export.values import (
    PictureMaker,
    TextBlock,
    clean,
    cn_date,
    nominee_context,
    nominee_rows,
)
from nominator.files import safe_filename

Record = Nominee | None


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
        **_report_lists(dossier, campaign, stage),
    }


def _report_lists(dossier: Dossier, campaign: Campaign, stage: str) -> dict[str, Any]:
    """A report that lists what it recommends (the 推荐名单 as its 附件): the summary form's title
    and each nominee kind's rows under the kind's `json` name, with their count."""
    summary = campaign.form_for("summary")
    found: dict[str, Any] = {"summary_title": summary.title_for(clean(dossier.unit.name))} if summary else {}
    for kind in NOMINEE_KINDS:
        spec = campaign.kinds.get(kind)
        if spec is not None:
            records = dossier.for_stage(stage, campaign).ordered(kind)
            found[spec.json] = nominee_rows(records, spec, campaign, stage)
            found[f"{kind}_count"] = len(records)
    return found


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
    template = load_template(spec, campaign, forms=forms or campaign.forms_dir)
    compiled = compile_template(template.data, jinja_env)
    if not compiled.fast:
        return render_with_docxtpl(form_key, dossier, campaign, record=record, forms=forms)
    return render_filled(spec, dossier, campaign, record, template, compiled).package_bytes


class Rendered:
    """A filled form: its package (for the file) and its body (for the print set)."""

    def __init__(self, filling: Filling, members: list[tuple[str, bytes]]) -> None:
        self.filling = filling
        self.members = members
        self._bytes: bytes | None = None

    @property
    def package_bytes(self) -> bytes:
        if self._bytes is None:
            self._bytes = docx_bytes(self.members)
        return self._bytes


def render_filled(
    spec: FormSpec,
    dossier: Dossier,
    campaign: Campaign,
    record: Record,
    template: LoadedTemplate,
    compiled: CompiledTemplate,
    *,
    index: int | None = None,
) -> Rendered:
    filling = compiled.new_filling()
    context = _context(spec, dossier, campaign, record, filling.picture, index=index)
    _layout, planned = _plan(template, context)
    try:
        compiled.fill(filling, context)
    except TemplateError as exc:
        raise UserError(
            f"模板“{template.path.name}”无法填写({exc.message}),请对照 forms/README.md 检查占位符。"
        ) from None
    whole = _finish_body(spec, filling.body)
    pages = spec.pages + planned.extra_pages if spec.pages and whole else None
    members = filling.members(title=_title(spec, context), pages=pages, timestamp=fixed_timestamp(campaign))
    return Rendered(filling, members)


def render_with_docxtpl(
    form_key: str,
    dossier: Dossier,
    campaign: Campaign,
    *,
    record: Record = None,
    forms: Path | None = None,
) -> bytes:
    """The same document through docxtpl, a fresh template each time: for templates the
    compiled path does not model, and as the reference the compiled path is tested against."""
    spec = campaign.forms[form_key]
    template = load_template(spec, campaign, forms=forms or campaign.forms_dir)
    tpl = template.fresh()

    def picture(blob: bytes, width: int, height: int) -> InlineImage:
        return InlineImage(tpl, io.BytesIO(blob), width=width, height=height)

    context = _context(spec, dossier, campaign, record, picture)
    _layout, planned = _plan(template, context)
    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise UserError(
            f"模板“{template.path.name}”无法填写({exc.message}),请对照 forms/README.md 检查占位符。"
        ) from None
    whole = _finish_body(spec, tpl.docx.element.body)
    pages = spec.pages + planned.extra_pages if spec.pages and whole else None
    _set_page_count(tpl.docx, pages)
    # The file's own title (Word's 属性) is the form's, not whatever the template carried.
    tpl.docx.core_properties.title = _title(spec, context)
    out = io.BytesIO()
    tpl.save(out)
    return normalize_package(out.getvalue(), fixed_timestamp(campaign))


def _context(
    spec: FormSpec,
    dossier: Dossier,
    campaign: Campaign,
    record: Record,
    picture: PictureMaker,
    *,
    index: int | None = None,
) -> dict[str, Any]:
    """What the template is filled with; `index` (the record's number in its list) when the
    caller knows it, else it is looked up."""
    stage = stage_of(spec.key, campaign)
    context = _common(spec, dossier, campaign, stage)
    if spec.per in NOMINEE_KINDS:
        if not isinstance(record, Nominee) or record.kind != spec.per:
            raise TypeError(f"{spec.key} needs a nominee of the kind {spec.per}")
        n = _index(dossier.ordered(spec.per), record) if index is None else index
        context |= nominee_context(record, n, campaign.kinds[spec.per], campaign, stage, picture)
    elif spec.content == "report":
        context |= report_context(spec, dossier, campaign, stage)
    else:
        context |= members_context(dossier, campaign)
    return context


def _plan(template: LoadedTemplate, context: dict[str, Any]) -> tuple[Layout, Plan]:
    """Cut the texts that go on to "(续)" rows, as the form's layout allows."""
    layout = template_layout_of(template.data)
    planned = plan(
        layout,
        {k: v.paragraphs for k, v in context.items() if isinstance(v, TextBlock) and k in layout.fields},
    )
    for name, first in planned.first.items():
        context[name].first, context[name].more = first, planned.more[name]
    return layout, planned


def _finish_body(spec: FormSpec, body: Any) -> bool:
    """After the render: tidy runs, fit the boxes; whether every box kept its page."""
    _tidy_runs(body)
    drop_continued_marks(body)
    pictures_without_gap(body)
    whole = fit_tables(body)
    if spec.keep_signature:
        keep_signature_with_last_paragraph(body)
    return whole


def _title(spec: FormSpec, context: dict[str, Any]) -> str:
    return str(context["form_title"]) if spec.content != "report" else spec.title


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
        if spec.per in NOMINEE_KINDS:
            name_field = campaign.kinds[spec.per].name_field
            for record in dossier.ordered(spec.per):
                yield (
                    spec,
                    document_filename(spec, unit_name, clean(str(record.get(name_field) or ""))),
                    record,
                )
        else:
            yield spec, document_filename(spec, unit_name), None


def render_stage_documents(
    dossier: Dossier, campaign: Campaign, stage: str, out_dir: Path, *, forms: Path | None = None
) -> list[Path]:
    """Write every document of `stage` into out_dir (created if needed); the paths, in order."""
    return [done.path for done in write_stage_documents(dossier, campaign, stage, out_dir, forms=forms)]


@dataclass
class StageDocument:
    """One document of a stage, written: its form, its file and its bytes, and — for a Word
    form filled the compiled way — the filled tree, for the print set."""

    spec: FormSpec
    path: Path
    data: bytes
    rendered: Rendered | None = None


def write_stage_documents(
    dossier: Dossier,
    campaign: Campaign,
    stage: str,
    out_dir: Path,
    *,
    forms: Path | None = None,
    numbered: bool = False,
) -> Iterator[StageDocument]:
    """Write every document of `stage` into out_dir (created if needed), one at a time, in the
    notice's order; `numbered` puts "1.", "2." … before the names (the electronic set)."""
    from nominator.export.summary_xlsx import render_summary

    if stage not in campaign.stages:
        raise UserError(f"未知的报送阶段“{stage}”。")
    dossier = dossier.for_stage(stage, campaign)  # leaves out nominees a review dropped
    forms = forms or campaign.forms_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    # check every template before writing anything, so a broken one leaves no half-done folder;
    # each is read (and hashed to find its compiled form) here once, not again for every record
    loaded: dict[str, tuple[LoadedTemplate, CompiledTemplate | None]] = {}
    for form_key in campaign.stages[stage].forms:
        spec = campaign.forms[form_key]
        if spec.kind == "docx":
            loaded[spec.key] = (load_template(spec, campaign, forms=forms), None)  # compiled when first used
        else:
            load_sheet_template(spec, campaign, forms=forms)
    indices = {
        id(record): n
        for records in (dossier.ordered_collectives(), dossier.ordered_individuals())
        for n, record in enumerate(records, start=1)
    }
    used: set[str] = set()
    for n, (spec, name, record) in enumerate(stage_outputs(dossier, campaign, stage), start=1):
        path = _unique(out_dir, name, used)
        if numbered:
            path = path.with_name(f"{n}.{path.name}")
        rendered = None
        if spec.kind == "xlsx":
            data = render_summary(dossier, campaign, stage, forms=forms)
        else:
            template, known = loaded.get(spec.key) or (load_template(spec, campaign, forms=forms), None)
            compiled = known or compile_template(template.data, jinja_env)
            loaded[spec.key] = (template, compiled)
            if compiled.fast:
                index = indices.get(id(record), 0)
                rendered = render_filled(spec, dossier, campaign, record, template, compiled, index=index)
                data = rendered.package_bytes
            else:
                data = render_with_docxtpl(spec.key, dossier, campaign, record=record, forms=forms)
        _write(path, data)
        yield StageDocument(spec, path, data, rendered)


def print_source(done: StageDocument, paper: tuple[float, float]) -> Source:
    """A written document as the print set takes it: the filled tree where there is one (as
    python-docx would parse the file: see printstream.strip_blanks_like_parser), else the
    file opened."""
    from docx import Document

    from nominator.export.printset import workbook_as_document

    if done.rendered is None:
        data = workbook_as_document(io.BytesIO(done.data), paper) if done.spec.kind == "xlsx" else done.data
        return source_of_document(Document(io.BytesIO(data)))
    rendered = done.rendered
    filling, compiled = rendered.filling, rendered.filling.template
    xml = dict(rendered.members)[compiled.document_member]
    root = strip_blanks_like_parser(filling.root, xml, filling.pictures, compiled.blank_runs_per_picture)
    reltypes = dict(compiled.reltypes)
    added: dict[str, ImageFacts] = {}
    if filling.images:
        media = compiled.variant(filling.images).media
        for k, blob in enumerate(filling.images):
            rid = compiled.free_rids[k]
            reltypes[rid] = RT.IMAGE
            sha1 = hashlib.sha1(blob).hexdigest()
            facts = compiled.image_facts(blob, sha1)
            ext = media[k].rpartition(".")[2]
            added[rid] = ImageFacts(sha1, blob, f"image.{ext}", facts.content_type)

    def image(rid: str) -> ImageFacts:
        if rid in added:
            return added[rid]
        part = compiled.image_parts[rid]
        return ImageFacts(part.sha1, part.blob, part.filename, part.content_type)

    return Source(
        root,
        compiled.styles,
        reltypes,
        image,
        lambda: Document(io.BytesIO(rendered.package_bytes)),
        has_custom_properties=compiled.has_custom_properties,
    )
