"""The writes of one transaction. A `Writer` comes only from `Store.transaction()`: whatever is
done through it is committed together when the `with` block ends, or not at all (an exception,
a cancelled operation). Each method returns what undo needs (the old value, the position)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select

from nominator.campaign import Campaign, template_digests
from nominator.domain.model import Dossier, Member, Nominee, Report, Unit
from nominator.store import convert
from nominator.store.records import (
    CAMPAIGN_FILE,
    CAMPAIGN_TEMPLATES,
    Kind,
    Record,
    Row,
    Snapshot,
    of_kind,
    row_type,
    tidy,
)
from nominator.store.schema import (
    MemberRow,
    MetaRow,
    NomineeRow,
    OverrideRow,
    PhotoRow,
    PhotoVerdictRow,
    ReportRow,
)


class Writer(Snapshot):
    """Reads and writes inside one transaction (reads see the writes made before them)."""

    # ---- records ---------------------------------------------------------------------------

    def add(self, kind: Kind, record: Record, position: int | None = None) -> int:
        """Insert a record at `position` (0-based; default: last). A record that carries an id
        (undo of a delete) gets that id back. Returns its id."""
        row = self._new_row(kind, record, record.id)
        self._place(kind, row, position)
        return row.id

    def add_many(self, records: Sequence[tuple[Kind, Record]]) -> list[int]:
        """Append records after the existing ones of their kind, in the given order (bulk intake,
        merge). Returns their ids."""
        s = self._s
        next_position: dict[str, int] = {}
        ids = []
        for kind, record in records:
            if kind not in next_position:
                last = s.scalar(of_kind(kind, select(func.max(row_type(kind).position))))
                next_position[kind] = (last or 0) + 1
            row = self._new_row(kind, record, None)
            row.position = next_position[kind]
            next_position[kind] += 1
            ids.append(row.id)
        return ids

    def update(self, kind: Kind, record: Record) -> Record:
        """Store every field of `record` (photo bytes included when given); returns the old record."""
        assert record.id is not None
        old = self.get(kind, record.id)
        self._fill_row(kind, record, self._s.get_one(row_type(kind), record.id))
        return old

    def update_many(self, kind: Kind, records: Sequence[Record]) -> list[Record]:
        """`update` for several records (photos by folder); returns the old ones."""
        return [self.update(kind, record) for record in records]

    def delete(self, kind: Kind, record_id: int) -> tuple[Record, int]:
        """Remove a record; returns it (photo included) and its position, for undo."""
        s = self._s
        old = self.get(kind, record_id)
        position = self.ids(kind).index(record_id)
        row = s.get_one(row_type(kind), record_id)
        photo_id = row.photo_id if isinstance(row, NomineeRow) else None
        s.delete(row)
        if photo_id is not None:
            self._drop_photo_if_unused(photo_id)
        s.execute(
            delete(OverrideRow).where(OverrideRow.target_kind == kind, OverrideRow.target_id == record_id)
        )
        return old, position

    def reorder(self, kind: Kind, ordered_ids: list[int]) -> list[int]:
        """Set the recommendation order; returns the previous order."""
        old = self.ids(kind)
        if sorted(old) != sorted(ordered_ids):
            raise ValueError("reorder must name every record exactly once")
        for pos, rid in enumerate(ordered_ids):
            self._s.get_one(row_type(kind), rid).position = pos
        return old

    # ---- the unit, the reports, the campaign ------------------------------------------------

    def update_unit(self, unit: Unit) -> Unit:
        """Store `unit` (overrides included); returns the previous value."""
        old = self.unit()
        convert.unit_to_row(tidy(unit), self._unit_row())
        self._s.execute(delete(OverrideRow).where(OverrideRow.target_kind == "unit"))
        self._write_overrides("unit", 1, unit.overrides)
        return old

    def set_report(self, stage: str, report: Report) -> Report:
        row = self._s.get(ReportRow, stage)
        old = self.report(stage)
        if row is None:
            row = ReportRow(stage=stage)
            self._s.add(row)
        convert.report_to_row(tidy(report), row)
        return old

    def set_rules(self, campaign: Campaign) -> None:
        """Follow `campaign` (another version of the store's, or another one) from now on,
        keeping a full copy of its file and its templates' digests."""
        self._unit_row().campaign = campaign.id
        self.keep_rules(campaign)

    def keep_rules(self, campaign: Campaign) -> None:
        self._s.merge(MetaRow(key=CAMPAIGN_FILE, value=campaign.text))
        digests = json.dumps(template_digests(campaign), sort_keys=True)
        self._s.merge(MetaRow(key=CAMPAIGN_TEMPLATES, value=digests))

    def replace_dossier(self, dossier: Dossier, *, keep_ids: bool = False) -> None:
        """Replace everything in the store by `dossier`. `keep_ids`: records keep the ids they
        carry (undo of a replacement brings the store back as it was, ids and all)."""
        dossier = tidy(dossier)
        s = self._s
        for table in (OverrideRow, NomineeRow, MemberRow, ReportRow, PhotoRow):
            s.execute(delete(table))
        s.flush()
        unit_row = self._unit_row()
        unit_row.campaign = dossier.campaign
        convert.unit_to_row(dossier.unit, unit_row)
        unit_row.extra = {**dossier.unit.extra, **({"_dossier": dossier.extra} if dossier.extra else {})}
        self._write_overrides("unit", 1, dossier.unit.overrides)
        for pos, c in enumerate(dossier.ordered_collectives()):
            crow = NomineeRow(position=pos, **({"id": c.id} if keep_ids and c.id is not None else {}))
            convert.nominee_to_row(c, crow)
            s.add(crow)
            s.flush()
            self._write_overrides("collective", crow.id, c.overrides)
        for pos, i in enumerate(dossier.ordered_individuals()):
            irow = NomineeRow(position=pos, **({"id": i.id} if keep_ids and i.id is not None else {}))
            convert.nominee_to_row(i, irow)
            if i.photo_data is not None:
                irow.photo_id = self._photo_id(i.photo_data)
            s.add(irow)
            s.flush()
            self._write_overrides("individual", irow.id, i.overrides)
        for pos, m in enumerate(dossier.ordered_members()):
            mrow = MemberRow(position=pos, **({"id": m.id} if keep_ids and m.id is not None else {}))
            convert.member_to_row(m, mrow)
            s.add(mrow)
        for stage, report in dossier.reports.items():
            rrow = ReportRow(stage=stage)
            convert.report_to_row(report, rrow)
            s.add(rrow)

    # ---- photo verdicts --------------------------------------------------------------------

    def keep_photo_verdicts(self, verdicts: dict[tuple[str, str], Any]) -> int:
        """Keep verdicts ((rules fingerprint, photo SHA-256) → PhotoVerdict) made under the
        store's own photo rules, for photos it holds and has none for; verdicts under other
        rules, or for photos gone, are let go. Returns how many were added. Not an edit of the
        dossier: what is kept only spares decoding a photo again."""
        from nominator.domain.photo import rules_fingerprint, verdict_to_json

        if not verdicts:
            return 0
        s = self._s
        fingerprint = rules_fingerprint(self.rules().photo)
        held = set(s.scalars(select(PhotoRow.sha256)))
        kept = {(r.rules, r.sha256) for r in s.execute(select(PhotoVerdictRow.rules, PhotoVerdictRow.sha256))}
        for fp, sha in kept:
            if fp != fingerprint or sha not in held:
                s.execute(
                    delete(PhotoVerdictRow).where(PhotoVerdictRow.rules == fp, PhotoVerdictRow.sha256 == sha)
                )
        added = 0
        for (fp, sha), verdict in verdicts.items():
            if fp == fingerprint and sha in held and (fp, sha) not in kept:
                s.add(PhotoVerdictRow(sha256=sha, rules=fp, verdict=verdict_to_json(verdict)))
                added += 1
        return added

    # ---- helpers ---------------------------------------------------------------------------

    def _write_overrides(self, kind: str, target_id: int, overrides: dict[str, str]) -> None:
        for rule, reason in tidy(overrides).items():
            self._s.add(OverrideRow(target_kind=kind, target_id=target_id, rule=rule, reason=reason))

    def _new_row(self, kind: Kind, record: Record, record_id: int | None) -> Row:
        row: Row = row_type(kind)(position=0)
        if record_id is not None:
            row.id = record_id  # undo of a delete brings the same id back
        self._s.add(row)
        self._fill_row(kind, record, row)
        self._s.flush()
        return row

    def _fill_row(self, kind: Kind, record: Record, row: Row) -> None:
        s = self._s
        if isinstance(row, NomineeRow) and isinstance(record, Nominee) and record.kind == kind:
            convert.nominee_to_row(tidy(record), row)
            self._set_photo(row, record.photo_data)
        elif isinstance(row, MemberRow) and isinstance(record, Member):
            convert.member_to_row(tidy(record), row)
        else:
            raise TypeError(f"{type(record).__name__} is not a {kind}")
        if isinstance(record, Nominee):
            s.flush()
            s.execute(
                delete(OverrideRow).where(OverrideRow.target_kind == kind, OverrideRow.target_id == row.id)
            )
            self._write_overrides(kind, row.id, record.overrides)

    def _photo_id(self, data: bytes) -> int:
        """The row holding these bytes: an existing one with the same content, else a new one.
        Each photo is stored once however many people it belongs to."""
        s = self._s
        digest = hashlib.sha256(data).hexdigest()
        same = select(PhotoRow.id).where(PhotoRow.sha256 == digest, func.length(PhotoRow.data) == len(data))
        found = s.scalar(same.limit(1))
        if found is not None:
            return int(found)
        photo = convert.photo_row(data)
        s.add(photo)
        s.flush()
        return photo.id

    def _drop_photo_if_unused(self, photo_id: int) -> None:
        s = self._s
        s.flush()
        if s.scalar(select(NomineeRow.id).where(NomineeRow.photo_id == photo_id).limit(1)) is None:
            s.execute(delete(PhotoRow).where(PhotoRow.id == photo_id))

    def _set_photo(self, row: NomineeRow, data: bytes | None) -> None:
        current = row.photo_id
        wanted = self._photo_id(data) if data is not None else None
        if wanted == current:
            return
        row.photo_id = wanted
        if current is not None:
            self._drop_photo_if_unused(current)

    def _place(self, kind: Kind, row: Row, position: int | None) -> None:
        ids = [rid for rid in self.ids(kind) if rid != row.id]
        ids.insert(len(ids) if position is None else min(position, len(ids)), row.id)
        for pos, rid in enumerate(ids):
            self._s.get_one(row_type(kind), rid).position = pos


__all__ = ["Writer"]
