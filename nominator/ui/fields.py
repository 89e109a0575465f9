"""Which fields each editor shows, in form order, with their widgets' kinds.

Keys are the record attributes (and the checker's target paths); labels follow the forms.
"""

from __future__ import annotations

from dataclasses import dataclass

from nominator.domain.model import (
    EDUCATIONS,
    ETHNICITIES,
    FEEDBACK_NAMES,
    GENDERS,
    LEVELS,
    MEMBER_ROLES,
    NATURES,
    POLITICAL_STATUSES,
    RANKS,
)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # line | text | choice | labelled | date | month | number | check
    choices: tuple[str, ...] = ()
    limit: str | None = None  # key into campaign.limits
    placeholder: str = ""
    lines: int = 4
    labels: tuple[tuple[str, str], ...] = ()  # (stored value, shown label) for "labelled"


PHONE_HINT = "手机11位,或座机如 024-12345678"
FEEDBACK_GROUP = (
    "初审反馈",
    (Field("feedback", "省级初审结果", "labelled", labels=tuple(FEEDBACK_NAMES.items())),),
)

FIELDS: dict[str, tuple[tuple[str, tuple[Field, ...]], ...]] = {
    "collective": (
        FEEDBACK_GROUP,
        (
            "基本情况",
            (
                Field(
                    "name",
                    "集体名称",
                    "line",
                    limit="collective_name",
                    placeholder="例:XX区人民政府办公室政务公开科",
                ),
                Field("level", "层级", "choice", LEVELS),
                Field("nature", "单位性质", "choice", NATURES),
                Field("leader", "负责人及职务", "line", limit="leader", placeholder="例:李某 科长"),
                Field("staff_count", "在编人数", "number"),
                Field("contact", "联系人", "line"),
                Field("phone", "联系电话", "line", placeholder=PHONE_HINT),
                Field("deputy_bureau_or_above", "副厅(局)级以上单位", "check"),
                Field("county_government_or_above", "县级以上人民政府", "check"),
            ),
        ),
        (
            "事迹与荣誉",
            (
                Field("deeds_brief", "主要事迹(简要)", "text", limit="deeds_brief_collective", lines=5),
                Field("deeds_full", "主要事迹(全文)", "text", limit="deeds_full", lines=8),
                Field("honors", "曾获荣誉", "text", limit="honors", lines=3),
            ),
        ),
    ),
    "individual": (
        FEEDBACK_GROUP,
        (
            "基本情况",
            (
                Field("name", "姓名", "line", limit="name"),
                Field("gender", "性别", "choice", GENDERS),
                Field("ethnicity", "民族", "choice", ETHNICITIES),
                Field("birth_date", "出生日期", "date", placeholder="例:1966-01-01"),
                Field("political_status", "政治面貌", "choice", POLITICAL_STATUSES),
                Field("education", "学历(学位)", "choice", EDUCATIONS),
                Field("work_start", "参加工作时间", "month", placeholder="例:1988-07"),
                Field("unit_and_title", "工作单位及职务", "line", limit="unit_and_title"),
                Field("rank", "职级", "choice", RANKS),
                Field("level", "层级", "choice", LEVELS),
                Field("years_in_field", "从事政务公开工作年限", "number"),
                Field("phone", "联系电话", "line", placeholder=PHONE_HINT),
            ),
        ),
        (
            "简历、事迹与荣誉",
            (
                Field("resume", "简历", "text", limit="resume", lines=5),
                Field("deeds_brief", "主要事迹(简要)", "text", limit="deeds_brief_individual", lines=5),
                Field("deeds_full", "主要事迹(全文)", "text", limit="deeds_full", lines=8),
                Field("honors", "曾获荣誉及奖惩情况", "text", limit="honors", lines=3),
            ),
        ),
    ),
    "member": (
        (
            "成员信息",
            (
                Field("name", "姓名", "line", limit="name"),
                Field("unit_and_title", "单位及职务", "line", limit="unit_and_title"),
                Field("role", "工作机构职务", "choice", MEMBER_ROLES),
                Field("phone", "联系电话", "line", placeholder=PHONE_HINT),
            ),
        ),
    ),
}
