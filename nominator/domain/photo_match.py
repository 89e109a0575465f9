"""Photos by folder: which file in a folder of `姓名-YYYYMMDD.jpg` belongs to which nominee.

Pure: it looks at file names and records only. Reading and storing the files is the store's job
(nominator.interchange.photos.apply_photo_folder). Every outcome carries the Chinese line the clerk
sees, saying what to rename or fill in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from nominator.campaign import PhotoFields
from nominator.domain.model import Nominee
from nominator.domain.naming import photo_identity
from nominator.domain.photo import check_photo_name, normalize_birth

# Files a folder of photos usually also holds; not worth a line in the list.
_IGNORED = {"thumbs.db", "desktop.ini", ".ds_store"}


@dataclass(frozen=True)
class MatchedPhoto:
    file: str
    index: int  # into the individuals given to match_photos
    individual_id: int | None
    name: str
    replaces: bool  # the nominee already has a photo
    note: str = ""  # e.g. the nominee's birth date is not filled in yet

    @property
    def message(self) -> str:
        line = f"“{self.file}”→ {self.name}"
        if self.replaces:
            line += "(替换现有照片)"
        return f"{line}。{self.note}" if self.note else line


@dataclass(frozen=True)
class UnmatchedPhoto:
    file: str
    message: str
    indexes: tuple[int, ...] = ()  # nominees it could belong to (two candidates, wrong date)


@dataclass
class PhotoMatch:
    matched: list[MatchedPhoto] = field(default_factory=list)
    no_nominee: list[UnmatchedPhoto] = field(default_factory=list)
    two_candidates: list[UnmatchedPhoto] = field(default_factory=list)
    wrong_date: list[UnmatchedPhoto] = field(default_factory=list)
    not_photo_name: list[UnmatchedPhoto] = field(default_factory=list)
    repeated: list[UnmatchedPhoto] = field(default_factory=list)  # a second file for the same nominee
    kind: Any = ""  # the kind of the nominees matched (the one whose people bring photos)

    @property
    def mismatches(self) -> list[UnmatchedPhoto]:
        return [
            *self.no_nominee,
            *self.two_candidates,
            *self.wrong_date,
            *self.not_photo_name,
            *self.repeated,
        ]

    def summary(self) -> str:
        parts = [f"匹配成功 {len(self.matched)} 张"]
        for label, items in (
            ("找不到推荐对象", self.no_nominee),
            ("同名无法区分", self.two_candidates),
            ("出生日期不符", self.wrong_date),
            ("文件名不规范", self.not_photo_name),
            ("重复照片", self.repeated),
        ):
            if items:
                parts.append(f"{label} {len(items)} 张")
        return ",".join(parts) + "。"


def _key(name: str) -> str:
    return re.sub(r"\s", "", name)


def _shown(yyyymmdd: str) -> str:
    return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}"


def match_photos(file_names: list[str], individuals: list[Nominee], fields: PhotoFields) -> PhotoMatch:
    """Match each file to a nominee by name and birth date (rule F2's `姓名-YYYYMMDD.jpg`), read
    from the fields the kind's photo is named after."""
    result = PhotoMatch(kind=individuals[0].kind if individuals else "")
    by_name: dict[str, list[int]] = {}
    identity = [photo_identity(person, fields) for person in individuals]
    for n, (name, _day) in enumerate(identity):
        if _key(name):
            by_name.setdefault(_key(name), []).append(n)
    taken: dict[int, str] = {}
    for file in sorted(file_names):
        if file.casefold() in _IGNORED or file.startswith((".", "~$")):
            continue
        problems = check_photo_name(file, name=None, birth=None, target=file)
        if problems:
            result.not_photo_name.append(UnmatchedPhoto(file, problems[0].message))
            continue
        person_name, _, date = PurePath(file).stem.partition("-")
        candidates = by_name.get(_key(person_name), [])
        if not candidates:
            result.no_nominee.append(
                UnmatchedPhoto(
                    file, f"“{file}”:没有名为“{person_name}”的推荐对象。请核对姓名,或先添加该推荐对象。"
                )
            )
            continue
        births = {n: normalize_birth(identity[n][1]) for n in candidates}
        possible = [n for n in candidates if births[n] == date] or [
            n for n in candidates if births[n] is None
        ]
        if len(possible) > 1:
            result.two_candidates.append(
                UnmatchedPhoto(
                    file,
                    f"“{file}”:有{len(possible)}名推荐对象叫“{person_name}”,出生日期未填或相同,无法确定是谁。"
                    "请先核对并填写他们的出生日期。",
                    tuple(possible),
                )
            )
            continue
        if not possible:
            dates = "、".join(_shown(births[n] or "") for n in candidates)
            result.wrong_date.append(
                UnmatchedPhoto(
                    file,
                    f"“{file}”:文件名中的出生日期是{_shown(date)},推荐对象“{person_name}”的出生日期是{dates}。"
                    "请核对后改正文件名或推荐对象的出生日期。",
                    tuple(candidates),
                )
            )
            continue
        index = possible[0]
        if index in taken:
            result.repeated.append(
                UnmatchedPhoto(
                    file,
                    f"“{file}”:与“{taken[index]}”是同一推荐对象的照片,只使用“{taken[index]}”。",
                    (index,),
                )
            )
            continue
        taken[index] = file
        person = individuals[index]
        note = "" if births[index] else f"该推荐对象尚未填写出生日期,请补填为{_shown(date)}。"
        result.matched.append(
            MatchedPhoto(
                file=file,
                index=index,
                individual_id=person.id,
                name=identity[index][0],
                replaces=person.photo_data is not None or bool(person.photo),
                note=note,
            )
        )
    return result
