"""Privacy: the export folder holds exactly the package (no store, backups or logs); the log never
holds deeds, birth dates or phone numbers; the store's backups live in the user's own data folder."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import pytest

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.export.package import export_stage
from nominator.store import backup
from nominator.store.session import Store

SUBJECT = "沈阳市全省政务公开工作表彰上报材料"


def test_the_export_folder_holds_only_the_package(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    db = tmp_path / "store" / "沈阳市.nominator"
    db.parent.mkdir()
    with Store.create(db, campaign=campaign.id) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    out = tmp_path / "报送"
    with Store.open(db) as store:  # exported while the store is open, as the window does
        result = export_stage(
            store.load_dossier(), campaign, "formal", out, today=dt.date(2026, 1, 10), make_pdf=False
        )
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert [
        n for n in names if n.endswith((".nominator", ".lock", "-wal", "-shm", ".log", ".part", ".json"))
    ] == []
    top = sorted(p.name for p in result.folder.iterdir())
    assert top == sorted(
        [SUBJECT, f"{SUBJECT}.zip", f"{SUBJECT}.eml", "打印合集-正式.docx", "报送材料清单-正式.docx",
         "照片打印页-正式.docx", "照片背面标签-正式.docx"]
    )  # fmt: skip
    assert [p.name for p in out.iterdir()] == [result.folder.name]
    assert backup.list_backups(db) and all(not b.is_relative_to(out) for b in backup.list_backups(db))


def test_backups_live_in_the_users_data_folder(
    tmp_path: Path, demo_dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "沈阳市.nominator"
    Store.create(db, campaign=demo_dossier.campaign).close()
    Store.open(db).close()
    [made] = backup.list_backups(db)
    assert made.is_relative_to(backup.data_dir()) and not made.is_relative_to(tmp_path)
    monkeypatch.delenv("NOMINATOR_DATA_DIR")  # without the override: platformdirs' user data folder
    from platformdirs import user_data_dir

    assert backup.data_dir() == Path(user_data_dir("Nominator", appauthor=False))
    assert backup.data_dir().is_relative_to(Path.home()) or sys.platform == "win32"


def test_the_log_never_holds_deeds_birth_dates_or_phones(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, caplog: pytest.LogCaptureFixture
) -> None:
    secrets = [demo_dossier.individuals[0].deeds_full[:20], demo_dossier.individuals[0].birth_date,
               demo_dossier.individuals[0].phone, demo_dossier.unit.phone]  # fmt: skip
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "s.nominator"
    with Store.create(db, campaign=campaign.id) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    export_stage(
        demo_dossier, campaign, "initial", tmp_path / "out", today=dt.date(2025, 12, 21), make_pdf=False
    )
    if "PySide6" in sys.modules or _has_qt():
        from nominator.ui import messages

        try:  # an unexpected error whose message carries a nominee's details
            raise ValueError(f"bad record {secrets}")
        except ValueError as exc:
            messages.log.error(
                "unexpected error: %s", messages.scrubbed_traceback(type(exc), exc.__traceback__)
            )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert all(secret and secret not in logged for secret in secrets)


def _has_qt() -> bool:
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError:
        return False
    return True
