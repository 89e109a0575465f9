"""Telling the clerk: UserErrors as they are, unexpected errors as a short apology (and a log
entry without personal details: exception type and code locations only, never the message)."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from nominator.errors import UserError

log = logging.getLogger("nominator.ui")

APOLOGY = (
    "很抱歉,程序遇到了意外错误。\n\n"
    "已输入的内容都已自动保存,不会丢失。请关闭本窗口后继续使用;如果问题反复出现,"
    "请把日志文件夹中的 nominator.log 发给技术支持人员。\n\n日志文件夹:{folder}"
)


# The log, the data folder and OS error wording are imported when used: this module is imported
# before the window's first paint (app.py), they are not needed for it.


def log_dir() -> Any:
    from nominator.store import backup

    return backup.data_dir() / "logs"


def setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            folder / "nominator.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("nominator")
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def show_user_error(parent: QWidget | None, message: str, title: str = "无法完成操作") -> None:
    QMessageBox.warning(parent, title, message)


def scrubbed_traceback(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Where it failed, without the exception's message (which may hold a nominee's name)."""
    frames = traceback.extract_tb(tb)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in reversed(frames))
    return f"{exc_type.__module__}.{exc_type.__qualname__} at {where}"


def report_unexpected(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, parent: QWidget | None = None
) -> None:
    log.error("unexpected error: %s", scrubbed_traceback(exc_type, tb))
    QMessageBox.critical(parent, "程序出错", APOLOGY.format(folder=log_dir()))


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, UserError):
        show_user_error(None, str(exc))
    elif issubclass(exc_type, OSError):
        assert isinstance(exc, OSError)
        from nominator.files import describe_os_error

        show_user_error(None, describe_os_error(exc))
    elif issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
    else:
        report_unexpected(exc_type, exc, tb)


@contextmanager
def user_errors(parent: QWidget | None) -> Iterator[None]:
    """Show a UserError (or a disk/permission failure) in a message box instead of raising."""
    try:
        yield
    except UserError as exc:
        show_user_error(parent, str(exc))
    except OSError as exc:
        from nominator.files import describe_os_error

        show_user_error(parent, describe_os_error(exc))


def guarded(parent: QWidget | None, action: Callable[[], Any]) -> Any:
    with user_errors(parent):
        return action()
    return None
