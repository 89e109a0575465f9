"""The exchange file (交换文件, version 1): one unit's recommendation as JSON, alone or in a zip
with its photos. Contract: shared/campaign/exchange-format.md. export → import → export gives
the same JSON; unknown keys are kept; bad input is refused with a message naming the field,
before anything is written.

Zip files are never extracted to disk: only `exchange.json` and the photos it names are read,
each with a size cap, so `../` paths, absolute paths, links and bombs cannot do harm.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from nominator.campaign import Campaign, KindSpec, find_installed, load_campaign
from nominator.domain.model import (
    Allocation,
    Assessment,
    Collective,
    Dossier,
    Individual,
    Member,
    Period,
    Report,
    Unit,
)
from nominator.domain.naming import expected_photo_name
from nominator.errors import UserError
from nominator.store import backup, debris
from nominator.store.session import Store

FORMAT = "nominator-exchange"
VERSION = 1
MAX_JSON_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_TEXT = 20_000  # characters in one field; far beyond any form box
PHOTO_DIR = "photos"

UNIT_KEYS = {"name", "kind", "contact", "phone", "allocation", "overrides"}
COLLECTIVE_TEXT = (
    "name",
    "level",
    "nature",
    "leader",
    "contact",
    "phone",
    "deeds_brief",
    "deeds_full",
    "honors",
)
INDIVIDUAL_TEXT = (
    "name", "gender", "ethnicity", "birth_date", "political_status", "education", "work_start",
    "unit_and_title", "rank", "level", "phone", "resume", "deeds_brief", "deeds_full", "honors",
)  # fmt: skip
MEMBER_TEXT = ("name", "unit_and_title", "role", "phone")
LIST_KINDS = {"collectives": "collective", "individuals": "individual", "members": "member"}


@dataclass
class ImportReport:
    collectives: int = 0
    individuals: int = 0
    members: int = 0
    notices: list[str] = field(default_factory=list)
    kinds: dict[str, KindSpec] = field(default_factory=dict)  # the store's words for what was counted


# ---- Dossier → JSON -----------------------------------------------------------------------


def _period_json(period: Period) -> dict[str, str]:
    return {"start": period.start, "end": period.end, "result": period.result}


def _photo_names(individuals: list[Individual]) -> list[str]:
    """Each individual's photo path inside the exchange, unique even when two names collide."""
    used: set[str] = set()
    names = []
    for person in individuals:
        if person.photo_data is None and not person.photo:
            names.append("")
            continue
        name = PurePosixPath(person.photo).name or expected_photo_name(person)
        stem, suffix = os.path.splitext(name)
        n = 2
        while name.casefold() in used:
            name = f"{stem}({n}){suffix}"
            n += 1
        used.add(name.casefold())
        names.append(f"{PHOTO_DIR}/{name}")
    return names


def dossier_to_json(dossier: Dossier) -> dict[str, Any]:
    unit = dossier.unit
    unit_json: dict[str, Any] = {
        **unit.extra,
        "name": unit.name,
        "kind": unit.kind,
        "contact": unit.contact,
        "phone": unit.phone,
        "allocation": {
            "collectives": unit.allocation.collectives,
            "individuals": unit.allocation.individuals,
        },
    }
    if unit.overrides:
        unit_json["overrides"] = dict(unit.overrides)
    collectives = []
    for n, c in enumerate(dossier.ordered_collectives()):
        item: dict[str, Any] = {**c.extra}
        item.update({key: getattr(c, key) for key in COLLECTIVE_TEXT[:5]})
        item["staff_count"] = c.staff_count
        item.update({key: getattr(c, key) for key in COLLECTIVE_TEXT[5:]})
        item.update(
            deputy_bureau_or_above=c.deputy_bureau_or_above,
            county_government_or_above=c.county_government_or_above,
            attestations=dict(c.attestations),
            publicity={level: _period_json(p) for level, p in c.publicity.items()},
            overrides=dict(c.overrides),
            order=n + 1,
        )
        _optional_keys(item, c)
        collectives.append(item)
    individuals = []
    people = dossier.ordered_individuals()
    for n, (i, photo) in enumerate(zip(people, _photo_names(people), strict=True)):
        item = {**i.extra}
        item.update({key: getattr(i, key) for key in INDIVIDUAL_TEXT[:10]})
        item["years_in_field"] = i.years_in_field
        item["phone"] = i.phone
        item["assessments"] = [{"year": a.year, "result": a.result} for a in i.assessments]
        item.update({key: getattr(i, key) for key in ("resume", "deeds_brief", "deeds_full", "honors")})
        item.update(
            attestations=dict(i.attestations),
            publicity={level: _period_json(p) for level, p in i.publicity.items()},
            photo=photo,
            overrides=dict(i.overrides),
            order=n + 1,
        )
        _optional_keys(item, i)
        individuals.append(item)
    members = [
        {**m.extra, **{key: getattr(m, key) for key in MEMBER_TEXT}, "order": n + 1}
        for n, m in enumerate(dossier.ordered_members())
    ]
    reports = {stage: {**r.sections, "date": r.date} for stage, r in dossier.reports.items()}
    return {
        **dossier.extra,
        "format": FORMAT,
        "version": VERSION,
        "campaign": dossier.campaign,
        "unit": unit_json,
        "collectives": collectives,
        "individuals": individuals,
        "members": members,
        "reports": reports,
    }


def _optional_keys(item: dict[str, Any], record: Collective | Individual) -> None:
    """Our additions to the format, written only when set so plain files stay plain."""
    if record.source:
        item["source"] = record.source
    if record.feedback:
        item["feedback"] = record.feedback


def photo_files(dossier: Dossier) -> dict[str, bytes]:
    """Exchange path → bytes, for the photos the JSON names."""
    people = dossier.ordered_individuals()
    return {
        path: person.photo_data
        for person, path in zip(people, _photo_names(people), strict=True)
        if path and person.photo_data is not None
    }


def write_exchange(dossier: Dossier, out: Path) -> Path:
    """Write `.json` (photos beside it in photos/) or `.zip`; atomically, never half a file."""
    suffix = out.suffix.lower()
    if suffix not in (".json", ".zip"):
        raise UserError(f"交换文件的扩展名应为 .json 或 .zip,当前为“{out.name}”。")
    text = json.dumps(dossier_to_json(dossier), ensure_ascii=False, indent=2)
    photos = photo_files(dossier)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("exchange.json", text)
            for name, data in photos.items():
                zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        _atomic_write(out, buffer.getvalue())
    else:
        for name, data in photos.items():
            target = out.parent / name
            target.parent.mkdir(exist_ok=True)
            _atomic_write(target, data)
        _atomic_write(out, text.encode("utf-8"))
    return out


def _atomic_write(path: Path, data: bytes) -> None:
    debris.remove_stale(path.parent, ".nominator-*")  # left by a write that was killed
    fd, tmp = tempfile.mkstemp(prefix=".nominator-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- JSON → Dossier -----------------------------------------------------------------------


class _Fields:
    """Reads one JSON object, naming the field in every complaint."""

    def __init__(self, data: Any, where: str, what: str) -> None:
        if not isinstance(data, dict):
            raise UserError(f"交换文件格式有误:{what}({where})应为对象。")
        self.data = data
        self.where = where
        self.what = what
        self.used: set[str] = set()

    def _fail(self, key: str, expected: str) -> UserError:
        value = repr(self.data.get(key))[:40]
        return UserError(
            f"交换文件格式有误:{self.what}的“{key}”({self.where}.{key})应为{expected},实际为 {value}。"
        )

    def text(self, key: str) -> str:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._fail(key, "文本")
        if len(value) > MAX_TEXT:
            raise UserError(
                f"交换文件中{self.what}的“{key}”({self.where}.{key})长达{len(value)}字,不像正常材料,已拒绝导入。"
            )
        return value

    def integer(self, key: str) -> int | None:
        self.used.add(key)
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "整数")
        return value

    def flag(self, key: str) -> bool:
        self.used.add(key)
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true 或 false")
        return value

    def obj(self, key: str) -> dict[str, Any]:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._fail(key, "对象")
        return value

    def array(self, key: str) -> list[Any]:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "列表")
        return value

    def text_map(self, key: str) -> dict[str, str]:
        inner = _Fields(self.obj(key), f"{self.where}.{key}", self.what)
        return {k: inner.text(k) for k in inner.data}

    def flag_map(self, key: str) -> dict[str, bool]:
        inner = _Fields(self.obj(key), f"{self.where}.{key}", self.what)
        return {k: inner.flag(k) for k in inner.data}

    def publicity(self) -> dict[str, Period]:
        periods = {}
        for level, raw in self.obj("publicity").items():
            p = _Fields(raw, f"{self.where}.publicity.{level}", self.what)
            periods[level] = Period(p.text("start"), p.text("end"), p.text("result"))
        return periods

    def extra(self) -> dict[str, Any]:
        return {k: v for k, v in self.data.items() if k not in self.used}


def _fill_text(record: Collective | Individual | Member, fields: _Fields, keys: tuple[str, ...]) -> None:
    for key in keys:
        setattr(record, key, fields.text(key))


PhotoReader = Any  # Callable[[str, str], bytes]: (path in the exchange, where) → bytes


def dossier_from_json(
    data: Any, read_photo: PhotoReader, campaign: Campaign | None = None
) -> tuple[Dossier, list[str]]:
    """A dossier from exchange JSON. With `campaign` (the store's own), a file of another
    campaign is refused naming both; without, the file's campaign must be installed."""
    notices: list[str] = []
    top = _Fields(data, "$", "交换文件")
    fmt = top.data.get("format")
    if fmt != FORMAT:
        raise UserError(
            "这不是推荐材料助手的交换文件(format 不是 nominator-exchange)。请选择从本程序导出的交换文件。"
        )
    version = top.data.get("version")
    if version != VERSION:
        raise UserError(
            f"交换文件版本为 {version!r},本程序只支持版本 {VERSION}。请用相同版本的推荐材料助手导出。"
        )
    top.used.update({"format", "version"})
    campaign = _campaign_of(top.text("campaign") or "", campaign)
    u = _Fields(top.obj("unit"), "unit", "推荐单位")
    alloc = _Fields(u.obj("allocation"), "unit.allocation", "分配名额")
    unit = Unit(
        name=u.text("name"),
        kind=u.text("kind") or "region",
        contact=u.text("contact"),
        phone=u.text("phone"),
        allocation=Allocation(alloc.integer("collectives"), alloc.integer("individuals")),
        overrides=u.text_map("overrides"),
    )
    unit.extra = u.extra()

    def records(key: str) -> list[tuple[int, _Fields]]:
        found = []
        for n, raw in enumerate(top.array(key)):
            found.append(
                (
                    n,
                    _Fields(
                        raw,
                        f"{key}[{n}]",
                        f"第{n + 1}{campaign.kinds[LIST_KINDS[key]].measure}{campaign.kinds[LIST_KINDS[key]].label}",
                    ),
                )
            )
        return found

    collectives = []
    for n, f in records("collectives"):
        c = Collective()
        _fill_text(c, f, COLLECTIVE_TEXT)
        c.staff_count = f.integer("staff_count")
        c.deputy_bureau_or_above = f.flag("deputy_bureau_or_above")
        c.county_government_or_above = f.flag("county_government_or_above")
        c.attestations = f.flag_map("attestations")
        c.publicity = f.publicity()
        c.overrides = f.text_map("overrides")
        c.order = f.integer("order") or n + 1
        c.source = f.text("source")
        c.feedback = f.text("feedback")
        c.extra = f.extra()
        collectives.append(c)

    individuals = []
    for n, f in records("individuals"):
        i = Individual()
        _fill_text(i, f, INDIVIDUAL_TEXT)
        i.years_in_field = f.integer("years_in_field")
        for m, raw in enumerate(f.array("assessments")):
            a = _Fields(raw, f"{f.where}.assessments[{m}]", f.what)
            year = a.integer("year")
            if year is None:
                raise a._fail("year", "年份(整数)")
            i.assessments.append(Assessment(year, a.text("result")))
        i.attestations = f.flag_map("attestations")
        i.publicity = f.publicity()
        photo = f.text("photo")
        if photo:
            i.photo = PurePosixPath(photo.replace("\\", "/")).name
            i.photo_data = read_photo(photo, f"{f.where}.photo")
        i.overrides = f.text_map("overrides")
        i.order = f.integer("order") or n + 1
        i.source = f.text("source")
        i.feedback = f.text("feedback")
        i.extra = f.extra()
        individuals.append(i)

    members = []
    for n, f in records("members"):
        member = Member()
        _fill_text(member, f, MEMBER_TEXT)
        member.order = f.integer("order") or n + 1
        member.extra = f.extra()
        members.append(member)

    reports = {}
    for stage, raw in top.obj("reports").items():
        r = _Fields(raw, f"reports.{stage}", "推荐工作报告")
        date = r.text("date")
        reports[stage] = Report(sections={k: r.text(k) for k in r.data if k != "date"}, date=date)
        if stage not in campaign.reports:
            notices.append(f"报告“{stage}”不属于本次活动,已保留但不会打印。")

    extra = top.extra()
    if extra:
        notices.append(f"交换文件中有本程序不认识的内容({'、'.join(sorted(extra))}),已原样保留。")
    dossier = Dossier(
        campaign=campaign.id,
        unit=unit,
        collectives=collectives,
        individuals=individuals,
        members=members,
        reports=reports,
        extra=extra,
    )
    return dossier, notices


def _parse_json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError(f"“{name}”不是 UTF-8 编码的文本,无法作为交换文件读取。") from exc
    except json.JSONDecodeError as exc:
        raise UserError(f"“{name}”不是有效的 JSON(第{exc.lineno}行第{exc.colno}列附近有误)。") from exc
    except RecursionError as exc:  # [[[[… a few hundred thousand deep: json gives up with a traceback
        raise UserError(f"“{name}”的内容嵌套层次过深,不像正常的交换文件,已拒绝导入。") from exc


def _safe_member_name(path: str, where: str) -> str:
    clean = path.replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if clean.startswith("/") or ":" in clean or ".." in parts or not parts:
        raise UserError(f"交换文件中的照片路径“{path}”({where})不安全(含“..”或绝对路径),已拒绝导入。")
    return "/".join(parts)


ID_CHARS = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


def _campaign_of(wanted: str, campaign: Campaign | None) -> Campaign:
    if campaign is None:
        return load_campaign(wanted)
    if wanted != campaign.id:
        other = find_installed(wanted) if ID_CHARS.fullmatch(wanted) else None
        ours = f"本推荐库属于“{campaign.title}”({campaign.id})"
        if other is None:
            raise UserError(
                f"未知的评选活动“{wanted}”:这个交换文件不属于本推荐库的活动,{ours},不能导入或合并。请确认文件来源。"
            )
        raise UserError(
            f"这个交换文件属于另一个评选活动“{other.campaign.title}”({wanted}),{ours},不能导入或合并。"
            "请确认文件来自同一活动。"
        )
    return campaign


def read_exchange(path: Path, campaign: Campaign | None = None) -> tuple[Dossier, list[str]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"找不到交换文件“{path}”。")
    if suffix == ".zip":
        return _read_zip(path, campaign)
    if suffix != ".json":
        raise UserError(f"交换文件应为 .json 或 .zip,当前为“{path.name}”。")
    if path.stat().st_size > MAX_JSON_BYTES:
        raise UserError(
            f"“{path.name}”超过{MAX_JSON_BYTES // 1024 // 1024}MB,不像正常的交换文件,已拒绝导入。"
        )
    data = _parse_json(path.read_bytes(), path.name)
    folder = path.parent.resolve()

    def read_photo(photo: str, where: str) -> bytes:
        target = (folder / photo.replace("\\", "/")).resolve()
        if not target.is_file():
            raise UserError(f"找不到交换文件中的照片“{photo}”({where})。请把照片放在交换文件旁的对应位置。")
        if target.stat().st_size > MAX_PHOTO_BYTES:
            raise UserError(f"照片“{photo}”({where})超过{MAX_PHOTO_BYTES // 1024 // 1024}MB,已拒绝导入。")
        return target.read_bytes()

    return dossier_from_json(data, read_photo, campaign)


def _read_zip(path: Path, campaign: Campaign | None) -> tuple[Dossier, list[str]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserError(f"“{path.name}”不是有效的 zip 压缩包或已损坏。") from exc
    with zf:
        infos: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            if name in infos:
                raise UserError(f"压缩包“{path.name}”中有重名文件“{name}”,无法确定该用哪一个,已拒绝导入。")
            infos[name] = info

        def read_member(name: str, limit: int, where: str) -> bytes:
            info = infos.get(name)
            if info is None:
                raise UserError(f"压缩包中缺少“{name}”({where})。")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise UserError(f"压缩包中的“{name}”是链接而不是文件,已拒绝导入。")
            if info.file_size > limit:
                raise UserError(
                    f"压缩包中的“{name}”解压后过大({info.file_size // 1024 // 1024}MB),已拒绝导入。"
                )
            try:
                with zf.open(info) as handle:
                    data = handle.read(limit + 1)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise UserError(f"压缩包中的“{name}”已损坏或加密,无法读取。") from exc
            if len(data) > limit:
                raise UserError(f"压缩包中的“{name}”解压后过大,已拒绝导入。")
            return data

        data = _parse_json(read_member("exchange.json", MAX_JSON_BYTES, "交换数据"), "exchange.json")

        def read_photo(photo: str, where: str) -> bytes:
            return read_member(_safe_member_name(photo, where), MAX_PHOTO_BYTES, where)

        return dossier_from_json(data, read_photo, campaign)


# ---- the store's side ---------------------------------------------------------------------


def import_into_store(
    file: Path, db: Path, *, replace: bool = False, campaign: Campaign | None = None
) -> ImportReport:
    """Read an exchange file into a store (created if missing, for `campaign` or the file's own
    campaign). A file of another campaign than the store's is refused. All or nothing."""
    if db.exists():
        with Store.open(db) as store:
            rules = store.rules()
            dossier, notices = read_exchange(file, rules)
            if not store.is_empty() and not replace:
                raise UserError(
                    f"推荐库“{db.name}”中已有数据。导入会覆盖现有内容:如确需覆盖,请加 --replace(会先自动备份)。"
                )
            if not store.is_empty():
                backup.make_backup(db, "before-import")
            store.replace_dossier(dossier)
    else:
        dossier, notices = read_exchange(file, campaign)
        rules = campaign or load_campaign(dossier.campaign)
        with Store.create(db, campaign=rules) as store:
            store.replace_dossier(dossier)
    return ImportReport(
        len(dossier.collectives), len(dossier.individuals), len(dossier.members), notices, rules.kinds
    )


def export_from_store(db: Path, out: Path) -> Path:
    from nominator.store.session import load_dossier

    return write_exchange(load_dossier(db), out)
