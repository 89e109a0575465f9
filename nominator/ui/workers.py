"""Long work off the UI thread. The export worker renders a stage's package into a temporary
folder next to the target and renames it into place only when everything succeeded, so a
cancelled or failed export leaves nothing half-written behind."""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.store.errors import describe_os_error


class Cancelled(Exception):
    pass


def export_available() -> bool:
    try:
        module = importlib.import_module("nominator.export.documents")
    except ImportError:
        return False
    return hasattr(module, "render_stage_documents")


def unique_folder(parent: Path, name: str) -> Path:
    target, n = parent / name, 1
    while target.exists():
        n += 1
        target = parent / f"{name}-{n}"
    return target


class ExportWorker(QThread):
    progress = Signal(int, str)  # percent, what is happening
    succeeded = Signal(object, object)  # folder (Path), files (list[Path])
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, dossier: Dossier, campaign: Campaign, stage: str, target: Path) -> None:
        super().__init__()
        self.dossier, self.campaign, self.stage, self.target = dossier, campaign, stage, target
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _step(self, percent: int, text: str) -> None:
        if self._cancel:
            raise Cancelled
        self.progress.emit(percent, text)

    def run(self) -> None:
        staging: Path | None = None
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".导出中-", dir=self.target.parent))
            files = [f.relative_to(staging) for f in self._export(staging)]
            self._step(95, "正在完成…")
            os.replace(staging, self.target)
            staging = None
            self.progress.emit(100, "导出完成")
            self.succeeded.emit(self.target, [self.target / f for f in files])
        except Cancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(describe_os_error(exc))
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)

    def _export(self, staging: Path) -> list[Path]:
        documents = importlib.import_module("nominator.export.documents")
        self._step(10, "正在生成表格和报告…")
        files: list[Path] = list(
            documents.render_stage_documents(self.dossier, self.campaign, self.stage, staging)
        )
        self._step(70, "正在整理照片…")
        if self.campaign.stages[self.stage].photos:
            folder = staging / "照片"
            for person in self.dossier.ordered_individuals():
                if person.photo_data is None:
                    continue
                self._step(75, f"正在整理照片:{person.photo}")
                folder.mkdir(exist_ok=True)
                name = person.photo or f"{person.name}-{person.birth_yyyymmdd()}.jpg"
                (folder / Path(name).name).write_bytes(person.photo_data)
                files.append(folder / Path(name).name)
        return files
