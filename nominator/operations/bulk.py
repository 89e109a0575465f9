"""The operations that bring much in at once (an Excel template, a folder of photos, the exchange
files of subordinate units, an exchange file replacing everything) and adopting a campaign. The
reading and checking is done before (nominator.interchange, shown to the clerk as a preview);
these store what the clerk accepted, after the backup the import policy asks for."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.operations.base import EVERYTHING, Changes, Operation, Outcome, Progress
from nominator.operations.records import DeleteRecords, EditRecords
from nominator.store.session import Kind
from nominator.store.writer import Writer

if TYPE_CHECKING:  # the readers (openpyxl, lxml …) are loaded when an import runs, not at start-up
    from nominator.domain.photo_match import PhotoMatch
    from nominator.interchange.intake import IntakePreview
    from nominator.interchange.merge import MergePreview


def _added(ids: tuple[tuple[Kind, int], ...]) -> tuple[Changes, DeleteRecords | None]:
    if not ids:
        return Changes(), None
    return Changes(lists=frozenset(kind for kind, _id in ids)), DeleteRecords(list(ids))


@dataclass
class ImportExcel(Operation):
    """从Excel导入: the preview's valid rows, appended; the value is the counts."""

    preview: IntakePreview
    name: str = field(default="从Excel导入", init=False)
    long: bool = field(default=True, init=False)

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        progress(0, 1, f"正在导入“{self.preview.file.name}”…")
        from nominator.interchange.intake import apply_intake

        counts = apply_intake(writer, self.preview)
        changes, undo = _added(counts.ids)
        return Outcome(changes, undo, counts)


@dataclass
class MergeFiles(Operation):
    """导入下级材料: the subordinate units' nominees, appended with their source."""

    preview: MergePreview
    name: str = field(default="导入下级材料", init=False)
    long: bool = field(default=True, init=False)

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        progress(0, 1, f"正在合并 {len(self.preview.files)} 个交换文件…")
        from nominator.interchange.merge import apply_merge

        counts = apply_merge(writer, self.preview)
        changes, undo = _added(counts.ids)
        return Outcome(changes, undo, counts)


@dataclass
class ImportPhotoFolder(Operation):
    """按文件夹导入照片: each matched file on its nominee; the value is how many."""

    folder: Path
    match: PhotoMatch
    name: str = field(default="按文件夹导入照片", init=False)
    long: bool = field(default=True, init=False)

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        ids = [m.individual_id for m in self.match.matched if m.individual_id is not None]
        kind = self.match.kind
        old = [writer.get(kind, i) for i in ids]
        from nominator.interchange.photos import apply_photo_folder

        count = apply_photo_folder(writer, self.folder, self.match, progress)
        if not count:
            return Outcome(Changes(), None, 0)
        return Outcome(Changes.of_records(kind, ids), EditRecords(kind, old), count)


@dataclass
class FixPhotos(EditRecords):
    """全部自动处理: the corrected photos the clerk accepted (corrected beforehand, in a worker)."""

    name: str = field(default="全部自动处理", init=False)


@dataclass
class ReplaceContents(Operation):
    """导入交换文件: the exchange file's dossier replaces everything, after a backup of a store
    that held data (the import policy: interchange.exchange.replace_contents). Its undo puts
    the old dossier back, record ids and all, so earlier undo steps still find their records."""

    dossier: Dossier
    restoring: bool = False  # an undo or redo: no backup, and the ids the records carry are kept
    name: str = field(default="导入交换文件", init=False)
    long: bool = field(default=True, init=False)

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        progress(0, 2, "正在备份和读取现有内容…")
        old = writer.load_dossier(with_photos=True)
        progress(1, 2, "正在写入…")
        if self.restoring:
            writer.replace_dossier(copy.deepcopy(self.dossier), keep_ids=True)
        else:
            from nominator.interchange.exchange import replace_contents

            replace_contents(writer, copy.deepcopy(self.dossier))
        return Outcome(EVERYTHING, ReplaceContents(old, restoring=True), True)


@dataclass
class AdoptCampaign(Operation):
    """Follow another version of the store's campaign (the one installed on this PC)."""

    campaign: Campaign

    def __post_init__(self) -> None:
        self.name = f"采用活动规则“{self.campaign.title}”"

    def apply(self, writer: Writer, progress: Progress) -> Outcome:
        old = writer.rules()
        writer.set_rules(self.campaign)
        return Outcome(Changes(campaign=True), AdoptCampaign(old))
