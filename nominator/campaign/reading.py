"""Reading a campaign file's values with their place: typed getters that name the key and the line.

Every value of a campaign file is checked for presence, type and meaning before anything uses it;
a problem is one `CampaignFileError` naming the file, the key and (where it can be found) the
line. Unknown keys are refused: a misspelt key would otherwise be a rule silently not applied.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
import unicodedata
from collections.abc import Iterable
from typing import Any, NoReturn

from nominator import gate
from nominator.errors import UserError

MISSING: Any = object()
# Examples the loader's messages show: a date and a quota factor that belong to no notice.
DATE_EXAMPLE = "2030-03-31"
FACTOR_HINT = "应写成两个正整数 [分子, 分母],如 [11, 10] 表示上浮10%。"

_TYPE_NAMES = {
    str: "文字",
    int: "整数",
    float: "数字",
    bool: "true 或 false",
    dt.date: f"日期(如 {DATE_EXAMPLE})",
    list: "列表(用 [ ] 写出)",
    dict: "表",
}
# No number in a notice comes near this: a larger one is a slip of the keyboard (and would make
# the program count, print or allocate without end). Keys that need more say so.
MOST = 1_000_000
# The years a notice speaks of (earlier honours, assessments, birth dates), and an age in years.
YEAR_FIRST, YEAR_LAST, AGE_MOST = 1900, 2100, 100
# Tables and lists inside each other deeper than this are not a campaign file's shape.
DEPTH = 12


class CampaignFileError(UserError):
    """A campaign file that cannot be used: the message names the file, the key and the line."""

    def __init__(self, file_name: str, message: str, *, key: str = "", line: int | None = None) -> None:
        where = f"第{line}行," if line else ""
        what = f"“{key}”" if key else ""
        if "请" not in message:  # every message says what to do, not only what is wrong
            message += "请对照活动规则文件的说明改正后再试。"
        super().__init__(f"活动规则文件“{file_name}”{where}{what}{message}")
        self.file_name, self.key, self.line = file_name, key, line


def clean(value: Any, path: str, doc: Doc, depth: int = 0) -> Any:
    """Every text as the program keeps text from outside (NFC, one kind of line break); a control
    or invisible character is a mistake in a rule book, so it is named rather than dropped."""
    if depth > DEPTH:
        doc.fail(path, "中的表或列表层层嵌套,不是活动规则文件的写法。请删除多余的括号。")
    if isinstance(value, str):
        kept = gate.clean_text(value, where=f"活动规则文件“{doc.file_name}”中的“{path}”")
        if kept != unicodedata.normalize("NFC", value.replace("\r\n", "\n")):
            doc.fail(path, "中有控制字符或看不见的字符,请删除后保存。")
        return kept
    if isinstance(value, list):
        return [clean(item, f"{path}[{n}]", doc, depth + 1) for n, item in enumerate(value)]
    if isinstance(value, dict):
        return {
            key: clean(item, f"{path}.{key}" if path else key, doc, depth + 1) for key, item in value.items()
        }
    return value


class Doc:
    def __init__(self, file_name: str, text: str) -> None:
        self.file_name, self.text = file_name, text
        self.lines = text.splitlines()

    def fail(self, path: str, message: str) -> NoReturn:
        raise CampaignFileError(self.file_name, message, key=path, line=line_of(self.lines, path))


class Reader:
    """One table of the file: typed getters that say which key is wrong, and unknown-key checks."""

    def __init__(self, data: dict[str, Any], path: str, doc: Doc) -> None:
        self.data, self.path, self.doc = data, path, doc
        self.seen: set[str] = set()
        self.children: list[Reader] = []
        self._tables: dict[str, Reader] = {}

    def key_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> NoReturn:
        self.doc.fail(self.key_path(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, kinds: tuple[type, ...], default: Any) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if default is MISSING:
                self.fail(key, "缺少这一项,请补上。")
            return default
        value = self.data[key]
        if isinstance(value, bool) and bool not in kinds:
            self._wrong_type(key, kinds)
        if not isinstance(value, kinds):
            self._wrong_type(key, kinds)
        return value

    def _wrong_type(self, key: str, kinds: tuple[type, ...]) -> NoReturn:
        wanted = "或".join(dict.fromkeys(_TYPE_NAMES.get(k, "表") for k in kinds))
        self.fail(key, f"应为{wanted},请修改。")

    def text(self, key: str, default: Any = MISSING, *, allow_empty: bool = False) -> str:
        value: str = self._get(key, (str,), default)
        if not allow_empty and not value.strip() and default is MISSING:
            self.fail(key, "不能为空,请填写。")
        if value and not value.strip():
            self.fail(key, "只有空格。请填写内容,或删除这一项。")
        return value

    def integer(
        self, key: str, default: Any = MISSING, *, minimum: int | None = 0, maximum: int = MOST
    ) -> int:
        value: int = self._get(key, (int,), default)
        if minimum is not None and value is not None and value < minimum:
            self.fail(key, f"应不小于{minimum},当前为{value}。")
        if value is not None and value > maximum:
            self.fail(key, f"应不大于{maximum},当前为{_shown(value)}。请核对。")
        return value

    def positive(self, key: str, default: Any = MISSING, *, maximum: float = MOST) -> float:
        value = self._get(key, (int, float), default)
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, "应为一个数字(如 25 或 0.5),请修改。")
        if value <= 0:
            self.fail(key, f"应大于0,当前为{value}。")
        if value > maximum:
            self.fail(key, f"应不大于{maximum:g},当前为{_shown(value)}。请核对。")
        return float(value)

    def flag(self, key: str, default: Any = MISSING) -> bool:
        value: bool = self._get(key, (bool,), default)
        return value

    def day(self, key: str, default: Any = MISSING) -> dt.date:
        value = self._get(key, (dt.date,), default)
        if isinstance(value, dt.datetime):
            self.fail(key, f"应为日期(如 {DATE_EXAMPLE}),不要带时间。")
        return value  # type: ignore[no-any-return]

    def texts(self, key: str, default: Any = MISSING) -> tuple[str, ...]:
        value = self._get(key, (list,), default)
        for n, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为不空的文字。")
        return tuple(value)

    def integers(
        self, key: str, default: Any = MISSING, *, minimum: int = -MOST, maximum: int = MOST
    ) -> tuple[int, ...]:
        value = self._get(key, (list,), default)
        for n, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, int):
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为整数。")
            if not minimum <= item <= maximum:
                self.doc.fail(
                    f"{self.key_path(key)}[{n}]",
                    f"应在{minimum}至{maximum}之间,当前为{_shown(item)}。请核对。",
                )
        return tuple(value)

    def dates(self, key: str) -> frozenset[dt.date]:
        value = self._get(key, (list,), [])
        for n, item in enumerate(value):
            if not isinstance(item, dt.date) or isinstance(item, dt.datetime):
                self.doc.fail(f"{self.key_path(key)}[{n}]", f"应为日期(如 {DATE_EXAMPLE})。")
        return frozenset(value)

    def table(self, key: str, *, optional: bool = False) -> Reader | None:
        value = self._get(key, (dict,), None if optional else MISSING)
        if value is None:
            return None
        if key not in self._tables:
            self._tables[key] = Reader(value, self.key_path(key), self.doc)
            self.children.append(self._tables[key])
        return self._tables[key]

    def need_table(self, key: str) -> Reader:
        found = self.table(key)
        assert found is not None
        return found

    def tables(self, key: str, *, optional: bool = False) -> list[Reader]:
        value = self._get(key, (list,), [] if optional else MISSING)
        readers = []
        for n, item in enumerate(value):
            if not isinstance(item, dict):
                self.doc.fail(f"{self.key_path(key)}[{n}]", "应为表(用 [[…]] 或 { … } 写出)。")
            child = Reader(item, f"{self.key_path(key)}[{n}]", self.doc)
            self.children.append(child)
            readers.append(child)
        return readers

    def named_tables(self, key: str) -> dict[str, Reader]:
        """[key.<name>] tables, in file order."""
        parent = self.need_table(key)
        found = {}
        for name in list(parent.data):
            check_key(parent, name)
            child = parent.need_table(name)
            found[name] = child
        return found

    def words(self, key: str) -> dict[str, str]:
        """A table of key = "text" pairs, in file order."""
        parent = self.need_table(key)
        result = {}
        for name in list(parent.data):
            check_key(parent, name)
            result[name] = parent.text(name)
        return result

    def done(self) -> None:
        for key in self.data:
            if key not in self.seen:
                self.fail(key, "无法识别。请检查拼写,或删除这一项(本程序不使用它)。")
        for child in self.children:
            child.done()


def _shown(value: float) -> str:
    """A number as a message shows it: a slip of 40 digits is not printed in full."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text if len(text) <= 12 else text[:6] + "…(共" + str(len(text)) + "位)"


def check_key(reader: Reader, name: str) -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        reader.fail(name, "名称只能用英文字母、数字和下划线。")


def placeholders(
    t: Reader, key: str, text: str, allowed: Iterable[str], required: Iterable[str] = ()
) -> None:
    try:
        parsed = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)]
    except ValueError:
        t.fail(key, "中的花括号不成对。要写花括号本身,请写成 {{ 或 }}。")
    for name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            t.fail(
                key,
                f"中的“{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}”只能写成“{{{name}}}”这样的名称。",
            )
    used = {name for name, _, _ in parsed if name is not None}
    allowed = set(allowed)
    unknown = sorted(used - allowed)
    if unknown:
        names = "、".join("{" + name + "}" for name in sorted(allowed))
        t.fail(key, f"中的“{{{unknown[0]}}}”无法识别(可用:{names})。")
    missing = sorted(set(required) - used)
    if missing:
        t.fail(key, f"必须包含“{{{missing[0]}}}”。")


# ---- where a key stands in the file ----------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")


def line_of(lines: list[str], path: str) -> int | None:
    """The line of a dotted key (`stages[1].deadline`), best effort: headers, then `key =`."""
    if not path:
        return None
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    start = 0
    table: list[str] = []
    found: int | None = None
    on_key_line = False  # the last part was a `key = …` line, not a [header]
    end: int | None = None  # the last line of the inline table `{ … }` the last part found
    for part in parts:
        if part.startswith("["):
            index = int(part[1:-1])
            header = None if on_key_line else _find_header(lines, ".".join(table), 0, index=index)
            if header is not None:
                start, found = header + 1, header + 1
                continue
            line = lines[start] if start < len(lines) else ""
            if on_key_line and "]" in line.split("#", 1)[0]:
                continue  # a one-line array: its items are on the key's line
            brace = _nth_brace(lines, start, index)
            if brace is None:
                return found
            start, found, end = brace, brace + 1, _brace_end(lines, brace)
            continue
        table.append(part)
        name = ".".join(table)
        header = _find_header(lines, name, start, index=None)
        if header is not None or _find_header(lines, name, 0, index=0) is not None:
            if header is not None:
                start, found = header + 1, header + 1
            on_key_line = False
            continue
        if any(_header_name(line).startswith(name + ".") for line in lines):
            on_key_line = False
            continue
        key_line = _find_key(lines, part, start, inline=on_key_line or end is not None)
        if key_line is None or (end is not None and key_line > end):
            return found  # not written: the table (or inline table) it belongs in
        start, found, on_key_line, end = key_line, key_line + 1, True, None
    return found


def _header_name(line: str) -> str:
    match = _HEADER.match(line)
    return re.sub(r"\s", "", match.group(2)) if match else ""


def _find_header(lines: list[str], name: str, start: int, *, index: int | None) -> int | None:
    count = -1
    for i in range(len(lines)):
        match = _HEADER.match(lines[i])
        if not match or re.sub(r"\s", "", match.group(2)) != name:
            continue
        if index is None:
            if i >= start:
                return i
        else:
            count += 1
            if count == index:
                return i
    return None


def _find_key(lines: list[str], key: str, start: int, *, inline: bool) -> int | None:
    """The line of `key =` (or `"key" =`, as a key that is not plain letters is written): at the
    start of a line in a [table], anywhere in a { … } table."""
    written = rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""
    pattern = re.compile(rf"(^|[{{,\s]){written}\s*=" if inline else rf"^\s*{written}\s*=")
    for i in range(start, len(lines)):
        if i > start and _HEADER.match(lines[i]):
            return None
        if pattern.search(lines[i].split("#", 1)[0]):
            return i
    return None


def _brace_end(lines: list[str], start: int) -> int:
    """The line an inline table opened on `start` closes on."""
    depth = 0
    for i in range(start, len(lines)):
        code = lines[i].split("#", 1)[0]
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            return i
    return len(lines) - 1


def _nth_brace(lines: list[str], start: int, index: int) -> int | None:
    """The line the `index`-th inline table of an array opens on; a table inside one of them
    (`prints = { … }`) is not counted. "{ " opens and " }" closes, so "{unit}" in a text is not."""
    count, depth = -1, 0
    for i in range(start, len(lines)):
        code = lines[i].split("#", 1)[0]
        for n, char in enumerate(code):
            if char == "{" and code[n + 1 : n + 2] == " ":
                count += depth == 0
                depth += 1
                if count >= index:
                    return i
            elif char == "}" and code[n - 1 : n] == " ":
                depth = max(depth - 1, 0)
    return None


def decode_error_line(message: str, text: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1))
    return len(text.splitlines()) or 1 if "end of document" in message else None


def plain_toml_error(message: str) -> str:
    """What the TOML reader found wrong, said for a clerk: the reader's own words are English."""
    plain = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    for pattern, words in _TOML_WORDS:
        if re.match(pattern, plain):
            return words
    return "这一行不符合 TOML 格式"


# The TOML reader's messages (Python's tomllib) and what they mean for someone writing by hand.
_TOML_WORDS = (
    (r"Invalid value", '值的写法不对:文字要用英文双引号括起来,如 "文字";数字、日期、true 和 false 不加引号'),
    (r"Expected '=' after a key", "设置项名称后面应是英文等号“=”"),
    (r"Invalid statement", "这一行无法识别:应为“名称 = 值”或 [表名]"),
    (r"Expected newline or end of document", "一行只能写一项,值的后面多出了内容(注释请以 # 开头)"),
    (r"Cannot declare .* twice|Cannot redefine namespace", "同一个表写了两次,请合并或删除一处"),
    (r"Cannot overwrite a value|Duplicate inline table key", "同一项写了两次,请删除一处"),
    (r"Cannot mutate immutable namespace", "这一项已在花括号 { } 中写完整,不能在别处再补充"),
    (r"There is no nest|An object other than list", "[[…]] 与前面同名的一项冲突,请改名或删除一处"),
    (r"Expected '\]' at the end of a table", "表名缺少右方括号“]”"),
    (r"Expected '\]\]' at the end", "表名缺少“]]”"),
    (r"Unclosed array", "方括号 [ ] 不成对:列表没有结束,或两项之间缺少英文逗号"),
    (r"Unclosed inline table", "花括号 { } 不成对:花括号中的内容要写在同一行,各项之间用英文逗号隔开"),
    (r"Unterminated string", "引号不成对:文字缺少结尾的英文引号"),
    (r"Illegal character", "有不允许出现的字符(如单独的回车符或控制字符),请用记事本另存为 UTF-8 后重试"),
    (r"Found invalid character|Expected ", "有无法识别的字符,请检查是否用了中文标点"),
    (
        r"Invalid initial character for a key",
        "设置项名称写法不对:名称只用英文字母、数字和下划线,且要写在行首",
    ),
    (r"Invalid date or datetime", f"日期无效,请写成 {DATE_EXAMPLE} 这样实际存在的日期"),
    (
        r"Unescaped|Invalid hex value|Escaped character",
        "文字中的反斜杠“\\”写法不对:请写成“\\\\”,或把文字放在英文单引号中",
    ),
)
