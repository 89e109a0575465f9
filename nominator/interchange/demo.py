"""The demo: a full, valid recommendation, so a new user (and the tests) can see every page and
every document filled in. `check` on it finds no errors, for any campaign: the sample people and
texts are Liaoning's, but the unit, the dates, the choices, the limits and every word that quotes
the notice are taken from the campaign the demo is made for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import (
    NOMINEE_KINDS,
    Allocation,
    Assessment,
    Collective,
    Dossier,
    Individual,
    Member,
    Nominee,
    Period,
    Report,
    Unit,
    new_nominee,
)
from nominator.domain.photo import make_demo_photo
from nominator.domain.workdays import is_workday
from nominator.errors import UserError
from nominator.store.session import Store

# The sample's own dates, used where they suit the campaign (else dates are derived from its deadlines).
PREFERRED_PUBLICITY = {"unit": Period("2025-12-08", "2025-12-12", "无异议"),
                       "region": Period("2026-01-05", "2026-01-09", "无异议")}  # fmt: skip
PREFERRED_REPORT_DATES = {"initial": "2025-12-20", "formal": "2026-01-09"}
DEMO_REASON = "示例数据,仅供演示,不实际报送。"

_COLLECTIVES = [
    ("沈阳市和平区人民政府办公室政务公开科", "县级及以下", "内设机构", "李晓峰 科长", 6),
    ("沈阳市浑南区政务服务中心政务公开专区", "县级及以下", "事业单位", "周敏 主任", 9),
    ("新民市人民政府办公室政务公开办公室", "县级及以下", "内设机构", "韩东 主任", 5),
    ("沈阳市人民政府办公室政务公开处", "市直", "内设机构", "孙立群 处长", 7),
    ("沈阳市信息中心政府网站管理科", "市直", "事业单位", "郑雪 科长", 8),
]

# name, gender, ethnicity, birth, political, education, work_start, unit_and_title, rank, level, years
_INDIVIDUALS = [
    ("王丽娜", "女", "汉族", "1986-03-14", "中共党员", "大学本科", "2008-07",
     "沈阳市和平区人民政府办公室政务公开科科员", "科员及以下", "县级及以下", 9),
    ("李建国", "男", "满族", "1975-11-02", "中共党员", "研究生(硕士)", "1998-08",
     "沈阳市人民政府办公室政务公开处副处长", "县处级", "市直", 12),
    ("张海燕", "女", "汉族", "1990-06-21", "中共党员", "大学本科", "2013-09",
     "沈阳市浑南区政务服务中心政务公开专区工作人员", "科员及以下", "县级及以下", 6),
    ("赵志刚", "男", "汉族", "1982-01-09", "中共党员", "大学本科", "2005-07",
     "沈阳市沈河区人民政府办公室副主任", "乡科级", "县级及以下", 8),
    ("刘思雨", "女", "锡伯族", "1993-09-30", "共青团员", "研究生(硕士)", "2018-07",
     "沈阳市信息中心政府网站管理科科员", "科员及以下", "市直", 5),
    ("陈伟", "男", "汉族", "1979-04-17", "中共党员", "大学本科", "2001-08",
     "新民市人民政府办公室政务公开办公室主任", "乡科级", "县级及以下", 10),
    ("孙佳慧", "女", "回族", "1988-12-05", "中共党员", "大学本科", "2011-07",
     "康平县人民政府办公室政务公开股股长", "乡科级", "县级及以下", 7),
    ("周明", "男", "汉族", "1984-07-23", "民盟盟员", "大学本科", "2007-09",
     "沈阳市司法局政务公开科科长", "乡科级", "市直", 6),
    ("吴桂芳", "女", "朝鲜族", "1977-02-28", "中共党员", "大学专科", "1997-10",
     "法库县人民政府办公室政务公开股副股长", "科员及以下", "县级及以下", 11),
    ("郑凯", "男", "汉族", "1981-10-11", "中共党员", "研究生(硕士)", "2006-07",
     "沈阳市大东区人民政府办公室主任", "县处级", "县级及以下", 5),
]  # fmt: skip

_MEMBERS = [
    ("钱宏伟", "沈阳市人民政府办公室副主任", "组长", "024-22721001"),
    ("马丽", "沈阳市人力资源和社会保障局副局长", "副组长", "024-22721002"),
    ("孙立群", "沈阳市人民政府办公室政务公开处处长", "成员", "024-22721003"),
    ("何军", "沈阳市人力资源和社会保障局表彰奖励处处长", "成员", "024-22721004"),
    ("郭静", "沈阳市人民政府办公室政务公开处副处长", "办公室主任", "024-22721005"),
    ("杨帆", "沈阳市人民政府办公室政务公开处四级主任科员", "办公室成员", "13840001234"),
]

_DEEDS_PARTS = [
    "坚持以习近平新时代中国特色社会主义思想为指导,认真贯彻《中华人民共和国政府信息公开条例》,",
    "健全主动公开目录,规范依申请公开办理流程,全年按时办结依申请公开事项,答复规范率达100%。",
    "围绕企业和群众关切,组织政策解读,制作图解、短视频等多种形式的解读材料,",
    "精心组织“5·15政务公开日”活动,开展政府开放日、政策进社区等活动,群众满意度持续提升。",
    "推进政府网站和政务新媒体规范化建设,优化政务公开服务专区,推动公开服务向基层延伸。",
    "统筹政务公开与安全保密,建立发布前审查机制,未发生泄密和重大负面舆情。",
]


def _deeds(name: str, long: bool) -> str:
    parts = _DEEDS_PARTS if long else _DEEDS_PARTS[:3]
    body = "".join(parts)
    text = f"{name}{body}"
    if long:
        text += "\n" + "在重大政务公开工作任务中表现突出,相关经验做法被省政府办公厅推广。" * 2
    return text


def _assessments(campaign: Campaign, best_year: int) -> list[Assessment]:
    good = campaign.eligibility.good_assessments
    best, usual = good[0], good[1] if len(good) > 1 else good[0]
    return [
        Assessment(year, best if year == best_year else usual)
        for year in campaign.eligibility.assessment_years
    ]


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _workdays_back(day: dt.date, count: int, campaign: Campaign) -> dt.date:
    """The working day `count` working days before `day` (0: the last working day on or before)."""
    while not is_workday(day, campaign.workdays):
        day -= dt.timedelta(days=1)
    for _ in range(count):
        day -= dt.timedelta(days=1)
        while not is_workday(day, campaign.workdays):
            day -= dt.timedelta(days=1)
    return day


def _near_notice(day: dt.date, campaign: Campaign) -> bool:
    """A sample date fits a campaign when it falls in that campaign's season (units often start
    publicity before the notice is formally dated)."""
    return campaign.notice_date - dt.timedelta(days=60) <= day


def _publicity(campaign: Campaign) -> dict[str, Period]:
    """A valid publicity period per level: the sample's own where it fits, else one that ends a few
    days before the deadline of the stage that needs it and lasts exactly the working days asked."""
    from nominator.domain.model import parse_date
    from nominator.domain.workdays import count_workdays

    periods = {}
    for level in campaign.publicity.levels:
        stage = next((campaign.stages[k] for k, v in campaign.publicity.by_stage.items() if v == level), None)
        deadline = stage.deadline if stage else None
        preferred = PREFERRED_PUBLICITY.get(level)
        if preferred is not None and deadline is not None:
            start, end = parse_date(preferred.start), parse_date(preferred.end)
            assert start is not None and end is not None
            days = count_workdays(start, end, campaign.workdays).days
            if _near_notice(start, campaign) and end < deadline and days >= campaign.publicity.working_days:
                periods[level] = preferred
                continue
        last = (deadline or campaign.notice_date + dt.timedelta(days=30)) - dt.timedelta(days=4)
        end = _workdays_back(last, 0, campaign)
        start = _workdays_back(end, campaign.publicity.working_days - 1, campaign)
        periods[level] = Period(start.isoformat(), end.isoformat(), "无异议")
    return periods


def _report_date(campaign: Campaign, key: str) -> str:
    stage = next((s for s in campaign.stages.values() if s.report == key), None)
    preferred = PREFERRED_REPORT_DATES.get(key)
    deadline = stage.deadline if stage else None
    day = dt.date.fromisoformat(preferred) if preferred else None
    if day is not None and _near_notice(day, campaign) and (deadline is None or day < deadline):
        return day.isoformat()
    return ((deadline or campaign.notice_date + dt.timedelta(days=30)) - dt.timedelta(days=3)).isoformat()


def _reports(campaign: Campaign, publicity: dict[str, Period]) -> dict[str, Report]:
    c, i = campaign.kinds["collective"].label, campaign.kinds["individual"].label
    review = campaign.review()
    reports = {}
    for stage in campaign.stages.values():
        if not stage.report or stage.report in reports:
            continue
        date = _report_date(campaign, stage.report)
        period = publicity.get(stage.publicity)
        when = ""
        if period is not None:
            start, end = dt.date.fromisoformat(period.start), dt.date.fromisoformat(period.end)
            end_text = f"{end.month}月{end.day}日" if end.year == start.year else _cn(end)
            when = f"{_cn(start)}至{end_text}"
        level = campaign.publicity.levels.get(stage.publicity)
        where = "在全市范围内" if stage.publicity == "region" else "在推荐对象所在单位"
        texts = {
            "process": f"按照{campaign.issuer}通知要求,我市成立评选表彰工作机构,制定推荐工作方案,"
            "面向基层和工作一线,组织市直各部门和各区、县(市)逐级推荐。",
            "review": "对拟推荐对象的基本条件、年度考核、廉洁自律等情况逐一审核,均符合评选条件。",
            "collective_study": f"{_cn(dt.date.fromisoformat(date) - dt.timedelta(days=5))},"
            "经市评选表彰工作领导小组会议集体研究,确定拟推荐对象。",
            "publicity": f"{when},{where}进行了公示,公示期间未收到异议。"
            if when
            else f"已按要求进行{level.label if level else '公示'},未收到异议。",
            "other": "无。",
            "organisation": "市政府办公室、市人力资源社会保障局联合成立评选表彰工作领导小组,"
            "办公室设在市政府办公室政务公开处。",
            "opinions": "按照干部管理权限,征求了组织人事、纪检监察部门意见,均无不同意见。",
            "recommendation": f"同意推荐上述{c}和{i}为{campaign.title_prefix}{c}和{i}。",
        }
        if stage.report != campaign.first_stage() and review is not None:
            texts["process"] = f"根据{campaign.issuer}{review.label}意见,对推荐对象进行了考察。"
        sections = {
            section.key: texts.get(section.key, f"({section.heading})示例内容。")
            for section in campaign.reports.get(stage.report, ())
        }
        reports[stage.report] = Report(sections=sections, date=date)
    return reports


def build_demo_dossier(campaign: Campaign | None = None) -> Dossier:
    """A complete, valid recommendation: the campaign's own demo where its file has one (`[demo]`),
    else the sample of 5 collectives and 10 individuals, photos included, fitted to the campaign."""
    campaign = campaign or load_campaign()
    if campaign.demo is not None and campaign.demo.nominees:
        dossier = _declared_demo(campaign)
        _accept_own_warnings(dossier, campaign)
        return dossier
    kind = next(
        (k for k in campaign.unit_kinds.values() if k.uses_allocation),
        next(iter(campaign.unit_kinds.values())),
    )
    publicity = _publicity(campaign)
    unit = Unit(
        name=kind.name_example or f"示例{kind.label}",
        kind=kind.key,
        contact="郭静",
        phone="024-22721005",
        allocation=Allocation(collectives=5, individuals=10),
        # The demo is exported long after the campaign's deadlines; D1 would block it otherwise.
        overrides={"D1": DEMO_REASON},
    )
    collectives: list[Nominee] = [
        Collective(
            name=name,
            level=level,
            nature=nature,
            leader=leader,
            staff_count=staff,
            contact="郭静",
            phone="024-22721005",
            deeds_brief=_deeds("该单位", long=False),
            deeds_full=_deeds("该单位", long=True),
            honors="2023年度全市政务公开工作先进单位" if n % 2 == 0 else "无",
            attestations={key: True for key in campaign.eligibility.collective_attestations},
            publicity=dict(publicity),
            order=n + 1,
        )
        for n, (name, level, nature, leader, staff) in enumerate(_COLLECTIVES)
    ]
    individuals: list[Nominee] = []
    for n, row in enumerate(_INDIVIDUALS):
        name, gender, eth, birth, pol, edu, start, title, rank, level, years = row
        photo_name = f"{name}-{birth.replace('-', '')}.jpg"
        years_list = campaign.eligibility.assessment_years
        individuals.append(
            Individual(
                name=name,
                gender=gender,
                ethnicity=eth,
                birth_date=birth,
                political_status=pol,
                education=edu,
                work_start=start,
                unit_and_title=title,
                rank=rank,
                level=level,
                years_in_field=years,
                phone=f"1384000{n:04d}",
                assessments=_assessments(campaign, years_list[n % len(years_list)] if years_list else 0),
                resume=f"{start.replace('-', '.')}—今 {title}",
                deeds_brief=_deeds("该同志", long=False),
                deeds_full=_deeds("该同志", long=True),
                honors=f"2022年度沈阳市政务公开工作{campaign.kinds['individual'].label}"
                if n % 3 == 0
                else "无",
                attestations={key: True for key in campaign.eligibility.individual_attestations},
                publicity=dict(publicity),
                photo=photo_name,
                photo_data=make_demo_photo(n, campaign.photo),
                order=n + 1,
            )
        )
    members = [
        Member(name=name, unit_and_title=title, role=role, phone=phone, order=n + 1)
        for n, (name, title, role, phone) in enumerate(_MEMBERS)
    ]
    dossier = Dossier(
        campaign=campaign.id,
        unit=unit,
        collectives=collectives,
        individuals=individuals,
        members=members,
        reports=_reports(campaign, publicity),
    )
    for kind_key, records in (("collective", collectives), ("individual", individuals), ("member", members)):
        for n, record in enumerate(records):
            _fit(record, campaign, kind_key, n)
    _accept_own_warnings(dossier, campaign)
    return dossier


def _declared_demo(campaign: Campaign) -> Dossier:
    """The demo the campaign file declares: its unit, allocation, reports and nominees as written."""
    demo = campaign.demo
    assert demo is not None
    allocation = Allocation.from_cells(demo.allocation)
    kind = demo.unit.get("kind") or next(iter(campaign.unit_kinds))
    unit = Unit(
        name=demo.unit.get("name") or campaign.unit_kinds[kind].name_example or "示例单位",
        kind=kind,
        contact=demo.unit.get("contact", ""),
        phone=demo.unit.get("phone", ""),
        allocation=allocation,
        overrides={"D1": DEMO_REASON},  # the demo is looked at long after the campaign's deadlines
    )
    nominees: dict[str, list[Nominee]] = {k: [] for k in NOMINEE_KINDS}
    for key, records in demo.nominees.items():
        for n, (values, ticked) in enumerate(zip(records, demo.ticked[key], strict=True)):
            record = new_nominee(key, values=dict(values))
            record.attestations = {k: True for k in ticked}
            record.order = n + 1
            nominees[key].append(record)
    reports = {
        key: Report(sections={k: v for k, v in texts.items() if k != "date"}, date=texts["date"])
        for key, texts in demo.reports.items()
    }
    return Dossier(
        campaign=campaign.id,
        unit=unit,
        collectives=nominees["collective"],
        individuals=nominees["individual"],
        reports=reports,
    )


def _fit(record: Any, campaign: Campaign, kind: str, n: int) -> None:
    """Keep the sample valid under any campaign: choices it lists, texts within its limits."""
    for field in campaign.kinds[kind].fields():
        value = getattr(record, field.id)
        if field.type == "choice" and field.choices and value not in field.choices:
            setattr(record, field.id, field.choices[n % len(field.choices)])
        limit = campaign.limits.get(field.limit) if field.limit else None
        if limit is not None and isinstance(value, str) and len(value.strip()) > limit:
            setattr(record, field.id, value.strip()[:limit])


def _accept_own_warnings(dossier: Dossier, campaign: Campaign) -> None:
    """A warning the sample raises under this campaign (a share, a year without holiday data) is
    accepted with the demo's reason, so the demo can always be exported."""
    from nominator.domain.checks import check

    for stage in campaign.stages:
        for problem in check(dossier, campaign, stage):
            if problem.is_error or problem.overridden:
                continue
            record: Any = dossier.unit
            target = problem.target
            if target.is_record and target.kind in ("collective", "individual"):
                view = dossier.for_stage(stage, campaign)
                listed = (
                    view.ordered_collectives() if target.kind == "collective" else view.ordered_individuals()
                )
                record = listed[target.index or 0]
            record.overrides = {**record.overrides, problem.rule: DEMO_REASON}


def create_demo_store(path: Path, *, overwrite: bool = False, campaign: Campaign | str | None = None) -> Path:
    if path.exists():
        if not overwrite:
            raise UserError(f"文件“{path}”已存在。如需重新生成示例数据,请加 --force 或换一个文件名。")
        Store.delete_files(path)
    rules = campaign if isinstance(campaign, Campaign) else load_campaign(campaign)
    with Store.create(path, campaign=rules) as store, store.transaction() as writer:
        writer.replace_dossier(build_demo_dossier(rules))
    return path
