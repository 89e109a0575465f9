"""The demo: 沈阳市 with a full, valid recommendation, so a new user (and the tests) can see
every page and every document filled in. `check` on it finds no errors."""

from __future__ import annotations

from pathlib import Path

from nominator.campaign import Campaign, load_campaign
from nominator.domain.model import (
    Allocation,
    Assessment,
    Collective,
    Dossier,
    Individual,
    Member,
    Period,
    Report,
    Unit,
)
from nominator.domain.photo import make_demo_photo
from nominator.errors import UserError

UNIT_PUBLICITY = Period("2025-12-08", "2025-12-12", "无异议")
REGION_PUBLICITY = Period("2026-01-05", "2026-01-09", "无异议")

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
    return [
        Assessment(year, "优秀" if year == best_year else "称职")
        for year in campaign.eligibility.assessment_years
    ]


def build_demo_dossier(campaign: Campaign | None = None) -> Dossier:
    """A complete, valid 沈阳市 recommendation (5 collectives, 10 individuals), photos included."""
    campaign = campaign or load_campaign()
    unit = Unit(
        name="沈阳市",
        kind="region",
        contact="郭静",
        phone="024-22721005",
        allocation=Allocation(collectives=5, individuals=10),
        # The demo is exported long after the campaign's deadlines; D1 would block it otherwise.
        overrides={"D1": "示例数据,仅供演示,不实际报送。"},
    )
    collectives = [
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
            publicity={"unit": UNIT_PUBLICITY, "region": REGION_PUBLICITY},
            order=n + 1,
        )
        for n, (name, level, nature, leader, staff) in enumerate(_COLLECTIVES)
    ]
    individuals = []
    for n, row in enumerate(_INDIVIDUALS):
        name, gender, eth, birth, pol, edu, start, title, rank, level, years = row
        photo_name = f"{name}-{birth.replace('-', '')}.jpg"
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
                assessments=_assessments(campaign, campaign.eligibility.assessment_years[n % 3]),
                resume=f"{start.replace('-', '.')}—今 {title}",
                deeds_brief=_deeds("该同志", long=False),
                deeds_full=_deeds("该同志", long=True),
                honors="2022年度沈阳市政务公开工作先进个人" if n % 3 == 0 else "无",
                attestations={key: True for key in campaign.eligibility.individual_attestations},
                publicity={"unit": UNIT_PUBLICITY, "region": REGION_PUBLICITY},
                photo=photo_name,
                photo_data=make_demo_photo(n, campaign.photo),
                order=n + 1,
            )
        )
    members = [
        Member(name=name, unit_and_title=title, role=role, phone=phone, order=n + 1)
        for n, (name, title, role, phone) in enumerate(_MEMBERS)
    ]
    reports = {
        "initial": Report(
            sections={
                "process": "按照省评选表彰办通知要求,我市成立评选表彰工作机构,制定推荐工作方案,"
                "面向基层和工作一线,组织市直各部门和各区、县(市)逐级推荐。",
                "review": "对拟推荐对象的基本条件、年度考核、廉洁自律等情况逐一审核,均符合评选条件。",
                "collective_study": "2025年12月15日,经市评选表彰工作领导小组会议集体研究,确定拟推荐对象。",
                "publicity": "2025年12月8日至12月12日,在推荐对象所在单位进行了公示,公示期间未收到异议。",
                "other": "无。",
            },
            date="2025-12-20",
        ),
        "formal": Report(
            sections={
                "organisation": "市政府办公室、市人力资源社会保障局联合成立评选表彰工作领导小组,"
                "办公室设在市政府办公室政务公开处。",
                "process": "根据省评选表彰办初审反馈意见,对推荐对象进行了考察。",
                "opinions": "按照干部管理权限,征求了组织人事、纪检监察部门意见,均无不同意见。",
                "publicity": "2026年1月5日至1月9日,在全市范围内进行了公示,公示期间未收到异议。",
                "recommendation": "同意推荐上述先进集体和先进个人为辽宁省政务公开工作先进集体和先进个人。",
            },
            date="2026-01-09",
        ),
    }
    return Dossier(
        campaign=campaign.id,
        unit=unit,
        collectives=collectives,
        individuals=individuals,
        members=members,
        reports=reports,
    )


def create_demo_store(path: Path, *, overwrite: bool = False, campaign: str | None = None) -> Path:
    from nominator.store.session import Store

    if path.exists():
        if not overwrite:
            raise UserError(f"文件“{path}”已存在。如需重新生成示例数据,请加 --force 或换一个文件名。")
        Store.delete_files(path)
    rules = load_campaign(campaign) if campaign else load_campaign()
    with Store.create(path, campaign=rules.id) as store:
        store.replace_dossier(build_demo_dossier(rules))
    return path
