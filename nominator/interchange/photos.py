"""Photos by folder: the file names of a folder for the matching (pure: nominator.domain.photo_match),
then reading the matched files, size-capped, and storing each on its nominee."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nominator.domain.model import Member, Nominee
from nominator.domain.photo_match import PhotoMatch
from nominator.errors import UserError
from nominator.store import backup
from nominator.store.writer import Writer

MAX_PHOTO_BYTES = 30 * 1024 * 1024
Progress = Callable[[int, int, str], None]  # step, steps, what is happening


def photo_files_in(folder: Path) -> list[str]:
    """The file names directly in `folder` (no subfolders), sorted, for `match_photos`."""
    if not folder.is_dir():
        raise UserError(f"找不到文件夹“{folder}”。")
    return sorted(entry.name for entry in folder.iterdir() if entry.is_file())


def apply_photo_folder(
    writer: Writer, folder: Path, match: PhotoMatch, progress: Progress | None = None
) -> int:
    """Store each matched photo (bytes and file name) on its nominee, in the writer's transaction
    after a backup. Files are read first, each size-capped, so a bad file changes nothing.
    `progress` hears of each file (and may raise to cancel: nothing is then written)."""
    updates: list[Nominee | Member] = []
    for n, found in enumerate(match.matched):
        if progress is not None:
            progress(n, len(match.matched), f"读取照片“{found.file}”")
        if found.individual_id is None:
            raise ValueError("match_photos must be given the store's records (with ids)")
        path = folder / found.file
        if not path.is_file():
            raise UserError(f"找不到照片“{found.file}”,它可能已被移动或删除。请重新选择文件夹。")
        if path.stat().st_size > MAX_PHOTO_BYTES:
            raise UserError(
                f"照片“{found.file}”超过{MAX_PHOTO_BYTES // 1024 // 1024}MB,不像证件照,未导入任何照片。"
                "请换用正常大小的照片后再试。"
            )
        person = writer.get(match.kind, found.individual_id)
        assert isinstance(person, Nominee)
        person.photo = found.file
        person.photo_data = path.read_bytes()
        updates.append(person)
    if updates:
        backup.make_backup(writer.path, "before-photos")
        writer.update_many(match.kind, updates)
    return len(updates)
