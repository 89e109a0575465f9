"""The email bundle: `<subject>.zip` whose Chinese names survive every unzip tool, and
`<subject>.eml`, a draft Outlook and Foxmail open ready to send (rule M4).

Zip names: Windows' built-in unzip and most Chinese tools read names in the ANSI code page
(GBK, cp936) unless the UTF-8 flag is set, and older ones ignore that flag. So each name is
written in GBK with the Info-ZIP Unicode Path extra field (0x7075) carrying the UTF-8 name for
tools that know it; a name GBK cannot encode is written in UTF-8 with the flag.

Mail: the attachment name goes both as RFC 2231 (`filename*=`) and RFC 2047 (`name="=?…?="`)
because Outlook reads the latter and standards-minded clients the former; `X-Unsent: 1` makes
Outlook open the file as a draft; no From or Date, so the clerk's own account fills them in.
"""

from __future__ import annotations

import base64
import struct
import urllib.parse
import zipfile
import zlib
from dataclasses import dataclass
from email.header import Header
from pathlib import Path

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA = 0x7075


class _GbkZipInfo(zipfile.ZipInfo):
    """A ZipInfo whose name is stored in GBK (with a 0x7075 UTF-8 copy) when GBK can hold it."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        try:
            return self.filename.encode("cp936"), self.flag_bits & ~UTF8_FLAG
        except UnicodeEncodeError:
            return self.filename.encode("utf-8"), self.flag_bits | UTF8_FLAG


def _unicode_path_extra(name: str) -> bytes:
    raw = name.encode("cp936")
    utf8 = name.encode("utf-8")
    body = struct.pack("<BI", 1, zlib.crc32(raw)) + utf8
    return struct.pack("<HH", UNICODE_PATH_EXTRA, len(body)) + body


def zip_info(name: str, *, date_time: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = _GbkZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    try:
        info.extra = _unicode_path_extra(name) if not name.isascii() else b""
        info.create_system = 0  # MS-DOS: tells unzip tools the name is in the local code page
    except UnicodeEncodeError:
        info.create_system = 3  # stored as UTF-8 with the flag; tools honour the flag for these
    return info


def write_zip(
    path: Path, files: list[tuple[str, Path]], *, date_time: tuple[int, int, int, int, int, int]
) -> None:
    """files: (name inside the zip, file on disk). Folders are implied by '/' in the names."""
    with BundleZip(path, date_time=date_time) as bundle:
        for name, source in files:
            bundle.add(name, source)


class BundleZip:
    """The zip written entry by entry, from files or from bytes at hand (a document just
    rendered is added without being read back)."""

    CHUNK = 1 << 20

    def __init__(self, path: Path, *, date_time: tuple[int, int, int, int, int, int]) -> None:
        self.date_time = date_time
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)

    def add(self, name: str, source: Path | bytes) -> None:
        info = zip_info(name, date_time=self.date_time)
        suffix = (source.suffix if isinstance(source, Path) else Path(name).suffix).lower()
        if suffix in (".jpg", ".jpeg", ".zip", ".png"):
            info.compress_type = zipfile.ZIP_STORED  # already compressed
        with self._zip.open(info, "w") as dst:
            if isinstance(source, Path):
                with source.open("rb") as src:
                    while chunk := src.read(self.CHUNK):
                        dst.write(chunk)
            else:
                for start in range(0, len(source), self.CHUNK):
                    dst.write(source[start : start + self.CHUNK])

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> BundleZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class ZipName:
    """How one entry's name reads: in GBK, in the 0x7075 field (if any), and with the UTF-8 flag."""

    raw: bytes
    utf8_flag: bool
    unicode_extra: str | None

    @property
    def as_cp936(self) -> str:
        return self.raw.decode("utf-8") if self.utf8_flag else self.raw.decode("cp936")


def read_zip_names(path: Path) -> list[ZipName]:
    """Names exactly as stored (for tests and for the clerk's 'check the bundle' view)."""
    names = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            flag = bool(info.flag_bits & UTF8_FLAG)
            raw = info.orig_filename.encode("utf-8" if flag else "cp437")
            names.append(ZipName(raw, flag, _read_unicode_extra(info.extra, raw)))
    return names


def _read_unicode_extra(extra: bytes, raw: bytes) -> str | None:
    pos = 0
    while pos + 4 <= len(extra):
        header, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        if header == UNICODE_PATH_EXTRA and len(body) >= 5:
            _version, crc = struct.unpack_from("<BI", body)
            if crc == zlib.crc32(raw):
                return body[5:].decode("utf-8")
        pos += 4 + size
    return None


def _encoded_words(text: str) -> str:
    """RFC 2047 encoded words (UTF-8, base64), split so each stays within 75 characters."""
    return Header(text, "utf-8", maxlinelen=76).encode(linesep=" ")


def _rfc2231(text: str) -> str:
    return "UTF-8''" + urllib.parse.quote(text, safe="")


def write_eml(path: Path, *, to: str, subject: str, body: str, attachment: Path) -> None:
    """A draft mail with one attachment, written by hand so both name encodings are present."""
    boundary = "----=_Nominator_" + base64.b32encode(subject.encode("utf-8"))[:16].decode("ascii")
    name = attachment.name
    encoded_name = _encoded_words(name)
    body_b64 = base64.encodebytes(body.encode("utf-8")).decode("ascii")
    lines = [
        f"To: {to}",
        f"Subject: {_encoded_words(subject)}",
        "X-Unsent: 1",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        "This is a multi-part message in MIME format.",
        "",
        f"--{boundary}",
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: base64",
        "",
        body_b64.rstrip("\n"),
        "",
        f"--{boundary}",
        f'Content-Type: application/zip; name="{encoded_name}"',
        "Content-Transfer-Encoding: base64",
        f'Content-Disposition: attachment; filename="{encoded_name}";',
        f" filename*={_rfc2231(name)}",
        "",
    ]
    after = ["", f"--{boundary}--", ""]
    # The attachment is encoded as it is read, in whole lines (57 bytes a line): the mail of a
    # province's package holds hundreds of MB and is never in memory at once.
    with path.open("wb") as out, attachment.open("rb") as source:
        out.write("\r\n".join(lines).encode("ascii") + b"\r\n")
        held = b""
        while chunk := source.read(57 * 16384):
            out.write(held)
            held = base64.encodebytes(chunk)
        out.write(held.removesuffix(b"\n"))
        out.write(b"\r\n" + "\r\n".join(after).encode("ascii"))
