"""Reading a campaign file's `[kinds.*]`: what is recommended or listed, its categories and levels,
its fields (declared once: label, type, choices, limit, example, categories, required, prints) and
its attestations.

A format-2 file may only label the fields format 2 gives its kinds (`RECORD_FIELDS`); a format-3
file declares its own (the store keeps any field, issue 17), and may put a kind in categories and
levels (the window edits a nominee's category and level and the unit's allocation table). A kind
key the store has no list for is refused unless the caller asks for it (`open_kinds`: reading a
campaign's rules without making a store of it).
"""

from __future__ import annotations

import re

from nominator.campaign.builtin import BUILT_IN_FIELDS, LIST_NAMES
from nominator.campaign.model import (
    FIELD_TYPES,
    PRINT_FORMATS,
    Category,
    FieldGroup,
    FieldSpec,
    KindSpec,
    PhotoFields,
)
from nominator.campaign.reading import Reader, check_key

# The fields format 2 gives each kind (a format-2 file may only label these). A format-3 file
# declares its nominees' fields itself; the member and unit lists keep fixed fields.
RECORD_FIELDS = {
    "collective": frozenset(BUILT_IN_FIELDS["collective"]),
    "individual": frozenset(BUILT_IN_FIELDS["individual"]) | {"photo"},
    "member": frozenset({"name", "unit_and_title", "role", "phone"}),
    "unit": frozenset({"name", "contact", "phone"}),
}
_FIXED_FIELDS = ("member", "unit")
# Fields the store keeps outside the record's columns: a format-2 file may not declare them.
_KEPT_APART = {"assessments", "photo"}
FORMAT2_TYPES = ("line", "text", "choice", "date", "month", "number", "check")
_KEY = re.compile(r"[a-z][a-z0-9_]{0,40}")
LINES_MOST = 60  # a box taller than a page is a slip of the keyboard
NOT_YET = "本版本程序还不能保存这样的推荐材料,请使用更新版本的推荐材料助手。"


def read_kinds(
    top: Reader, choices: dict[str, tuple[str, ...]], limits: dict[str, int], *, fmt: int, open_kinds: bool
) -> dict[str, KindSpec]:
    table = top.need_table("kinds")
    kinds = {}
    for key in list(table.data):
        stored = key in RECORD_FIELDS
        if not stored and (fmt < 3 or not open_kinds):
            if fmt < 3 or not _KEY.fullmatch(key):
                table.fail(key, f"不是本程序支持的推荐对象类别(可用:{'、'.join(RECORD_FIELDS)})。")
            table.fail(key, f"是新的推荐对象类别,{NOT_YET}")
        check_key(table, key)
        t = table.need_table(key)
        kinds[key] = _kind(t, key, choices, limits, fmt=fmt)
    if fmt < 3:
        for needed in RECORD_FIELDS:
            if needed not in kinds:
                table.fail(needed, "缺少这一类推荐对象的说明(label、measure 和 groups)。")
    elif "unit" not in kinds:
        kinds["unit"] = KindSpec("unit", "推荐单位", "个", ())
    return kinds


def _kind(
    t: Reader,
    key: str,
    choices: dict[str, tuple[str, ...]],
    limits: dict[str, int],
    *,
    fmt: int,
) -> KindSpec:
    levels = t.texts("levels", ()) if fmt >= 3 else ()
    categories = _categories(t, levels) if fmt >= 3 else ()
    groups = []
    seen: set[str] = set()
    for g in t.tables("groups", optional=fmt >= 3 and key == "unit"):
        fields = [_field(f, key, choices, limits, seen, fmt=fmt) for f in g.tables("fields")]
        groups.append(FieldGroup(g.text("label"), tuple(fields)))
    for reserved, used in (("category", bool(categories)), ("level", bool(categories or levels))):
        if used and reserved in seen:
            t.fail(
                "groups",
                f"字段“{reserved}”是推荐对象的{'类别' if reserved == 'category' else '级别'}本身,"
                "按类别和级别推荐时不能再作为字段,请换一个字段名。",
            )
    category_ids = {c.id for c in categories}
    for group_no, group in enumerate(groups):
        for field_no, spec in enumerate(group.fields):
            for n, cat in enumerate(spec.categories):
                if cat not in category_ids:
                    t.doc.fail(
                        f"kinds.{key}.groups[{group_no}].fields[{field_no}].categories[{n}]",
                        f"“{cat}”不是本类的类别(见 categories)。",
                    )
    kind = KindSpec(
        key=key,
        label=t.text("label"),
        measure=t.text("measure"),
        groups=tuple(groups),
        columns=t.texts("columns", ()),
        form=t.text("form", ""),
        json=t.text("json", LIST_NAMES.get(key, key if key != "unit" else "")) if fmt >= 3 else "",
        categories=categories,
        levels=levels,
        attestations=t.words("attestations") if fmt >= 3 and t.has("attestations") else {},
        photo=_photo_fields(t, seen) if fmt >= 3 else None,
    )
    structural = {"category", "level"} if categories else set()
    for n, column in enumerate(kind.columns):
        if column not in seen and column not in structural:
            t.doc.fail(f"kinds.{key}.columns[{n}]", f"“{column}”不是本类的字段。")
    if fmt >= 3:
        t.seen.add("attestations")
    return kind


def _categories(t: Reader, levels: tuple[str, ...]) -> tuple[Category, ...]:
    found: list[Category] = []
    for c in t.tables("categories", optional=True):
        cat_id = c.text("id")
        if not _KEY.fullmatch(cat_id):
            c.fail("id", f"“{cat_id}”只能用小写英文字母、数字和下划线,且以字母开头。")
        if any(other.id == cat_id for other in found):
            c.fail("id", f"“{cat_id}”与前面的类别重复。")
        own = c.texts("levels", ())
        for n, level in enumerate(own):
            if levels and level not in levels:
                c.doc.fail(
                    f"{c.key_path('levels')}[{n}]", f"“{level}”不在本类的 levels 中,请与那里写得完全一致。"
                )
        if len(set(own)) != len(own):
            c.fail("levels", "中有重复的级别,请删去重复的。")
        found.append(Category(cat_id, c.text("label"), own))
        if not own and not levels and t.has("levels"):
            c.fail("levels", "请写出本类别的级别。")
    return tuple(found)


def _photo_fields(t: Reader, seen: set[str]) -> PhotoFields | None:
    p = t.table("photo", optional=True)
    if p is None:
        return None
    photo = PhotoFields(p.text("name_field"), p.text("date_field"))
    for key in ("name_field", "date_field"):
        if getattr(photo, key) not in seen:
            p.fail(key, f"“{getattr(photo, key)}”不是本类的字段。")
    return photo


def _field(
    f: Reader,
    kind: str,
    choices: dict[str, tuple[str, ...]],
    limits: dict[str, int],
    seen: set[str],
    *,
    fmt: int,
) -> FieldSpec:
    field_id = f.text("id")
    storable = RECORD_FIELDS.get(kind, frozenset())
    if fmt < 3:
        storable = storable - _KEPT_APART
    if field_id not in storable and fmt < 3:
        known = "、".join(sorted(storable))
        f.fail("id", f"“{field_id}”不是本程序能保存的字段(可用:{known})。")
    if field_id not in storable and kind in _FIXED_FIELDS:
        f.fail("id", f"“{field_id}”是新的字段,{NOT_YET}")
    if not _KEY.fullmatch(field_id):
        f.fail("id", f"“{field_id}”只能用小写英文字母、数字和下划线,且以字母开头。")
    if field_id in seen:
        f.fail("id", f"“{field_id}”重复出现,每个字段只写一次。")
    seen.add(field_id)
    field_type = f.text("type")
    types = FIELD_TYPES if fmt >= 3 else FORMAT2_TYPES
    if field_type not in types:
        f.fail("type", f"应为{'、'.join(types)}之一,当前为“{field_type}”。")
    values: tuple[str, ...] = ()
    if field_type in ("choice", "multichoice", "rows"):
        name = f.text("choices") if field_type != "rows" else f.text("choices", "")
        if name and name not in choices:
            f.fail("choices", f"“{name}”不在 [choices] 中,请先在那里列出选项。")
        values = choices.get(name, ())
    limit = f.text("limit", "")
    if limit and limit not in limits:
        f.fail("limit", f"“{limit}”不在 [limits] 中。")
    prints: dict[str, str] = {}
    if fmt >= 3 and f.has("prints"):
        prints = f.words("prints")
        table = f.need_table("prints")
        for name, how in prints.items():
            if how not in PRINT_FORMATS:
                table.fail(name, f"应为{'、'.join(PRINT_FORMATS)}之一,当前为“{how}”。")
    required = f.flag("required", None) if fmt >= 3 else None
    return FieldSpec(
        id=field_id,
        label=f.text("label"),
        type=field_type,
        choices=values,
        limit=limit,
        example=f.text("example", ""),
        lines=f.integer("lines", 4, minimum=1, maximum=LINES_MOST),
        column=f.text("column", ""),
        categories=f.texts("categories", ()) if fmt >= 3 else (),
        required=required,
        prints=prints,
        blank=f.text("blank", "") if fmt >= 3 else "",
    )
