"""The office suite behind its interface: batches, each PDF checked, and every fault of the
converter (hang, crash, partial run, damaged PDF) ending as "PDF 未生成,原因……" with the package
whole. A stand-in `soffice` (a small script run as the real one would be) plays each fault, so
these run everywhere; the real LibreOffice is exercised by the render tests."""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.export import office, package
from nominator.export.office import BATCH_CHARS, BATCH_FILES, Conversion, Converted, LibreOffice, batches

TODAY = dt.date(2025, 12, 20)

FAKE_SOFFICE = """\
#!{python}
# Plays LibreOffice's command line: --outdir DIR, then the files; MODE from the file beside it.
import os, sys, time
from pathlib import Path
here = Path(__file__).parent
mode = (here / "mode").read_text().strip()
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
files = [a for a in args[args.index("--outdir") + 2:]]
with open(here / "calls", "a") as log:
    log.write(f"{{len(files)}}\\n")
if mode == "hang":
    child = os.fork()
    if child == 0:  # like soffice.bin: a child that would outlive its parent
        (here / "child").write_text(str(os.getpid()))
        time.sleep(3600)
        os._exit(0)
    time.sleep(3600)
if mode == "crash":
    sys.exit(134)
limit = int(mode.split(":")[1]) if mode.startswith("partial:") else len(files)
for name in files[:limit]:
    pdf = out / (Path(name).stem + ".pdf")
    if mode == "corrupt":
        pdf.write_bytes(b"%PDF-1.4 this is not a PDF")
        continue
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(int(Path(name).read_text() or "1")):
        writer.add_blank_page(width=595, height=842)
    with open(pdf, "wb") as handle:
        writer.write(handle)
"""


@pytest.fixture()
def fake_soffice(tmp_path: Path) -> Path:
    if sys.platform == "win32":
        pytest.skip("the stand-in soffice is a POSIX script")
    folder = tmp_path / "fake-lo"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    (folder / "mode").write_text("ok")
    return script


def _files(folder: Path, count: int, pages: int = 1) -> list[Path]:
    """Stand-in documents: their text is the number of pages the fake converter prints."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{n + 1}.附件3 辽宁省政务公开工作先进个人初审推荐登记表(测试{n:04d}).docx"
        path.write_text(str(pages))
        paths.append(path)
    return paths


def _quick(soffice: Path) -> LibreOffice:
    return LibreOffice(soffice, start_s=3.0, per_file_s=0.2, stall_s=1.5)


def test_batches_keep_order_and_limits() -> None:
    paths = [
        Path("D:/报送/材料") / f"{n}.附件6 辽宁省政务公开工作先进个人推荐审批表(某某某某).docx"
        for n in range(801)
    ]
    groups = batches(paths)
    assert [p for g in groups for p in g] == paths
    assert all(len(g) <= BATCH_FILES and sum(len(str(p)) + 3 for p in g) <= BATCH_CHARS for g in groups)


def test_801_documents_all_convert_each_pdf_checked(tmp_path: Path, fake_soffice: Path) -> None:
    # the real converter stopped after 246 files of one long command line and still said "done";
    # here it stops after 25 of every call: batches and a retry of the rest still get all of them
    (fake_soffice.parent / "mode").write_text("partial:25")
    files = _files(tmp_path / "docs", 801, pages=2)
    conversion = _quick(fake_soffice).to_pdf(files, tmp_path / "pdf")
    assert conversion.complete, conversion.problem()
    assert [conversion.results[f].pages for f in files] == [2] * 801
    calls = [int(n) for n in (fake_soffice.parent / "calls").read_text().split()]
    assert max(calls) <= BATCH_FILES


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("crash", "LibreOffice 异常退出(代码 134)"),
        ("corrupt", "生成的 PDF 已损坏"),
        ("partial:0", "LibreOffice 未生成该文件的 PDF"),
        ("hang", "LibreOffice 长时间无响应,已停止"),
    ],
)
def test_every_fault_of_the_converter_ends_as_a_reason_not_an_error(
    tmp_path: Path, fake_soffice: Path, mode: str, reason: str
) -> None:
    (fake_soffice.parent / "mode").write_text(mode)
    files = _files(tmp_path / "docs", 3)
    started = time.monotonic()
    conversion = _quick(fake_soffice).to_pdf(files, tmp_path / "pdf")
    assert time.monotonic() - started < 60  # a hanging converter is stopped, not waited for
    assert not conversion.complete
    assert {r.problem for r in conversion.results.values()} == {reason}
    assert "3 个文件未能由 LibreOffice 转换为 PDF" in conversion.problem()
    if mode == "hang":  # the converter's own child process is gone too
        pid = int((fake_soffice.parent / "child").read_text())
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the converter's child process was left running")


def test_cancel_stops_the_converter(tmp_path: Path, fake_soffice: Path) -> None:
    (fake_soffice.parent / "mode").write_text("hang")
    files = _files(tmp_path / "docs", 2)
    asked = time.monotonic()
    with pytest.raises(office.ConversionCancelled):
        LibreOffice(fake_soffice).to_pdf(
            files, tmp_path / "pdf", cancelled=lambda: time.monotonic() - asked > 0.5
        )


# ---------------------------------------------------------------- the package with each suite


class PrintingSuite:
    """A stand-in office suite: every document prints the pages it says it prints (or one)."""

    name = "测试办公软件"

    def __init__(self, fail: str = "") -> None:
        self.fail = fail

    def to_pdf(self, files: list[Path], out_dir: Path, *, cancelled: object = None) -> Conversion:
        from pypdf import PdfWriter

        out_dir.mkdir(parents=True, exist_ok=True)
        conversion = Conversion(self.name)
        counts = office.contract_page_counts(files)
        for source in files:
            if self.fail:
                conversion.results[source] = Converted(source, problem=self.fail)
                continue
            pdf = out_dir / (source.stem + ".pdf")
            writer = PdfWriter()
            pages = counts[source] or 1
            for _ in range(pages):
                writer.add_blank_page(width=595, height=842)
            with pdf.open("wb") as handle:
                writer.write(handle)
            conversion.results[source] = Converted(source, pdf, pages)
        return conversion


def _checklist(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in Document(str(path)).tables[0].rows[1:]]


def _note(path: Path) -> str:
    return Document(str(path)).paragraphs[-1].text


def test_a_failing_suite_leaves_the_package_whole_and_says_why(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "find_suite", lambda: PrintingSuite(fail="LibreOffice 异常退出(代码 134)"))
    result = package.export_stage(demo_dossier, campaign, "formal", tmp_path, today=TODAY)
    assert result.print_pdf is None and result.print_set.is_file() and result.zip.is_file()
    assert result.eml.is_file() and result.checklist.is_file() and result.photo_sheet is not None
    assert any(n.startswith("PDF 未生成,原因:") and "异常退出" in n for n in result.notes), result.notes
    assert not list(result.folder.rglob("*.pdf"))
    rows = _checklist(result.checklist)
    pages = {row[1]: row[2] for row in rows}
    assert all(pages[t] == "2" for t in pages if t.startswith("附件5") or t.startswith("附件6"))
    assert all(pages[t] == "1" for t in pages if t.startswith("附件7") or t.startswith("附件8"))
    assert pages["正式推荐工作报告"] == "—"  # a report's length only an office suite can tell
    assert "页数按各表格的版式推算" in _note(result.checklist) and "请打印后自行填写" in _note(
        result.checklist
    )


def test_without_any_suite_the_checklist_counts_from_the_page_contracts(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(office, "find_suite", lambda: None)
    result = package.export_stage(demo_dossier, campaign, "initial", tmp_path, today=TODAY)
    assert result.print_pdf is None
    assert any("PDF 未生成,原因:本机未找到 LibreOffice、Word 或 WPS" in n for n in result.notes)
    pages = {row[1]: row[2] for row in _checklist(result.checklist)}
    assert {pages[t] for t in pages if t.startswith(("附件2", "附件3"))} == {"1"}


def test_a_working_suite_counts_every_page_and_starts_each_approval_form_on_a_front_page(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    monkeypatch.setattr(office, "find_suite", lambda: PrintingSuite())
    result = package.export_stage(demo_dossier, campaign, "formal", tmp_path, today=TODAY)
    assert result.print_pdf is not None and not result.notes
    rows = _checklist(result.checklist)
    counted = [int(row[2]) for row in rows if row[2].isdigit()]
    reader = PdfReader(result.print_pdf)
    # the one-page report is followed by a blank back, so every 审批表 is a sheet of its own
    assert len(reader.pages) == sum(counted) + 1
    assert "页数由 测试办公软件 按打印版式统计" in _note(result.checklist)


def test_the_page_count_a_form_states_is_read_without_an_office_suite(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    from nominator.export.documents import render_stage_documents

    paths = render_stage_documents(demo_dossier, campaign, "formal", tmp_path)
    counts = office.contract_page_counts(paths)
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            assert ("<Pages>" in zf.read("docProps/app.xml").decode()) == (counts[path] is not None)
    assert {counts[p] for p in paths if p.name.startswith("附件6")} == {2}
    assert counts[paths[0]] is None  # the report


def test_the_suite_is_the_one_installed(monkeypatch: pytest.MonkeyPatch, fake_soffice: Path) -> None:
    monkeypatch.setenv("PATH", f"{fake_soffice.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    suite = office.find_suite()
    assert isinstance(suite, LibreOffice) and suite.soffice == fake_soffice
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(office.shutil, "which", lambda _name: None)
    assert office.find_suite() is None  # not Windows here: no Word or WPS to ask
