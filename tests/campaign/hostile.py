"""Broken campaign files made on purpose, and the judge of what the loader says about them.

A campaign file is written by hand, in Notepad, by a unit or a province that makes every mistake.
`mutations` takes a good format-3 file (as data) and yields it broken one way at a time: every key
of the wrong type, empty, negative, zero or huge, missing or misspelt, and rules, forms and fields
that name what does not exist. `dump` writes the data back as TOML laid out like the shipped files
(tables with headers, fields as one inline table a line) and records the line of every key, so a
test knows the line a message must name. `judge` loads the text and fails on anything but a
campaign or one `CampaignFileError` that names the file, a key and its line in Chinese.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nominator.campaign import Campaign, CampaignFileError, parse_campaign
from nominator.campaign.model import FIELD_TYPES, PRINT_FORMATS
from nominator.campaign.rulebook import HOOK_NAMES, RULE_KINDS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "campaigns"
REWRITE = FIXTURES / "liaoning-zwgk-2025-format3.toml"
WENMING = Path(__file__).resolve().parents[2] / "resources" / "campaigns" / "mudanjiang-wmjs-2021.toml"

Path_ = tuple[str | int, ...]


def dotted(path: Path_) -> str:
    """("stages", 0, "forms", 1) → stages[0].forms[1], as the loader names keys."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# ---- writing data back as TOML, with the line of every key ----------------------------------


@dataclass
class Dumped:
    text: str
    lines: dict[str, int]  # dotted key → its line (1-based)

    def line_for(self, key: str) -> int | None:
        """The line of a key, or of the nearest enclosing key that is written (a missing key's
        table or inline table)."""
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", key)
        for n in range(len(parts), 0, -1):
            prefix = "".join(p if p.startswith("[") else "." + p for p in parts[:n]).lstrip(".")
            if prefix in self.lines:
                return self.lines[prefix]
        return None


def _bare(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return repr(value) if not isinstance(value, float) or value == value else "nan"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_bare(k)} = {_value(v)}" for k, v in value.items()) + " }"
    return "[" + ", ".join(_value(v) for v in value) + "]"


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def dump(data: dict[str, Any]) -> Dumped:
    out: list[str] = []
    lines: dict[str, int] = {}

    def emit(text: str) -> int:
        out.append(text)
        return len(out)

    def table(body: dict[str, Any], path: Path_, *, in_array: bool) -> None:
        later: list[tuple[str, Any]] = []
        for key, value in body.items():
            here = (*path, key)
            if (isinstance(value, dict) and value and not in_array) or (_is_tables(value) and not in_array):
                later.append((key, value))
            elif _is_tables(value):  # fields = [ { … }, … ] inside an array of tables
                lines[dotted(here)] = emit(f"{_bare(key)} = [")
                for n, item in enumerate(value):
                    at = emit(f"    {_value(item)},")
                    lines[dotted((*here, n))] = at
                    for k in item:
                        lines[dotted((*here, n, k))] = at
                emit("]")
            else:
                at = emit(f"{_bare(key)} = {_value(value)}")
                lines[dotted(here)] = at
                if isinstance(value, (list, dict)):
                    for k in range(len(value)) if isinstance(value, list) else value:
                        lines[dotted((*here, k))] = at
        for key, value in later:
            here = (*path, key)
            name = ".".join(_bare(str(p)) for p in here)
            if isinstance(value, dict):
                emit("")
                lines[dotted(here)] = emit(f"[{name}]")
                table(value, here, in_array=False)
            else:
                first = None
                for n, item in enumerate(value):
                    emit("")
                    at = emit(f"[[{name}]]")
                    first = first or at
                    lines[dotted((*here, n))] = at
                    table(item, (*here, n), in_array=True)
                lines[dotted(here)] = first or 0

    table(data, (), in_array=False)
    return Dumped("\n".join(out) + "\n", lines)


# ---- the mutations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    name: str  # what was done, for the test's id
    path: Path_  # the key it touched
    data: dict[str, Any] | None = None  # the broken data (None: `text` is the broken file)
    text: str | None = None
    accept: bool | None = None  # True: must load; False: must be refused; None: either


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def walk(value: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every key and list item under `value`, parents first."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), item
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield (*path, n), item
            yield from walk(item, (*path, n))


def get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: dict[str, Any], path: Path_, value: Any) -> dict[str, Any]:
    new = copy.deepcopy(data)
    parent = get(new, path[:-1])
    parent[path[-1]] = value
    return new


def drop(data: dict[str, Any], path: Path_) -> dict[str, Any]:
    new = copy.deepcopy(data)
    parent = get(new, path[:-1])
    del parent[path[-1]]
    return new


# A value of each TOML type, standing in for a value of another type a clerk typed by mistake.
WRONG_TYPES: dict[str, Any] = {
    "string": "五",
    "number": 7,
    "list": ["甲", 2],
    "table": {"a": "乙"},
    "bool": True,
    "date": dt.date(2025, 2, 28),
}
# Which wrong types each type is given: string for number, number for list, table for string…
MISTAKES = {
    "number": ("string", "list", "bool"),
    "list": ("number", "string", "table"),
    "string": ("number", "table", "list", "date"),
    "table": ("string", "list"),
    "bool": ("string", "number"),
    "date": ("string", "number"),
}


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "list"
    return "date"


def shape(path: Path_) -> str:
    """A key with its places left out: the fields of a list are read by the same code."""
    return re.sub(r"\[\d+\]", "[]", dotted(path))


def every_shape(data: dict[str, Any]) -> Iterator[tuple[Path_, Any]]:
    """Each key of the file once per shape and value type: the first of a list's items
    (fields[0].type), not all forty, which the same code reads."""
    seen: dict[tuple[str, str], int] = {}
    for path, value in walk(data):
        key = (shape(path), _type_of(value))
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            yield path, value


def type_mutations(data: dict[str, Any]) -> Iterator[Mutation]:
    """Every key (and list item) given a value of each other type, emptied, and deleted."""
    for path, value in every_shape(data):
        own = _type_of(value)
        for kind in MISTAKES[own]:
            if own == "list" and kind == "table" and _is_tables(value):
                continue
            yield Mutation(f"{dotted(path)}={kind}", path, put(data, path, WRONG_TYPES[kind]))
        if own == "string":
            yield Mutation(f"{dotted(path)}=empty", path, put(data, path, ""))
            yield Mutation(f"{dotted(path)}=blank", path, put(data, path, "   "))
        if own == "list" and value:
            yield Mutation(f"{dotted(path)}=[]", path, put(data, path, []))
        if own == "table" and value:
            yield Mutation(f"{dotted(path)}={{}}", path, put(data, path, {}))
        if not isinstance(path[-1], int):
            yield Mutation(f"{dotted(path)} deleted", path, drop(data, path))


def number_mutations(data: dict[str, Any]) -> Iterator[Mutation]:
    """Every number negative, zero, huge, fractional, infinite and not a number."""
    for path, value in every_shape(data):
        if _type_of(value) != "number":
            continue
        for name, wrong in (
            ("-1", -1),
            ("0", 0),
            ("huge", 10**15),
            ("enormous", 10**40),
            ("nan", float("nan")),
        ):
            yield Mutation(f"{dotted(path)}={name}", path, put(data, path, wrong))


def added_keys(data: dict[str, Any]) -> Iterator[Mutation]:
    """A misspelt key in every table: a rule silently not applied if it were ignored."""
    for path, value in [((), data), *walk(data)]:
        if isinstance(value, dict):
            key = "severty" if "severity" in value else "lable"
            new = copy.deepcopy(data)
            get(new, path)[key] = "x"
            words = path[-1:] in (("attestations",), ("prints",))  # key = wording: any key is one
            yield Mutation(
                f"{dotted((*path, key))} added", (*path, key), new, accept=None if words else False
            )


def rule_paths(data: dict[str, Any], kind: str) -> list[int]:
    return [n for n, r in enumerate(data.get("rules", [])) if r["kind"] == kind]


def _first_kind(data: dict[str, Any]) -> str:
    return next(k for k, spec in data["kinds"].items() if k != "unit" and "form" not in spec)


def _field_path(data: dict[str, Any], kind: str, field_id: str) -> Path_:
    for g, group in enumerate(data["kinds"][kind]["groups"]):
        for f, field in enumerate(group["fields"]):
            if field["id"] == field_id:
                return ("kinds", kind, "groups", g, "fields", f)
    raise KeyError(field_id)


def reference_mutations(data: dict[str, Any]) -> Iterator[Mutation]:
    """Rules, forms, stages and fields that name something the file does not declare, or that
    contradict themselves: each must be refused when the file is loaded."""
    refuse = {"accept": False}
    for n, rule in enumerate(data.get("rules", [])):
        at: Path_ = ("rules", n)
        yield Mutation(f"rule {n} kind unknown", (*at, "kind"), put(data, (*at, "kind"), "quota"), **refuse)
        yield Mutation(f"rule {n} id lower", (*at, "id"), put(data, (*at, "id"), "q1"), **refuse)
        yield Mutation(
            f"rule {n} severity", (*at, "severity"), put(data, (*at, "severity"), "fatal"), **refuse
        )
        yield Mutation(f"rule {n} of unknown", (*at, "of"), put(data, (*at, "of"), "family"), **refuse)
        yield Mutation(f"rule {n} of unit", (*at, "of"), put(data, (*at, "of"), "unit"), **refuse)
        yield Mutation(f"rule {n} of []", (*at, "of"), put(data, (*at, "of"), []), **refuse)
        if "member" in data["kinds"]:
            yield Mutation(f"rule {n} of member", (*at, "of"), put(data, (*at, "of"), "member"), **refuse)
        for key in ("field", "after"):
            if key in rule:
                yield Mutation(
                    f"rule {n} {key} unknown", (*at, key), put(data, (*at, key), "no_such_field"), **refuse
                )
        for key in ("category", "level"):
            if key in rule:
                yield Mutation(
                    f"rule {n} {key} unknown", (*at, key), put(data, (*at, key), "文明城市"), **refuse
                )
        for key in ("categories", "levels", "fields", "unit_kinds", "any_of", "values", "good", "bad"):
            if key in rule and isinstance(rule[key], list):
                wrong = [*rule[key], "不存在的值"]
                yield Mutation(
                    f"rule {n} {key} unknown",
                    (*at, key, len(rule[key])),
                    put(data, (*at, key), wrong),
                    **refuse,
                )
        if rule["kind"] in ("required", "fixed_max", "unique"):
            for key in ("fields", "unit_kinds"):
                if key in rule:
                    empty = {} if isinstance(rule[key], dict) else []
                    yield Mutation(
                        f"rule {n} {key} empty", (*at, key), put(data, (*at, key), empty), **refuse
                    )
        if isinstance(rule.get("fields"), dict):
            wrong_fields = {**rule["fields"], "no_such_field": "理由"}
            yield Mutation(
                f"rule {n} fields unknown",
                (*at, "fields", "no_such_field"),
                put(data, (*at, "fields"), wrong_fields),
                **refuse,
            )
        if "value" in rule:
            yield Mutation(
                f"rule {n} value unknown", (*at, "value"), put(data, (*at, "value"), "厅局级"), **refuse
            )
        if "percent" in rule:
            yield Mutation(
                f"rule {n} percent>100", (*at, "percent"), put(data, (*at, "percent"), 120), **refuse
            )
            yield Mutation(
                f"rule {n} percent=100", (*at, "percent"), put(data, (*at, "percent"), 100), accept=True
            )
        if "factor" in rule or rule["kind"] in ("ceiling", "category_quota"):
            for wrong in ([0, 0], [1, 0], [0, 1], [12], [12, 10, 1], [-12, 10]):
                yield Mutation(
                    f"rule {n} factor {wrong}", (*at, "factor"), put(data, (*at, "factor"), wrong), **refuse
                )
        if "share" in rule:
            for wrong in ([0, 0], [3, 2], [1], [-1, 2]):
                yield Mutation(
                    f"rule {n} share {wrong}", (*at, "share"), put(data, (*at, "share"), wrong), **refuse
                )
        if "years" in rule and isinstance(rule["years"], list):
            for wrong in ([], [2023, 2023], [-2023], [20230]):
                yield Mutation(
                    f"rule {n} years {wrong}", (*at, "years"), put(data, (*at, "years"), wrong), **refuse
                )
        if rule["kind"] == "date_range":
            yield Mutation(
                f"rule {n} start after end",
                (*at, "earliest_year"),
                put(
                    data,
                    (*at, "earliest_year"),
                    data["notice_date"].year - rule.get("years_before_today", 0) + 1,
                ),
                **refuse,
            )
            yield Mutation(
                f"rule {n} span huge",
                (*at, "years_before_today"),
                put(data, (*at, "years_before_today"), 10**6),
                **refuse,
            )
        if rule["kind"] == "date_after":
            yield Mutation(f"rule {n} span huge", (*at, "years"), put(data, (*at, "years"), 10**6), **refuse)
            yield Mutation(
                f"rule {n} after itself", (*at, "after"), put(data, (*at, "after"), rule["field"]), **refuse
            )
        if rule["kind"] == "requires_prior":
            yield Mutation(
                f"rule {n} category unknown",
                (*at, "category"),
                put(data, (*at, "category"), "no_such_category"),
                **refuse,
            )
            yield Mutation(f"rule {n} any_of []", (*at, "any_of"), put(data, (*at, "any_of"), []), **refuse)
            if "exception" in rule:
                x = (*at, "exception")
                yield Mutation(
                    f"rule {n} reason itself",
                    (*x, "reason"),
                    put(data, (*x, "reason"), rule["field"]),
                    **refuse,
                )
                yield Mutation(
                    f"rule {n} reason unknown",
                    (*x, "reason"),
                    put(data, (*x, "reason"), "no_such_field"),
                    **refuse,
                )
                if "field" in rule["exception"]:
                    yield Mutation(
                        f"rule {n} exception on itself",
                        (*x, "field"),
                        put(data, (*x, "field"), rule["field"]),
                        **refuse,
                    )
                    yield Mutation(
                        f"rule {n} exception values unknown",
                        (*x, "values", 0),
                        put(data, (*x, "values"), ["不存在的类型"]),
                        **refuse,
                    )
        if "message" in rule:
            for wrong in (
                "{nothing}",
                "{value",
                "{0}",
                "{value.upper}",
                "{value[0]}",
                "{value!r}",
                "{value:>99999999}",
            ):
                yield Mutation(
                    f"rule {n} message {wrong}",
                    (*at, "message"),
                    put(data, (*at, "message"), wrong),
                    **refuse,
                )
    rules = data.get("rules", [])
    if rules:
        yield Mutation(
            "rule kind hook unknown",
            ("rules", 0, "hook"),
            put(data, ("rules",), [*rules, {"id": "Z1", "kind": "hook", "hook": "nothing", "field": "x"}]),
            accept=False,
        )
        for n, rule in enumerate(rules):  # the same rule written twice: a copy-paste left behind
            twice = put(data, ("rules",), [*rules[: n + 1], copy.deepcopy(rule), *rules[n + 1 :]])
            yield Mutation(f"rule {n} twice", ("rules", n + 1), twice, accept=False)
            break
    kind = _first_kind(data)
    spec = data["kinds"][kind]
    first = _field_path(data, kind, spec["groups"][0]["fields"][0]["id"])
    twin = copy.deepcopy(data)
    get(twin, first[:-1]).append(copy.deepcopy(get(data, first)))
    yield Mutation("field id twice", (*first[:-1], len(get(data, first[:-1]))), twin, accept=False)
    for path, value in walk(data):
        if isinstance(value, dict) and "type" in value and "id" in value:
            if value["type"] in ("choice", "multichoice"):
                yield Mutation(
                    f"{value['id']} no choices",
                    (*path, "choices"),
                    drop(data, (*path, "choices")),
                    accept=False,
                )
                yield Mutation(
                    f"{value['id']} choices unknown",
                    (*path, "choices"),
                    put(data, (*path, "choices"), "no_such_list"),
                    accept=False,
                )
            if value["type"] not in FIELD_TYPES:
                continue
            yield Mutation(
                f"{value['id']} type unknown",
                (*path, "type"),
                put(data, (*path, "type"), "integer"),
                accept=False,
            )
            yield Mutation(
                f"{value['id']} prints unknown",
                (*path, "prints"),
                put(data, (*path, "prints"), {"x": "roman"}),
                accept=False,
            )
            yield Mutation(
                f"{value['id']} categories unknown",
                (*path, "categories", 0),
                put(data, (*path, "categories"), ["no_such_category"]),
                accept=False,
            )
            yield Mutation(
                f"{value['id']} lines huge",
                (*path, "lines"),
                put(data, (*path, "lines"), 10**6),
                accept=False,
            )
    for name, values in data.get("choices", {}).items():
        yield Mutation(
            f"choices {name} empty", ("choices", name), put(data, ("choices", name), []), accept=False
        )
        yield Mutation(
            f"choices {name} twice",
            ("choices", name),
            put(data, ("choices", name), [*values, values[0]]),
            accept=False,
        )
    for key, form in data.get("forms", {}).items():
        fields = form.get("fields", [])
        yield Mutation(
            f"form {key} field unknown",
            ("forms", key, "fields", len(fields)),
            put(data, ("forms", key, "fields"), [*fields, "no_such_field"]),
            accept=False,
        )
    for n in range(len(data["stages"])):
        yield Mutation(
            f"stage {n} form unknown",
            ("stages", n, "forms", 0),
            put(data, ("stages", n, "forms"), ["no_such_form"]),
            accept=False,
        )
        yield Mutation(
            f"stage {n} id twice",
            ("stages", n, "id"),
            put(data, ("stages", n, "id"), data["stages"][0]["id"]),
            accept=n == 0,
        )
    for k, spec_ in data["kinds"].items():
        for n, _ in enumerate(spec_.get("columns", [])):
            yield Mutation(
                f"{k} column unknown",
                ("kinds", k, "columns", n),
                put(data, ("kinds", k, "columns", n), "no_such_field"),
                accept=False,
            )
        for n, cat in enumerate(spec_.get("categories", [])):
            yield Mutation(
                f"{k} category twice",
                ("kinds", k, "categories", n + 1),
                put(
                    data,
                    ("kinds", k, "categories"),
                    [*spec_["categories"][: n + 1], cat, *spec_["categories"][n + 1 :]],
                ),
                accept=False,
            )
            yield Mutation(
                f"{k} category levels unknown",
                ("kinds", k, "categories", n, "levels", 0),
                put(data, ("kinds", k, "categories", n, "levels"), ["国家级"]),
                accept=False,
            )
            break
        if "photo" in spec_:
            yield Mutation(
                f"{k} photo field unknown",
                ("kinds", k, "photo", "name_field"),
                put(data, ("kinds", k, "photo", "name_field"), "no_such_field"),
                accept=False,
            )
    yield Mutation(
        "allocation by unknown",
        ("allocation", "by"),
        put(data, ("allocation", "by"), ["level"]),
        accept=False,
    )
    yield Mutation("format 99", ("format",), put(data, ("format",), 99), accept=False)
    yield Mutation(
        "hook unknown",
        ("rules",),
        accept=False,
        data=put(
            data,
            ("rules",),
            [
                *data.get("rules", []),
                {"id": "Z9", "kind": "hook", "hook": HOOK_NAMES[0] + "x", "field": "name"},
            ],
        ),
    )
    assert set(RULE_KINDS) >= {r["kind"] for r in data.get("rules", [])}
    assert PRINT_FORMATS


def text_mutations(text: str) -> Iterator[Mutation]:
    """What happens to the text itself: encodings, line ends, tabs, syntax, size, depth."""
    at: Path_ = ()
    yield Mutation("bom", at, text="\ufeff" + text, accept=True)
    yield Mutation("crlf", at, text=text.replace("\n", "\r\n"), accept=True)
    yield Mutation("cr only", at, text=text.replace("\n", "\r"), accept=False)
    yield Mutation("tabs", at, text=text.replace("    ", "\t").replace(" = ", "\t=\t"), accept=True)
    yield Mutation("trailing spaces", at, text=text.replace("\n", "  \n"), accept=True)
    lines = text.splitlines()
    done: set[str] = set()
    for n, line in enumerate(lines):
        stripped = line.split("#", 1)[0].rstrip()
        # each kind of line once: the first `title =`, the first `[[rules]]`…
        if not stripped or re.sub(r"\W+", "", stripped.split("=", 1)[0]) in done:
            continue
        done.add(re.sub(r"\W+", "", stripped.split("=", 1)[0]))
        if "=" in stripped and not stripped.startswith("["):
            key, _, value = stripped.partition("=")
            broken = [
                ("no value", key + "="),
                ("no quotes", key + "= " + value.strip().strip('"')),
                ("fullwidth equals", key.rstrip() + " \uff1d " + value.strip()),
                ("chinese quotes", key + "= “" + value.strip().strip('"') + "”"),
                ("unclosed", line + (" [" if value.strip().startswith("[") else ' "')),
            ]
        elif stripped.startswith("["):
            broken = [("unclosed header", stripped.rstrip("]")), ("header twice", stripped + "\n" + stripped)]
        else:
            continue
        for name, new in broken:
            changed = "\n".join([*lines[:n], new, *lines[n + 1 :]]) + "\n"
            yield Mutation(f"line {n + 1} {name}", at, text=changed)
    yield Mutation("10 MB", at, text=text + ("# " + "填" * 80 + "\n") * 45_000, accept=False)
    yield Mutation("nested arrays", at, text=text + "deep = " + "[" * 5000 + "]" * 5000 + "\n", accept=False)
    yield Mutation(
        "nested tables", at, text=text + "deep = " + "{ a = " * 3000 + "1" + " }" * 3000 + "\n", accept=False
    )
    yield Mutation("dotted keys", at, text=text + "[" + ".".join(["a"] * 3000) + "]\nb = 1\n", accept=False)
    yield Mutation("5000 digits", at, text=text + "big = " + "9" * 5000 + "\n", accept=False)
    yield Mutation("1e999999", at, text=text.replace("format = 3", "format = 1e999999", 1), accept=False)
    yield Mutation("empty", at, text="", accept=False)
    yield Mutation("binary", at, text="\x00\x01PK\x03\x04", accept=False)
    yield Mutation("json", at, text=json.dumps({"format": 3}), accept=False)


# ---- the judge --------------------------------------------------------------------------------

# ASCII words a message may hold besides the file's own keys and values: names of the format.
FORMAT_WORDS = {
    *("TOML", "UTF", "true", "false", "error", "warning", "docx", "xlsx", "kind", "category", "level"),
    *("report", "record", "members", "summary", "unit", "collective", "individual", "allocation", "fixed"),
    *("id", "of", "field", "fields", "values", "good", "bad", "max", "min", "any_of", "categories", "levels"),
    *("name_pattern", "by", "choices", "per", "form", "forms", "rules", "reports", "stages", "review"),
}


def words_of_file(data: Any) -> set[str]:
    """Every ASCII word of the file's keys and values: a message may quote them."""
    found: set[str] = set()
    for path, value in walk(data):
        for part in path:
            if isinstance(part, str):
                found.update(re.findall(r"[A-Za-z]+", part))
        if isinstance(value, str):
            found.update(re.findall(r"[A-Za-z]+", value))
    return found


def format_words() -> set[str]:
    """The words of the format itself (kinds, types, print formats, hooks, allocation keys)."""
    words = set(FORMAT_WORDS)
    for name in (*RULE_KINDS, *FIELD_TYPES, *PRINT_FORMATS, *HOOK_NAMES):
        words.update(re.findall(r"[A-Za-z]+", name))
    return words


def judge(text: str, file_name: str, allowed_words: set[str]) -> Campaign | CampaignFileError:
    """The loader's verdict; an AssertionError for anything a clerk should not see."""
    try:
        return parse_campaign(text, file_name=file_name, forms_dir=Path("forms"), open_kinds=True)
    except CampaignFileError as exc:
        check_message(exc, file_name, allowed_words | format_words())
        return exc


def check_message(exc: CampaignFileError, file_name: str, allowed_words: set[str]) -> None:
    message = str(exc)
    assert message.startswith(f"活动规则文件“{file_name}”"), message
    assert "\n" not in message, message
    assert "Traceback" not in message and "Error" not in message, message
    assert re.search(r"[\u4e00-\u9fff]", message.removeprefix(f"活动规则文件“{file_name}”")), message
    # what is left after the quoted words (the file's own keys and values) is Chinese
    rest = re.sub(r"“[^”]*”", "", message.removeprefix(f"活动规则文件“{file_name}”"))
    strange = {w for w in re.findall(r"[A-Za-z]{2,}", rest) if w not in allowed_words}
    assert not strange, f"{message}: {sorted(strange)}"
    assert message.endswith(("。", ")", "」")), message
