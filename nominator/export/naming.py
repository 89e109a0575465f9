"""File names that Windows, macOS and a USB stick's FAT all accept."""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}  # fmt: skip
# Windows' MAX_PATH is 260 for the whole path; leave room for the folder the clerk picks.
MAX_STEM = 120
# Linux and macOS cap one name at 255 bytes; CJK takes 3 bytes in UTF-8.
MAX_BYTES = 220


def safe_filename(name: str, *, replacement: str = "") -> str:
    """`name` (stem plus extension) made safe as one path component on Windows.

    Forbidden characters and control characters are dropped, trailing dots and spaces removed,
    reserved device names (CON, COM1 …) prefixed with an underscore, and a stem longer than
    MAX_STEM characters (or MAX_BYTES in UTF-8) shortened. An empty result becomes "未命名".
    """
    name = unicodedata.normalize("NFC", name)
    name = _FORBIDDEN.sub(replacement, name).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 5 or not ext.isascii():
        stem, ext = name, ""
    stem = stem.rstrip(". ")
    if len(stem) > MAX_STEM:
        stem = stem[:MAX_STEM].rstrip(". ")
    while len(f"{stem}.{ext}".encode()) > MAX_BYTES:
        stem = stem[:-1].rstrip(". ")
    if not stem:
        stem = "未命名"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    return f"{stem}.{ext}" if ext else stem
