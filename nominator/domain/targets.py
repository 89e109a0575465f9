"""Where a problem points, in the clerk's words.

The checker points at a `Target` (kind, record, its place in the stage's list, field); a clerk
reads the record and the field instead (先进个人 3“张海燕” · 所在单位公示, 初审推荐工作报告 ·
集体研究情况). The window's problems panel and `nominator check` both say it this way;
`check --json` prints the targets' string form (a contract). Every label comes from the campaign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nominator.campaign import Campaign
from nominator.domain.model import Dossier, Member, Nominee
from nominator.domain.problems import Problem, Target

QUOTA_GROUP = "名额与比例"


@dataclass(frozen=True)
class Where:
    """A target said for the clerk. `kind`/`index`/`field` let the window go there."""

    kind: str  # collective | individual | member | unit | reports | quota
    index: int | None  # position in the stage's list (recommendation order), for records
    record: str  # e.g. 先进个人 3“张海燕”, 推荐单位, 初审推荐工作报告, 名额与比例
    field: str | None  # the path inside the record, e.g. "publicity.unit"
    field_label: str  # e.g. 所在单位公示; "" when the problem is about the whole record

    def __str__(self) -> str:
        return f"{self.record} · {self.field_label}" if self.field_label else self.record


def locate(target: Target, dossier: Dossier, campaign: Campaign) -> Where:
    """`dossier` must be the stage's view (`Dossier.for_stage`): a record's place is in its lists."""
    if target.is_record:
        assert target.index is not None
        kind, index = target.kind, target.index
        records: list[Nominee] | list[Member]
        if kind == "collective":
            records = dossier.ordered_collectives()
        elif kind == "individual":
            records = dossier.ordered_individuals()
        else:
            records = dossier.ordered_members()
        name = records[index].name.strip() if index < len(records) else ""
        record = f"{_kind_label(campaign, kind)} {index + 1}“{name or '未填写名称'}”"
        return Where(kind, index, record, target.field, _record_field_label(kind, target.field, campaign))
    if target.is_list and target.kind == "member":
        return Where("member", None, f"{_kind_label(campaign, 'member')}名单", None, "")
    if target.is_list:
        return Where("quota", None, QUOTA_GROUP, None, _kind_label(campaign, target.kind))
    if target.kind == "report":
        report, section = target.report or "", target.field
        field = f"{report}.{section}" if section else report
        return Where(
            "reports", None, report_title(report, campaign), field, _section_label(report, section, campaign)
        )
    unit = _kind_label(campaign, "unit")
    if target.kind == "unit":
        return Where("unit", None, unit, target.field, _unit_field_label(target.field, campaign))
    return Where("unit", None, unit, None, "")


def said(problem: Problem, view: Dossier | None, campaign: Campaign) -> str:
    """`先进个人 3“张海燕” · 出生日期:message`, as the command line prints a problem; without the
    stage's dossier a record is said by its place in the list."""
    if view is None and problem.target.is_record:
        where = f"{_kind_label(campaign, problem.target.kind)} {(problem.target.index or 0) + 1}"
        label = _record_field_label(problem.target.kind, problem.target.field, campaign)
        return f"{where}{f' · {label}' if label else ''}:{problem.message}"
    where_ = locate(problem.target, view if view is not None else Dossier(campaign=campaign.id), campaign)
    return f"{where_}:{without_record_opening(problem.message, where_.record, campaign)}"


def without_record_opening(message: str, record: str, campaign: Campaign) -> str:
    """The message without its opening (先进集体“XX局”:, 初审推荐工作报告:) where the record is
    shown already (a heading, a label before the message)."""
    if record and message.startswith((f"{record}:", f"{record}:")):
        return message[len(record) + 1 :]
    labels = "|".join(re.escape(k.label) for k in campaign.kinds.values() if k.label)
    if not labels:
        return message
    return re.sub(rf"^(?:{labels})“[^”]*”[::]", "", message, count=1)


def report_title(report: str, campaign: Campaign) -> str:
    """The title the checker puts before a report's problems (the report form's own title)."""
    for stage in campaign.stages.values():
        if stage.report == report:
            form = next(
                (campaign.forms[k] for k in stage.forms if campaign.forms[k].content == "report"), None
            )
            return form.title if form else f"{stage.name}推荐工作报告"
    return report


def _kind_label(campaign: Campaign, kind: str) -> str:
    spec = campaign.kinds.get(kind)
    return spec.label if spec is not None else kind


def _record_field_label(kind: str, field: str | None, campaign: Campaign) -> str:
    if not field:
        return ""
    head, _, rest = field.partition(".")
    if head == "publicity":
        level = campaign.publicity.levels.get(rest)
        return level.label if level is not None else rest
    if head == "attestations":
        return "资格承诺"
    rows = campaign.kinds[kind].field(head) if kind in campaign.kinds else None
    if rows is not None and rows.type == "rows":  # a year of 近三年考核
        return f"{rest}年度{rows.label.removeprefix('年度')}" if rest else rows.label
    if head == "feedback":
        review = campaign.review()
        return review.field_label if review is not None else head
    if head == "photo":
        return "照片"
    spec = campaign.kinds.get(kind)
    found = spec.field(head) if spec is not None else None
    return found.label if found is not None else ""  # never an internal name


def _unit_field_label(field: str | None, campaign: Campaign) -> str:
    if not field:
        return ""
    unit = _kind_label(campaign, "unit")
    if field == "kind":
        return f"{unit}类别"
    if field.startswith("allocation."):
        key = field.split(".", 1)[1]
        kind = {"collectives": "collective", "individuals": "individual"}.get(key, "")
        if kind:
            return f"分配名额({_kind_label(campaign, kind)})"
        category, _, level = key.partition(".")  # a category's (and level's) cell of the table
        for kind_spec in campaign.kinds.values():
            if kind_spec.category(category) is not None:
                return f"分配名额({kind_spec.category_label(category, level)})"
        return "分配名额"
    spec = campaign.kinds.get("unit")
    found = spec.field(field) if spec is not None else None
    return found.label if found is not None else ""


def _section_label(report: str, section: str | None, campaign: Campaign) -> str:
    if section is None:
        return ""
    if section == "date":
        return "成文日期"
    for item in campaign.reports.get(report, ()):
        if item.key == section:
            return item.heading
    return section
