"""One writer per store file: a second window or command on the same file is refused with a
message instead of two programs editing one file. The lock is an OS lock on `<store>.lock`, so it
disappears by itself when a process dies."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import IO

from nominator.errors import UserError


class StoreLock:
    def __init__(self, store_path: Path) -> None:
        self.path = store_path.with_name(store_path.name + ".lock")
        self._file: IO[bytes] | None = None

    def acquire(self) -> None:
        try:
            handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the life of the lock
        except PermissionError as exc:
            raise UserError(
                f"无法在“{self.path.parent}”中写入,推荐库不能在只读位置编辑。请把文件复制到“文档”等可写文件夹后再打开。"
            ) from exc
        try:
            _lock(handle)
        except OSError as exc:
            handle.close()
            raise UserError(
                f"推荐库“{self.path.name[:-5]}”已在另一个窗口或程序中打开。请先关闭那个窗口,再重试。"
            ) from exc
        self._file = handle

    def release(self) -> None:
        if self._file is None:
            return
        try:
            _unlock(self._file)
        finally:
            self._file.close()
            self._file = None
        # Another process may hold it by now, or the folder went read-only: harmless.
        with contextlib.suppress(OSError):
            self.path.unlink()


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
