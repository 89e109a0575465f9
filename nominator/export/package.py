# Over 500 lines: the export's one pass, from the check to the mail, in the order the clerk sees it; its
# steps share one staging folder and one progress count.
"""The stage package, in one step: documents, numbered electronic set, print set, checklist,
photos and print aids, and the email bundle — built in a hidden folder beside the target and
renamed into place, so a package appears whole or not at all.

Layout of `<out>/<subject>-初审/`:
    <subject>/                  the electronic set (what the zip holds), numbered in the
        1.初审推荐工作报告.docx    notice's order; 照片/ with 姓名-YYYYMMDD.jpg at the formal stage
        2.附件2 ….docx …
    <subject>.zip               the electronic set, Chinese names safe for every unzip tool
    <subject>.eml               a draft mail to the province with the zip attached
    打印合集-初审.docx (.pdf)    everything in order for one print job of 5 collated copies
    报送材料清单-初审.docx        the checklist for the top of each dossier
    照片打印页-正式.docx, 照片背面标签-正式.docx   (formal stage)
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nominator import files
from nominator.campaign import Campaign
from nominator.domain.checks import check
from nominator.domain.model import NOMINEE_KINDS, Dossier
from nominator.domain.naming import email_subject, expected_photo_name
from nominator.domain.problems import Problem
from nominator.errors import UserError
from nominator.export import office
from nominator.export.bundle import BundleZip, write_eml, write_zip
from nominator.export.documents import print_source, write_stage_documents
from nominator.export.printset import ChecklistRow, PrintItem, compose_print_set, write_checklist
from nominator.export.printstream import PrintSetWriter
from nominator.files import describe_os_error, safe_filename

Progress = Callable[[int, int, str], None]  # (step, steps, what is happening) for a progress bar
MAX_PATH = 240  # Windows' 260 minus room for the clerk moving the folder one level deeper


@dataclass(frozen=True)
class MailPart:
    zip: Path
    eml: Path
    files: int


class ExportRefused(UserError):
    """The checker still has errors, or warnings without a written reason, for this stage."""

    def __init__(self, stage_name: str, problems: list[Problem]) -> None:
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        parts = []
        if errors:
            parts.append(f"{errors} 项错误")
        if warnings:
            parts.append(f"{warnings} 项警告尚未填写说明")
        super().__init__(f"{stage_name}阶段还有{'、'.join(parts)},请处理后再导出。")
        self.problems = problems


class ExportCancelled(Exception):
    """The clerk pressed 取消; nothing was left behind."""


@dataclass
class ExportResult:
    folder: Path
    subject: str
    electronic: list[Path]
    print_set: Path
    checklist: Path
    zip: Path
    eml: Path
    print_pdf: Path | None = None
    photo_sheet: Path | None = None
    label_sheet: Path | None = None
    zip_too_big: bool = False
    notes: list[str] = field(default_factory=list)


def blocking_problems(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error or not p.overridden]


def new_folder(parent: Path, name: str) -> Path:
    """parent/name, or name(2), name(3) … — an earlier package is never overwritten."""
    candidate, n = parent / name, 1
    while candidate.exists():
        n += 1
        candidate = parent / f"{name}({n})"
    return candidate


def export_stage(
    dossier: Dossier,
    campaign: Campaign,
    stage: str,
    out: Path,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    make_pdf: bool = True,
) -> ExportResult:
    stage_rules = campaign.stages[stage]
    stage_name = stage_rules.name
    blocking = blocking_problems(check(dossier, campaign, stage, today=today))
    if blocking:
        raise ExportRefused(stage_name, blocking)
    dossier = dossier.for_stage(stage, campaign)
    subject = safe_filename(email_subject(dossier.unit, campaign))
    steps = 7 if make_pdf else 6

    def step(n: int, what: str) -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled
        if progress is not None:
            progress(n, steps, what)

    try:
        out.mkdir(parents=True, exist_ok=True)
        files.remove_stale(out, ".nominator-export-*")  # left by an export that was killed
        staging = files.temp_dir(out, ".nominator-export-")  # hidden, named after this process
    except OSError as exc:
        raise UserError(describe_os_error(exc)) from exc
    try:
        result = _build(dossier, campaign, stage, staging, subject, step, make_pdf, cancelled)
        target = new_folder(out, safe_filename(f"{subject}-{stage_name}"))
        _check_path_lengths(target, staging)
        step(steps, "完成")
        files.publish(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise UserError(describe_os_error(exc)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return _moved(result, staging, target)


def _build(
    dossier: Dossier,
    campaign: Campaign,
    stage: str,
    staging: Path,
    subject: str,
    step: Callable[[int, str], None],
    make_pdf: bool,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    stage_name = campaign.stages[stage].name
    copies = campaign.print_copies
    step(1, "生成表格和报告")
    work = staging / ".work"
    electronic_dir = staging / subject
    print_set = staging / f"打印合集-{stage_name}.docx"
    paper = campaign.printing.paper_mm
    writer = PrintSetWriter(print_set)
    electronic: list[Path] = []
    items: list[PrintItem] = []
    zip_path = staging / f"{subject}.zip"
    # One pass: each document is written into the electronic set, the mail's zip and the print
    # set while it is at hand; nothing is read back.
    with BundleZip(zip_path, date_time=_zip_time(dossier, campaign, stage)) as bundle:
        for done in write_stage_documents(dossier, campaign, stage, electronic_dir, numbered=True):
            if cancelled is not None and cancelled():
                raise ExportCancelled
            electronic.append(done.path)
            bundle.add(f"{subject}/{done.path.name}", done.data)
            item = PrintItem(
                done.path.stem, done.path, numbered=done.spec.number == 0, duplex=done.spec.duplex
            )
            items.append(item)
            writer.add(item, functools.partial(print_source, done, paper))

        step(2, "整理电子版材料")
        photo_kinds = [
            k for k in NOMINEE_KINDS if k in campaign.kinds and campaign.kinds[k].photo is not None
        ]
        people = [person for kind in photo_kinds for person in dossier.ordered(kind)]
        photos: list[Path] = []
        if campaign.stages[stage].photos:
            photo_dir = electronic_dir / "照片"
            photo_dir.mkdir()
            for person in people:
                if person.photo_data is not None:
                    fields = campaign.kinds[person.kind].photo
                    assert fields is not None  # people are of the kinds with photos
                    path = photo_dir / safe_filename(expected_photo_name(person, fields))
                    path.write_bytes(person.photo_data)
                    photos.append(path)
                    bundle.add(f"{subject}/{path.relative_to(electronic_dir).as_posix()}", person.photo_data)

    step(3, "生成打印合集和报送清单")
    writer.close()
    if writer.failed:  # something the streaming join does not model: join the files instead
        compose_print_set(items, print_set, paper=paper)
    photo_sheet = label_sheet = None
    if photos:
        from nominator.export.photo_sheets import write_label_sheet, write_photo_sheet

        sheet_people = [
            (dossier.unit.name, str(p.get(campaign.kinds[p.kind].photo.name_field) or ""), p.photo_data)  # type: ignore[union-attr]
            for p in people
            if p.photo_data is not None
        ]
        photo_sheet = staging / f"照片打印页-{stage_name}.docx"
        label_sheet = staging / f"照片背面标签-{stage_name}.docx"
        write_photo_sheet(sheet_people, campaign.photo, photo_sheet, paper=paper)
        write_label_sheet(sheet_people, campaign.photo, label_sheet, paper=paper)

    notes: list[str] = []
    conversion = None
    print_pdf = None
    if make_pdf:
        step(4, "转换 PDF(需要几十秒)")
        conversion, print_pdf = _print_pdf(electronic, items, staging, work, stage_name, notes, cancelled)

    step(5 if make_pdf else 4, "生成报送材料清单")
    counts = page_counts(electronic, conversion)
    rows = [ChecklistRow(_short_title(p, campaign), counts.pages.get(p), copies) for p in electronic]
    checklist = staging / f"报送材料清单-{stage_name}.docx"
    write_checklist(
        rows,
        unit_name=dossier.unit.name,
        stage_name=stage_name,
        email=campaign.email.to,
        out=checklist,
        paper_note=f"纸质材料{campaign.printing.paper}纸打印,一式{copies}份",
        photos=len(photos),
        photo_copies=campaign.photo.copies,
        photo_title=(
            f"{'、'.join(campaign.kinds[k].label for k in photo_kinds)}{campaign.photo.size_name}彩色证件照"
            f"({len(photos)}人,{campaign.photo.back_note})"
        ),
        pages_source=counts.source,
        paper=campaign.printing.paper_mm,
    )

    step(6 if make_pdf else 5, "生成邮件附件和邮件草稿")
    eml = staging / f"{subject}.eml"
    write_eml(
        eml,
        to=campaign.email.to,
        subject=subject,
        body=_mail_body(dossier, campaign, stage),
        attachment=zip_path,
    )
    too_big = zip_path.stat().st_size > campaign.email.attachment_limit_bytes()
    if too_big:
        size_mb = zip_path.stat().st_size / 1024 / 1024
        notes.append(
            f"邮件附件 {size_mb:.1f}MB,发送时超过邮箱 {campaign.email.mailbox_limit_mb:g}MB 的限制。"
            "可以拆分为几封主题相同的邮件(窗口中点“拆分为多封邮件”,命令行加 --split)。"
        )
    shutil.rmtree(work, ignore_errors=True)
    return ExportResult(
        folder=staging,
        subject=subject,
        electronic=electronic + photos,
        print_set=print_set,
        checklist=checklist,
        zip=zip_path,
        eml=eml,
        print_pdf=print_pdf,
        photo_sheet=photo_sheet,
        label_sheet=label_sheet,
        zip_too_big=too_big,
        notes=notes,
    )


@dataclass(frozen=True)
class PageCounts:
    pages: dict[Path, int | None]
    source: str  # for the checklist: where the page counts come from


def page_counts(files: list[Path], conversion: office.Conversion | None) -> PageCounts:
    """Each file's pages: counted in its PDF where the office suite made one, else the page
    contract of its form (what it prints by construction), else unknown."""
    contract = office.contract_page_counts(files)
    pages: dict[Path, int | None] = {}
    counted = 0
    for path in files:
        done = conversion.results.get(path) if conversion else None
        if done is not None and done.ok:
            pages[path] = done.pages
            counted += 1
        else:
            pages[path] = contract.get(path)
    if conversion is not None and counted == len(files):
        source = f"页数由 {conversion.suite} 按打印版式统计。"
    elif counted:
        source = f"页数由 {conversion.suite if conversion else ''} 统计,其余按表格版式推算。"
    else:
        source = "页数按各表格的版式推算(本机未用 Office 软件统计)。"
    return PageCounts(pages, source)


def _print_pdf(
    electronic: list[Path],
    items: list[PrintItem],
    staging: Path,
    work: Path,
    stage_name: str,
    notes: list[str],
    cancelled: Callable[[], bool] | None,
) -> tuple[office.Conversion | None, Path | None]:
    """The print set as one PDF, made from each file's own PDF. Whatever the office suite
    does — missing, hanging, crashing, writing a damaged file — the export goes on without the
    PDF and says why."""
    fallback = "打印合集 .docx 可直接用 Word 或 WPS 打印。"
    suite = office.find_suite()
    if suite is None:
        notes.append(f"PDF 未生成,原因:本机未找到 LibreOffice、Word 或 WPS。{fallback}")
        return None, None
    try:
        conversion = suite.to_pdf(electronic, work / "pdf", cancelled=cancelled)
    except office.ConversionCancelled:
        raise ExportCancelled from None
    except Exception as exc:  # an office suite can fail in ways no one lists; the PDF is optional
        notes.append(f"PDF 未生成,原因:{suite.name} 出错({type(exc).__name__})。{fallback}")
        return None, None
    if not conversion.complete:
        notes.append(f"PDF 未生成,原因:{conversion.problem()}。{fallback}")
        return conversion, None
    print_pdf = staging / f"打印合集-{stage_name}.pdf"
    parts = [conversion.results[p].pdf for p in electronic]
    try:
        office.merge_pdfs(
            [p for p in parts if p is not None], print_pdf, start_on_odd=[i.duplex for i in items]
        )
    except Exception as exc:  # pypdf on a PDF it cannot join (a full disk is the export's error)
        if isinstance(exc, OSError):
            raise
        print_pdf.unlink(missing_ok=True)
        notes.append(f"PDF 未生成,原因:合并 PDF 时出错({type(exc).__name__})。{fallback}")
        return conversion, None
    return conversion, print_pdf


def split_email_bundle(
    result: ExportResult, dossier: Dossier, campaign: Campaign, stage: str
) -> list[MailPart]:
    """Replace the package's one oversized zip and mail by several, each under the mailbox
    limit, with the same subject (rule M4) and "第k封,共n封" in the body. Files are packed
    largest first; the order inside each zip stays the notice's order."""
    limit = campaign.email.attachment_limit_bytes()
    electronic_dir = result.folder / result.subject
    sizes = {p: p.stat().st_size for p in result.electronic}
    for path, size in sizes.items():
        if size > limit:
            raise UserError(f"“{path.name}”一个文件就超过了邮箱限制,无法拆分。请压缩该文件后重新导出。")
    parts: list[list[Path]] = []
    loads: list[int] = []
    for path in sorted(result.electronic, key=lambda p: -sizes[p]):
        room = next((k for k, load in enumerate(loads) if load + sizes[path] <= limit * 0.95), None)
        if room is None:
            parts.append([])
            loads.append(0)
            room = len(parts) - 1
        parts[room].append(path)
        loads[room] += sizes[path]
    order = {p: n for n, p in enumerate(result.electronic)}
    stamp = _zip_time(dossier, campaign, stage)
    total = len(parts)
    written: list[MailPart] = []
    try:
        for k, files in enumerate(parts, start=1):
            files.sort(key=order.__getitem__)
            stem = safe_filename(f"{result.subject}-第{k}封(共{total}封)")
            zip_path, eml = result.folder / f"{stem}.zip", result.folder / f"{stem}.eml"
            partial = result.folder / f".{stem}.zip.part"
            write_zip(
                partial,
                [(f"{result.subject}/{p.relative_to(electronic_dir).as_posix()}", p) for p in files],
                date_time=stamp,
            )
            os.replace(partial, zip_path)
            body = _mail_body(dossier, campaign, stage).replace(
                "详见附件", f"本件为第{k}封,共{total}封,详见附件", 1
            )
            write_eml(eml, to=campaign.email.to, subject=result.subject, body=body, attachment=zip_path)
            written.append(MailPart(zip_path, eml, len(files)))
    except OSError as exc:
        for part in written:
            part.zip.unlink(missing_ok=True)
            part.eml.unlink(missing_ok=True)
        raise UserError(describe_os_error(exc)) from exc
    result.zip.unlink(missing_ok=True)  # the oversized pair would only be sent by mistake
    result.eml.unlink(missing_ok=True)
    return written


def _form_key(path: Path, campaign: Campaign, stage: str) -> str:
    """Which form a numbered file is, from the 附件 number in its name (reports have none)."""
    name = path.name.split(".", 1)[1]
    for key in campaign.stages[stage].forms:
        spec = campaign.forms[key]
        if spec.number and name.startswith(f"附件{spec.number} "):
            return key
    return campaign.stages[stage].forms[0]


def _short_title(path: Path, campaign: Campaign) -> str:
    """The checklist's name for a file: without its number and the campaign's long prefix."""
    title = path.stem.split(".", 1)[1]
    prefix = campaign.title_prefix
    return title.replace(prefix, "", 1) if prefix else title


def _zip_time(dossier: Dossier, campaign: Campaign, stage: str) -> tuple[int, int, int, int, int, int]:
    """Entry dates fixed to the report date, so the same data gives the same zip."""
    from nominator.domain.model import parse_date

    report = dossier.reports.get(campaign.stages[stage].report)
    day = parse_date(report.date) if report else None
    day = day or campaign.notice_date
    return (day.year, day.month, day.day, 9, 0, 0)


def _mail_body(dossier: Dossier, campaign: Campaign, stage: str) -> str:
    """The campaign's mail text with this unit's facts, in CRLF lines as mail wants them."""
    unit = dossier.unit
    text = campaign.email.body.format(
        addressee=campaign.addressee or campaign.issuer,
        unit=unit.name,
        short_title=campaign.short_title,
        stage=campaign.stages[stage].name,
        copies=campaign.print_copies,
        contact=unit.contact,
        phone=unit.phone,
    )
    return "\r\n".join(text.splitlines()) + "\r\n"


def _check_path_lengths(target: Path, staging: Path) -> None:
    longest = max((len(str(target / p.relative_to(staging))) for p in staging.rglob("*")), default=0)
    if longest > MAX_PATH:
        raise UserError(
            f"导出文件夹“{target.parent}”的路径太长,部分文件路径将超过 Windows 的限制({longest} 个字符)。"
            "请选择层级更浅的文件夹(例如桌面或 D:\\)后重试。"
        )


def _moved(result: ExportResult, staging: Path, target: Path) -> ExportResult:
    def move(p: Path) -> Path:
        return target / p.relative_to(staging)

    return ExportResult(
        folder=target,
        subject=result.subject,
        electronic=[move(p) for p in result.electronic],
        print_set=move(result.print_set),
        checklist=move(result.checklist),
        zip=move(result.zip),
        eml=move(result.eml),
        print_pdf=move(result.print_pdf) if result.print_pdf else None,
        photo_sheet=move(result.photo_sheet) if result.photo_sheet else None,
        label_sheet=move(result.label_sheet) if result.label_sheet else None,
        zip_too_big=result.zip_too_big,
        notes=result.notes,
    )


# ---- the command line -----------------------------------------------------------------------


def export_stage_cli(db: Path, stage: str, out: Path, *, split: bool = False) -> int:
    """`nominator export`: 0 written, 1 refused (problems listed), UserError → exit 2."""
    import sys

    from nominator.campaign import stage_or_fail
    from nominator.domain.targets import said
    from nominator.store.session import load_with_rules

    dossier, campaign = load_with_rules(db)
    stage_or_fail(campaign, stage)

    def show(step: int, steps: int, what: str) -> None:
        print(f"[{step}/{steps}] {what}", file=sys.stderr)

    try:
        result = export_stage(dossier, campaign, stage, out, progress=show)
    except ExportRefused as refused:
        view = dossier.for_stage(stage, campaign)
        for p in refused.problems:
            tag = "错误" if p.is_error else "警告(需填写说明)"
            print(f"[{tag}] {p.rule} {said(p, view, campaign)}")
        print(str(refused), file=sys.stderr)
        return 1
    print(f"已导出{campaign.stages[stage].name}阶段报送材料:{result.folder}")
    print(f"  电子版材料 {len(result.electronic)} 个文件:{result.folder / result.subject}")
    print(f"  邮件附件:{result.zip.name}")
    print(f"  邮件草稿(收件人 {campaign.email.to}):{result.eml.name}")
    print(f"  打印合集:{result.print_set.name}" + (f"、{result.print_pdf.name}" if result.print_pdf else ""))
    print(f"  报送材料清单:{result.checklist.name}")
    if result.photo_sheet and result.label_sheet:
        print(f"  照片打印页:{result.photo_sheet.name};背面标签:{result.label_sheet.name}")
    for note in result.notes:
        print(f"  提示:{note}")
    if result.zip_too_big and split:
        parts = split_email_bundle(result, dossier, campaign, stage)
        print(f"已拆分为 {len(parts)} 封邮件(主题相同):")
        for part in parts:
            print(f"  {part.eml.name}(附件 {part.zip.name},{part.files} 个文件)")
    return 0
