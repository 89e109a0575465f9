"""What a killed process leaves behind, and tidying it up.

Every writer works in a temp file or folder with a hidden `.nominator-` name (or `.part`) and
renames it into place, so a crash (power cut, killed process) leaves only such temp names, never a
half-written file under a real name. The next writer in the same folder removes the ones that are
clearly abandoned: older than this process, and older than STALE_AFTER, so that another program's
export that is still running (a second window, the command line) is never touched.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

STARTED = time.time()
STALE_AFTER = 3600.0  # seconds; far longer than any export, PDF conversion included


def remove_stale(folder: Path, pattern: str) -> list[Path]:
    """Delete entries of `folder` matching `pattern` left by an earlier, dead process."""
    cutoff = min(STARTED, time.time() - STALE_AFTER)
    removed = []
    try:
        entries = list(folder.glob(pattern))
    except OSError:
        return []
    for entry in entries:
        try:
            if entry.lstat().st_mtime >= cutoff:
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
