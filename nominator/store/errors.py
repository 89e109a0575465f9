"""Turning environment failures (disk full, no permission, locked) into a message for the clerk."""

from __future__ import annotations

import errno


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
