"""Turning documents into PDF with the office suite the clerk has (LibreOffice here and on many
office PCs; Word or WPS otherwise), and counting pages. Nothing here is required: when no
converter is found the export still writes every .docx/.xlsx and says that no PDF was made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

TIMEOUT_S = 300


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


def converter_name() -> str | None:
    """What will make PDFs here, for the message to the clerk; None when nothing can."""
    return "LibreOffice" if find_soffice() else None


def convert_to_pdf(sources: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Convert all sources in one run of the converter; returns source → pdf for those that worked."""
    soffice = find_soffice()
    if soffice is None or not sources:
        return {}
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nominator-lo-") as profile:
        # A private profile: a LibreOffice window the clerk has open must not block us, nor we it.
        subprocess.run(
            [
                str(soffice),
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                *[str(s) for s in sources],
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT_S,
            check=False,
        )
    results = {}
    for source in sources:
        pdf = out_dir / (source.stem + ".pdf")
        if pdf.is_file() and pdf.stat().st_size > 0:
            results[source] = pdf
    return results


def page_count(pdf: Path) -> int:
    return len(PdfReader(pdf).pages)


def merge_pdfs(parts: list[Path], out: Path) -> None:
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    with out.open("wb") as handle:
        writer.write(handle)
