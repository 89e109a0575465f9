"""The office suite the clerk has, behind one small interface: PDFs and page counts.

`find_suite()` picks, in order: LibreOffice where it is installed (also what CI uses); on Windows,
Microsoft Word (and Excel) or WPS Office through their own automation (COM); otherwise no suite
at all, and the page counts come from the forms' page contracts (`contract_page_counts`).

Nothing here is required for a package: every failure — no suite, a converter that hangs, crashes,
exits 0 having converted only part of its list, or writes a damaged PDF — ends as a `Converted`
without a PDF and a Chinese reason, never as an exception, so the export downgrades to
"PDF 未生成,原因……" and the package is still whole.

LibreOffice converts in batches (a long command line is cut short by the converter itself: 801
files in one call gave 246 PDFs and exit 0), each batch in its own process group with a timeout
and a watch on its progress, and each file's PDF is opened and its pages counted before it counts
as converted. Files a batch missed are tried again in smaller batches, then one by one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pypdf import PdfReader, PdfWriter

BATCH_FILES = 40  # files per LibreOffice call
BATCH_CHARS = 6000  # and at most this much command line (Windows allows 32767 in all)
START_S = 60.0  # a batch may take this long to start LibreOffice …
PER_FILE_S = 10.0  # … and this much per file, in all
STALL_S = 90.0  # no new PDF for this long: the converter hangs
GIVE_UP_AFTER = 2  # conversions in a row that had to be stopped: the converter is stuck
RETRY_SIZES = (8, 1)  # files a run missed are tried again in runs this large, then one by one


class ConversionCancelled(Exception):
    """The clerk cancelled while PDFs were being made; the converter was stopped."""


Cancelled = Callable[[], bool] | None


@dataclass(frozen=True)
class Converted:
    """One source file: its PDF and page count, or why there is none."""

    source: Path
    pdf: Path | None = None
    pages: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.pdf is not None and self.pages is not None


@dataclass
class Conversion:
    """What a suite did with a list of files."""

    suite: str
    results: dict[Path, Converted] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return bool(self.results) and all(r.ok for r in self.results.values())

    def problem(self) -> str:
        """One Chinese sentence for the clerk: how many failed and the first reason."""
        failed = [r for r in self.results.values() if not r.ok]
        if not failed:
            return ""
        first = failed[0]
        return f"{len(failed)} 个文件未能由 {self.suite} 转换为 PDF(如“{first.source.name}”:{first.problem})"


class OfficeSuite(Protocol):
    """What the export needs from an office suite."""

    name: str  # as the clerk knows it: "LibreOffice", "Microsoft Office", "WPS Office"

    def to_pdf(self, files: Sequence[Path], out_dir: Path, *, cancelled: Cancelled = None) -> Conversion: ...


def pdf_pages(pdf: Path) -> int | None:
    """Pages of a PDF that opens and has pages; None for a damaged or empty one."""
    try:
        if not pdf.is_file() or pdf.stat().st_size == 0:
            return None
        count = len(PdfReader(pdf).pages)
    except Exception:  # pypdf raises many kinds for damaged files
        return None
    return count or None


# ---------------------------------------------------------------- LibreOffice


def find_soffice() -> Path | None:
    """LibreOffice's converter: on PATH, or where its Windows installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return Path(found)
    if sys.platform == "win32":
        for base in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if base and candidate.is_file():
                return candidate
    return None


def batches(files: Sequence[Path], *, size: int = BATCH_FILES, chars: int = BATCH_CHARS) -> list[list[Path]]:
    """files in order, cut into groups of at most `size` files and `chars` of command line."""
    groups: list[list[Path]] = []
    current: list[Path] = []
    length = 0
    for path in files:
        cost = len(str(path)) + 3
        if current and (len(current) >= size or length + cost > chars):
            groups.append(current)
            current, length = [], 0
        current.append(path)
        length += cost
    if current:
        groups.append(current)
    return groups


@dataclass
class LibreOffice:
    soffice: Path
    name: str = "LibreOffice"
    start_s: float = START_S
    per_file_s: float = PER_FILE_S
    stall_s: float = STALL_S

    def to_pdf(self, files: Sequence[Path], out_dir: Path, *, cancelled: Cancelled = None) -> Conversion:
        out_dir.mkdir(parents=True, exist_ok=True)
        conversion = Conversion(self.name)
        _check_stems(files)
        stopped = 0
        for number, group in enumerate(batches(files)):
            if stopped >= GIVE_UP_AFTER:
                conversion.results.update({s: Converted(s, problem=_TIMEOUT) for s in group})
                continue
            done = self._run(group, out_dir / f"b{number}", cancelled)
            conversion.results.update(done)
            stopped = stopped + 1 if _stopped_empty(done) else 0
        for attempt, size in enumerate(RETRY_SIZES):  # what a run missed, again in smaller runs
            missed = [f for f in files if not conversion.results[f].ok]
            for number, group in enumerate(batches(missed, size=size)):
                if stopped >= GIVE_UP_AFTER:
                    return conversion  # the converter does not answer at all: keep the reasons we have
                again = self._run(group, out_dir / f"r{attempt}-{number}", cancelled)
                conversion.results.update({s: r for s, r in again.items() if r.ok})
                stopped = stopped + 1 if _stopped_empty(again) else 0
        return conversion

    def _run(self, group: list[Path], out_dir: Path, cancelled: Cancelled) -> dict[Path, Converted]:
        out_dir.mkdir(parents=True, exist_ok=True)
        problem = ""
        with tempfile.TemporaryDirectory(prefix="nominator-lo-", ignore_cleanup_errors=True) as profile:
            # A private profile: a LibreOffice window the clerk has open must not block us, nor we it.
            command = [
                str(self.soffice),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--nologo",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *[str(s) for s in group],
            ]
            try:
                code = run_killable(
                    command,
                    timeout=self.start_s + self.per_file_s * len(group),
                    stall=(self.stall_s, lambda: sum(1 for _ in out_dir.glob("*.pdf"))),
                    cancelled=cancelled,
                )
            except OSError as exc:
                code, problem = None, f"无法启动 LibreOffice({exc.strerror or exc})"
            else:
                if code is None:
                    problem = _TIMEOUT
                elif code != 0:
                    problem = f"LibreOffice 异常退出(代码 {code})"
        results: dict[Path, Converted] = {}
        for source in group:
            pdf = out_dir / (source.stem + ".pdf")
            pages = pdf_pages(pdf)
            if pages is not None:
                results[source] = Converted(source, pdf, pages)
            elif problem:
                results[source] = Converted(source, problem=problem)
            elif pdf.exists():
                results[source] = Converted(source, problem="生成的 PDF 已损坏")
            else:
                results[source] = Converted(source, problem="LibreOffice 未生成该文件的 PDF")
        return results


def _stopped_empty(done: dict[Path, Converted]) -> bool:
    """A run that had to be stopped without making a single PDF."""
    return all(r.problem == _TIMEOUT for r in done.values())


_TIMEOUT = "LibreOffice 长时间无响应,已停止"


def run_killable(
    command: list[str],
    *,
    timeout: float,
    stall: tuple[float, Callable[[], int]] | None = None,
    cancelled: Cancelled = None,
) -> int | None:
    """Run a command in its own process group: its exit code, or None when it had to be killed
    — after `timeout` seconds in all, or when `stall`'s progress count has not grown for its
    seconds. The whole group goes: soffice starts soffice.bin, which would linger. Raises
    ConversionCancelled when `cancelled()` turns true."""
    kwargs: dict[str, object] = {
        "stdin": subprocess.DEVNULL,
        "stdout": subprocess.DEVNULL,
        "stderr": subprocess.DEVNULL,
    }
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | getattr(
            subprocess, "CREATE_NO_WINDOW", 0
        )
    else:
        kwargs["start_new_session"] = True
    process = subprocess.Popen(command, **kwargs)  # type: ignore[call-overload]
    start = last_change = time.monotonic()
    last_count = stall[1]() if stall else 0
    while True:
        try:
            return int(process.wait(timeout=0.2))
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if cancelled is not None and cancelled():
            _kill_tree(process)
            raise ConversionCancelled
        if stall is not None:
            count = stall[1]()
            if count != last_count:
                last_count, last_change = count, now
            elif now - last_change > stall[0]:
                break
        if now - start > timeout:
            break
    _kill_tree(process)
    return None


def _kill_tree(process: subprocess.Popen[bytes]) -> None:
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _check_stems(files: Sequence[Path]) -> None:
    stems = [f.stem for f in files]
    if len(set(stems)) != len(stems):
        raise ValueError("files to convert must have distinct names")  # a programming error


# ---------------------------------------------------------------- Word / WPS through COM (Windows)


@dataclass
class ComOffice:
    """Microsoft Word and Excel, or WPS Office's writer and spreadsheet, through COM (Windows).

    Only imported and started on Windows; the PIDs are not ours to kill, so a document that
    does not come back within the timeout ends the run with the reason (Word keeps it open)."""

    name: str
    writer: str  # ProgID, e.g. "Word.Application"
    sheets: str  # "Excel.Application"

    def to_pdf(self, files: Sequence[Path], out_dir: Path, *, cancelled: Cancelled = None) -> Conversion:
        out_dir.mkdir(parents=True, exist_ok=True)
        conversion = Conversion(self.name)
        word = [f for f in files if f.suffix.lower() == ".docx"]
        excel = [f for f in files if f.suffix.lower() == ".xlsx"]
        for group, prog_id, convert in ((word, self.writer, _com_docx), (excel, self.sheets, _com_xlsx)):
            if not group:
                continue
            conversion.results.update(_com_run(prog_id, group, out_dir, convert, self.name, cancelled))
        return conversion


def _com_dispatch(prog_id: str) -> object:
    try:
        import win32com.client

        return win32com.client.DispatchEx(prog_id)
    except ImportError:
        import comtypes.client

        return comtypes.client.CreateObject(prog_id)


def _com_docx(app: object, source: Path, pdf: Path) -> None:
    doc = app.Documents.Open(str(source), False, True, False)  # type: ignore[attr-defined]
    try:
        try:
            doc.ExportAsFixedFormat(str(pdf), 17)  # wdExportFormatPDF
        except Exception:  # older WPS: save as PDF instead
            doc.SaveAs(str(pdf), 17)  # wdFormatPDF
    finally:
        doc.Close(0)


def _com_xlsx(app: object, source: Path, pdf: Path) -> None:
    book = app.Workbooks.Open(str(source), 0, True)  # type: ignore[attr-defined]
    try:
        book.ExportAsFixedFormat(0, str(pdf))  # xlTypePDF
    finally:
        book.Close(False)


def _com_run(
    prog_id: str,
    group: list[Path],
    out_dir: Path,
    convert: Callable[[object, Path, Path], None],
    name: str,
    cancelled: Cancelled,
) -> dict[Path, Converted]:
    results: dict[Path, Converted] = {}
    try:
        app = _com_dispatch(prog_id)
    except Exception:  # not installed, not registered, blocked: COM raises many kinds
        return {s: Converted(s, problem=f"无法启动 {name}") for s in group}
    try:
        for attr, value in (("Visible", False), ("DisplayAlerts", 0)):
            with contextlib.suppress(Exception):  # WPS lacks some of Word's properties
                setattr(app, attr, value)
        for source in group:
            if cancelled is not None and cancelled():
                raise ConversionCancelled
            pdf = out_dir / (source.stem + ".pdf")
            try:
                convert(app, source, pdf)
            except Exception as exc:
                results[source] = Converted(source, problem=f"{name} 转换出错({type(exc).__name__})")
                continue
            pages = pdf_pages(pdf)
            results[source] = (
                Converted(source, pdf, pages) if pages else Converted(source, problem="生成的 PDF 已损坏")
            )
    finally:
        with contextlib.suppress(Exception):
            app.Quit()  # type: ignore[attr-defined]
    return results


def _com_available(prog_id: str) -> bool:
    """Whether a COM class is registered (read from the registry; nothing is started)."""
    if sys.platform != "win32":
        return False
    try:
        import winreg

        with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, f"{prog_id}\\CLSID"):
            return True
    except OSError:
        return False


# ---------------------------------------------------------------- choosing, and the contracts


def find_suite() -> OfficeSuite | None:
    """The office suite to use here, or None when there is none."""
    soffice = find_soffice()
    if soffice is not None:
        return LibreOffice(soffice)
    if _com_available("Word.Application"):
        return ComOffice("Microsoft Office", "Word.Application", "Excel.Application")
    for writer, sheets in (("KWps.Application", "KET.Application"), ("wps.Application", "et.Application")):
        if _com_available(writer):
            return ComOffice("WPS Office", writer, sheets)
    return None


def converter_name() -> str | None:
    """What will make PDFs here, for the message to the clerk; None when nothing can."""
    suite = find_suite()
    return suite.name if suite else None


_PAGES = re.compile(rb"<(?:\w+:)?Pages>(\d+)</(?:\w+:)?Pages>")


def contract_page_counts(files: Iterable[Path]) -> dict[Path, int | None]:
    """Page counts without an office suite: what each document states it prints by construction
    (docProps/app.xml `Pages`, written by the export for forms with a page contract); None for
    a document whose length only an office suite can tell (a report, a list)."""
    counts: dict[Path, int | None] = {}
    for path in files:
        try:
            with zipfile.ZipFile(path) as archive:
                found = _PAGES.search(archive.read("docProps/app.xml"))
        except (OSError, KeyError, zipfile.BadZipFile):
            found = None
        counts[path] = int(found.group(1)) if found else None
    return counts


# ---------------------------------------------------------------- compatibility and PDF joining


def convert_to_pdf(sources: list[Path], out_dir: Path) -> dict[Path, Path]:
    """source → pdf for each source the installed suite converted (none without a suite)."""
    suite = find_suite()
    if suite is None or not sources:
        return {}
    return {s: r.pdf for s, r in suite.to_pdf(sources, out_dir).results.items() if r.pdf is not None}


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def merge_pdfs(parts: list[Path], out: Path, *, start_on_odd: Sequence[bool] = ()) -> None:
    """Join PDFs in order; a part flagged in start_on_odd begins on an odd page (a blank page
    goes before it where needed), so that printed on both sides it is a sheet of its own."""
    writer = PdfWriter()
    for n, part in enumerate(parts):
        if n < len(start_on_odd) and start_on_odd[n] and len(writer.pages) % 2 == 1:
            box = writer.pages[-1].mediabox
            writer.add_blank_page(width=float(box.width), height=float(box.height))
        writer.append(str(part))
    with out.open("wb") as handle:
        writer.write(handle)
