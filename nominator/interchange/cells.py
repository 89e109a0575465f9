"""One cell of a filled import template, read the way a clerk meant it: a date typed as text or
kept by Excel as a date or serial number, a month, a count, 是/否, a choice near enough to its
list. Each reader returns the value and, when it cannot take the cell, why (in Chinese)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from openpyxl.utils.datetime import from_excel

from nominator import gate
from nominator.campaign import ETHNICITIES
from nominator.interchange.template import NO, YES, Column

MAX_COUNT = 100_000  # in-field counts (the template's own validation allows 0..100000)
MAX_TEXT = 20_000  # same cap as the exchange file
_YES_WORDS = {"是", "y", "yes", "true", "√", "✓", "1", "对"}
_NO_WORDS = {"否", "n", "no", "false", "×", "✗", "0", "不是"}


def _norm(text: str) -> str:
    return re.sub(r"[\s*＊]", "", unicodedata.normalize("NFKC", text))


def cell_value(column: Column, cell: Any) -> tuple[Any, str | None]:
    """(value for the record, error) — on an error the value is what can still be kept, or None."""
    value = cell.value
    if cell.data_type == "f" or (isinstance(value, str) and cell.data_type != "s" and value.startswith("=")):
        return None, "这是公式,导入时不计算公式。请改为直接填写内容(可复制后用“选择性粘贴→数值”)。"
    if cell.data_type == "e":
        return None, f"单元格是错误值“{gate.shown(value, 20)}”,请改为直接填写内容。"
    if isinstance(value, str) and gate.has_lone_surrogate(value):
        return None, "内容含有损坏的字符,请删除后重新输入这个单元格。"
    if column.kind == "count":
        return _count(value)
    if column.kind == "date":
        return _date(value)
    if column.kind == "month":
        return _month(value)
    if column.kind == "yesno":
        return _yes_no(value)
    text = _text(value)
    if len(text) > MAX_TEXT:
        return None, f"内容长达{len(text)}字,超过导入上限{MAX_TEXT}字,请精简后再导入。"
    if column.kind == "choice":
        return _choice(column, text)
    if column.kind == "multi":
        return _choices(column, text)
    return text, None


_SEPARATORS = re.compile(r"[、,,;;\n]+")


def _choices(column: Column, text: str) -> tuple[list[str], str | None]:
    """Several choices in one cell, 、 (or a comma) between them; each one of the column's."""
    found: list[str] = []
    wrong: list[str] = []
    for item in (part.strip() for part in _SEPARATORS.split(text)):
        if not item:
            continue
        chosen, problem = _choice(column, item)
        (wrong if problem else found).append(chosen)
    if wrong:
        return found, (
            f"“{'、'.join(wrong)}”不是可选的{column.header},请从这些选项中选择,多项之间用“、”分隔:"
            f"{'、'.join(column.choices)}。"
        )
    return found, None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = gate.repair_text(str(value))  # NFC, one kind of line break, no control characters
    return text.strip() if "\n" not in text.strip() else text.strip("\n ")


def _choice(column: Column, text: str) -> tuple[str, str | None]:
    wanted = _norm(text)
    for choice in column.choices:
        if _norm(choice) == wanted:
            return choice, None
    if column.choices == ETHNICITIES:
        if wanted + "族" in ETHNICITIES:
            return wanted + "族", None
        return text, f"“{text}”不是56个民族的规范名称,请从下拉列表中选择,例如“汉族”“满族”。"
    label = column.header
    if column.key.startswith("assessments."):
        label = "考核结果"
    return text, f"“{text}”不是可选的{label},请从下拉列表中选择({'、'.join(column.choices)})。"


def _count(value: Any) -> tuple[int | None, str | None]:
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        digits = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"\d{1,6}", digits):
            number = int(digits)
        elif re.fullmatch(r"-\d+", digits):
            return None, f"“{value.strip()}”是负数,请填写不小于0的整数。"
    if number is None:
        return None, f"“{gate.shown(_text(value), 30)}”不是数字,请填写阿拉伯数字的整数,例如 6。"
    if number < 0:
        return None, f"“{gate.shown(number, 30)}”是负数,请填写不小于0的整数。"
    if number > MAX_COUNT:
        return None, f"“{gate.shown(number, 30)}”过大,请填写0到{MAX_COUNT}之间的整数。"
    return number, None


def _yes_no(value: Any) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return value, None
    word = _norm(_text(value)).lower()
    if word in _YES_WORDS:
        return True, None
    if word in _NO_WORDS:
        return False, None
    return None, f"“{_text(value)}”应为“是”或“否”,请从下拉列表中选择。"


_DATE_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_MONTH_TEXT = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_EXCEL_SERIAL_MAX = 2_958_465  # 9999-12-31


def _real_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        found = dt.date(year, month, day)
    except ValueError:
        return None
    return found if 1900 <= found.year <= 2100 else None


def _date(value: Any) -> tuple[str | None, str | None]:
    """A birth or publicity date → "YYYY-MM-DD"; text that is not a real date is kept as typed."""
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if 1900 <= day.year <= 2100:
            return day.isoformat(), None
        return None, f"“{day.isoformat()}”不是合理的日期,请核对后按 YYYY-MM-DD 填写。"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 10_000_101 <= value <= 99_991_231:
            text = str(int(value))
        elif 0 < value <= _EXCEL_SERIAL_MAX:
            return _date(from_excel(value))
        else:
            return None, f"“{_text(value)}”不是日期,请按 YYYY-MM-DD 填写,例如 1986-03-14。"
    else:
        text = _text(value)
    compact = _norm(text)
    match = _DATE_TEXT.match(compact) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", compact)
    if not match:
        return text, f"“{text}”不是日期,请按 YYYY-MM-DD 填写,例如 1986-03-14。"
    real = _real_day(*(int(g) for g in match.groups()))
    if real is None:
        return text, f"“{text}”不是真实存在的日期,请核对年月日后按 YYYY-MM-DD 填写。"
    return real.isoformat(), None


def _month(value: Any) -> tuple[str | None, str | None]:
    """参加工作时间 → "YYYY-MM" (or "YYYY-MM-DD" when a whole date was typed as text)."""
    if isinstance(value, dt.datetime | dt.date):
        # Excel turns "2008-07" typed in a General cell into the date 2008-07-01: a month was meant
        if 1900 <= value.year <= 2100:
            return f"{value:%Y-%m}", None
        return None, f"“{value:%Y-%m}”不是合理的年月,请按 YYYY-MM 填写。"
    # 2008.07 typed in a General cell arrives as a number, and 2008.10 as 2008.1
    text = f"{value:.2f}" if isinstance(value, float) and not value.is_integer() else _text(value)
    compact = _norm(text)
    if _DATE_TEXT.match(compact) or re.fullmatch(r"\d{8}", compact):
        return _date(text)
    match = _MONTH_TEXT.match(compact) or re.fullmatch(r"(\d{4})(\d{2})", compact)
    if not match:
        return text, f"“{text}”不是年月,请按 YYYY-MM 填写,例如 2008-07。"
    day = _real_day(int(match.group(1)), int(match.group(2)), 1)
    if day is None:
        return text, f"“{text}”不是真实存在的年月,请核对后按 YYYY-MM 填写。"
    return f"{day:%Y-%m}", None
