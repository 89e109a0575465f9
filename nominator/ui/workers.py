"""Long work off the UI thread. Each worker reports progress and ends with exactly one of its
outcome signals; the export package itself is built in a hidden folder and renamed into place by
`export_stage`, so a cancelled or failed export leaves nothing behind."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QThread, Signal

from nominator.campaign import Campaign
from nominator.errors import UserError
from nominator.export.package import ExportCancelled, ExportRefused, export_stage
from nominator.files import describe_os_error
from nominator.store.session import Store
from nominator.ui.messages import scrubbed_traceback

log = logging.getLogger("nominator.ui")
UNEXPECTED = (
    "程序遇到了意外错误,未生成任何文件。请重试;如果反复出现,请把日志文件 nominator.log 发给技术支持人员。"
)


class ExportWorker(QThread):
    progress = Signal(int, int, str)  # step, steps, what is happening
    succeeded = Signal(object)  # ExportResult
    refused = Signal(object, object, str)  # blocking problems, the stage's dossier view, message
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, store: Store, campaign: Campaign, stage: str, out: Path, *, make_pdf: bool = True
    ) -> None:
        super().__init__()
        self.store, self.campaign, self.stage, self.out = store, campaign, stage, out
        self.make_pdf = make_pdf
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def is_cancelling(self) -> bool:
        return self._cancel

    def run(self) -> None:
        try:
            dossier = self.store.load_dossier(with_photos=True)
            result = export_stage(
                dossier,
                self.campaign,
                self.stage,
                self.out,
                progress=self.progress.emit,
                cancelled=self.is_cancelling,
                make_pdf=self.make_pdf,
            )
        except ExportRefused as refused:
            self.refused.emit(
                list(refused.problems), dossier.for_stage(self.stage, self.campaign), str(refused)
            )
        except ExportCancelled:
            self.cancelled.emit()
        except UserError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(describe_os_error(exc))
        except Exception:
            exc_type, _exc, tb = sys.exc_info()
            assert exc_type is not None
            log.error("export failed: %s", scrubbed_traceback(exc_type, tb))
            self.failed.emit(UNEXPECTED)
        else:
            self.succeeded.emit(result)
