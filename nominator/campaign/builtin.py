"""The fields format 2 gives its two nominee kinds (and the member and unit lists), with the value
each holds when nothing was typed: a format-2 campaign file may only label these, and a record of
these kinds that lacks one reads it as this default (nominator.domain.model.Nominee). A format-3
file declares its kinds' fields itself (issue 17)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

_COLLECTIVE: dict[str, Any] = {
    "name": "", "level": "", "nature": "", "leader": "", "staff_count": None, "contact": "", "phone": "",
    "deeds_brief": "", "deeds_full": "", "honors": "", "deputy_bureau_or_above": False,
    "county_government_or_above": False,
}  # fmt: skip
_INDIVIDUAL: dict[str, Any] = {
    "name": "", "gender": "", "ethnicity": "", "birth_date": "", "political_status": "", "education": "",
    "work_start": "", "unit_and_title": "", "rank": "", "level": "", "years_in_field": None, "phone": "",
    "assessments": [], "resume": "", "deeds_brief": "", "deeds_full": "", "honors": "",
}  # fmt: skip

BUILT_IN_FIELDS = MappingProxyType(
    {"collective": MappingProxyType(_COLLECTIVE), "individual": MappingProxyType(_INDIVIDUAL)}
)
