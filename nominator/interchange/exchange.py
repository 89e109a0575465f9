"""The exchange file (交换文件, version 1): one unit's recommendation as JSON, alone or in a zip
with its photos. Contract: shared/campaign/exchange-format.md. export → import → export gives
the same JSON; unknown keys are kept; bad input is refused with a message naming the field,
before anything is written.

Everything read passes nominator.gate first: zip files are never extracted to disk, only
`exchange.json` and the photos it names are read, each with a size cap; photo paths (zip or
.json form) are confined to the file's folder, so `../`, absolute, drive and UNC paths, links and
bombs cannot do harm; a photo named by many people is read, budgeted and stored once.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from nominator import gate
from nominator.campaign import Campaign, FieldSpec, KindSpec, PhotoFields, load_campaign
from nominator.domain.model import NOMINEE_KINDS, Allocation, Assessment, Dossier, Nominee, Period
from nominator.domain.naming import expected_photo_name
from nominator.errors import UserError
from nominator.files import write_atomically
from nominator.interchange.exchange_read import (
    FORMAT,
    MEMBER_TEXT,
    PHOTO_DIR,
    VERSION,
    json_of,
    read_exchange,
)
from nominator.store import backup
from nominator.store.session import Store, load_with_rules
from nominator.store.writer import Writer


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


def _photo_names(people: list[Nominee], fields: PhotoFields) -> list[str]:
    """Each person's photo path inside the exchange, unique even when two names collide."""
    used: set[str] = set()
    names = []
    for person in people:
        if person.photo_data is None and not person.photo:
            names.append("")
            continue
        name = PurePosixPath(person.photo).name or expected_photo_name(person, fields)
        stem, suffix = os.path.splitext(name)
        n = 2
        while name.casefold() in used:
            name = f"{stem}({n}){suffix}"
            n += 1
        used.add(name.casefold())
        names.append(f"{PHOTO_DIR}/{name}")
    return names


def dossier_to_json(dossier: Dossier, campaign: Campaign | None = None) -> dict[str, Any]:
    """The exchange JSON of a dossier under its campaign (the installed one of its id when not
    given): each nominee kind's list under the kind's `json` name, each field as its type says."""
    campaign = campaign or load_campaign(dossier.campaign)
    unit = dossier.unit
    unit_json: dict[str, Any] = {
        **unit.extra,
        "name": unit.name,
        "kind": unit.kind,
        "contact": unit.contact,
        "phone": unit.phone,
        "allocation": _allocation_json(unit.allocation, campaign),
    }
    if unit.overrides:
        unit_json["overrides"] = dict(unit.overrides)
    lists: dict[str, Any] = {}
    for kind in NOMINEE_KINDS:
        spec = campaign.kinds.get(kind)
        if spec is None:
            continue
        records = dossier.ordered(kind)
        photos = _photo_names(records, spec.photo) if spec.photo is not None else [""] * len(records)
        lists[json_of(campaign, kind)] = [
            _nominee_json(record, spec, n, photo)
            for n, (record, photo) in enumerate(zip(records, photos, strict=True))
        ]
    if "member" in campaign.kinds:
        lists[json_of(campaign, "member")] = [
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
        **lists,
        "reports": reports,
    }


def _allocation_json(allocation: Allocation, campaign: Campaign) -> dict[str, Any]:
    """By kind, under the kinds' list names; by category (and level) where the campaign says so."""
    found: dict[str, Any] = {}
    by_kind = (("collective", allocation.collectives), ("individual", allocation.individuals))
    for kind, number in by_kind if "kind" in campaign.allocation.by else ():
        if kind in campaign.kinds:
            found[json_of(campaign, kind)] = number
    for key, number in allocation.table.items():
        category, _, level = key.partition(".")
        if level:
            found.setdefault(category, {})[level] = number
        else:
            found[category] = number
    return found


def _nominee_json(record: Nominee, spec: KindSpec, n: int, photo: str) -> dict[str, Any]:
    item: dict[str, Any] = {**record.extra}
    for f in spec.fields():
        if f.type != "photo":
            item[f.id] = _value_json(f, record.get(f.id))
    if spec.categories:
        item["category"] = record.get("category", "")
        item["level"] = record.get("level", "")
    item["attestations"] = dict(record.attestations)
    item["publicity"] = {level: _period_json(p) for level, p in record.publicity.items()}
    if spec.photo is not None:
        item["photo"] = photo
    item["overrides"] = dict(record.overrides)
    item["order"] = n + 1
    _optional_keys(item, record)
    return item


_EMPTY: dict[str, Any] = {"number": None, "check": False}


def _value_json(field: FieldSpec, value: Any) -> Any:
    if field.type == "rows":
        rows = value if isinstance(value, list) else []
        return [{"year": r.year, "result": r.result} if isinstance(r, Assessment) else r for r in rows]
    if field.type == "multichoice":
        return list(value) if isinstance(value, (list, tuple)) else []
    if value is None:
        return _EMPTY.get(field.type, "")
    return value


def _optional_keys(item: dict[str, Any], record: Nominee) -> None:
    """Our additions to the format, written only when set so plain files stay plain."""
    if record.source:
        item["source"] = record.source
    if record.feedback:
        item["feedback"] = record.feedback


def photo_files(dossier: Dossier, campaign: Campaign | None = None) -> dict[str, bytes]:
    """Exchange path → bytes, for the photos the JSON names."""
    campaign = campaign or load_campaign(dossier.campaign)
    found: dict[str, bytes] = {}
    for kind in NOMINEE_KINDS:
        spec = campaign.kinds.get(kind)
        if spec is None or spec.photo is None:
            continue
        people = dossier.ordered(kind)
        for person, path in zip(people, _photo_names(people, spec.photo), strict=True):
            if path and person.photo_data is not None:
                found[path] = person.photo_data
    return found


def write_exchange(dossier: Dossier, out: Path, campaign: Campaign | None = None) -> Path:
    """Write `.json` (photos beside it in photos/) or `.zip`; atomically, never half a file.
    `campaign`: the store's own (the installed one of the dossier's id when not given)."""
    campaign = campaign or load_campaign(dossier.campaign)
    suffix = out.suffix.lower()
    if suffix not in (".json", ".zip"):
        raise UserError(f"交换文件的扩展名应为 .json 或 .zip,当前为“{out.name}”。")
    # Text mended on the way out too: a store written by an older version may hold a lone
    # surrogate or a control character, and the file must still be written (and read back).
    text = json.dumps(
        gate.clean_tree(dossier_to_json(dossier, campaign), where="$", repair=True),
        ensure_ascii=False,
        indent=2,
    )
    photos = photo_files(dossier, campaign)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("exchange.json", text)
            for name, data in photos.items():
                zf.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        write_atomically(out, buffer.getvalue())
    else:
        for name, data in photos.items():
            target = out.parent / name
            target.parent.mkdir(exist_ok=True)
            write_atomically(target, data)
        write_atomically(out, text.encode("utf-8"))
    return out


# ---- the store's side ---------------------------------------------------------------------


def replace_contents(writer: Writer, dossier: Dossier) -> None:
    """The import policy, one for the window and `nominator import`: a store that holds data is
    backed up before an exchange file replaces it (the caller has asked first); then everything is
    replaced in the writer's transaction, so a failure leaves the store as it was."""
    if not writer.is_empty():
        backup.make_backup(writer.path, "before-import")
    writer.replace_dossier(dossier)


def import_into_store(
    file: Path, db: Path, *, replace: bool = False, campaign: Campaign | None = None
) -> ImportReport:
    """Read an exchange file into a store (created if missing, for `campaign` or the file's own
    campaign). A file of another campaign than the store's is refused. All or nothing."""
    if db.exists():
        with Store.open(db) as store:
            rules = store.rules()
            dossier, notices = read_exchange(file, rules)
            with store.transaction() as writer:
                if not writer.is_empty() and not replace:
                    raise UserError(
                        f"推荐库“{db.name}”中已有数据。导入会覆盖现有内容:如确需覆盖,请加 --replace(会先自动备份)。"
                    )
                replace_contents(writer, dossier)
    else:
        dossier, notices = read_exchange(file, campaign)
        rules = campaign or load_campaign(dossier.campaign)
        with Store.create(db, campaign=rules) as store, store.transaction() as writer:
            writer.replace_dossier(dossier)
    return ImportReport(
        len(dossier.collectives), len(dossier.individuals), len(dossier.members), notices, rules.kinds
    )


def export_from_store(db: Path, out: Path) -> Path:
    dossier, campaign = load_with_rules(db)
    return write_exchange(dossier, out, campaign)


__all__ = [
    "ImportReport",
    "dossier_to_json",
    "export_from_store",
    "import_into_store",
    "photo_files",
    "read_exchange",
    "replace_contents",
    "write_exchange",
]
