"""No network: a whole flow — demo store, check, export, exchange round trip, photo check and fix,
the main window — opens no socket and resolves no host name."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nominator.cli import main
from tests import photo_corpus as pc

NETWORK_EVENTS = {
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.sendto",
}
_recording: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording is not None and (event in NETWORK_EVENTS or event == "socket.__new__"):
        _recording.append(f"{event} {args!r}"[:200])


sys.addaudithook(_audit)  # audit hooks cannot be removed: this one records only inside `sockets`


@pytest.fixture()
def sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    global _recording
    used: list[str] = []

    def refuse(*args: object, **kw: object) -> None:
        used.append(f"create_connection {args!r}")
        raise OSError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    _recording = used
    try:
        yield used
    finally:
        _recording = None


def run(capsys: pytest.CaptureFixture[str], *args: str) -> int:
    code = main(list(args))
    capsys.readouterr()
    return code


def test_the_whole_flow_opens_no_socket(
    tmp_path: Path, sockets: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "示例.nominator"
    assert run(capsys, "demo", "--db", str(db)) == 0
    assert run(capsys, "check", "--db", str(db), "--stage", "formal", "--json") in (0, 1)
    assert run(capsys, "export-data", "--db", str(db), "--out", str(tmp_path / "x.zip")) == 0
    assert run(capsys, "import", str(tmp_path / "x.zip"), "--db", str(tmp_path / "b.nominator")) == 0
    import datetime as dt

    from nominator.campaign import load_campaign
    from nominator.export.package import export_stage
    from nominator.store.session import load_dossier

    export_stage(
        load_dossier(db),
        load_campaign(),
        "initial",
        tmp_path / "out",
        today=dt.date(2025, 12, 21),
        make_pdf=False,
    )
    photo = tmp_path / "张某某-19660101.jpg"
    photo.write_bytes(pc.jpeg(pc.off_centre()))
    assert run(capsys, "photo", "check", str(photo)) in (0, 1)
    assert run(
        capsys,
        "photo",
        "fix",
        str(photo),
        "--name",
        "张某某",
        "--birth",
        "19660101",
        "--out",
        str(tmp_path / "fixed"),
    ) in (0, 1)
    assert run(capsys, "restore", "--db", str(db), "--list") == 0
    assert sockets == []


def test_the_main_window_opens_no_socket(
    tmp_path: Path, sockets: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("PySide6.QtWidgets", reason="the window's test needs PySide6 (not in the no-Qt job)")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from nominator.interchange.demo import create_demo_store
    from nominator.store.session import Store
    from nominator.ui.document import Document
    from nominator.ui.main_window import MainWindow

    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    app = QApplication.instance() or QApplication([])
    window = MainWindow(Document(Store.open(create_demo_store(tmp_path / "demo.nominator"))))
    window.show()
    app.processEvents()
    window.close()
    window.deleteLater()
    app.processEvents()
    assert sockets == []
    assert "PySide6.QtNetwork" not in sys.modules  # Qt's own sockets would not show in Python's audit


def test_the_recorder_does_catch_a_socket(sockets: list[str]) -> None:
    socket.socket().close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    assert any("socket.__new__" in s for s in sockets) and any("create_connection" in s for s in sockets)
