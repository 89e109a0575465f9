"""The one gate for files that come from outside: exchange files, Excel workbooks, photos,
campaign files and backups to restore.

Whatever another unit sends, or a damaged disk hands back, passes here before any other code
looks at it:

- **budgets first**: sizes and counts are checked from what is cheap to know (the file's size, a
  zip's directory, a count of brackets) before work grows with the input, so a refusal is quick;
- **text is normalised**: NFC, no control or invisible direction characters, and a lone surrogate
  (which no real text holds and which breaks every later write) is refused;
- **numbers are bounded**: an integer is an int (not a bool) within the range asked for;
- **paths are confined**: a relative path inside its folder, never `..`, absolute, a drive, a UNC
  share `\\\\host\\share`, a device name or a NUL;
- **blobs are counted once**: the same photo named by many people is held and budgeted once;
- **parsers' own errors** (json, zipfile, zlib, lxml, …) become one Chinese message naming the
  file and what is wrong, never a traceback.

Pure Python on purpose: no Qt, no SQLAlchemy, no Pillow and none of the program's layers, so that
every layer can use it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from nominator.errors import UserError

MB = 1024 * 1024


class Refused(UserError):
    """An input the gate does not let in; the message names the file and what is wrong."""


def shown(name: object, limit: int = 60) -> str:
    """A file or key name as it may appear in a message: printable, one line, not endless."""
    text = repair_text(str(name)).replace("\n", " ").replace("\t", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mb(size: int) -> str:
    return f"{size / MB:.0f}MB" if size >= MB else f"{max(1, size // 1024)}KB"


# ---- files and budgets ----------------------------------------------------------------------


def file_size(path: Path, limit: int, *, what: str) -> int:
    """The size of a regular file, refused before reading when it is over `limit`."""
    try:
        info = path.stat()
    except OSError as exc:
        raise Refused(f"找不到或无法读取“{shown(path)}”({exc.strerror or exc})。") from exc
    if not stat.S_ISREG(info.st_mode):
        raise Refused(f"“{shown(path.name)}”不是普通文件,无法作为{what}读取。")
    if info.st_size > limit:
        raise Refused(
            f"“{shown(path.name)}”有{_mb(info.st_size)},超过{what}的上限{_mb(limit)},不像正常的{what},已拒绝读取。"
        )
    return info.st_size


def read_file(path: Path, limit: int, *, what: str) -> bytes:
    """The whole file, never more than `limit` bytes even if it grows while being read."""
    file_size(path, limit, what=what)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise Refused(f"无法读取“{shown(path.name)}”({exc.strerror or exc})。") from exc
    if len(data) > limit:
        raise Refused(f"“{shown(path.name)}”超过{what}的上限{_mb(limit)},已拒绝读取。")
    return data


class Budget:
    """What one input may make the program hold: blobs (photos) by total size, each counted once.

    `keep(data)` returns the bytes to use: the first copy seen of the same content, so a photo
    named by twelve people is held, counted and later stored once.
    """

    def __init__(self, file: str, max_bytes: int, *, what: str = "照片") -> None:
        self.file = file
        self.max_bytes = max_bytes
        self.what = what
        self.used = 0
        self._seen: dict[bytes, bytes] = {}

    def keep(self, data: bytes) -> bytes:
        key = hashlib.sha256(data).digest()
        known = self._seen.get(key)
        if known is not None:
            return known
        self.used += len(data)
        if self.used > self.max_bytes:
            raise Refused(
                f"“{shown(self.file)}”中的{self.what}合计超过{_mb(self.max_bytes)},不像正常的推荐材料,已拒绝导入。"
                f"请分成几个文件报送,或先把{self.what}处理为正常大小。"
            )
        self._seen[key] = data
        return data

    @property
    def count(self) -> int:
        return len(self._seen)


def count_at_most(found: int, limit: int, *, file: str, what: str) -> None:
    if found > limit:
        raise Refused(f"“{shown(file)}”中有{found}个{what},超过上限{limit}个,不像正常的推荐材料,已拒绝导入。")


# ---- zip files ------------------------------------------------------------------------------

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


def zip_entry_count(handle: IO[bytes]) -> int | None:
    """How many entries a zip's directory claims, read from its last bytes only (None: no directory).

    zipfile reads the whole directory into objects first, so a zip with a million tiny entries
    costs seconds before anything can be refused; this costs one small read.
    """
    handle.seek(0, 2)
    size = handle.tell()
    start = max(0, size - (22 + 65535))
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(_EOCD)
    while at >= 0 and len(tail) - at < 22:
        at = tail.rfind(_EOCD, 0, at)
    if at < 0:
        return None
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    if entries != 0xFFFF:
        return int(entries)
    locator = tail[at - 20 : at] if at >= 20 else b""
    if not locator.startswith(_ZIP64_LOCATOR):
        return int(entries)
    offset = struct.unpack("<Q", locator[8:16])[0]
    if offset >= size:
        return None
    handle.seek(offset)
    record = handle.read(56)
    if len(record) < 56 or not record.startswith(_ZIP64_EOCD):
        return None
    return int(struct.unpack("<Q", record[32:40])[0])


def open_zip(
    source: Path | IO[bytes], *, name: str, max_entries: int, what: str, broken: str | None = None
) -> zipfile.ZipFile:
    """A zip whose directory holds at most `max_entries` entries; any zipfile complaint → Refused
    (with `broken` as the message when given)."""
    spaced = f" {what}" if what[:1].isascii() else what
    broken = broken or f"“{shown(name)}”不是有效的{spaced}或已损坏,无法读取。"
    with parser_errors(broken):
        if isinstance(source, Path):
            try:
                with open(source, "rb") as handle:
                    count = zip_entry_count(handle)
            except OSError as exc:
                raise Refused(f"无法读取“{shown(name)}”({exc.strerror or exc})。") from exc
        else:
            count = zip_entry_count(source)
            source.seek(0)
        if count is None:
            raise Refused(broken)
        if count > max_entries:
            raise Refused(
                f"“{shown(name)}”中有{count}个文件,超过{spaced}的上限{max_entries}个,不像正常的{spaced},已拒绝读取。"
            )
        zf = zipfile.ZipFile(source)
        if len(zf.infolist()) > max_entries:  # the directory said fewer than it holds
            zf.close()
            raise Refused(broken)
        return zf


def read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, file: str, limit: int, max_ratio: int | None = None
) -> bytes:
    """One member, at most `limit` bytes unpacked, whatever its header claims; a member that is a
    link, encrypted, damaged or (with `max_ratio`) packed like a bomb is refused."""
    member = shown(info.filename)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise Refused(f"“{shown(file)}”中的“{member}”是链接而不是文件,已拒绝导入。")
    if info.flag_bits & 0x1:
        raise Refused(f"“{shown(file)}”中的“{member}”设置了密码,无法读取。请去掉密码后重新压缩。")
    if info.file_size > limit:
        raise Refused(f"“{shown(file)}”中的“{member}”解压后过大({_mb(info.file_size)}),已拒绝导入。")
    if max_ratio and info.file_size > MB and info.file_size > max_ratio * max(info.compress_size, 1):
        raise Refused(
            f"“{shown(file)}”中的“{member}”压缩比异常(解压后是压缩前的{info.file_size // max(info.compress_size, 1)}倍),"
            "不像真实的照片,已拒绝导入。"
        )
    damaged = f"“{shown(file)}”中的“{member}”已损坏,无法读取。请让报送单位重新导出。"
    with parser_errors(damaged), zf.open(info) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"“{shown(file)}”中的“{member}”解压后过大,已拒绝导入。")
    return data


# ---- text -----------------------------------------------------------------------------------

# C0 and C1 controls but tab and newline; invisible direction and format marks that can make a
# name look like another (U+202E) or break a match (U+200B, U+FEFF); U+FFFE/U+FFFF, which XML and
# therefore Word cannot hold. ZWJ/ZWNJ (U+200C/D) stay: emoji and some scripts need them.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ATTENTION = re.compile("[\r\u2028\u2029\ud800-\udfff" + _UNWANTED.pattern[1:-1] + "]")  # see repair_text


def has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _normalise(text: str) -> str:
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _LINE_BREAKS.sub("\n", text)
    text = _UNWANTED.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def clean_text(value: str, *, where: str) -> str:
    """Text from outside as the program keeps it: NFC, one kind of line break, no control or
    invisible direction characters. A lone surrogate means the file is damaged: refused."""
    if has_lone_surrogate(value):
        raise Refused(
            f"{where}含有损坏的字符(不成对的代理项),文件可能已损坏或被改动过。请让报送单位重新导出后再导入。"
        )
    return _normalise(value)


def repair_text(value: str) -> str:
    """`clean_text` for text already inside the program (a store written by an older version):
    never refuses; a lone surrogate becomes U+FFFD; text with nothing to change is returned as is."""
    if _ATTENTION.search(value) is None and unicodedata.is_normalized("NFC", value):
        return value
    if has_lone_surrogate(value):
        value = _SURROGATE.sub("\ufffd", value)
    return _normalise(value)


def clean_tree(value: Any, *, where: str, max_depth: int = 16, repair: bool = False) -> Any:
    """A JSON value kept as is (unknown keys): every text and key normalised, numbers bounded,
    nesting bounded. With `repair` (values already inside the program) nothing is refused:
    damaged text is mended and an invalid number becomes null."""

    def walk(item: Any, path: str, depth: int) -> Any:
        if depth > max_depth and not repair:
            raise Refused(f"{path}嵌套层次过深,不像正常的内容。")
        if isinstance(item, str):
            return repair_text(item) if repair else clean_text(item, where=path)
        if isinstance(item, bool) or item is None:
            return item
        if isinstance(item, int):
            if abs(item) > 2**63 and not repair:
                raise Refused(f"{path}中的数字过大。")
            return item
        if isinstance(item, float):
            if not math.isfinite(item):
                if repair:
                    return None
                raise Refused(f"{path}中有无效的数值(NaN 或无穷大)。")
            return item
        if isinstance(item, list):
            return [walk(v, f"{path}[{n}]", depth + 1) for n, v in enumerate(item)]
        if isinstance(item, dict):
            result: dict[str, Any] = {}
            for key, v in item.items():
                name = repair_text(str(key)) if repair else clean_text(str(key), where=f"{path}的键名")
                result[name] = walk(v, f"{path}.{shown(name, 30)}", depth + 1)
            return result
        if repair:
            return repair_text(str(item))
        raise Refused(f"{path}的类型无法识别。")

    return walk(value, where, 0)


def text_size(value: Any) -> int:
    """Roughly how many characters a JSON value holds (keys included), without serialising it."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(k)) + text_size(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(text_size(v) for v in value)
    return 8


# ---- numbers --------------------------------------------------------------------------------


def bounded_int(value: Any, *, low: int, high: int, where: str) -> int:
    """An integer in [low, high]; a bool, a float or a giant number is refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(f"{where}应为整数,实际为 {shown(repr(value), 40)}。")
    if not low <= value <= high:
        size = f"{value}" if abs(value) < 10**15 else f"{len(str(abs(value)))}位数"
        raise Refused(f"{where}应在{low}到{high}之间,实际为 {size}。")
    return value


# ---- paths ----------------------------------------------------------------------------------

_DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
_DEVICE_NAMES |= {f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³"}
MAX_PATH_CHARS = 400


def confined_path(text: str, *, where: str) -> str:
    """A relative path that stays inside its folder, as "a/b.jpg"; anything that could point
    elsewhere (`..`, `/etc`, `C:`, `\\\\host\\share`, a device name, a NUL, a stream `x:y`) is refused."""
    unsafe = f"{where}的路径“{shown(text)}”不安全(含“..”、绝对路径、盘符、网络路径或设备名),已拒绝导入。"
    if not text or len(text) > MAX_PATH_CHARS or has_lone_surrogate(text):
        raise Refused(unsafe)
    if _UNWANTED.search(text) or "\t" in text or "\n" in text or ":" in text:
        raise Refused(unsafe)
    clean = text.replace("\\", "/")
    if clean.startswith("/"):  # /etc/passwd, \Windows, \\host\share, //host/share
        raise Refused(unsafe)
    parts = [part for part in clean.split("/") if part not in ("", ".")]
    if not parts:
        raise Refused(unsafe)
    for part in parts:
        stem = part.split(".")[0].strip().upper()
        if part == ".." or part.endswith((".", " ")) or stem in _DEVICE_NAMES or len(part) > 255:
            raise Refused(unsafe)
    return "/".join(parts)


def inside(folder: Path, relative: str, *, where: str) -> Path:
    """`relative` (already confined) resolved under `folder`, links followed, and still there."""
    try:
        root = folder.resolve()
        target = (root / relative).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a name too long for the disk
        raise Refused(f"{where}的路径“{shown(relative)}”无法打开(链接循环或名称过长),已拒绝导入。") from exc
    if not target.is_relative_to(root):
        raise Refused(f"{where}的路径“{shown(relative)}”指向文件夹以外(经由链接),已拒绝导入。")
    return target


def is_file(path: Path) -> bool:
    """`path.is_file()` that says False instead of raising (a name too long, a link loop)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def name_of(relative: str) -> str:
    return PurePosixPath(relative).name


# ---- JSON -----------------------------------------------------------------------------------

MAX_DIGITS = 30  # far beyond any count or year; json would otherwise build 5,000-digit ints


def _no_constant(name: str) -> Any:
    raise ValueError(f"constant {name}")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError("integer too long")
    return int(text)


def _finite_float(text: str) -> float:
    if len(text) > 100:
        raise ValueError("number too long")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def parse_json(raw: bytes, *, name: str, max_containers: int) -> Any:
    """JSON from outside: UTF-8, at most `max_containers` objects and arrays (counted before
    parsing), no repeated keys, no NaN/Infinity, no endless numbers."""
    file = shown(name)
    containers = raw.count(b"{") + raw.count(b"[")  # an upper bound: brackets inside text count too
    if containers > max_containers:
        raise Refused(f"“{file}”中的条目过多(超过{max_containers}个),不像正常的交换文件,已拒绝导入。")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(f"“{file}”不是 UTF-8 编码的文本,无法作为交换文件读取。") from exc
    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise Refused(f"“{file}”不是有效的 JSON(第{exc.lineno}行第{exc.colno}列附近有误)。") from exc
    except _DuplicateKey as exc:
        raise Refused(
            f"“{file}”中同一处出现了两个“{shown(exc.key, 30)}”,无法确定该用哪一个,已拒绝导入。"
        ) from exc
    except RecursionError as exc:  # [[[[… a few hundred thousand deep
        raise Refused(f"“{file}”的内容嵌套层次过深,不像正常的交换文件,已拒绝导入。") from exc
    except ValueError as exc:  # NaN, Infinity, 1e999, a number of thousands of digits
        raise Refused(f"“{file}”中有无效或过长的数字(如 NaN、Infinity 或几十位的整数),已拒绝导入。") from exc


# ---- XML parts (Office files) ----------------------------------------------------------------

_ROOT_START = re.compile(r"<[A-Za-z_]")
PROLOGUE_BYTES = 64 * 1024


def xml_prologue(head: bytes, *, file: str, part: str) -> None:
    """Refuse an XML part that declares a DTD or entities before its root element: Office never
    writes one, and it is how entity bombs ("billion laughs") and external entities get in."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    elif head.startswith((b"<\x00", b"\x00<")):
        text = head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="replace")
    else:
        text = head.decode("latin-1")
    root = _ROOT_START.search(text)
    prologue = text[: root.start()] if root else text
    if "<!DOCTYPE" in prologue.upper() or "<!ENTITY" in prologue.upper():
        raise Refused(
            f"“{shown(file)}”的“{shown(part)}”含有文档类型定义(DTD),这不是 Excel 保存的文件,已拒绝读取。"
        )
    if root is None and len(head) >= PROLOGUE_BYTES:
        raise Refused(f"“{shown(file)}”的“{shown(part)}”开头异常,不是 Excel 保存的文件,已拒绝读取。")


# ---- parsers' own errors ----------------------------------------------------------------------


@contextmanager
def parser_errors(message: str) -> Iterator[None]:
    """Any error a parser raises on bad input (ValueError, KeyError, zlib.error, lxml's
    XMLSyntaxError, zipfile.BadZipFile, EOFError, …) becomes `Refused(message)`."""
    try:
        yield
    except UserError:
        raise
    except RecursionError as exc:
        raise Refused(f"{message}(内容嵌套层次过深)") from exc
    except MemoryError as exc:
        raise Refused(f"{message}(文件展开后过大,内存不足)") from exc
    except Exception as exc:
        raise Refused(message) from exc


def with_file(file: str, message: str) -> str:
    """A message that names the file it is about (once)."""
    name = shown(file)
    return message if f"“{name}”" in message else f"“{name}”:{message}"
