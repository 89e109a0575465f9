"""Generic file helpers, ground floor (every layer may use them; they use none): atomic writes,
names every file system accepts, the usual permissions, what a killed process leaves behind, and
an OSError said for the clerk.

Every writer works in a temp file or folder with a hidden `.nominator-` name (or `.part`) and
renames it into place, so a crash (power cut, killed process) leaves only such temp names, never a
half-written file under a real name. The next writer in the same folder removes the ones that are
clearly abandoned, and never one that another program (a second window, the command line) is
still working in:

- names made here carry the writer's process id (`.nominator-export-1234-x1y2`): when that
  process is gone, the leftover is removed at once;
- anything else (or a process id now used by another program) is removed when older than this
  process and older than STALE_AFTER.

A leading dot hides nothing on Windows, so there the temp files and folders are given the
hidden attribute, taken off again just before the rename into place (`publish`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

STARTED = time.time()
STALE_AFTER = 3600.0  # seconds; far longer than any export, PDF conversion included


def temp_dir(parent: Path, prefix: str) -> Path:
    """A new hidden work folder in `parent`, named `<prefix><pid>-<random>`."""
    path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))
    hide(path)
    return path


def temp_file(parent: Path, prefix: str, suffix: str = "") -> tuple[int, str]:
    """`tempfile.mkstemp` in `parent`, named `<prefix><pid>-<random><suffix>` and hidden."""
    fd, name = tempfile.mkstemp(prefix=f"{prefix}{os.getpid()}-", suffix=suffix, dir=parent)
    hide(Path(name))
    return fd, name


def publish(work: Path, target: Path) -> None:
    """Rename a finished work file or folder into place, visible, with the permissions any new
    file gets under the umask (tempfile made it 0600 / 0700, private while it was work)."""
    unhide(work)
    usual_permissions(work)
    os.replace(work, target)


def remove_stale(folder: Path, pattern: str) -> list[Path]:
    """Delete entries of `folder` matching `pattern` left by an earlier, dead process."""
    cutoff = min(STARTED, time.time() - STALE_AFTER)
    prefix = pattern.rstrip("*")
    removed = []
    try:
        entries = list(folder.glob(pattern))
    except OSError:
        return []
    for entry in entries:
        try:
            owner = _owner(entry.name, prefix)
            abandoned = owner is not None and owner != os.getpid() and not _alive(owner)
            if not abandoned and entry.lstat().st_mtime >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            continue  # tidying is a courtesy; never fail the real work over it
        if not entry.exists():
            removed.append(entry)
    return removed


def _owner(name: str, prefix: str) -> int | None:
    """The process id a temp name made by `temp_dir`/`temp_file` carries, or None."""
    if not name.startswith(prefix):
        return None
    digits, dash, _ = name[len(prefix) :].partition("-")
    return int(digits) if dash and digits.isdigit() and 0 < len(digits) < 10 else None


if sys.platform == "win32":
    import ctypes

    _HIDDEN = 0x2
    _STILL_ACTIVE = 259
    _QUERY = 0x1000  # PROCESS_QUERY_LIMITED_INFORMATION
    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

    def _set_hidden(path: Path, hidden: bool) -> None:
        attributes = _kernel32.GetFileAttributesW(str(path))
        if attributes == -1 or attributes == 0xFFFFFFFF:
            return
        wanted = attributes | _HIDDEN if hidden else attributes & ~_HIDDEN
        if wanted != attributes:
            _kernel32.SetFileAttributesW(str(path), wanted)

    def hide(path: Path) -> None:
        with contextlib.suppress(OSError):
            _set_hidden(path, True)

    def unhide(path: Path) -> None:
        with contextlib.suppress(OSError):
            _set_hidden(path, False)

    def _alive(pid: int) -> bool:
        handle = _kernel32.OpenProcess(_QUERY, False, pid)
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = ctypes.c_ulong()
            if not _kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            _kernel32.CloseHandle(handle)

else:

    def hide(path: Path) -> None:
        return None  # the leading dot does it

    def unhide(path: Path) -> None:
        return None

    def _alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # exists, but belongs to someone else
        return True


def write_atomically(target: Path, data: bytes, *, prefix: str = ".nominator-", suffix: str = "") -> None:
    """`data` under `target`, whole or not at all: written to a hidden temp file beside it,
    flushed to the disk, given the usual permissions and renamed into place. Leftovers of a
    writer that was killed in the same folder are tidied first."""
    remove_stale(target.parent, f"{prefix}*")
    fd, tmp = temp_file(target.parent, prefix, suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        publish(Path(tmp), target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- names ------------------------------------------------------------------------------------
# File names that Windows, macOS and a USB stick's FAT all accept.

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


# ---- permissions ------------------------------------------------------------------------------


def usual_permissions(path: Path) -> None:
    """Give a file or folder made by `tempfile` (0600 / 0700: private by design) the permissions
    any other new file gets here (0666 / 0777 less the umask), before it is renamed into view —
    an export folder or a template others on the machine or the share can open. No-op on Windows."""
    if os.name == "nt":
        return
    os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~_umask())


_umask_lock = threading.Lock()


def _umask() -> int:
    try:  # Linux says it without changing it
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:  # elsewhere it can only be read by setting it
        current = os.umask(0o022)
        os.umask(current)
        return current


# ---- an OSError, for the clerk ----------------------------------------------------------------


def describe_os_error(exc: OSError) -> str:
    where = f"“{exc.filename}”" if exc.filename else ""
    code = exc.errno
    if code == errno.ENOSPC:
        return f"磁盘空间不足,无法写入{where}。请清理磁盘或换一个位置后重试,已有数据未改动。"
    if code in (errno.EACCES, errno.EPERM):
        return f"没有权限写入{where}。请换一个有写入权限的文件夹(例如“文档”),或去掉文件的只读属性。"
    if code == errno.ENOENT:
        return f"找不到文件或文件夹{where}。请检查路径是否正确。"
    if code == errno.EROFS:
        return f"{where}所在的位置是只读的(例如光盘或写保护的U盘)。请把文件复制到本机后再打开。"
    if code in (errno.EINVAL, errno.ENAMETOOLONG):
        return f'文件名或路径{where}不合规或过长。请缩短路径,避免使用 <>:"/\\|?* 等字符。'
    if code == errno.EIO:
        return f"读写{where}时出错(U盘是否已拔出?)。请重新插入后重试。"
    return f"读写文件{where}失败:{exc.strerror or exc}。"
