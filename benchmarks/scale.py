"""Data at province scale for the benchmarks: a store of the demo unit grown to N collectives and
M individuals, every record's texts and every photo its own (a benchmark of copies would measure
caches, not work), with or without the photo verdicts a window keeps.

SIZES are the three the issue asks for: the demo's 5 + 10, a province's 100 + 300 and a merged
round's 100 + 1,000. A store is built once per size and run (photos take a while to draw) and
copied into each case's folder.
"""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
from pathlib import Path

from nominator.campaign import load_campaign
from nominator.domain.model import Dossier
from nominator.domain.photo import make_demo_photo
from nominator.interchange.demo import build_demo_dossier

SIZES: tuple[tuple[int, int], ...] = ((5, 10), (100, 300), (100, 1000))
FORMAL_DAY = "2026-01-10"  # within the formal stage of the shipped campaign
_DIGITS = "零一二三四五六七八九"


def label(size: tuple[int, int]) -> str:
    return f"{size[0]}+{size[1]}"


def _chinese(n: int) -> str:
    return "".join(_DIGITS[int(d)] for d in str(n))


def scale_dossier(collectives: int, individuals: int) -> Dossier:
    """The demo grown: names, units, texts and photos differ from record to record."""
    campaign = load_campaign()
    demo = build_demo_dossier(campaign)
    dossier = copy.deepcopy(demo)
    # a quota that takes them all, and the share warnings of so many accepted with a reason
    dossier.unit.allocation.collectives = max(collectives * 5 // 6 + 1, 1)
    dossier.unit.allocation.individuals = max(individuals * 5 // 6 + 1, 1)
    dossier.unit.overrides["Q3"] = "基准测试数据"
    dossier.collectives, dossier.individuals = [], []
    for n in range(collectives):
        c = copy.deepcopy(demo.collectives[n % len(demo.collectives)])
        c.name = f"{c.name}第{_chinese(n + 1)}组"
        c.deeds_brief = f"{c.deeds_brief}本组第{n + 1}号材料。"
        c.deeds_full = f"{c.deeds_full}\n第{n + 1}号集体{c.name}在政务公开工作中持续推进,成效明显。"
        c.order = n + 1
        c.overrides["Q4"] = "基准测试数据"
        dossier.collectives.append(c)
    for n in range(individuals):
        i = copy.deepcopy(demo.individuals[n % len(demo.individuals)])
        i.name = f"{i.name}{_chinese(n + 1)}"  # names stay Chinese (F2)
        i.unit_and_title = f"{i.unit_and_title}(第{n + 1}号)"
        i.deeds_brief = f"{i.deeds_brief}第{n + 1}号。"
        i.deeds_full = f"{i.deeds_full}\n第{n + 1}号推荐对象{i.name}同志认真履职,群众满意。"
        i.resume = f"{i.resume}\n2025.{1 + n % 12:02d}  第{n + 1}号岗位"
        i.photo = f"{i.name}-{i.birth_yyyymmdd()}.jpg"
        i.photo_data = make_demo_photo(n, campaign.photo)  # every photo its own
        i.order = n + 1
        i.overrides["Q4"] = "基准测试数据"
        dossier.individuals.append(i)
    return dossier


_built: dict[tuple[tuple[int, int], bool], Path] = {}
_home = Path(tempfile.mkdtemp(prefix="nominator-bench-stores-"))
atexit.register(shutil.rmtree, _home, ignore_errors=True)  # the stores built for this run only


def scale_store(size: tuple[int, int], target: Path, *, verdicts: bool) -> Path:
    """A store of `size` at `target`; `verdicts`: with the photo verdicts the window keeps."""
    key = (size, verdicts)
    if key not in _built:
        from nominator.domain.checks import check
        from nominator.operations import KeepPhotoVerdicts, perform
        from nominator.store.session import Store, load_with_rules

        os.environ.setdefault("NOMINATOR_DATA_DIR", str(_home / "data"))
        path = _home / f"{label(size)}-{'kept' if verdicts else 'cold'}.nominator"
        with Store.create(path, campaign="liaoning-zwgk-2025") as store, store.transaction() as writer:
            writer.replace_dossier(scale_dossier(*size))
        if verdicts:
            dossier, campaign = load_with_rules(path)
            check(dossier, campaign, "formal")
            with Store.open(path, backup_on_open=False) as store:
                perform(store, KeepPhotoVerdicts(dossier.photo_verdicts))  # as the window does
        _built[key] = path
    shutil.copy(_built[key], target)
    return target
