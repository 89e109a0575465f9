"""Every change of a dossier, as a value (in the spirit of Anki's CollectionOp).

An operation names what it does (`name`, as the undo menu says it), runs in one transaction of
the store (`perform`), and returns an `Outcome`: what changed (`Changes`, which each view reads to
decide whether to redraw), the operation that takes it back (`undo`), and what the caller asked
for (`value`: a new record's id, the counts of an import). Undoing is performing `undo`, whose own
outcome carries the redo, so one generic undo command serves every operation.

The window runs operations only through its runner (nominator/ui/runner.py): long ones in a
worker with progress and cancel, each pushed as one undo step, each announced once. Nothing in
the window writes to the store any other way (tests/ui/test_one_way_in.py proves it). No Qt here.
"""

from nominator.operations.base import (
    Bookkeeping,
    Cancelled,
    Changes,
    Operation,
    Outcome,
    Progress,
    no_progress,
    perform,
)
from nominator.operations.bulk import (
    AdoptCampaign,
    FixPhotos,
    ImportExcel,
    ImportPhotoFolder,
    MergeFiles,
    ReplaceContents,
)
from nominator.operations.records import (
    AddRecord,
    DeleteRecords,
    EditRecord,
    EditRecords,
    EditReport,
    EditUnit,
    InsertRecords,
    KeepPhotoVerdicts,
    MoveRecord,
    Reorder,
    SetOverride,
)

__all__ = [
    "AddRecord",
    "AdoptCampaign",
    "Bookkeeping",
    "Cancelled",
    "Changes",
    "DeleteRecords",
    "EditRecord",
    "EditRecords",
    "EditReport",
    "EditUnit",
    "FixPhotos",
    "ImportExcel",
    "ImportPhotoFolder",
    "InsertRecords",
    "KeepPhotoVerdicts",
    "MergeFiles",
    "MoveRecord",
    "Operation",
    "Outcome",
    "Progress",
    "Reorder",
    "ReplaceContents",
    "SetOverride",
    "no_progress",
    "perform",
]
