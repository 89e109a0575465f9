"""What a killed process leaves behind, and tidying it up.

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
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nominator.paths import usual_permissions

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
