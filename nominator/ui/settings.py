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


def remember_page_titles(path: Path, titles: list[str]) -> None:
    """The navigation's titles in the campaign's words (先进集体 …) for the store last opened, so
    the window's frame shows them before that store is open again (and its campaign read)."""
    store = settings()
    store.setValue("window/page_titles", [str(path.resolve()), *titles])


def page_titles(path: Path) -> list[str] | None:
    """The titles remembered for this store; None for another store or none remembered."""
    value = settings().value("window/page_titles", [])
    listed = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if len(listed) < 2 or listed[0] != str(path.resolve()):
        return None
    return listed[1:]
