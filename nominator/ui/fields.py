"""Which fields each editor shows, in form order, with their widgets' kinds: a view of the
campaign's own field declarations (labels, choices, limits, examples), plus the review step.

Keys are the record attributes (and the checker's target paths).
"""

from __future__ import annotations

from dataclasses import dataclass

from nominator.campaign import Campaign, FieldSpec
from nominator.domain.checks import phone_example


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # line | phone | text | choice | labelled | date | month | number | check
    choices: tuple[str, ...] = ()
    limit: str | None = None  # key into campaign.limits
    placeholder: str = ""
    lines: int = 4
    labels: tuple[tuple[str, str], ...] = ()  # (stored value, shown label) for "labelled"


Group = tuple[str, tuple[Field, ...]]


# The unit's fixed fields, as a campaign that does not declare [kinds.unit] has them.
UNIT_FIELD_LABELS = {"name": "单位名称", "contact": "联系人", "phone": "联系电话"}


def unit_field_label(campaign: Campaign, field_id: str) -> str:
    """The label of one of the unit's fields: the campaign's where it declares it."""
    found = campaign.kinds["unit"].field(field_id)
    return found.label if found is not None else UNIT_FIELD_LABELS.get(field_id, field_id)


def phone_hint(campaign: Campaign) -> str:
    example = phone_example(campaign)
    return f"手机11位,或座机如 {example}" if example else "手机11位,或带区号的座机"


def _field(spec: FieldSpec, campaign: Campaign) -> Field:
    if spec.id == "phone":  # checked as typed, with the checker's own rule (PhoneField)
        return Field(spec.id, spec.label, "phone", (), None, phone_hint(campaign), spec.lines)
    return Field(
        spec.id, spec.label, spec.type, spec.choices, spec.limit or None, spec.placeholder, spec.lines
    )


def review_group(campaign: Campaign) -> Group | None:
    review = campaign.review()
    if review is None:
        return None
    return review.label, (
        Field("feedback", review.field_label, "labelled", labels=tuple(review.names().items())),
    )


def editor_groups(campaign: Campaign, kind: str) -> tuple[Group, ...]:
    """The editor's boxes for a kind: the review first (for nominees), then the campaign's groups."""
    groups: list[Group] = []
    review = review_group(campaign)
    if review is not None and kind in ("collective", "individual"):
        groups.append(review)
    for group in campaign.kinds[kind].groups:
        # A rows field (近三年考核) has its own boxes, one per year the campaign asks about.
        fields = tuple(_field(f, campaign) for f in group.fields if f.type != "rows")
        if fields:
            groups.append((group.label, fields))
    return tuple(groups)
