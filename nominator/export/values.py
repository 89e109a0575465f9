"""A nominee's values as the forms print them, made from its kind's fields (issue 17): each field
by its type, and under other placeholder names in the formats its `prints` asks for; no field is
named here, so a campaign's own fields reach its templates as they are declared.

| type | `{{ id }}` |
|---|---|
| line, choice | the text as typed |
| number | the number, or nothing |
| text | a `TextBlock` (paragraphs; `.first` / `.more` where a box goes on onto "(续)" rows) |
| multichoice | the items joined with 、 |
| check | ☑ or ☐ |
| date | 2030年3月1日 (`cn_date`); month: 2030.03 (`month`) |
| rows | "2028年:优秀    2029年:称职", by year |

`prints` formats: text, date (2030.03.01), month (2030.03), year, cn_date, cn_month (2030年3月),
check, list (the items; a rows field's [{year, result}]), dated (a résumé's dated lines). A field's
`blank` is printed where nothing was typed. Besides the fields: `index`, `category` (its label) and
`level` where the kind has categories, `attestations` ([{key, text, box}]), `photo`, and the
stage's publicity period and result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from docx.shared import Mm

from nominator.campaign import Campaign, FieldSpec, KindSpec
from nominator.domain.model import Assessment, Nominee, Period, parse_date, parse_month
from nominator.domain.photofix import printable_jpeg

PictureMaker = Callable[[bytes, int, int], object]
CHECKED, UNCHECKED = "☑", "☐"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PARAGRAPH_STRIP = " \t\u3000"


class TextBlock:
    """A free text as paragraphs: `{% for para in deeds_full %}` gives one paragraph each,
    `{{ deeds_full }}` gives the whole text with line breaks.

    Where a form lets a text go on onto "(续)" rows, `deeds_full.first` is the part that fits
    the box on page 1 and `deeds_full.more` the rest, one list of paragraphs per "(续)" row
    (see nominator/export/fit.py); until the form's layout is applied, `first` is everything."""

    def __init__(self, text: str, *, dated_lines: bool = False) -> None:
        lines = (line.strip(_PARAGRAPH_STRIP) for line in clean(text).splitlines())
        paragraphs = [line for line in lines if line]
        if dated_lines:
            paragraphs = [_DATED.sub("\\1\t", line, count=1) for line in paragraphs]
        self.paragraphs: tuple[str, ...] = tuple(paragraphs) or ("",)
        self.first: list[str] = list(self.paragraphs)
        self.more: list[list[str]] = []

    def __iter__(self) -> Iterator[str]:
        return iter(self.paragraphs)

    def __str__(self) -> str:
        return "\n".join(self.paragraphs)


# 简历: "2008.07—2012.06 沈阳市…科员" — the dates, then a tab to where the post's lines start
_DATED = re.compile(r"^([0-9０-９][0-9０-９.．年月\-—–~～至今]*)[ \t\u3000]+")


def clean(text: str | None) -> str:
    """Text as typed, without characters that Word's XML cannot hold."""
    return _CONTROL.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")


def cn_date(text: str) -> str:
    """2030-03-31 → 2030年3月31日; a blank line for the clerk to write on when empty."""
    day = parse_date(text)
    if day:
        return f"{day.year}年{day.month}月{day.day}日"
    return clean(text) or "    年  月  日"


def dotted_month(text: str) -> str:
    """1986-03-14 / 1986-03 → 1986.03, as personnel forms write 出生年月 and 参加工作时间."""
    month = parse_month(text)
    return f"{month.year}.{month.month:02d}" if month else clean(text)


def period_text(period: Period | None) -> str:
    if period is None or (not period.start and not period.end):
        return ""
    start, end = parse_date(period.start), parse_date(period.end)
    if start and end:
        end_text = f"{end.month}月{end.day}日" if end.year == start.year else cn_date(period.end)
        return f"{cn_date(period.start)}至{end_text}"
    return f"{cn_date(period.start)}至{cn_date(period.end)}"


def cn_month(text: str) -> str:
    """2030-03 / 2030-03-01 → 2030年3月."""
    month = parse_month(text)
    return f"{month.year}年{month.month}月" if month else clean(text)


def dotted_date(text: str) -> str:
    """2030-03-01 → 2030.03.01."""
    day = parse_date(text)
    return f"{day.year}.{day.month:02d}.{day.day:02d}" if day else clean(text)


def year_of(text: str) -> str:
    month = parse_month(text)
    return str(month.year) if month else clean(text)


def _text(value: Any) -> str:
    """A value as text: a number as its digits, nothing as ""."""
    if value is None or isinstance(value, bool):
        return ""
    return clean(value if isinstance(value, str) else str(value))


def _rows(value: Any) -> list[Assessment]:
    rows = [r for r in value if isinstance(r, Assessment)] if isinstance(value, list) else []
    return sorted(rows, key=lambda r: r.year if isinstance(r.year, int) else 0)


def _items(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value if _text(v)]
    return [_text(value)] if _text(value) else []


def printed(field: FieldSpec, value: Any, how: str = "") -> Any:
    """`value` of `field` in the print format `how` (its type's own when not given)."""
    how = how or _DEFAULT.get(field.type, "text")
    if field.type == "rows":
        rows = _rows(value)
        if how == "list":
            return [{"year": r.year, "result": clean(r.result)} for r in rows]
        return "    ".join(f"{r.year}年:{clean(r.result)}" for r in rows) or field.blank
    if how == "list":
        return _items(value)
    if how == "check":
        return CHECKED if value is True else UNCHECKED
    if how in ("paragraphs", "dated"):
        return TextBlock(_text(value) or field.blank, dated_lines=how == "dated")
    if field.type == "multichoice":
        return "、".join(_items(value)) or field.blank
    text = _text(value)
    if not text:
        return cn_date("") if how == "cn_date" else field.blank
    return _FORMATS.get(how, clean)(text)


_DEFAULT = {"text": "paragraphs", "date": "cn_date", "month": "month", "check": "check"}
_FORMATS: dict[str, Callable[[str], str]] = {
    "date": dotted_date,
    "month": dotted_month,
    "year": year_of,
    "cn_date": cn_date,
    "cn_month": cn_month,
}


def publicity_context(record: Nominee, campaign: Campaign, stage: str) -> dict[str, str]:
    period = record.publicity.get(campaign.publicity.level_for(stage))
    return {
        "publicity_period": period_text(period),
        "publicity_result": clean(period.result) if period else "",
    }


def nominee_context(
    record: Nominee, index: int, spec: KindSpec, campaign: Campaign, stage: str, picture: PictureMaker | None
) -> dict[str, Any]:
    """What a template is filled with for one nominee of the kind `spec` (see the module's table)."""
    context: dict[str, Any] = {"index": index}
    for field in spec.fields():
        if field.type == "photo":
            continue
        value = record.get(field.id)
        context[field.id] = printed(field, value)
        for name, how in field.prints.items():
            context[name] = printed(field, value, how)
    if spec.categories:
        category, level = _text(record.get("category")), _text(record.get("level"))
        found = spec.category(category)
        context["category"] = found.label if found else category
        context["level"] = level
    if spec.attestations:
        ticked = record.attestations
        context["attestations"] = [
            {"key": key, "text": text, "box": CHECKED if ticked.get(key) is True else UNCHECKED}
            for key, text in spec.attestations.items()
        ]
    if spec.photo is not None:
        photo: object = "照片"
        if record.photo_data and picture is not None:
            # The normalised copy (upright, baseline JFIF, 5:7), never the raw bytes: Word ignores
            # EXIF rotation and python-docx refuses JPEGs that do not start with JFIF/Exif.
            photo = picture(
                printable_jpeg(record.photo_data, campaign.photo),
                Mm(campaign.photo.width_mm),
                Mm(campaign.photo.height_mm),
            )
        context["photo"] = photo
    return context | publicity_context(record, campaign, stage)


def nominee_rows(
    records: list[Nominee], kind: KindSpec, campaign: Campaign, stage: str
) -> list[dict[str, Any]]:
    """A kind's nominees as the list's rows (and a report's list): what their forms print, and the
    reasons given for accepted warnings as the note."""
    return [
        nominee_context(record, n, kind, campaign, stage, None) | {"note": note(record.overrides)}
        for n, record in enumerate(records, start=1)
    ]


def note(overrides: dict[str, str]) -> str:
    """The reasons written for accepted warnings, for a list's 备注."""
    return ";".join(clean(reason) for reason in overrides.values() if reason)
