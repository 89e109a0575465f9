"""The 文明 campaign's templates filled by hand: a plausible 县 unit, and every text at its limit.

The nominees' contexts are the export's own (`nominator.export.values.nominee_context`, made from
the campaign's fields as the templates' README in forms/mudanjiang-wmjs-2021/ says); the report's
and the list's are still put together here until the export makes them for a campaign of this
shape (issue 17). Rendering uses the export's own layout steps (the "(续)" plan and `fit_tables`),
so what prints here is what the export prints.

Run `python -m tests.export.wenming_samples OUT` to write the filled documents for looking at.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docxtpl import DocxTemplate

from nominator.campaign import Campaign, FormSpec, parse_campaign
from nominator.domain.model import new_nominee
from nominator.export.documents import normalize_package
from nominator.export.fit import drop_continued_marks, fit_tables, plan, template_layout
from nominator.export.summary_xlsx import fill_sheet
from nominator.export.templates import (
    COMMON_FIELDS,
    REPORT_FIELDS,
    SampleRow,
    SheetFields,
    jinja_env,
    open_workbook,
    scan_sheet,
)
from nominator.export.values import TextBlock, cn_date
from nominator.export.values import nominee_context as export_context

REPO = Path(__file__).resolve().parents[2]
CAMPAIGN_FILE = REPO / "resources" / "campaigns" / "mudanjiang-wmjs-2021.toml"
FORMS = REPO / "forms" / "mudanjiang-wmjs-2021"
KIND = "collective"
ITEM = "c"  # the sample row's and the report list's loop item


def wenming() -> Campaign:
    """The fixture campaign, its templates in forms/<its id>/ (it cannot make a store yet)."""
    text = CAMPAIGN_FILE.read_text(encoding="utf-8")
    return parse_campaign(text, file_name=CAMPAIGN_FILE.name, forms_dir=FORMS, open_kinds=True)


# ---------------------------------------------------------------- what a template may hold


def _field_placeholders(campaign: Campaign) -> frozenset[str]:
    """A nominee's placeholders: each field's id and its `prints` names, and, where the kind has
    categories, `category` and `level`."""
    kind = campaign.kinds[KIND]
    names = {f.id for f in kind.fields()} | {name for f in kind.fields() for name in f.prints}
    if kind.categories:
        names |= {"category", "level"}
    return frozenset(names | {"index"})


def _printed(names: Sequence[str]) -> frozenset[str]:
    """The placeholders a form's `fields` require: `unit.name` prints as `unit_name`, the unit's
    `unit.contact` and `unit.phone` as `contact` and `phone` (as in Liaoning's 附件4)."""
    return frozenset("unit_name" if name == "unit.name" else name.removeprefix("unit.") for name in names)


@dataclass(frozen=True)
class Expected:
    required: frozenset[str]
    known: frozenset[str]
    loops: Mapping[str, frozenset[str]] = field(default_factory=dict)


def expected(campaign: Campaign, spec: FormSpec) -> Expected:
    """What a Word template of this campaign must and may hold (the step-3 contract)."""
    fields = _field_placeholders(campaign)
    row = _printed(campaign.form_for("summary").row_fields.get(KIND, ()))  # type: ignore[union-attr]
    if spec.content == "report":
        json = campaign.kinds[KIND].json
        return Expected(
            required=frozenset({"report_title", "sections", "unit_name", "report_date", json}),
            known=REPORT_FIELDS | COMMON_FIELDS | {"summary_title", json, "collective_count"},
            loops={"sections": frozenset({"number", "heading", "paragraphs"}), json: row | {"index"}},
        )
    attestations = {"attestations"} if campaign.kinds[KIND].attestations else set()
    return Expected(
        required=_printed(spec.fields) | attestations | {"category", "level"},
        known=fields | COMMON_FIELDS | attestations,
        loops={"attestations": frozenset({"key", "text", "box"})},
    )


def sheet_fields(campaign: Campaign) -> SheetFields:
    """The 推荐名单's placeholders, for the export's own sheet checker."""
    spec = campaign.form_for("summary")
    assert spec is not None
    kind = campaign.kinds[KIND]
    return SheetFields(
        required=frozenset(
            {"form_title", "unit_name", "contact", "phone", "fill_date", "collective_count"}
            | _printed(f for f in spec.fields if f.startswith("unit.") and f != "unit.name")
        ),
        known=COMMON_FIELDS | {"contact", "phone", "collective_count", "collective_label"},
        rows={
            ITEM: SampleRow(
                kind.label,
                required=_printed(spec.row_fields[KIND]),
                known=_field_placeholders(campaign) | {"note"},
            )
        },
    )


# ---------------------------------------------------------------- the export's own contexts


@dataclass
class Nominee:
    category: str
    level: str
    values: dict[str, Any]
    attestations: dict[str, bool]
    note: str = ""


def nominee_context(campaign: Campaign, n: Nominee, index: int) -> dict[str, Any]:
    """The export's context for one 文明 collective: the nominee as the store keeps it (category and
    level among its values), filled by `nominator.export.values.nominee_context`."""
    record = new_nominee(KIND, values={**n.values, "category": n.category, "level": n.level})
    record.attestations = dict(n.attestations)
    return export_context(record, index, campaign.kinds[KIND], campaign, "recommend", None)


@dataclass
class Sample:
    unit: str
    contact: str
    phone: str
    date: str
    sections: dict[str, str]
    nominees: list[Nominee]


def common(campaign: Campaign, spec: FormSpec, sample: Sample, stage: str = "recommend") -> dict[str, Any]:
    return {
        "attachment": spec.attachment,
        "form_title": spec.title_for(sample.unit),
        "unit_name": sample.unit,
        "fill_date": cn_date(sample.date),
        "stage_name": campaign.stages[stage].name,
        "issuer": campaign.issuer,
    }


def report_context(campaign: Campaign, sample: Sample) -> dict[str, Any]:
    spec = campaign.forms["report"]
    summary = campaign.form_for("summary")
    assert summary is not None
    rows = []
    for n, nominee in enumerate(sample.nominees, start=1):
        full = nominee_context(campaign, nominee, n)
        rows.append({k: full[k] for k in ("index", *summary.row_fields[KIND])})
    numerals = "一二三四五六七八九十"
    return common(campaign, spec, sample) | {
        "report_title": spec.heading.format(unit=sample.unit),
        "addressee": campaign.issuer,
        "sections": [
            {
                "number": numerals[i],
                "heading": part.heading,
                "paragraphs": TextBlock(sample.sections[part.key]),
            }
            for i, part in enumerate(campaign.reports["recommend"])
        ],
        "report_date": cn_date(sample.date),
        "summary_title": summary.title_for(sample.unit),
        campaign.kinds[KIND].json: rows,
        "collective_count": len(sample.nominees),
    }


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Filled:
    data: bytes
    pages: int | None  # what the layout says it prints (the page contract and its "(续)" pages)


def render_docx(template: Path, context: dict[str, Any], spec: FormSpec) -> Filled:
    """docxtpl with the export's environment and layout steps: the "(续)" plan, then every box
    fitted to its row."""
    data = template.read_bytes()
    layout = template_layout(Document(io.BytesIO(data)).element.body)
    blocks = {k: v.paragraphs for k, v in context.items() if isinstance(v, TextBlock) and k in layout.fields}
    planned = plan(layout, blocks)
    for name, first in planned.first.items():
        context[name].first, context[name].more = first, planned.more[name]
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    body = tpl.docx.element.body
    drop_continued_marks(body)
    whole = fit_tables(body)
    out = io.BytesIO()
    tpl.save(out)
    pages = spec.pages + planned.extra_pages if spec.pages and whole else None
    return Filled(normalize_package(out.getvalue(), "2021-09-01T00:00:00Z"), pages)


def render_list(campaign: Campaign, sample: Sample) -> bytes:
    spec = campaign.form_for("summary")
    assert spec is not None
    data = (FORMS / f"{spec.key}.xlsx").read_bytes()
    wb = open_workbook(data)
    problems, sample_rows = scan_sheet(wb.worksheets[0], sheet_fields(campaign), f"{spec.key}.xlsx")
    assert not problems, problems
    rows = []
    for n, nominee in enumerate(sample.nominees, start=1):
        full = nominee_context(campaign, nominee, n)
        rows.append({k: str(full[k]) for k in ("index", *spec.row_fields[KIND])} | {"note": nominee.note})
    values = common(campaign, spec, sample) | {
        "contact": sample.contact,
        "phone": sample.phone,
        "collective_count": len(sample.nominees),
        "collective_label": campaign.kinds[KIND].label,
    }
    fill_sheet(wb.worksheets[0], sample_rows, values, {ITEM: rows})
    out = io.BytesIO()
    wb.save(out)
    return normalize_package(out.getvalue(), "2021-09-01T00:00:00Z")


def render_all(campaign: Campaign, sample: Sample, out: Path) -> dict[Path, Filled]:
    """The report, the list and each nominee's 申报表, written into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    done: dict[Path, Filled] = {}
    report = campaign.forms["report"]
    done[out / "report.docx"] = render_docx(FORMS / "report.docx", report_context(campaign, sample), report)
    application = campaign.forms["application"]
    for n, nominee in enumerate(sample.nominees, start=1):
        context = common(campaign, application, sample) | nominee_context(campaign, nominee, n)
        done[out / f"application-{n}.docx"] = render_docx(FORMS / "application.docx", context, application)
    for path, filled in done.items():
        path.write_bytes(filled.data)
    (out / "list.xlsx").write_bytes(render_list(campaign, sample))
    done[out / "list.xlsx"] = Filled((out / "list.xlsx").read_bytes(), None)
    return done


# ---------------------------------------------------------------- the data

TICKED = {"self_checked": True, "no_negative_list": True}

DEEDS_VILLAGE = (
    "古城镇坚持以社会主义核心价值观引领乡风文明建设,镇党委把文明村镇创建纳入全镇经济社会发展总体规划,"
    "成立由党委书记任组长的创建工作领导小组,形成党委统一领导、党政齐抓共管、文明办组织协调、有关部门各负其责、"
    "全镇群众积极参与的工作格局。\n"
    "建成新时代文明实践所1个、实践站12个,常态化开展理论宣讲、移风易俗、科学普及等志愿服务活动,"
    "全镇注册志愿者达1860人。深入开展“星级文明户”“好媳妇好婆婆”评选,修订完善村规民约,"
    "成立红白理事会,婚丧嫁娶大操大办现象明显减少。\n"
    "持续推进农村人居环境整治,完成改厕2100户,主要街路硬化、亮化、绿化全覆盖,村容村貌明显改善。"
)
DEEDS_HOSPITAL = (
    "医院始终把精神文明建设与医疗业务工作同部署、同落实、同考核,以“患者满意、职工满意、社会满意”为目标,"
    "深化文明单位创建。\n"
    "坚持党建引领,开展党史学习教育专题党课、主题党日活动48次;组建“白衣天使”志愿服务队,"
    "常年深入乡村开展义诊巡诊,近三年累计义诊群众2.3万人次。推行预约诊疗、一站式结算等便民举措,"
    "门诊平均候诊时间缩短至15分钟以内。\n"
    "加强医德医风建设,签订廉洁行医承诺书,近三年未发生医疗责任事故和违规违纪案件。"
    "积极参与新时代文明实践中心结对共建和全国文明城市创建,群众满意度连续三年达到98%以上。"
)
DEEDS_SCHOOL = (
    "学校坚持立德树人根本任务,把文明校园创建作为提升办学水平的重要抓手,"
    "形成了“党组织领导、校长负责、全员参与”的创建机制。\n"
    "以社会主义核心价值观教育为主线,开展“开学第一课”、国旗下讲话、经典诵读等活动;"
    "组建学生志愿服务队12支,常态开展文明交通、敬老助残等志愿服务。校园环境整洁优美,"
    "师生文明礼仪素养明显提升,近三年无安全责任事故。"
)
DEEDS_PARK = (
    "产业园是2018年成立的电子商务企业集聚区,入驻企业46家,带动就业1200余人。园区党支部把精神文明建设"
    "融入企业发展,建立职工书屋、道德讲堂,开展诚信经营承诺和“最美电商人”评选。\n"
    "疫情期间,园区企业开通农产品线上销售绿色通道,帮助全县农户销售黑木耳、蓝莓等农产品1.8万吨;"
    "组织电商人才培训班32期,培训返乡青年、脱贫群众2600余人次,助力乡村振兴。"
)
REASON_PARK = (
    "本园区属新经济组织,对创建工作高度重视,创建成效显著:园区企业带动全县农产品网上销售,"
    "助力脱贫攻坚和乡村振兴,群众认可度、满意度较高,符合工作方案一(四)可破格申报省级文明单位的条件。"
)


def typical() -> Sample:
    return Sample(
        unit="林口县文明办",
        contact="赵丽娟",
        phone="0453-3522176",
        date="2021-09-14",
        sections={
            "process": (
                "接到市文明办《第二十届省级、市级精神文明建设先进集体推荐考核工作方案》后,我办及时部署,"
                "通过县融媒体中心发布申报通知,组织符合条件的乡镇、村、社区、单位、校园和家庭对照标准自检自查、自愿申报。"
                "截至9月7日,共收到申报材料23份。"
            ),
            "review": (
                "我办会同县直机关工委、县教育局、县卫健局等行业主管部门,对照各类别测评体系和负面清单逐项初审,"
                "并征求纪检、公安、应急管理等部门意见,申报单位均不存在负面清单所列情况。"
            ),
            "recommendation": "经县文明委研究,按照分配名额择优推荐以下4个先进集体,名单附后。",
        },
        nominees=[
            Nominee(
                "village", "省级",
                {"name": "林口县古城镇", "unit_type": "乡镇", "leader": "孙志刚 镇党委书记", "staff_count": 56,
                 "address": "林口县古城镇古城街1号", "contact": "刘洋", "phone": "0453-3420113",
                 "prior_honours": ["市级文明乡镇标兵"], "self_score": 93, "deeds": DEEDS_VILLAGE},
                TICKED,
            ),
            Nominee(
                "unit_model", "省级",
                {"name": "林口县人民医院", "unit_type": "事业单位", "authority": "林口县卫生健康局",
                 "leader": "马庆国 党委书记、院长", "staff_count": 612, "address": "林口县林口镇东兴街88号",
                 "contact": "郑红", "phone": "0453-3522120",
                 "prior_honours": ["第十九届省级文明单位", "第十八届市级文明单位标兵"], "self_score": 95,
                 "deeds": DEEDS_HOSPITAL},
                TICKED,
            ),
            Nominee(
                "campus", "市级",
                {"name": "林口县第一中学", "unit_type": "全日制学校", "authority": "林口县教育局",
                 "leader": "高建华 校长", "staff_count": 238, "address": "林口县林口镇学府路6号",
                 "contact": "姜雪", "phone": "0453-3521467", "prior_honours": [], "self_score": 90,
                 "deeds": DEEDS_SCHOOL},
                TICKED,
            ),
            Nominee(
                "unit", "省级",
                {"name": "林口县青山电子商务产业园有限公司", "unit_type": "新经济组织",
                 "authority": "林口县商务局", "leader": "王海涛 董事长", "staff_count": 86,
                 "address": "林口县林口镇站前路19号", "contact": "李静", "phone": "13945312876",
                 "prior_honours": [], "self_score": 91, "deeds": DEEDS_PARK, "exception_reason": REASON_PARK},
                TICKED,
                note="破格申报",
            ),
        ],
    )  # fmt: skip


def _at(text: str, limit: int) -> str:
    return (text * (limit // len(text) + 1))[:limit]


def at_the_limits(campaign: Campaign) -> Sample:
    """Every text at its limit, every honour ticked: the longest an application can be."""
    kind = campaign.kinds[KIND]
    honours = kind.field("prior_honours")
    assert honours is not None
    sample = typical()
    long_values = {
        "name": _at("黑龙江省牡丹江市林口县青山电子商务产业园", campaign.limit("name")),
        "leader": _at("欧阳晓明 党委书记、董事长、总经理", campaign.limit("leader")),
        "authority": _at("林口县商务局(县电子商务发展服务中心)", campaign.limit("authority")),
        "address": _at("黑龙江省牡丹江市林口县林口镇站前路19号电子商务产业园", campaign.limit("address")),
        "contact": "欧阳晓明",
        "phone": "0453-3522176转8001",
        "staff_count": 12345,
        "self_score": 100,
        "prior_honours": list(honours.choices),
        "deeds": _at(DEEDS_HOSPITAL.replace("\n", ""), campaign.limit("deeds")),
        "exception_reason": _at(REASON_PARK, campaign.limit("exception_reason")),
    }
    sample.unit = _at("牡丹江市林口县精神文明建设指导委员会办公室", campaign.limit("name"))
    sample.sections = {
        key: _at(text.replace("。", "。\n", 2), campaign.limit("report_section"))
        for key, text in sample.sections.items()
    }
    sample.nominees = [
        Nominee("unit", "省级", {**n.values, **long_values}, TICKED, "破格申报") for n in sample.nominees[:1]
    ]
    return sample


def main(out: Path) -> None:
    campaign = wenming()
    for name, sample in (("typical", typical()), ("limits", at_the_limits(campaign))):
        for path, filled in render_all(campaign, sample, out / name).items():
            print(path, filled.pages or "")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
