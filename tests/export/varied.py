"""A dossier whose texts and photos take every path the renderer has: texts that go on to
"(续)" rows or shrink to fit, tabs and line breaks, characters XML escapes, blanks, a rare
character, a photo shared by two people, one that must be made printable, one missing."""

from __future__ import annotations

import copy

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.domain.photo import make_demo_photo
from nominator.interchange.demo import build_demo_dossier
from tests import photo_corpus as corpus

_LONG = "坚持以公开为常态、不公开为例外,推动决策、执行、管理、服务、结果公开。" * 40


def varied_dossier(campaign: Campaign, collectives: int = 4, individuals: int = 9) -> Dossier:
    demo = build_demo_dossier(campaign)
    dossier = copy.deepcopy(demo)
    dossier.collectives, dossier.individuals = [], []
    for n in range(collectives):
        c = copy.deepcopy(demo.collectives[n % len(demo.collectives)])
        c.name = f"{c.name}第{n}科"
        c.order = n + 1
        if n % 2:
            c.deeds_full = _LONG + "\n" + c.deeds_full  # goes on to "(续)" rows
            c.honors = ""
        else:
            c.deeds_brief = f"R&D <公开> “透明” {n}\t" + c.deeds_brief
        dossier.collectives.append(c)
    shared = make_demo_photo(99, campaign.photo)
    for n in range(individuals):
        p = copy.deepcopy(demo.individuals[n % len(demo.individuals)])
        p.name = f"{p.name}{'𠀀' if n == 3 else ''}{'甲乙丙丁戊己庚辛壬癸'[n % 10]}"
        p.order = n + 1
        p.photo_data = make_demo_photo(n, campaign.photo)
        if n in (1, 2):
            p.photo_data = shared  # two people, one photo
        elif n == 4:
            p.photo_data = corpus.jpeg(corpus.portrait(corpus.WHITE, (600, 1000)))  # made printable
        elif n == 5:
            p.photo_data = None
        if n % 3 == 0:
            p.resume = "2001.09\t大学学习\n2005.07  参加工作\n" + _LONG[:300] + "\n" + p.resume
            p.deeds_full = _LONG[: 200 * (n + 1)] + "\n\n" + p.deeds_full
        if n == 7:
            p.unit_and_title = " & ".join([p.unit_and_title] * 3)
            p.honors = ""
        dossier.individuals.append(p)
    return dossier
