"""Reading an exchange file (JSON alone, or a zip with its photos) into a Dossier, through
nominator.gate: budgets, text, numbers and paths are checked before anything becomes a record,
and a file that does not pass is refused whole, with a message naming the file and the field.
The format and the public entry points are exchange.py."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from nominator import gate
from nominator.campaign import Campaign, FieldSpec, KindSpec, find_installed, load_campaign
from nominator.domain.model import (
    NOMINEE_KINDS,
    Allocation,
    Assessment,
    Dossier,
    Member,
    Nominee,
    Period,
    Report,
    Unit,
    allocation_key,
    new_nominee,
)
from nominator.errors import UserError

FORMAT = "nominator-exchange"
VERSION = 1
# Budgets for one file from outside (nominator.gate). A city's merged list is dozens of records
# with a few MB of photos; these are far beyond that and still refuse a hostile file in well
# under two seconds.
MAX_JSON_BYTES = 20 * 1024 * 1024
MAX_CONTAINERS = 100_000  # objects and arrays in the JSON, counted before parsing it
MAX_RECORDS = 1_000  # per list (collectives, individuals, members)
MAX_MAP_ITEMS = 100  # assessments, attestations, overrides, report sections of one record
MAX_KEY = 200  # characters in a key
MAX_UNKNOWN_CHARS = 1_000_000  # unknown keys kept in all (exchange-format.md: kept, never an error)
MAX_TEXT = 20_000  # characters in one field; far beyond any form box
MAX_PHOTO_BYTES = 30 * 1024 * 1024  # one photo
MAX_PHOTOS_BYTES = 300 * 1024 * 1024  # all photos of one file, each counted once by content
MAX_PHOTO_RATIO = 50  # a JPEG barely compresses; a photo entry packed 50:1 is a bomb
MAX_ZIP_BYTES = MAX_JSON_BYTES + MAX_PHOTOS_BYTES
MAX_ZIP_ENTRIES = 2 * MAX_RECORDS + 100
MAX_COUNT = 1_000_000  # staff count, allocation
MAX_ORDER = 1_000_000
YEARS = (1900, 2100)
PHOTO_DIR = "photos"

UNIT_KEYS = {"name", "kind", "contact", "phone", "allocation", "overrides"}
MEMBER_TEXT = ("name", "unit_and_title", "role", "phone")


# ---- JSON → Dossier -----------------------------------------------------------------------
#
# Everything read here comes from another machine: it goes through nominator.gate (budgets,
# text, numbers, paths) before it becomes a record, and a file that does not pass is refused
# whole, with a message naming the file and the field.


class _Reading:
    """What one file may cost: photos (each counted once by content), unknown keys, notices."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.photos = gate.Budget(file, MAX_PHOTOS_BYTES)
        self.unknown_chars = 0
        self.dropped: list[str] = []
        self.notices: list[str] = []

    def unknown(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        """Unknown keys, kept as they are where they are sound and small; otherwise left out with
        a notice (exchange-format.md: unknown keys are never an error)."""
        kept: dict[str, Any] = {}
        for key, value in raw.items():
            path = f"{where}.{gate.shown(key, 30)}"
            size = len(key) + gate.text_size(value)
            if len(key) > MAX_KEY or self.unknown_chars + size > MAX_UNKNOWN_CHARS:
                self.dropped.append(path)
                continue
            try:
                name = gate.clean_text(key, where=path)
                value = gate.clean_tree(value, where=path)
            except gate.Refused:
                self.dropped.append(path)
                continue
            if name:
                self.unknown_chars += size
                kept[name] = value
        return kept


class _Fields:
    """Reads one JSON object, naming the field in every complaint."""

    def __init__(self, data: Any, where: str, what: str, reading: _Reading) -> None:
        if not isinstance(data, dict):
            raise UserError(f"交换文件格式有误:{what}({where})应为对象。")
        self.data = data
        self.where = where
        self.what = what
        self.reading = reading
        self.used: set[str] = set()

    def _label(self, key: str) -> str:
        return f"{self.what}的“{gate.shown(key, 30)}”({self.where}.{gate.shown(key, 30)})"

    def _fail(self, key: str, expected: str) -> UserError:
        value = gate.shown(repr(self.data.get(key)), 40)
        return UserError(f"交换文件格式有误:{self._label(key)}应为{expected},实际为 {value}。")

    def key(self, key: str) -> str:
        """A key of a map (rule ID, attestation, report section), cleaned like any text."""
        if len(key) > MAX_KEY:
            raise UserError(
                f"交换文件中{self.what}({self.where})有一个长达{len(key)}字的键名,不像正常材料,已拒绝导入。"
            )
        return gate.clean_text(key, where=f"{self.what}({self.where})的键名")

    def raw_text(self, key: str) -> str:
        """Text as written, not yet normalised (a path is checked before anything is removed)."""
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self._fail(key, "文本")
        if len(value) > MAX_TEXT:
            raise UserError(f"交换文件中{self._label(key)}长达{len(value)}字,不像正常材料,已拒绝导入。")
        return value

    def text(self, key: str) -> str:
        return gate.clean_text(self.raw_text(key), where=self._label(key))

    def integer(self, key: str, low: int, high: int) -> int | None:
        self.used.add(key)
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "整数")
        return gate.bounded_int(value, low=low, high=high, where=self._label(key))

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

    def array(self, key: str, limit: int, noun: str) -> list[Any]:
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._fail(key, "列表")
        gate.count_at_most(len(value), limit, file=self.reading.file, what=noun)
        return value

    def inner(self, key: str, limit: int = MAX_MAP_ITEMS) -> _Fields:
        found = self.obj(key)
        gate.count_at_most(len(found), limit, file=self.reading.file, what=f"“{key}”条目")
        return _Fields(found, f"{self.where}.{key}", self.what, self.reading)

    def text_map(self, key: str) -> dict[str, str]:
        inner = self.inner(key)
        return {inner.key(k): inner.text(k) for k in inner.data}

    def flag_map(self, key: str) -> dict[str, bool]:
        inner = self.inner(key)
        return {inner.key(k): inner.flag(k) for k in inner.data}

    def publicity(self) -> dict[str, Period]:
        periods = {}
        levels = self.inner("publicity")
        for level, raw in levels.data.items():
            p = _Fields(raw, f"{self.where}.publicity.{gate.shown(level, 30)}", self.what, self.reading)
            periods[levels.key(level)] = Period(p.text("start"), p.text("end"), p.text("result"))
        return periods

    def extra(self) -> dict[str, Any]:
        raw = {k: v for k, v in self.data.items() if k not in self.used}
        kept = self.reading.unknown(raw, self.where) if raw else {}
        return {k: v for k, v in kept.items() if k not in self.used}


def _fill_nominee_tail(nominee: Nominee, f: _Fields, n: int) -> None:
    """What every nominee carries after its own fields: accepted warnings, its place in the list
    (the n-th by default), where it came from, the 初审 feedback and keys kept unread."""
    nominee.overrides = f.text_map("overrides")
    nominee.order = f.integer("order", 0, MAX_ORDER) or n + 1
    nominee.source = f.text("source")
    nominee.feedback = f.text("feedback")
    nominee.extra = f.extra()


def _fill_text(record: Nominee | Member, fields: _Fields, keys: tuple[str, ...]) -> None:
    for key in keys:
        setattr(record, key, fields.text(key))


PhotoReader = Any  # Callable[[str, str], bytes]: (confined path in the exchange, where) → bytes


def json_of(campaign: Campaign, kind: str) -> str:
    spec = campaign.kinds.get(kind)
    return spec.json if spec is not None else ""


def _lists_of(campaign: Campaign) -> dict[str, KindSpec]:
    """The exchange file's lists (each kind's `json`), the campaign's nominee kinds and members."""
    return {
        json_of(campaign, kind): campaign.kinds[kind]
        for kind in (*NOMINEE_KINDS, "member")
        if kind in campaign.kinds
    }


def _allocation(a: _Fields, campaign: Campaign) -> Allocation:
    """By kind (`collectives`, `individuals`: the kinds' lists) or, for a campaign that allocates by
    category and level, one number per category (and level): {"unit_model": {"省级": 2}}."""
    cells: dict[str, int | None] = {}
    for kind in NOMINEE_KINDS if "kind" in campaign.allocation.by else ():
        if kind in campaign.kinds:
            cells[kind] = a.integer(json_of(campaign, kind), 0, MAX_COUNT)
    for kind in NOMINEE_KINDS if "category" in campaign.allocation.by else ():
        spec = campaign.kinds.get(kind)
        for category in spec.categories if spec is not None else ():
            levels = spec.levels_of(category.id) if "level" in campaign.allocation.by else ()  # type: ignore[union-attr]
            if not levels:
                cells[allocation_key(category.id)] = a.integer(category.id, 0, MAX_COUNT)
                continue
            inner = a.inner(category.id)
            for level in levels:
                cells[allocation_key(category.id, level)] = inner.integer(level, 0, MAX_COUNT)
    a.extra()  # nothing else is kept there, but it is looked at like the rest
    return Allocation.from_cells({key: n for key, n in cells.items() if n is not None})


def _nominee(spec: KindSpec, f: _Fields, n: int, read_photo: PhotoReader) -> Nominee:
    """A nominee of the kind `spec`, each field read as its type says."""
    record = new_nominee(spec.key)
    for field in spec.fields():
        if field.type != "photo":
            record.values[field.id] = _value(field, f)
    if spec.categories:
        record.values["category"] = f.text("category")
        record.values["level"] = f.text("level")
    record.attestations = f.flag_map("attestations")
    record.publicity = f.publicity()
    if spec.photo is not None:
        photo = f.raw_text("photo")
        if photo:
            where = f"{f.where}.photo"
            confined = gate.confined_path(photo, where=f"{f.what}的照片({where})")
            record.photo = gate.clean_text(gate.name_of(confined), where=where)
            record.photo_data = f.reading.photos.keep(read_photo(confined, where))
    _fill_nominee_tail(record, f, n)
    return record


def _value(field: FieldSpec, f: _Fields) -> Any:
    if field.type == "number":
        return f.integer(field.id, 0, MAX_COUNT)
    if field.type == "check":
        return f.flag(field.id)
    if field.type == "multichoice":
        return [
            _Fields({"item": raw}, f"{f.where}.{field.id}[{m}]", f.what, f.reading).text("item")
            for m, raw in enumerate(f.array(field.id, MAX_MAP_ITEMS, field.label))
        ]
    if field.type == "rows":
        rows = []
        for m, raw in enumerate(f.array(field.id, MAX_MAP_ITEMS, field.label)):
            a = _Fields(raw, f"{f.where}.{field.id}[{m}]", f.what, f.reading)
            year = a.integer("year", *YEARS)
            if year is None:
                raise a._fail("year", "年份(整数)")
            rows.append(Assessment(year, a.text("result")))
        return rows
    return f.text(field.id)


def dossier_from_json(
    data: Any, read_photo: PhotoReader, campaign: Campaign | None = None, file: str = "交换文件"
) -> tuple[Dossier, list[str]]:
    """A dossier from exchange JSON. With `campaign` (the store's own), a file of another
    campaign is refused naming both; without, the file's campaign must be installed."""
    reading = _Reading(file)
    notices = reading.notices
    top = _Fields(data, "$", "交换文件", reading)
    fmt = top.data.get("format")
    if fmt != FORMAT:
        raise UserError(
            "这不是推荐材料助手的交换文件(format 不是 nominator-exchange)。请选择从本程序导出的交换文件。"
        )
    version = top.data.get("version")
    if type(version) is not int or version != VERSION:  # true == 1 and 1.0 == 1 in Python
        raise UserError(
            f"交换文件版本为 {gate.shown(repr(version), 20)},本程序只支持版本 {VERSION}。请用相同版本的推荐材料助手导出。"
        )
    top.used.update({"format", "version"})
    campaign = _campaign_of(top.text("campaign") or "", campaign)
    lists_of = _lists_of(campaign)
    lists = {key: top.array(key, MAX_RECORDS, spec.label) for key, spec in lists_of.items()}
    u = _Fields(top.obj("unit"), "unit", "推荐单位", reading)
    unit = Unit(
        name=u.text("name"),
        kind=u.text("kind") or "region",
        contact=u.text("contact"),
        phone=u.text("phone"),
        allocation=_allocation(
            _Fields(u.obj("allocation"), "unit.allocation", "分配名额", reading), campaign
        ),
        overrides=u.text_map("overrides"),
    )
    unit.extra = u.extra()

    def records(key: str) -> list[tuple[int, _Fields]]:
        spec = lists_of.get(key)
        if spec is None:
            return []
        return [
            (n, _Fields(raw, f"{key}[{n}]", f"第{n + 1}{spec.measure}{spec.label}", reading))
            for n, raw in enumerate(lists.get(key, []))
        ]

    nominees: dict[str, list[Nominee]] = {kind: [] for kind in NOMINEE_KINDS}
    for key, spec in lists_of.items():
        if spec.key in nominees:
            nominees[spec.key] = [_nominee(spec, f, n, read_photo) for n, f in records(key)]
    collectives, individuals = nominees["collective"], nominees["individual"]

    members = []
    for n, f in records(json_of(campaign, "member")):
        member = Member()
        _fill_text(member, f, MEMBER_TEXT)
        member.order = f.integer("order", 0, MAX_ORDER) or n + 1
        member.extra = f.extra()
        members.append(member)

    reports = {}
    stages = top.inner("reports")
    for stage, raw in stages.data.items():
        name = stages.key(stage)
        r = _Fields(raw, f"reports.{gate.shown(stage, 30)}", "推荐工作报告", reading)
        gate.count_at_most(len(r.data), MAX_MAP_ITEMS, file=file, what="报告栏目")
        date = r.text("date")
        reports[name] = Report(sections={r.key(k): r.text(k) for k in r.data if k != "date"}, date=date)
        if name not in campaign.reports:
            notices.append(f"报告“{gate.shown(name, 30)}”不属于本次活动,已保留但不会打印。")

    extra = top.extra()
    if extra:
        names = "、".join(gate.shown(k, 30) for k in sorted(extra)[:10])
        notices.append(f"交换文件中有本程序不认识的内容({names}),已原样保留。")
    if reading.dropped:
        shown = "、".join(reading.dropped[:3]) + (
            f"等{len(reading.dropped)}处" if len(reading.dropped) > 3 else ""
        )
        notices.append(f"交换文件中本程序不认识的内容过大或已损坏({shown}),已忽略,其余内容照常导入。")
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
    return gate.parse_json(raw, name=name, max_containers=MAX_CONTAINERS)


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
    """Read an exchange file without writing anything; refused whole, with a message naming the
    file and what is wrong, when any part of it does not pass the gate."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"找不到交换文件“{gate.shown(path)}”。")
    if suffix not in (".json", ".zip"):
        raise UserError(f"交换文件应为 .json 或 .zip,当前为“{gate.shown(path.name)}”。")
    try:
        return _read_zip(path, campaign) if suffix == ".zip" else _read_json(path, campaign)
    except UserError as exc:
        raise gate.Refused(gate.with_file(path.name, str(exc))) from exc


def _read_json(path: Path, campaign: Campaign | None) -> tuple[Dossier, list[str]]:
    data = _parse_json(gate.read_file(path, MAX_JSON_BYTES, what="交换文件"), path.name)
    folder = path.parent
    seen: dict[Path, bytes] = {}

    def read_photo(photo: str, where: str) -> bytes:
        target = gate.inside(folder, photo, where=f"交换文件中的照片({where})")
        if target not in seen:
            if not gate.is_file(target):
                raise UserError(
                    f"找不到交换文件中的照片“{gate.shown(photo)}”({where})。请把照片放在交换文件旁的对应位置。"
                )
            seen[target] = gate.read_file(target, MAX_PHOTO_BYTES, what="照片")
        return seen[target]

    return dossier_from_json(data, read_photo, campaign, path.name)


def _read_zip(path: Path, campaign: Campaign | None) -> tuple[Dossier, list[str]]:
    gate.file_size(path, MAX_ZIP_BYTES, what="交换文件")
    zf = gate.open_zip(path, name=path.name, max_entries=MAX_ZIP_ENTRIES, what="zip 压缩包")
    with zf:
        infos: dict[str, zipfile.ZipInfo] = {}
        for info in zf.infolist():
            name = info.filename.replace("\\", "/")
            if name in infos:
                raise UserError(f"压缩包中有重名文件“{gate.shown(name)}”,无法确定该用哪一个,已拒绝导入。")
            infos[name] = info
        seen: dict[str, bytes] = {}

        def read_member(name: str, limit: int, where: str, ratio: int | None) -> bytes:
            if name not in seen:
                info = infos.get(name)
                if info is None:
                    raise UserError(f"压缩包中缺少“{gate.shown(name)}”({where})。")
                seen[name] = gate.read_member(zf, info, file=path.name, limit=limit, max_ratio=ratio)
            return seen[name]

        raw = read_member("exchange.json", MAX_JSON_BYTES, "交换数据", None)
        data = _parse_json(raw, "exchange.json")

        def read_photo(photo: str, where: str) -> bytes:
            return read_member(photo, MAX_PHOTO_BYTES, where, MAX_PHOTO_RATIO)

        return dossier_from_json(data, read_photo, campaign, path.name)
