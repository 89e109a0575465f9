"""Turning environment failures (disk full, no permission, locked) into a message for the clerk.

Two kinds of trouble with a store file must never be confused: a store that is only
*unavailable* (read-only media, a full disk, another program holding it, a pulled USB stick) is
whole, and the advice is to fix the place; a store that is *damaged* (not a database, corrupt
pages, tables missing) needs a backup. Telling a clerk to restore a backup when the stick was
merely write-protected throws away their recent work.
"""

from __future__ import annotations

import sqlite3


def describe_database_error(message: str, name: str) -> str | None:
    """SQLite's complaint about the environment, for the clerk; None when it is our bug instead."""
    text = message.lower()
    unsaved = "刚才的操作没有完成,之前已保存的内容不受影响。"
    if "disk i/o error" in text or "unable to open database file" in text:
        return f"读写推荐库“{name}”时出错(U盘是否已拔出?){unsaved}请重新插入U盘或检查磁盘后,重新打开推荐库。"
    if "database or disk is full" in text:
        return f"磁盘空间不足,无法写入推荐库“{name}”。{unsaved}请清理磁盘后重试。"
    if "readonly database" in text:
        return (
            f"推荐库“{name}”所在的位置是只读的(例如光盘、写保护的U盘或只读文件),{unsaved}"
            "请把文件复制到“文档”等可写文件夹后再打开。"
        )
    if "database is locked" in text:
        return f"推荐库“{name}”正被另一个程序使用。{unsaved}请关闭那个程序后重试。"
    return None


# SQLite's primary result codes (the low byte of an extended code).
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT}
_TAMPERED_TEXT = ("no such table", "no such column", "malformed", "could not decode", "datatype mismatch")


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code behind `exc` (a sqlite3 error or SQLAlchemy's wrapper)."""
    for candidate in (exc, getattr(exc, "orig", None), exc.__cause__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


def is_damage(exc: BaseException) -> bool:
    """The file itself is broken or was changed by another program (not the place it is in)."""
    if sqlite_code(exc) in _CORRUPT:
        return True
    text = str(getattr(exc, "orig", None) or exc).lower()
    return any(phrase in text for phrase in _TAMPERED_TEXT)


def describe_unavailable(exc: BaseException, name: str) -> str | None:
    """Why a store that is *not* damaged could not be opened or read, with what to do; None when
    the error is not about the place (then it is damage or our bug)."""
    if is_damage(exc):
        return None
    code = sqlite_code(exc)
    text = str(getattr(exc, "orig", None) or exc).lower()
    whole = "推荐库文件本身没有损坏,请不要从备份恢复。"
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return (
            f"推荐库“{name}”正被另一个程序占用(如另一个推荐材料助手、同步盘或杀毒软件)。{whole}"
            "请关闭那个程序,稍后再试。"
        )
    if code == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return (
            f"推荐库“{name}”所在的位置是只读的(例如光盘、写保护的U盘或只读文件)。{whole}"
            "请把文件复制到“文档”等可写文件夹后再打开。"
        )
    if code == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return f"磁盘空间不足,无法打开推荐库“{name}”。{whole}请清理磁盘后重试。"
    if code == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
        return f"读取推荐库“{name}”时出错(U盘是否已拔出?)。{whole}请重新插入U盘或检查磁盘后再打开。"
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH) or (
        "unable to open database file" in text
    ):
        return (
            f"无法打开推荐库“{name}”:所在位置无法访问或没有权限,或文件正被其他程序占用。{whole}"
            "请检查U盘或网络位置,或把文件复制到“文档”后再打开。"
        )
    if code == sqlite3.SQLITE_NOMEM:
        return f"内存不足,无法打开推荐库“{name}”。{whole}请关闭其他程序后重试。"
    return None
