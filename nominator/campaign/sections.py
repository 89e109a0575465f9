"""The plain tables of a campaign file: [email], [workdays], [photo] and [print].

Each value is checked for type and meaning, and kept within bounds no notice comes near: a mail
box of 10 000 MB, a photo a metre wide or a hundred printed copies is a slip of the keyboard that
would make the program resize, print or wait without end.
"""

from __future__ import annotations

import re

from nominator.campaign.model import PAPER_SIZES_MM, EmailRules, PhotoRules, PrintRules, WorkdayOverrides
from nominator.campaign.reading import Reader, placeholders

# Bounds no notice comes near: a value beyond one is a slip of the keyboard, and would make the
# program print, resize or wait without end.
MAILBOX_MOST_MB = 10_000
PHOTO_MOST_MM, PHOTO_MOST_PX, PHOTO_MOST_BYTES = 1000, 20_000, 1_000_000_000
COPIES_MOST = 100


def email_rules(top: Reader) -> EmailRules:
    t = top.need_table("email")
    to = t.text("to")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", to):
        t.fail("to", f"“{to}”不是有效的邮箱地址。")
    subject = t.text("subject")
    placeholders(t, "subject", subject, {"unit"}, required={"unit"})
    body = t.text("body", "{addressee}:\n\n    现报送{unit}{short_title}{stage}推荐材料,请查收。\n\n{unit}\n")
    placeholders(t, "body", body, {"addressee", "unit", "short_title", "stage", "copies", "contact", "phone"})
    return EmailRules(
        to=to,
        subject=subject,
        mailbox_limit_mb=t.positive("mailbox_limit_mb", maximum=MAILBOX_MOST_MB),
        body=body.strip("\n"),
    )


def workday_overrides(top: Reader) -> WorkdayOverrides:
    t = top.table("workdays", optional=True)
    if t is None:
        return WorkdayOverrides(frozenset(), frozenset())
    return WorkdayOverrides(t.dates("extra_holidays"), t.dates("extra_workdays"))


def photo_rules(top: Reader) -> PhotoRules:
    t = top.need_table("photo")
    rules = PhotoRules(
        size_name=t.text("size_name", ""),
        width_mm=t.positive("width_mm", maximum=PHOTO_MOST_MM),
        height_mm=t.positive("height_mm", maximum=PHOTO_MOST_MM),
        width_px=t.integer("width_px", minimum=50, maximum=PHOTO_MOST_PX),
        height_px=t.integer("height_px", minimum=50, maximum=PHOTO_MOST_PX),
        dpi=t.integer("dpi", minimum=72, maximum=2400),
        aspect_tolerance=t.positive("aspect_tolerance", maximum=0.5),
        min_bytes=t.integer("min_bytes", maximum=PHOTO_MOST_BYTES),
        max_bytes=t.integer("max_bytes", minimum=1, maximum=PHOTO_MOST_BYTES),
        copies=t.integer("copies", maximum=COPIES_MOST),
        back_note=t.text("back_note", ""),
    )
    if rules.min_bytes >= rules.max_bytes:
        t.fail("min_bytes", "应小于 max_bytes。")
    return rules


def print_rules(top: Reader) -> PrintRules:
    t = top.need_table("print")
    paper = t.text("paper")
    if paper not in PAPER_SIZES_MM:
        t.fail("paper", f"应为{'、'.join(PAPER_SIZES_MM)}之一,当前为“{paper}”。")
    return PrintRules(paper=paper, copies=t.integer("copies", minimum=1, maximum=COPIES_MOST))
