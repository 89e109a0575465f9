# Over 500 lines: one geometric model (cell widths, line breaking, row heights) that every fitting step
# reads; halves would need each other's internals.
"""How much room text takes on the printed form, worked out before Word or LibreOffice see it.

The forms are laid out so that Word, WPS and LibreOffice print the same pages: every line in a
box has an exact line pitch, every box an exact design height, so only the line breaks could
differ — and those are estimated here on the safe side. Chinese characters are one em wide in
every Chinese font; Latin letters and digits are taken at the widths of DejaVu Sans (the widest
face LibreOffice substitutes; 仿宋 prints them narrower), and no line is assumed to start with
closing punctuation. So the estimate may give a box a line more than it needs, never one less.

What this module offers:
- `count_lines`: lines a paragraph needs in a given width;
- `split_lines`: a list of paragraphs cut at a line boundary (what fits, and the rest), for a
  box that continues on a "(续)" row;
- `fit_tables`: after rendering, every row drawn with an exact ("固定值") height is a box whose
  text must fit: the text keeps its size when it fits and otherwise steps down (小四 → 五号 → 小五
  → 六号); the row then becomes "at least" that height, so that nothing is ever cut off. Rows
  drawn "at least" get their estimated height, so the page breaks do not depend on the fonts.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_PT = 20

CONTINUED = "\u2060"  # WORD JOINER, invisible: marks a paragraph that goes on from the part before

# Advance widths (em) of DejaVu Sans for printable ASCII, the widest face in use.
_ASCII_EM = dict(
    zip(
        (chr(c) for c in range(0x20, 0x7F)),
        (
            0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318,
            0.361, 0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636,
            0.636, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.0, 0.684, 0.686, 0.698, 0.77,
            0.632, 0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603,
            0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337,
            0.39, 0.838, 0.5, 0.5, 0.613, 0.635, 0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278,
            0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521, 0.392, 0.634,
            0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
        ),
        strict=True,
    )
)  # fmt: skip
# may not begin a line (Word's and LibreOffice's default East Asian line-breaking rules)
_NO_LINE_START = set(
    "!%),.:;>?]}\u00b0\u00b7\u2019\u201d\u2026\u2030\u2032\u2033\u2103\u3001\u3002\u3003\u3009\u300b\u300d\u300f\u3011\u3015\u3017\u301e\uff01\uff02\uff05\uff07\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3d\uff5c\uff5d\uff5e"
)
# may not end a line
_NO_LINE_END = set(
    "$([{\u00a3\u00a5\u2018\u201c\u3008\u300a\u300c\u300e\u3010\u3014\u3016\u301d\uff04\uff08\uff3b\uff5b\uffe1\uffe5"
)
_HANGING = set("\u3001\u3002\uff0c\uff0e")  # 、。,.
# Chinese sizes a box may step down to when its text does not fit: 小四, 五号, 小五, 六号
SIZES = (12.0, 10.5, 9.0, 7.5)


def char_em(ch: str) -> float:
    if ch in _ASCII_EM:
        return _ASCII_EM[ch]
    if ch == CONTINUED:
        return 0.0
    return 1.0  # Chinese characters, full-width punctuation, and (safely) anything else


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def _tokens(text: str) -> Iterator[str]:
    """Units a line may not be broken inside: a Latin word or number with its punctuation, one
    Chinese character with the punctuation that may not be parted from it, a space."""
    token = ""
    for ch in text:
        latin = ch.isascii() and (ch.isalnum() or ch in "._-/:%@&+#'")
        if not token:
            token = ch
        elif ch == " " or token == " ":
            yield token
            token = ch
        elif ch in _NO_LINE_START or token[-1] in _NO_LINE_END or (ch in "—…" and token[-1] == ch):
            token += ch
        elif latin and token[-1] != " " and (token[-1].isascii() or token[-1] in _NO_LINE_START):
            token += ch  # LibreOffice does not break "》,2030" or "100%" either
        else:
            yield token
            token = ch
    if token:
        yield token


def count_lines(text: str, width_em: float, *, first_em: float = 0.0, rest_em: float = 0.0,
                tab_em: float | None = None) -> int:  # fmt: skip
    """Lines `text` needs in a column width_em wide; the first line starts first_em in, the
    others rest_em in (a hanging indent); a tab jumps to tab_em. Explicit line breaks count."""
    return sum(len(_wrap(part, width_em, first_em, rest_em, tab_em)) for part in text.split("\n")) or 1


def _wrap(text: str, width_em: float, first_em: float, rest_em: float, tab_em: float | None) -> list[str]:
    lines: list[str] = []
    line, used = "", first_em
    for token in _tokens(text):
        if token == "\t":
            target = tab_em if tab_em is not None and tab_em > used else used + 2.0
            used = target
            line += token
            continue
        size = text_em(token)
        if line and line[-1] != " " and token[0] != " " and line[-1].isascii() != token[0].isascii():
            size += 0.3  # Word and LibreOffice space Chinese apart from Latin letters and digits
        # Latin letters' widths vary from face to face: a line holding any keeps half an em spare
        limit = width_em - (
            0.5 if not (line + token).isascii() and any(c.isascii() for c in line + token) else 0
        )
        # one closing full-width mark may hang past the end of a line (both suites allow it)
        hanging = char_em(token[-1]) if token[-1] in _HANGING else 0.0
        if used + size - hanging > limit + 1e-9 and line.strip():
            lines.append(line)
            line, used = "", rest_em
            if token == " ":
                continue
        if used + size > width_em + 1e-9 and len(token) > 1:
            # a unit longer than a line: where Word or LibreOffice break it cannot be foreseen;
            # they sometimes leave a character alone on the line before, so count one more
            lines.append("")
        while used + size > width_em + 1e-9 and len(token) > 1:
            room = width_em - used
            cut = 1
            while cut < len(token) and text_em(token[: cut + 1]) <= room:
                cut += 1
            lines.append(line + token[:cut])
            token = token[cut:]
            size = text_em(token)
            line, used = "", rest_em
        line += token
        used += size
    lines.append(line)
    return lines


@dataclass(frozen=True)
class Style:
    """How a paragraph of a box is set: size and pitch in points, indents in em of that size."""

    size: float = 12.0
    pitch: float = 20.0  # exact line height
    first_em: float = 0.0  # first line, from the left indent (negative: hanging)
    left_em: float = 0.0
    right_em: float = 0.0
    before: float = 0.0  # points
    after: float = 0.0
    tab_em: float | None = None

    def lines(self, text: str, width_pt: float) -> int:
        """Positions count from the cell's left text edge, as Word and LibreOffice count tabs."""
        return _lines(self, text, width_pt)

    def _count(self, text: str, width_pt: float) -> int:
        width_em = width_pt / self.size - self.right_em - 0.1  # borders, rounding
        first = max(self.left_em + self.first_em, 0.0)
        return count_lines(text, width_em, first_em=first, rest_em=max(self.left_em, 0.0), tab_em=self.tab_em)

    def height(self, text: str, width_pt: float) -> float:
        return self.before + self.lines(text, width_pt) * self.pitch + self.after

    def scaled(self, size: float) -> Style:
        factor = size / self.size
        return replace(self, size=size, pitch=self.pitch * factor, before=self.before * factor,
                       after=self.after * factor)  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _lines(style: Style, text: str, width_pt: float) -> int:
    """Style.lines, remembered: the same labels and values come back in every form."""
    return style._count(text, width_pt)


def split_lines(
    paragraphs: Sequence[str], style: Style, width_pt: float, height_pt: float
) -> tuple[list[str], list[str]]:
    """The paragraphs that fit in a box height_pt high, and the rest. A long paragraph that does
    not fit whole is cut at a line boundary, its second part marked CONTINUED (printed without
    its first-line indent); a paragraph of up to SHORT_LINES lines (a post of a 简历) moves on
    whole, unless nothing at all would fit."""
    fitted: list[str] = []
    used = 0.0
    for n, text in enumerate(paragraphs):
        st = _continued_style(style, text)
        needed = st.height(text, width_pt)
        if used + needed <= height_pt + 1e-6:
            fitted.append(text)
            used += needed
            continue
        room_lines = math.floor((height_pt - used - st.before - st.after) / st.pitch + 1e-6)
        whole_lines = st.lines(text, width_pt)
        if room_lines >= 1 and (whole_lines > SHORT_LINES or not fitted):
            head, tail = _cut(text, st, width_pt, room_lines)
            if head and tail:
                fitted.append(head)
                return fitted, [CONTINUED + tail.lstrip(CONTINUED), *paragraphs[n + 1 :]]
        return fitted, list(paragraphs[n:])
    return fitted, []


SHORT_LINES = 3


def _continued_style(style: Style, text: str) -> Style:
    """A part that goes on from a paragraph cut before starts where its lines do."""
    if text.startswith(CONTINUED) and style.first_em != 0:
        return replace(style, first_em=0.0)
    return style


def _cut(text: str, style: Style, width_pt: float, lines: int) -> tuple[str, str]:
    """The longest head of text (cut between tokens) that takes at most `lines` lines."""
    tokens = list(_tokens(text))
    low, high = 0, len(tokens)
    while low < high:  # the most tokens that fit
        mid = (low + high + 1) // 2
        if style.lines("".join(tokens[:mid]), width_pt) <= lines:
            low = mid
        else:
            high = mid - 1
    return "".join(tokens[:low]).rstrip(), "".join(tokens[low:]).lstrip()


# ---------------------------------------------------------------- reading and fitting the XML


def _twips(element: Any, attr: str = "w", default: float = 0.0) -> float:
    if element is None:
        return default
    value = element.get(f"{W}{attr}")
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _on(element: Any) -> bool:
    return element is not None and element.get(f"{W}val", "1") not in ("0", "false", "off")


def grid_widths(tbl: Any) -> list[float]:
    grid = tbl.find(f"{W}tblGrid")
    return [_twips(col) for col in grid.findall(f"{W}gridCol")] if grid is not None else []


def cell_spans(tr: Any) -> Iterator[tuple[Any, int, int]]:
    """(cell, first grid column, span) for each cell of a row."""
    column = 0
    tr_pr = tr.find(f"{W}trPr")
    if tr_pr is not None:
        column += int(_twips(tr_pr.find(f"{W}gridBefore"), "val"))
    for tc in tr.findall(f"{W}tc"):
        span_el = _child(tc, "tcPr", "gridSpan")
        span = int(_twips(span_el, "val", 1.0)) or 1
        yield tc, column, span
        column += span


def _child(element: Any, first: str, second: str) -> Any:
    """element.find("w:first/w:second") without ElementPath's parsing of the path."""
    for child in element.iterchildren(f"{W}{first}"):
        found = child.find(f"{W}{second}")
        if found is not None:
            return found
    return None


_SIDES = (("top", "top"), ("left", "start"), ("bottom", "bottom"), ("right", "end"))


def _apply_margins(found: dict[str, float], holder: Any) -> None:
    if holder is None:
        return
    for side, alias in _SIDES:
        el = holder.find(f"{W}{side}")
        if el is None:
            el = holder.find(f"{W}{alias}")
        if el is not None:
            found[side] = _twips(el)


def _table_margins(tbl: Any) -> dict[str, float]:
    """The table's cell margins in twips, else Word's defaults (0, 108, 0, 108)."""
    found = {"top": 0.0, "left": 108.0, "bottom": 0.0, "right": 108.0}
    _apply_margins(found, _child(tbl, "tblPr", "tblCellMar"))
    return found


def _margins(tbl: Any, tc: Any) -> tuple[float, float, float, float]:
    """(top, left, bottom, right) cell margins in twips: the cell's own, else the table's, else
    Word's defaults (0, 108, 0, 108)."""
    return _cell_margins(_table_margins(tbl), tc)


def _cell_margins(table: dict[str, float], tc: Any) -> tuple[float, float, float, float]:
    found = dict(table)
    _apply_margins(found, _child(tc, "tcPr", "tcMar"))
    return found["top"], found["left"], found["bottom"], found["right"]


def paragraph_style(p: Any, default_size: float = 12.0) -> Style:
    """The Style of a paragraph as written in its own properties (the forms set them directly)."""
    p_pr = p.find(f"{W}pPr")
    sizes = [_twips(sz, "val") / 2 for sz in p.iter(f"{W}sz") if sz.getparent().tag == f"{W}rPr"]
    size = max(sizes) if sizes else default_size
    pitch, before, after = size * 1.45, 0.0, 0.0
    first = left = right = 0.0
    tab = None
    if p_pr is not None:
        spacing = p_pr.find(f"{W}spacing")
        if spacing is not None:
            rule = spacing.get(f"{W}lineRule", "auto")
            line = _twips(spacing, "line", 240.0)
            if rule in ("exact", "atLeast"):
                pitch = max(line / TWIPS_PER_PT, size if rule == "atLeast" else 0.0)
            else:
                pitch = size * 1.45 * line / 240
            before = _twips(spacing, "before") / TWIPS_PER_PT
            after = _twips(spacing, "after") / TWIPS_PER_PT
        ind = p_pr.find(f"{W}ind")
        if ind is not None:
            em = size * TWIPS_PER_PT

            def chars_or_twips(chars: str, twips: str) -> float:
                if ind.get(f"{W}{chars}") is not None:
                    return _twips(ind, chars) / 100
                return _twips(ind, twips) / em

            first = chars_or_twips("firstLineChars", "firstLine") - chars_or_twips("hangingChars", "hanging")
            left = chars_or_twips("leftChars", "left")
            right = chars_or_twips("rightChars", "right")
        tabs = [
            _twips(t, "pos")
            for holder in p_pr.iterchildren(f"{W}tabs")
            for t in holder.iterchildren(f"{W}tab")
        ]
        if tabs:
            tab = min(tabs) / (size * TWIPS_PER_PT)
    return Style(size=size, pitch=pitch, first_em=first, left_em=left, right_em=right,
                 before=before, after=after, tab_em=tab)  # fmt: skip


def paragraph_text(p: Any) -> str:
    parts = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}tab":
            if el.getparent().tag == f"{W}r":
                parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


@dataclass(frozen=True)
class Cell:
    element: Any
    width_pt: float  # room for text: the grid columns spanned, less the left and right margins
    margin_pt: float  # top + bottom margins

    def content_height(self, scale: float = 1.0) -> float:
        total = 0.0
        for p in self.element.findall(f"{W}p"):
            style = paragraph_style(p)
            if scale != 1.0:
                style = style.scaled(style.size * scale)
            total += _continued_style(style, paragraph_text(p)).height(paragraph_text(p), self.width_pt)
        return total + self.margin_pt


def cells(tbl: Any, tr: Any) -> Iterator[Cell]:
    return _cells(tr, grid_widths(tbl), _table_margins(tbl))


def _cells(tr: Any, widths: list[float], margins: dict[str, float]) -> Iterator[Cell]:
    for tc, column, span in cell_spans(tr):
        top, left, bottom, right = _cell_margins(margins, tc)
        width = sum(widths[column : column + span]) - left - right
        yield Cell(tc, width / TWIPS_PER_PT, (top + bottom) / TWIPS_PER_PT)


def row_height(tr: Any) -> tuple[float, str]:
    """(height in points, rule) of a row: rule "exact", "atLeast" or "auto"."""
    height = _child(tr, "trPr", "trHeight")
    if height is None:
        return 0.0, "auto"
    return _twips(height, "val") / TWIPS_PER_PT, height.get(f"{W}hRule", "atLeast")


BORDER_PT = 1.0  # room for the row's borders (½ pt lines)


def _fits(cell: Cell, height: float, scale: float) -> bool:
    return cell.content_height(scale) <= height - BORDER_PT + 1e-6


def _set_height(tr: Any, points: float, rule: str) -> None:
    from lxml import etree

    tr_pr = tr.find(f"{W}trPr")
    if tr_pr is None:
        tr_pr = etree.SubElement(tr, f"{W}trPr")
        tcs = tr.findall(f"{W}tc")
        if tcs:
            tcs[0].addprevious(tr_pr)
    el = tr_pr.find(f"{W}trHeight")
    if el is None:
        el = etree.SubElement(tr_pr, f"{W}trHeight")
    el.set(f"{W}val", str(math.ceil(points * TWIPS_PER_PT)))
    el.set(f"{W}hRule", rule)


def _scale_cell(tc: Any, scale: float) -> None:
    for sz in tc.iter(f"{W}sz", f"{W}szCs"):
        sz.set(f"{W}val", str(round(_twips(sz, "val") * scale)))
    for spacing in tc.iter(f"{W}spacing"):
        if spacing.getparent().tag != f"{W}pPr":
            continue
        if spacing.get(f"{W}lineRule") in ("exact", "atLeast"):
            spacing.set(f"{W}line", str(round(_twips(spacing, "line") * scale)))
        for attr in ("before", "after"):
            if spacing.get(f"{W}{attr}") is not None:
                spacing.set(f"{W}{attr}", str(round(_twips(spacing, attr) * scale)))
    for ind in tc.iter(f"{W}ind"):  # indents in characters stay; their twips follow the size
        for attr in ("firstLine", "hanging", "left", "right"):
            if ind.get(f"{W}{attr}") is not None and ind.get(f"{W}{attr}Chars") is not None:
                ind.set(f"{W}{attr}", str(round(_twips(ind, attr) * scale)))
    for tab in tc.iter(f"{W}tab"):
        if tab.getparent().tag == f"{W}tabs":
            tab.set(f"{W}pos", str(round(_twips(tab, "pos") * scale)))


def _break_short_value(p: Any, width_pt: float) -> None:
    """A centred value that needs two lines breaks where a reader would: before "(", after
    "·", else in the middle — never leaving one character alone ("副厅级及以" / "上")."""
    jc = _child(p, "pPr", "jc")
    runs = [r for r in p.findall(f"{W}r") if r.find(f"{W}t") is not None]
    if jc is None or jc.get(f"{W}val") != "center" or len(runs) != 1 or len(runs[0].findall(f"{W}t")) != 1:
        return
    t = runs[0].find(f"{W}t")
    text = t.text or ""
    style = paragraph_style(p)
    if "\n" in text or " " in text or style.lines(text, width_pt) != 2:
        return
    cuts = [text.find("(")] if text.find("(") > 0 else []
    cuts += [text.find("·") + 1] if 0 < text.find("·") < len(text) - 1 else []
    cuts.append((len(text) + 1) // 2)
    for cut in cuts:
        head, tail = text[:cut], text[cut:]
        if style.lines(head, width_pt) == 1 and style.lines(tail, width_pt) == 1:
            from lxml import etree

            t.text = head
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.addnext(etree.Element(f"{W}br"))
            tail_t = etree.Element(f"{W}t")
            tail_t.text = tail
            t.getnext().addnext(tail_t)
            return


def drop_continued_marks(body: Any) -> None:
    """A paragraph that goes on from the part before the "(续)" break prints without its
    first-line indent; the invisible mark is removed."""
    for t in body.iter(f"{W}t"):
        if t.text and CONTINUED in t.text:
            t.text = t.text.replace(CONTINUED, "")
            p = next((a for a in t.iterancestors(f"{W}p")), None)
            ind = p.find(f"{W}pPr/{W}ind") if p is not None else None
            if ind is not None:
                for attr in ("firstLine", "firstLineChars", "hanging", "hangingChars"):
                    ind.attrib.pop(f"{W}{attr}", None)


def fit_tables(body: Any) -> bool:
    """Fit every table row's text to its row (see the module's doc); True when every box took
    its text, False when some text was too long even at the smallest size (that row grows)."""
    whole = True
    for tbl in body.iter(f"{W}tbl"):
        widths, margins = grid_widths(tbl), _table_margins(tbl)
        for tr in tbl.findall(f"{W}tr"):
            height, rule = row_height(tr)
            if rule == "exact":
                whole &= _fit_exact_row(tr, height, widths, margins)
            elif rule == "atLeast":
                needed = max(
                    (_content_height(c) for c in _cells(tr, widths, margins) if _plain(c)), default=0.0
                )
                if needed + BORDER_PT > height:
                    _set_height(tr, needed + BORDER_PT, "atLeast")
    return whole


# Measuring a cell is pure Python; the same label cells come back in every form of a template.
# What a cell's XML (and the room it has) gave is remembered: its height, and whether it fits
# its exact row untouched. A cell that had to change is worked out again every time.
_MEMO_SIZE = 8192
_heights: dict[tuple[bytes, float, float], float] = {}
_untouched: dict[tuple[bytes, float, float, float], bool] = {}


def _cell_key(cell: Cell) -> tuple[bytes, float, float]:
    from lxml import etree

    return etree.tostring(cell.element), cell.width_pt, cell.margin_pt


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value


def _content_height(cell: Cell) -> float:
    key = _cell_key(cell)
    found = _heights.get(key)
    if found is None:
        found = cell.content_height()
        _remember(_heights, key, found)
    return found


def _plain(cell: Cell) -> bool:
    """A cell this module can measure: text only (no picture, no nested table), not merged down."""
    tc = cell.element
    merge = _child(tc, "tcPr", "vMerge")
    if merge is not None:
        return False
    return not any(True for _ in tc.iter(f"{W}drawing", f"{W}pict", f"{W}object", f"{W}tbl"))


def _fit_exact_row(tr: Any, height: float, widths: list[float], margins: dict[str, float]) -> bool:
    whole = True
    for cell in _cells(tr, widths, margins):
        if not _plain(cell):
            continue
        key = (*_cell_key(cell), height)
        if _untouched.get(key):
            continue
        before = key[0]
        for p in cell.element.findall(f"{W}p"):
            _break_short_value(p, cell.width_pt)
        if _fits(cell, height, 1.0):
            from lxml import etree

            if etree.tostring(cell.element) == before:
                _remember(_untouched, key, True)
            continue
        base = max((paragraph_style(p).size for p in cell.element.findall(f"{W}p")), default=12.0)
        steps = [s / base for s in SIZES if s < base - 1e-6] or [SIZES[-1] / base]
        for scale in steps:
            if _fits(cell, height, scale):
                _scale_cell(cell.element, scale)
                break
        else:
            _scale_cell(cell.element, steps[-1])
            whole = False
    _set_height(tr, height, "atLeast")  # never cut text off, whatever a font does
    return whole


# ---------------------------------------------------------------- "(续)": boxes that go on

_FIRST = re.compile(r"for\s+\w+\s+in\s+(\w+)\.first\b")
_MORE = re.compile(r"for\s+(\w+)\s+in\s+(\w+)\.more\b")


@dataclass(frozen=True)
class Box:
    """Room for one text in a template: its width, how it is set, and the height its lines may
    fill (a page-1 box: the rest of its row; a "(续)" row: a whole page)."""

    width_pt: float
    style: Style
    room_pt: float
    row_pt: float = 0.0  # the row's own least height
    overhead_pt: float = 0.0  # margins and border around the text


@dataclass(frozen=True)
class Layout:
    """Where a template lets texts go on: `X.first` boxes and `X.more` rows, in page order."""

    first: dict[str, Box]
    more: tuple[tuple[str, Box], ...]
    page_pt: float

    @property
    def fields(self) -> set[str]:
        return set(self.first) | {name for name, _ in self.more}


def page_room(body: Any) -> float:
    """The text height of the body's (last) section, in points."""
    sect = body.find(f"{W}sectPr")
    size = sect.find(f"{W}pgSz") if sect is not None else None
    margins = sect.find(f"{W}pgMar") if sect is not None else None
    height = _twips(size, "h", 16838.0)
    top = abs(_twips(margins, "top", 1440.0))
    bottom = abs(_twips(margins, "bottom", 1440.0))
    return (height - top - bottom) / TWIPS_PER_PT


def _is_tag(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("{%") and stripped.endswith("%}")


def _text_paragraph(tc: Any) -> Any:
    """The paragraph of a text box that is repeated per paragraph of the text."""
    for p in tc.findall(f"{W}p"):
        text = paragraph_text(p)
        if "{{" in text and not _is_tag(text):
            return p
    return None


def template_layout(body: Any) -> Layout:
    page = page_room(body)
    first: dict[str, Box] = {}
    more: list[tuple[str, Box]] = []
    for tbl in body.iter(f"{W}tbl"):
        rows = tbl.findall(f"{W}tr")
        for index, tr in enumerate(rows):
            row_text = "".join(paragraph_text(p) for p in tr.iter(f"{W}p"))
            loop = _MORE.search(row_text)
            if loop and "{%tr" in row_text and index + 1 < len(rows):
                box = _box(tbl, rows[index + 1], page)
                if box is not None:
                    more.append((loop.group(2), box))
                continue
            for cell in cells(tbl, tr):
                found = _FIRST.search("".join(paragraph_text(p) for p in cell.element.findall(f"{W}p")))
                if found:
                    height, _rule = row_height(tr)
                    box = _box(tbl, tr, height, cell=cell)
                    if box is not None:
                        first[found.group(1)] = box
    return Layout(first, tuple(more), page)


def _box(tbl: Any, tr: Any, height: float, cell: Cell | None = None) -> Box | None:
    candidates = [cell] if cell is not None else list(cells(tbl, tr))
    for c in candidates:
        para = _text_paragraph(c.element)
        if para is None:
            continue
        others = 0.0
        for p in c.element.findall(f"{W}p"):
            text = paragraph_text(p)
            if p is not para and not _is_tag(text):
                others += paragraph_style(p).height(text, c.width_pt)
        overhead = c.margin_pt + BORDER_PT
        row, _rule = row_height(tr)
        return Box(c.width_pt, paragraph_style(para), height - overhead - others, row, overhead + others)
    return None


@dataclass
class Plan:
    """What goes where: each text's page-1 part, its "(续)" parts, and the pages those take."""

    first: dict[str, list[str]]
    more: dict[str, list[list[str]]]
    extra_pages: int


def plan(layout: Layout, texts: dict[str, Sequence[str]]) -> Plan:
    """Cut each text at its page-1 box; lay the rest out in "(续)" rows, page after page, one row
    per page at most for each text, rows packed as Word and LibreOffice will pack them."""
    rest: dict[str, list[str]] = {}
    first: dict[str, list[str]] = {}
    for name, paragraphs in texts.items():
        box = layout.first.get(name)
        if box is None:
            first[name], rest[name] = list(paragraphs), []
        else:
            first[name], rest[name] = split_lines(paragraphs, box.style, box.width_pt, box.room_pt)
    more: dict[str, list[list[str]]] = {name: [] for name in texts}
    if not any(rest.get(name) for name, _ in layout.more):
        return Plan(first, more, 0)
    pages, used = 1, 1.0  # the continuation starts on a new page, after a 1 pt break paragraph
    for name, box in layout.more:
        left = rest.get(name, [])
        while left:
            room = layout.page_pt - used - box.overhead_pt - 2.0
            if room < 3 * box.style.pitch and used > 1.0:
                pages, used = pages + 1, 0.0
                continue
            chunk, left = split_lines(left, box.style, box.width_pt, room)
            if not chunk:  # not even one line fits (cannot happen on an empty page)
                if used <= 1.0:
                    chunk, left = left[:1], left[1:]
                else:
                    pages, used = pages + 1, 0.0
                    continue
            height = sum(_continued_style(box.style, p).height(p, box.width_pt) for p in chunk)
            used += max(box.row_pt, height + box.overhead_pt)
            more[name].append(chunk)
    return Plan(first, more, pages)


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def pictures_without_gap(root: Any) -> None:
    """Inline pictures state their distance from the text (0): where the attributes are missing,
    LibreOffice puts 3.2 mm before the picture, pushing a photo over its cell's right rule."""
    for inline in root.iter(f"{_WP}inline"):
        for attr in ("distT", "distB", "distL", "distR"):
            if inline.get(attr) is None:
                inline.set(attr, "0")
