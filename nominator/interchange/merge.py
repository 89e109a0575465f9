"""逐级推荐: a city merges the exchange files its districts, counties and departments sent.

`preview_merge` reads the files and writes nothing: for each incoming nominee it says where it
came from, whether it is already recommended (rule V4: same collective name, or same person
name and birth date — in the city's own list or in an earlier file), and what the city's quota
(Q1–Q4) would look like after the merge. `apply_merge` then appends the records, marked with
their source, in one transaction after a backup. Choosing whom to carry forward is left to the
clerk (deleting in the window).

Working-group members (附件9) are the city's own list, so a district's members are reported but
only merged when asked for.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from nominator.campaign import Campaign
from nominator.domain.checks import check
from nominator.domain.model import NOMINEE_KINDS, Dossier, Member, Nominee
from nominator.domain.problems import Problem
from nominator.errors import UserError
from nominator.interchange.exchange import read_exchange
from nominator.store import backup
from nominator.store.session import Kind
from nominator.store.writer import Writer

QUOTA_RULES = ("Q1", "Q2", "Q3", "Q4")


@dataclass
class Incoming:
    """One record from a subordinate unit's file, as it would be merged."""

    kind: Kind
    record: Nominee | Member  # `source` already set for nominees
    source: str  # the sub-unit's name
    file: Path
    noun: str = ""  # the campaign's word for the kind: 先进集体 …
    detail: str = ""  # what else tells two of one name apart (出生日期1966-01-01), from the V4 key
    duplicate_of: str = ""  # Chinese: what it duplicates; "" when it is new

    @property
    def is_duplicate(self) -> bool:
        return bool(self.duplicate_of)

    name: str = ""  # as the kind names its records

    @property
    def label(self) -> str:
        return f"{self.noun}“{self.name}”{f'({self.detail})' if self.detail else ''}"


@dataclass
class MergePreview:
    target_unit: str
    files: list[Path]
    sources: list[str]  # one per file: the sub-unit's name
    incoming: list[Incoming] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    quota_problems: list[Problem] = field(default_factory=list)  # after merging, duplicates skipped

    def of_kind(self, kind: Kind) -> list[Incoming]:
        return [i for i in self.incoming if i.kind == kind]

    @property
    def duplicates(self) -> list[Incoming]:
        return [i for i in self.incoming if i.is_duplicate]


@dataclass(frozen=True)
class MergeCounts:
    collectives: int = 0
    individuals: int = 0
    members: int = 0
    skipped_duplicates: int = 0
    ids: tuple[tuple[Kind, int], ...] = ()  # the records added, by kind and id


def key_fields(campaign: Campaign, kind: str) -> tuple[str, ...]:
    """What makes two nominees of a kind the same one: the fields of the campaign's `unique` rule
    (V4) for it, else its name."""
    for rule in campaign.rules:
        if rule.kind == "unique" and kind in rule.of and rule.fields:
            return rule.fields
    return (campaign.kinds[kind].name_field,)


def _member_key(m: Member) -> tuple[str, str]:
    return re.sub(r"\s", "", m.name), re.sub(r"\s", "", m.unit_and_title)


def _key(record: Nominee | Member, campaign: Campaign) -> tuple[str, ...]:
    if isinstance(record, Member):
        return ("member", *_member_key(record))
    first, *rest = key_fields(campaign, record.kind)
    name = re.sub(r"\s", "", str(record.get(first) or ""))
    return (record.kind, name, *(str(record.get(f) or "").strip() for f in rest))


def _detail(record: Nominee | Member, campaign: Campaign) -> str:
    if isinstance(record, Member):
        return ""
    spec = campaign.kinds[record.kind]
    rest = key_fields(campaign, record.kind)[1:]
    return "、".join(f"{spec.label_of(f)}{record.get(f)}" for f in rest if str(record.get(f) or "").strip())


def _sourced(record: Nominee, source: str) -> Nominee:
    """A copy to merge: marked with where it came from (a county's own sources kept after a slash);
    the province's feedback on the sub-unit's list does not carry over to the city's."""
    origin = f"{source}/{record.source}" if record.source and record.source != source else source
    return replace(copy.deepcopy(record), source=origin, feedback="", id=None, order=0)


def preview_merge(
    target: Dossier, files: list[Path], campaign: Campaign, *, today: dt.date | None = None
) -> MergePreview:
    """Read the files (all or none: a bad file refuses the whole merge) and say what merging would do."""
    if not files:
        raise UserError("请选择要导入的下级交换文件(.json 或 .zip)。")
    preview = MergePreview(target_unit=target.unit.name, files=list(files), sources=[])
    seen: dict[tuple[str, ...], str] = {}
    kinds = campaign.kinds
    nominee_kinds = [k for k in NOMINEE_KINDS if k in kinds]
    for kind in nominee_kinds:
        for n, own in enumerate(target.ordered(kind), start=1):
            seen.setdefault(_key(own, campaign), f"本单位已有的第{n}{kinds[kind].measure}{kinds[kind].label}")
    if "member" in kinds:
        for m in target.members:
            seen.setdefault(_key(m, campaign), f"本单位已有的{kinds['member'].label}")
    for path in files:
        try:
            dossier, notices = read_exchange(path, campaign)
        except UserError as exc:
            raise UserError(f"“{path.name}”:{exc}") from None
        source = dossier.unit.name.strip() or path.stem
        preview.sources.append(source)
        preview.notices += [f"{path.name}:{notice}" for notice in notices]
        if source == target.unit.name.strip():
            preview.notices.append(
                f"“{path.name}”的推荐单位就是本单位“{source}”,请确认选的是下级报送的文件。"
            )
        records: list[tuple[Any, Nominee | Member]] = [
            *((kind, _sourced(r, source)) for kind in nominee_kinds for r in dossier.ordered(kind)),
            *(("member", replace(copy.deepcopy(m), id=None, order=0)) for m in dossier.ordered_members()),
        ]
        for kind, record in records:
            name = (
                record.name if isinstance(record, Member) else str(record.get(kinds[kind].name_field) or "")
            )
            item = Incoming(
                kind, record, source, path, kinds[kind].label, _detail(record, campaign), name=name
            )
            key = _key(record, campaign)
            if key[1]:  # nameless records cannot duplicate anything
                if key in seen:
                    item.duplicate_of = seen[key]
                else:
                    seen[key] = f"“{source}”报送的{item.label}"
            preview.incoming.append(item)
        if dossier.members:
            form = campaign.members_form()
            where = f"的{form.attachment}" if form and form.attachment else ""
            preview.notices.append(
                f"{source}:{kinds['member'].label} {len(dossier.members)} {kinds['member'].measure}"
                f"是下级自己的名单,默认不合并到本单位{where}。"
            )
    preview.quota_problems = _quota_after(target, preview, campaign, today)
    return preview


def merged_dossier(target: Dossier, preview: MergePreview, *, skip_duplicates: bool = True) -> Dossier:
    """The target as it would be after the merge (members not included)."""
    chosen = [i for i in preview.incoming if not (skip_duplicates and i.is_duplicate)]
    merged = replace(
        target,
        collectives=[
            *target.ordered_collectives(),
            *(i.record for i in chosen if isinstance(i.record, Nominee) and i.kind == "collective"),
        ],
        individuals=[
            *target.ordered_individuals(),
            *(i.record for i in chosen if isinstance(i.record, Nominee) and i.kind == "individual"),
        ],
    )
    for n, c in enumerate(merged.collectives, start=1):
        merged.collectives[n - 1] = replace(c, order=n)
    for n, p in enumerate(merged.individuals, start=1):
        merged.individuals[n - 1] = replace(p, order=n)
    return merged


def _quota_after(
    target: Dossier, preview: MergePreview, campaign: Campaign, today: dt.date | None
) -> list[Problem]:
    merged = merged_dossier(target, preview)
    return [p for p in check(merged, campaign, campaign.first_stage(), today=today) if p.rule in QUOTA_RULES]


def apply_merge(
    writer: Writer, preview: MergePreview, *, skip_duplicates: bool = True, include_members: bool = False
) -> MergeCounts:
    """Append the incoming records after the store's own, marked with their source; one
    transaction (the writer's) after a backup: nothing half-merged."""
    chosen = [
        i
        for i in preview.incoming
        if not (skip_duplicates and i.is_duplicate) and (include_members or i.kind != "member")
    ]
    ids: list[int] = []
    if chosen:
        backup.make_backup(writer.path, "before-merge")
        ids = writer.add_many([(i.kind, i.record) for i in chosen])
    nominees = [i for i in preview.incoming if i.kind != "member" or include_members]
    return MergeCounts(
        collectives=sum(1 for i in chosen if i.kind == "collective"),
        individuals=sum(1 for i in chosen if i.kind == "individual"),
        members=sum(1 for i in chosen if i.kind == "member"),
        skipped_duplicates=sum(1 for i in nominees if i.is_duplicate) if skip_duplicates else 0,
        ids=tuple((i.kind, n) for i, n in zip(chosen, ids, strict=True)),
    )
