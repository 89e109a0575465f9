"""The campaign rule book as typed, frozen records.

Everything a notice says that the program uses — numbers, deadlines, mailbox, wording, unit kinds,
fields and their labels, forms, stages — is one of these values, read from the campaign file by
`nominator.campaign.loader`. Code asks these objects; it never repeats what they hold.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nominator.campaign.builtin import ETHNICITIES
from nominator.campaign.rulebook import Rule, percent_above

# The 56 ethnic group names (GB 3304): a national standard, not a campaign fact; a field refers to
# it with choices = "ethnicities".
BUILT_IN_CHOICES: dict[str, tuple[str, ...]] = {"ethnicities": ETHNICITIES}

# Paper sizes a campaign may name, portrait, in millimetres.
PAPER_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "B5": (176.0, 250.0), "Letter": (215.9, 279.4)}

# The types a field may have. rows: a year-by-year list (近三年考核); photo: the person's photo.
FIELD_TYPES = ("line", "text", "choice", "multichoice", "date", "month", "number", "check", "rows", "photo")
# How a template may print a field's value (`prints`): as typed, a date's or month's parts, a
# résumé's dated lines (the dates, then a tab to where the post's text starts).
PRINT_FORMATS = ("text", "date", "month", "year", "cn_date", "cn_month", "check", "list", "dated")


if TYPE_CHECKING:
    from nominator.campaign.demo_data import DemoData


@dataclass(frozen=True)
class EmailRules:
    to: str
    subject: str
    mailbox_limit_mb: float
    body: str

    def attachment_limit_bytes(self) -> int:
        """The largest zip that fits the mailbox: mail carries attachments in base64 (4/3 the
        size), and the headers and body need a little room."""
        return int(self.mailbox_limit_mb * 1024 * 1024 * 3 / 4) - 64 * 1024

    def subject_for(self, unit_name: str) -> str:
        return self.subject.format(unit=unit_name)


@dataclass(frozen=True)
class AllocationRules:
    source: str  # the attachment where the unit finds its allocation (附件N)
    table: str  # 推荐名额分配表
    by: tuple[str, ...] = ("kind",)  # one number per nominee kind, or per ("category", "level")

    @property
    def by_category(self) -> bool:
        return "category" in self.by


@dataclass(frozen=True)
class UnitKind:
    key: str
    label: str
    quota: str  # "allocation" | "fixed"
    name_pattern: str
    name_rule: str
    name_example: str
    max_collectives: int = 0
    min_individuals: int = 0
    max_individuals: int = 0
    allocation_optional: bool = False

    @property
    def uses_allocation(self) -> bool:
        return self.quota == "allocation"


@dataclass(frozen=True)
class ShareMax:
    """Q3: at most `percent` of individuals with `field` = `value`; `always_allowed` never warn."""

    field: str
    value: str
    percent: int
    always_allowed: int = 0


@dataclass(frozen=True)
class ShareMin:
    """Q4: a region's list leans to `value` of `field` at least by these fractions."""

    field: str
    value: str
    collectives: tuple[int, int]
    individuals: tuple[int, int]


@dataclass(frozen=True)
class QuotaRules:
    factor: tuple[int, int]  # numerator, denominator
    share_max: ShareMax | None
    share_min: ShareMin | None

    @property
    def factor_percent(self) -> str:
        """How much above the allocation the ceiling lies, as the notice says it (`percent_above`)."""
        return percent_above(self.factor)


@dataclass(frozen=True)
class Exclusion:
    """E1 for collectives: a ticked flag (or a name ending with name_suffix) needs a reason."""

    field: str
    message: str
    name_suffix: str = ""


@dataclass(frozen=True)
class EligibilityRules:
    excluded_rank: str
    good_assessments: tuple[str, ...]
    bad_assessments: tuple[str, ...]
    assessment_years: tuple[int, ...]
    assessment_condition: str
    individual_attestations: dict[str, str]
    collective_attestations: dict[str, str]
    collective_exclusions: tuple[Exclusion, ...] = ()
    individual_required: dict[str, str] = field(default_factory=dict)  # E2: field → why


@dataclass(frozen=True)
class PublicityLevel:
    key: str
    label: str
    rule: str


@dataclass(frozen=True)
class PublicityRules:
    working_days: int
    levels: dict[str, PublicityLevel]
    by_stage: dict[str, str]  # stage → the level that must be done before it

    def level_for(self, stage: str) -> str:
        return self.by_stage.get(stage, "")


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
    size_name: str = ""
    back_note: str = ""  # what the clerk writes on the back of each printed photo

    @property
    def ratio_text(self) -> str:
        """The shape as the notice's size implies it, in lowest terms: 35 × 49 → 5:7."""
        from fractions import Fraction

        ratio = Fraction(round(self.width_mm * 10), round(self.height_mm * 10))
        return f"{ratio.numerator}:{ratio.denominator}"

    @property
    def size_text(self) -> str:
        """二寸(35×49 毫米)"""
        return f"{self.size_name}({self.width_mm:g}×{self.height_mm:g} 毫米)"


@dataclass(frozen=True)
class PrintRules:
    paper: str
    copies: int

    @property
    def paper_mm(self) -> tuple[float, float]:
        return PAPER_SIZES_MM[self.paper]


@dataclass(frozen=True)
class ReviewStep:
    """A step after a stage (初审反馈): nominees marked dropped leave the stages after it."""

    label: str
    field_label: str
    pending: str
    kept: str
    dropped: str
    note: str = ""

    def names(self) -> dict[str, str]:
        """Stored value → the word the clerk sees ("" / kept / dropped)."""
        return {"": self.pending, "kept": self.kept, "dropped": self.dropped}


@dataclass(frozen=True)
class StageRules:
    key: str
    name: str
    deadline: dt.date | None
    report: str
    forms: tuple[str, ...]
    photos: bool
    publicity: str = ""
    review: ReviewStep | None = None
    sealed_pdf: bool = False  # the package also holds a sealed (盖章) PDF of the report


@dataclass(frozen=True)
class FormSpec:
    key: str
    number: int
    title: str
    per: str  # "unit" | "collective" | "individual"
    kind: str  # "docx" | "xlsx"
    content: str = "record"  # "report" | "record" | "members" | "summary"
    fields: tuple[str, ...] = ()  # what the form prints (rule V1 requires these at its stage)
    heading: str = ""  # reports: the title printed on the report
    row_fields: dict[str, tuple[str, ...]] = field(default_factory=dict)  # summary: kind → its row's fields
    # the layout contract (print fidelity): pages the form prints when its texts fit their boxes
    # (0: as many as its text needs; a 审批表's "(续)" pages come on top), whether the 落款 (unit
    # and date) is kept on the page of the last paragraph, and whether the form is one sheet
    # printed on both sides (it then starts on a front page in the print set)
    pages: int = 0
    keep_signature: bool = False
    duplex: bool = False

    def title_for(self, unit_name: str) -> str:
        return self.title.format(unit=unit_name)

    @property
    def attachment(self) -> str:
        """附件2; empty for the reports, which are not numbered attachments."""
        return f"附件{self.number}" if self.number else ""


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: str


@dataclass(frozen=True)
class FieldSpec:
    id: str
    label: str
    type: str  # see FIELD_TYPES
    choices: tuple[str, ...] = ()
    limit: str = ""  # a key of the campaign's limits
    example: str = ""
    lines: int = 4
    column: str = ""  # the Excel template's header, where it differs from the label
    categories: tuple[str, ...] = ()  # the categories it applies to (all when empty)
    required: bool | None = None  # None: required where a stage's form prints it (rule V1)
    prints: dict[str, str] = field(default_factory=dict)  # template placeholder → print format
    blank: str = ""  # what the forms print when nothing was typed (e.g. 无)

    def applies_to(self, category: str) -> bool:
        return not self.categories or category in self.categories

    @property
    def header(self) -> str:
        return self.column or self.label

    @property
    def placeholder(self) -> str:
        return f"例:{self.example}" if self.example else ""


@dataclass(frozen=True)
class FieldGroup:
    label: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class Category:
    """A category of nominee (文明单位标兵), at the levels it is awarded at (省级, 市级)."""

    id: str
    label: str
    levels: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhotoFields:
    """A person kind's photo: its file name (F2) is built from these two fields."""

    name_field: str
    date_field: str


@dataclass(frozen=True)
class KindSpec:
    """What is recommended (先进集体, 先进个人) or listed (工作机构成员), and its fields."""

    key: str
    label: str
    measure: str  # 个 / 名
    groups: tuple[FieldGroup, ...]
    columns: tuple[str, ...] = ()  # the list's columns, after 序号
    form: str = ""  # the form that lists these records as a whole (附件9 for members)
    json: str = ""  # the list's name in the exchange file (collectives, individuals)
    categories: tuple[Category, ...] = ()
    levels: tuple[str, ...] = ()  # the levels of every category that names none of its own
    attestations: dict[str, str] = field(default_factory=dict)  # key → the notice's wording
    photo: PhotoFields | None = None

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def levels_of(self, category_id: str) -> tuple[str, ...]:
        found = self.category(category_id)
        return found.levels if found is not None and found.levels else self.levels

    def category_label(self, category_id: str, level: str = "") -> str:
        """省级文明单位标兵"""
        found = self.category(category_id)
        return f"{level}{found.label if found is not None else category_id}"

    def fields(self) -> tuple[FieldSpec, ...]:
        return self._fields

    @functools.cached_property
    def _fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for group in self.groups for f in group.fields)

    @functools.cached_property
    def _by_id(self) -> dict[str, FieldSpec]:
        return {f.id: f for f in self._fields}

    @property
    def name_field(self) -> str:
        """The field that names a record in messages and lists: the kind's first."""
        found = self.fields()
        return found[0].id if found else "name"

    def field(self, field_id: str) -> FieldSpec | None:
        return self._by_id.get(field_id)

    def label_of(self, field_id: str) -> str:
        found = self.field(field_id)
        return found.label if found else field_id

    def count(self, n: int) -> str:
        """3 → 3个先进集体"""
        return f"{n}{self.measure}{self.label}"


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    phone: str
    categories: tuple[str, ...] = ()  # the categories this contact answers for (all when empty)


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    short_title: str
    issuer: str
    notice_date: dt.date
    email: EmailRules
    quota: QuotaRules
    eligibility: EligibilityRules
    publicity: PublicityRules
    workdays: WorkdayOverrides
    limits: dict[str, int]
    validation: ValidationRules
    photo: PhotoRules
    stages: dict[str, StageRules]  # in the notice's order
    forms: dict[str, FormSpec]
    reports: dict[str, tuple[ReportSection, ...]]
    printing: PrintRules
    forms_dir: Path  # the folder of this campaign's templates
    format: int = 2
    title_prefix: str = ""
    addressee: str = ""
    templates: str = ""
    allocation: AllocationRules = AllocationRules("", "")
    unit_kinds: dict[str, UnitKind] = field(default_factory=dict)
    kinds: dict[str, KindSpec] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    example: bool = False  # a sample campaign, listed after the real ones
    notice: str = ""  # the notice's text file beside the campaign file
    contacts: tuple[Contact, ...] = ()
    rules: tuple[Rule, ...] = ()  # every rule the checker runs besides the fields' own, in order
    # the campaign's own demo (`[demo]`, campaign/demo_data.py), or None
    demo: DemoData | None = field(default=None, repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)  # the file as read (stores keep it)
    home: Path | None = field(default=None, repr=False, compare=False)  # the folder it was read from

    # ---- convenient views ---------------------------------------------------------------------

    @property
    def print_copies(self) -> int:
        return self.printing.copies

    @property
    def deadlines(self) -> dict[str, dt.date]:
        return {key: s.deadline for key, s in self.stages.items() if s.deadline is not None}

    def limit(self, key: str) -> int:
        return self.limits[key]

    def kind(self, key: str) -> KindSpec:
        return self.kinds[key]

    def nominee_kinds(self) -> tuple[str, ...]:
        """The kinds that are recommended: every kind but the unit and the lists a form holds
        as a whole (工作机构成员)."""
        return tuple(k for k, spec in self.kinds.items() if k != "unit" and not spec.form)

    def rules_of(self, kind: str) -> tuple[Rule, ...]:
        """The rules of a kind of rule (`share_at_most`…), in the file's order."""
        return tuple(r for r in self.rules if r.kind == kind)

    def rules_in(self, phase: str) -> tuple[Rule, ...]:
        """The rules the checker runs at a phase (see `rulebook.RULE_PHASES`), in the file's order."""
        return self._by_phase.get(phase, ())

    @functools.cached_property
    def _by_phase(self) -> dict[str, tuple[Rule, ...]]:
        found: dict[str, list[Rule]] = {}
        for rule in self.rules:
            found.setdefault(rule.phase, []).append(rule)
        return {phase: tuple(rules) for phase, rules in found.items()}

    def unit_kind(self, key: str) -> UnitKind | None:
        return self.unit_kinds.get(key)

    def stage_name(self, stage: str) -> str:
        found = self.stages.get(stage)
        return found.name if found else stage

    def first_stage(self) -> str:
        return next(iter(self.stages))

    def review_before(self, stage: str) -> ReviewStep | None:
        """The review (初审反馈) whose dropped nominees leave `stage`, if one comes before it."""
        found = None
        for key, rules in self.stages.items():
            if key == stage:
                return found
            found = rules.review or found
        return None

    def review(self) -> ReviewStep | None:
        """The campaign's review step, if it has one."""
        return next((s.review for s in self.stages.values() if s.review is not None), None)

    def printed_fields(self, stage: str, per: str) -> set[str]:
        """Fields printed at a stage by the forms made one per `per` (collective/individual/unit)."""
        found: set[str] = set()
        for key in self.stages[stage].forms:
            spec = self.forms[key]
            if spec.per == per:
                found.update(spec.fields)
            found.update(spec.row_fields.get(per, ()))
        return found

    def form_for(self, content: str) -> FormSpec | None:
        """The first form of a kind of content (the summary table, the members list)."""
        return next((f for f in self.forms.values() if f.content == content), None)

    def members_form(self) -> FormSpec | None:
        member = self.kinds.get("member")
        if member is not None and member.form in self.forms:
            return self.forms[member.form]
        return self.form_for("members")
