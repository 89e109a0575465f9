"""The campaign's rules as data: each a parameterised kind with its rule ID (format 3).

A notice's conditions — quotas, shares, earlier honours, exclusions, what must be filled in or
ticked — are written in the campaign file as `[[rules]]`, each one of the kinds below with its
numbers and, where the notice's own words are wanted, its `message`. `nominator.domain.rules`
holds one function per kind; `hook` names a Python function for what no kind covers, cited by
its rule ID like the others. A format-2 file's `[quota]`, `[eligibility]` and `[validation]` are
translated into the same rules (`nominator.campaign.format2`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

# kind → the phase of the check it runs in (the driver keeps each phase's place in the order of
# the problems): "unit" once per dossier, at the unit (quotas and shares); "entry", "values" and
# "eligibility" once per record, before the choice check, after it, after the length check;
# "list" once per kind's list, after everything else (duplicates).
RULE_PHASES = {
    "ceiling": "unit",
    "fixed_max": "unit",
    "category_quota": "unit",
    "share_at_most": "unit",
    "share_at_least": "unit",
    "required": "entry",
    "date_range": "values",
    "date_after": "values",
    "excluded_value": "eligibility",
    "requires_prior": "eligibility",
    "rows_in": "eligibility",
    "attestations": "eligibility",
    "unique": "list",
    "hook": "values",
}
RULE_KINDS = tuple(RULE_PHASES)
SEVERITIES = ("error", "warning")
# The Python hooks a campaign may name (`nominator.domain.rules.HOOKS` holds their functions):
# positive — a number field is at least 1; years_within — a number of years is not negative and
# not longer than the time since the month or date in `after`.
HOOK_NAMES = ("positive", "years_within")


@dataclass(frozen=True)
class PriorException:
    """破格: a record without the earlier honour may still apply when `field` holds one of
    `values` (any record when `field` is empty), with a written reason in the field `reason`."""

    reason: str
    field: str = ""
    values: tuple[str, ...] = ()


def percent_above(factor: tuple[int, int]) -> str:
    """A factor as the percent a notice writes: (3, 2) → "50%", (11, 10) → "10%"."""
    num, den = factor
    return f"{(num - den) * 100 / den:g}%"


@dataclass(frozen=True)
class Rule:
    """One rule of the notice. Which parameters mean something depends on `kind`:

    - ceiling: `of` kinds, `factor` (allocation × factor, rounded half up);
    - fixed_max: `unit_kinds`, `maximum` / `minimum` per nominee kind;
    - category_quota: `of`, the allocation per category and level, × `factor`;
    - share_at_most: `field` = `value` at most `percent`% of `of`, `always_allowed` never warn;
    - share_at_least: `field` = `value` at least `share` (a fraction) of `of`, for `unit_kinds`;
    - requires_prior: a record of `categories`/`levels` has one of `values` in `field`; `exception`;
    - excluded_value: `field` holds one of `values` (a ticked check when `values` is empty), or the
      name ends with `name_suffix`;
    - required: `reasons` (field → why it is required);
    - rows_in: the rows of `field` for each of `years` are in `good` (`bad` refused with `condition`);
    - attestations: every attestation of the record's kind is ticked;
    - date_range: `field` is a date in `earliest_year` … today less `years` years;
    - date_after: `field` (a month or date) not after today, nor earlier than `after` + `years` years;
    - unique: no two records of `of` share `fields`;
    - hook: the Python function `hook` (see `nominator.domain.rules.HOOKS`), on `field`.
    """

    id: str
    kind: str
    severity: str = "error"
    of: tuple[str, ...] = ()
    message: str = ""
    categories: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    unit_kinds: tuple[str, ...] = ()
    field: str = ""
    fields: tuple[str, ...] = ()
    value: str = ""
    values: tuple[str, ...] = ()
    name_suffix: str = ""
    factor: tuple[int, int] = (1, 1)
    percent: int = 0
    always_allowed: int = 0
    share: tuple[int, int] = (0, 1)
    maximum: dict[str, int] = dataclasses.field(default_factory=dict)
    minimum: dict[str, int] = dataclasses.field(default_factory=dict)
    reasons: dict[str, str] = dataclasses.field(default_factory=dict)
    exception: PriorException | None = None
    years: tuple[int, ...] = ()
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    condition: str = ""
    label: str = ""
    earliest_year: int = 0
    span: int = 0  # date_range: years before today; date_after: years after `after`
    after: str = ""
    hook: str = ""

    @property
    def phase(self) -> str:
        return RULE_PHASES[self.kind]

    def applies_to(self, kind: str, category: str = "", level: str = "") -> bool:
        """Whether a record of this kind, category and level falls under the rule."""
        if self.of and kind not in self.of:
            return False
        if self.categories and category not in self.categories:
            return False
        return not self.levels or level in self.levels

    def percent_text(self) -> str:
        """How much above the allocation a ceiling lies, as a notice says it (see `percent_above`)."""
        return percent_above(self.factor)
