"""The campaign rule book as typed data, read from resources/campaigns/<id>.toml.

Code reads quotas, deadlines, limits and form lists from here; it never repeats them.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from nominator.errors import UserError
from nominator.paths import forms_dir, resources_dir

DEFAULT_CAMPAIGN = "liaoning-zwgk-2025"
STAGES = ("initial", "formal")


@dataclass(frozen=True)
class EmailRules:
    to: str
    subject: str
    mailbox_limit_mb: float

    def attachment_limit_bytes(self) -> int:
        """The largest zip that fits the mailbox: mail carries attachments in base64 (4/3 the
        size), and the headers and body need a little room."""
        return int(self.mailbox_limit_mb * 1024 * 1024 * 3 / 4) - 64 * 1024

    def subject_for(self, unit_name: str) -> str:
        return self.subject.format(unit=unit_name)


@dataclass(frozen=True)
class QuotaRules:
    region_factor_numerator: int
    region_factor_denominator: int
    department_max_collectives: int
    department_max_individuals: int
    county_rank_max_percent: int
    county_rank: str
    grassroots_level: str
    region_min_grassroots_collectives_numerator: int
    region_min_grassroots_collectives_denominator: int
    region_min_grassroots_individuals_numerator: int
    region_min_grassroots_individuals_denominator: int


@dataclass(frozen=True)
class EligibilityRules:
    excluded_rank: str
    good_assessments: tuple[str, ...]
    bad_assessments: tuple[str, ...]
    assessment_years: tuple[int, ...]
    individual_attestations: dict[str, str]
    collective_attestations: dict[str, str]


@dataclass(frozen=True)
class PublicityRules:
    working_days: int
    initial: str
    formal: str

    def level_for(self, stage: str) -> str:
        return self.initial if stage == "initial" else self.formal


@dataclass(frozen=True)
class WorkdayOverrides:
    extra_holidays: frozenset[dt.date]
    extra_workdays: frozenset[dt.date]


@dataclass(frozen=True)
class ValidationRules:
    birth_min_year: int
    min_age: int
    work_start_min_age: int


@dataclass(frozen=True)
class PhotoRules:
    width_mm: float
    height_mm: float
    width_px: int
    height_px: int
    dpi: int
    aspect_tolerance: float
    min_bytes: int
    max_bytes: int
    copies: int


@dataclass(frozen=True)
class StageRules:
    key: str
    name: str
    report: str
    forms: tuple[str, ...]
    photos: bool


@dataclass(frozen=True)
class FormSpec:
    key: str
    number: int
    title: str
    per: str  # "unit" | "collective" | "individual"
    kind: str  # "docx" | "xlsx"
    fields: tuple[str, ...] = ()  # what the form prints (rule V1 requires these at its stage)

    def title_for(self, unit_name: str) -> str:
        return self.title.format(unit=unit_name)


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: str


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    short_title: str
    issuer: str
    notice_date: dt.date
    email: EmailRules
    deadlines: dict[str, dt.date]
    quota: QuotaRules
    eligibility: EligibilityRules
    publicity: PublicityRules
    workdays: WorkdayOverrides
    limits: dict[str, int]
    validation: ValidationRules
    photo: PhotoRules
    stages: dict[str, StageRules]
    forms: dict[str, FormSpec]
    reports: dict[str, tuple[ReportSection, ...]]
    print_copies: int
    forms_dir: Path  # the folder of this campaign's templates (forms/<id>/)

    def limit(self, field: str) -> int:
        return self.limits[field]

    def printed_fields(self, stage: str, per: str) -> set[str]:
        """Fields printed at a stage by the forms made one per `per` (collective/individual/unit)."""
        found: set[str] = set()
        for key in self.stages[stage].forms:
            spec = self.forms[key]
            if spec.per == per:
                found.update(spec.fields)
        return found


def _build(data: dict[str, Any], forms: Path) -> Campaign:
    el = data["eligibility"]
    wd = data.get("workdays", {})
    return Campaign(
        id=data["id"],
        title=data["title"],
        short_title=data["short_title"],
        issuer=data["issuer"],
        notice_date=data["notice_date"],
        email=EmailRules(**data["email"]),
        deadlines={k: v for k, v in data["deadlines"].items()},
        quota=QuotaRules(**data["quota"]),
        eligibility=EligibilityRules(
            excluded_rank=el["excluded_rank"],
            good_assessments=tuple(el["good_assessments"]),
            bad_assessments=tuple(el["bad_assessments"]),
            assessment_years=tuple(el["assessment_years"]),
            individual_attestations=dict(el["individual_attestations"]),
            collective_attestations=dict(el["collective_attestations"]),
        ),
        publicity=PublicityRules(**data["publicity"]),
        workdays=WorkdayOverrides(
            extra_holidays=frozenset(wd.get("extra_holidays", [])),
            extra_workdays=frozenset(wd.get("extra_workdays", [])),
        ),
        limits=dict(data["limits"]),
        validation=ValidationRules(**data["validation"]),
        photo=PhotoRules(**data["photo"]),
        stages={
            key: StageRules(
                key=key,
                name=s["name"],
                report=s["report"],
                forms=tuple(s["forms"]),
                photos=s["photos"],
            )
            for key, s in data["stages"].items()
        },
        forms={
            key: FormSpec(key=key, **{**f, "fields": tuple(f.get("fields", ()))})
            for key, f in data["forms"].items()
        },
        reports={
            stage: tuple(ReportSection(**s) for s in sections) for stage, sections in data["reports"].items()
        },
        print_copies=data["print"]["copies"],
        forms_dir=forms,
    )


def campaign_path(campaign_id: str) -> Path:
    return resources_dir() / "campaigns" / f"{campaign_id}.toml"


@cache
def load_campaign(campaign_id: str = DEFAULT_CAMPAIGN) -> Campaign:
    path = campaign_path(campaign_id)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", campaign_id) or not path.is_file():
        raise UserError(f"未知的评选活动“{campaign_id}”:找不到活动规则文件,请确认文件来自本程序支持的活动。")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _build(data, forms_dir() / campaign_id)
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise UserError(f"活动规则文件“{path.name}”格式有误({exc}),请恢复原始文件。") from exc
