"""Dossiers that push the forms to their edges: minimal, typical (the demo) and maximal.

Maximal means every text at its campaign limit at once — the longest names (a minority name with
"·", rare characters beyond the basic plane), the longest enumeration values, a 3,000-character
主要事迹 in several paragraphs, an 800-character 简历 of one line per post, and so on. The render
tests print each form of each and hold it to its page contract.
"""

from __future__ import annotations

import copy
import io

from PIL import Image

from nominator.campaign import Campaign
from nominator.domain.model import Dossier, Member, Period
from nominator.interchange.demo import build_demo_dossier

RARE = "𠀀𪚥䶮龘"  # beyond the basic plane (Extension B) and Extension A
MINORITY = "阿依古丽·买买提"


def fill(pattern: str, length: int) -> str:
    """pattern repeated to exactly `length` characters."""
    return (pattern * (length // max(len(pattern), 1) + 1))[:length]


def sentences(length: int, *, per_paragraph: int = 500) -> str:
    """Running text of exactly `length` characters, numbered sentences, in paragraphs."""
    parts: list[str] = []
    n = 0
    while sum(len(p) for p in parts) < length:
        n += 1
        parts.append(f"第{n:03d}项,健全政务公开制度,规范办理依申请公开,群众满意度持续提升。")
    text = "".join(parts)[:length]
    chunks = [text[i : i + per_paragraph] for i in range(0, len(text), per_paragraph)]
    # the line breaks count against the limit as the clerk's text would
    return "\n".join(chunks)[:length]


def resume_lines(length: int) -> str:
    """One post per line, dates first, to exactly `length` characters."""
    lines: list[str] = []
    year = 1990
    while sum(len(line) + 1 for line in lines) < length:
        lines.append(f"{year}.07—{year + 2}.06 沈阳市和平区人民政府办公室政务公开科科员(其间:挂职锻炼)")
        year += 2
    return "\n".join(lines)[:length]


def solid_photo(campaign: Campaign, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A 2-inch photo of one strong colour: its printed edges are easy to find on a page."""
    out = io.BytesIO()
    size = (campaign.photo.width_px, campaign.photo.height_px)
    Image.new("RGB", size, colour).save(out, "JPEG", dpi=(campaign.photo.dpi,) * 2, quality=90)
    return out.getvalue()


def typical(campaign: Campaign) -> Dossier:
    return build_demo_dossier(campaign)


def minimal(campaign: Campaign) -> Dossier:
    dossier = build_demo_dossier(campaign)
    dossier.collectives = dossier.collectives[:1]
    dossier.individuals = dossier.individuals[:1]
    dossier.members = dossier.members[:1]
    c = dossier.collectives[0]
    c.name, c.leader, c.contact, c.phone = "某科", "王一", "王一", "1"
    c.deeds_brief = c.deeds_full = "表现突出。"
    c.honors = ""
    p = dossier.individuals[0]
    p.name, p.unit_and_title = "王一", "某科科员"
    p.resume = "2020.07—今 某科科员"
    p.deeds_brief = p.deeds_full = "表现突出。"
    p.honors = ""
    for report in dossier.reports.values():
        report.sections = {key: "无。" for key in report.sections}
    return dossier


def maximal(campaign: Campaign) -> Dossier:
    dossier = build_demo_dossier(campaign)
    limit = campaign.limit
    dossier.unit.name = "中共辽宁省委机构编制委员会办公室"
    dossier.unit.contact = fill("欧阳", 4)
    result = fill("无异议,公示期间未收到任何单位和个人的异议或举报" + RARE, limit("publicity_result"))
    for n, c in enumerate(dossier.collectives):
        c.name = fill(f"{RARE}沈阳市浑南区人民政府办公室政务公开科第{n}", limit("collective_name"))
        c.leader = fill(f"{MINORITY}政务公开科科长兼办公室主任", limit("leader"))
        c.contact = MINORITY
        c.phone = "024-22721005 13840001234"
        c.staff_count = 1234
        c.deeds_brief = sentences(limit("deeds_brief_collective"), per_paragraph=120)
        c.deeds_full = sentences(limit("deeds_full"))
        c.honors = sentences(limit("honors"), per_paragraph=60)
        for key, period in list(c.publicity.items()):
            c.publicity[key] = Period(period.start, period.end, result)
    for n, p in enumerate(dossier.individuals):
        p.name = fill(f"{MINORITY}·{RARE}阿卜杜热合曼·吐尔逊{n}", limit("name"))
        p.ethnicity = "乌孜别克族"
        p.political_status = "九三学社社员"
        p.education = "研究生(博士)"
        p.rank = "副厅级及以上"
        p.years_in_field = 38
        p.unit_and_title = fill(
            f"{RARE}沈阳市浑南区人民政府办公室政务公开科副科长(主持工作)", limit("unit_and_title")
        )
        for a in p.assessments:
            a.result = "基本称职"
        p.resume = resume_lines(limit("resume"))
        p.deeds_brief = sentences(limit("deeds_brief_individual"), per_paragraph=90)
        p.deeds_full = sentences(limit("deeds_full"))
        p.honors = sentences(limit("honors"), per_paragraph=60)
        for key, period in list(p.publicity.items()):
            p.publicity[key] = Period(period.start, period.end, result)
    dossier.members = [
        Member(
            fill(f"{MINORITY}{RARE}", limit("name")),
            fill("沈阳市人民政府办公室政务公开处", limit("unit_and_title")),
            role,
            "13840001234",
            order=n,
        )
        for n, role in enumerate(("组长", "副组长", "成员", "成员", "成员", "办公室主任", "办公室成员") * 4)
    ]
    for report in dossier.reports.values():
        report.sections = {key: sentences(limit("report_section")) for key in report.sections}
    return dossier


VARIANTS = {"minimal": minimal, "typical": typical, "maximal": maximal}


def variant(name: str, campaign: Campaign) -> Dossier:
    return copy.deepcopy(VARIANTS[name](campaign))
