"""Refusing hostile files (issue 13): each must be refused in well under two seconds, whatever it
would cost to work through. Measured against reading a normal file of the same kind (the demo
exchange zip, a filled two-row import template): a ratio near 1 means a hostile file costs no more
than an honest one; the absolute medians are printed too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.run import Case
from nominator.campaign import load_campaign
from nominator.errors import UserError
from nominator.interchange.demo import build_demo_dossier
from nominator.interchange.exchange import read_exchange, write_exchange
from nominator.interchange.intake import read_template
from tests.fixtures.bad import make_corpus

EXCHANGES = (
    "members-1.5-million.zip",
    "members-1.5-million-numbers.zip",
    "individuals-10000.zip",
    "zip-5000-entries.zip",
)
WORKBOOKS = (
    "million-rows.xlsx",
    "million-empty-rows.xlsx",
    "one-row-at-the-bottom.xlsx",
    "300000-styles.xlsx",
    "million-shared-strings.xlsx",
    "junk-columns.xlsx",
)


def _setup(name: str, cases: list[make_corpus.Case]) -> Any:
    def setup(tmp: Path) -> dict[str, Any]:
        campaign = load_campaign()
        [case] = [c for c in cases if c.name == name]
        hostile = tmp / name
        hostile.write_bytes(case.make())
        normal = write_exchange(build_demo_dossier(campaign), tmp / "demo.zip")
        template = tmp / "filled.xlsx"
        template.write_bytes(make_corpus.filled_template())
        return {"hostile": hostile, "normal": normal, "template": template, "campaign": campaign}

    return setup


def _refused(read: Any) -> Any:
    def target(ctx: dict[str, Any]) -> None:
        try:
            read(ctx["hostile"], ctx)
        except UserError:
            return
        raise AssertionError(f"{ctx['hostile'].name} was not refused")

    return target


CASES = [
    *(
        Case(
            f"refuse {name}",
            "read the demo exchange zip",
            _setup(name, make_corpus.EXCHANGES),
            lambda ctx: read_exchange(ctx["normal"]),
            _refused(lambda path, _ctx: read_exchange(path)),
        )
        for name in EXCHANGES
    ),
    *(
        Case(
            f"refuse {name}",
            "read a filled two-row template",
            _setup(name, make_corpus.WORKBOOKS),
            lambda ctx: read_template(ctx["template"], ctx["campaign"]),
            _refused(lambda path, ctx: read_template(path, ctx["campaign"])),
        )
        for name in WORKBOOKS
    ),
]
