"""Window state and recently opened files, in an INI file under the user's settings folder
(organisation "Nominator"). INI everywhere, so tests can redirect it with QSettings.setPath."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "Nominator"
APPLICATION = "Nominator"
MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def recent_files() -> list[Path]:
    value = settings().value("recent", [])
    listed: list[object] = (
        [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    )
    return [Path(v) for v in listed if isinstance(v, str) and v]


def remember_file(path: Path) -> None:
    resolved = str(path.resolve())
    listed = [str(p) for p in recent_files() if str(p) != resolved]
    store = settings()
    store.setValue("recent", [resolved, *listed][:MAX_RECENT])
    store.sync()


def forget_file(path: Path) -> None:
    resolved = str(path.resolve())
    store = settings()
    store.setValue("recent", [str(p) for p in recent_files() if str(p) != resolved])
    store.sync()
