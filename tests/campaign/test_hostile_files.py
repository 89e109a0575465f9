"""A hand-written campaign file that is wrong never becomes a traceback, a silent mis-check or a
message a clerk cannot act on.

Every mutation of the two format-3 fixtures (`hostile.py`: each key of the wrong type, empty,
negative, zero, huge, missing or misspelt; rules, forms and fields naming what does not exist;
encodings, line ends, syntax, size, depth) is either loaded with the meaning a clerk would expect
or refused with one Chinese message that names the file, the key and the line where it stands,
and says what to do. A cross-reference is refused when the file is loaded, not when a dossier is
checked. A few of them go through `nominator campaign check` and `campaign add` as a clerk runs them.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nominator.campaign import Campaign, CampaignFileError, load_file
from tests.campaign import hostile
from tests.campaign.hostile import REWRITE, WENMING, Mutation

FAMILIES: dict[str, Callable[[Path], Iterator[Mutation]]] = {
    "types": lambda p: hostile.type_mutations(hostile.read(p)),
    "numbers": lambda p: hostile.number_mutations(hostile.read(p)),
    "misspelt": lambda p: hostile.added_keys(hostile.read(p)),
    "references": lambda p: hostile.reference_mutations(hostile.read(p)),
    "text": lambda p: hostile.text_mutations(p.read_text(encoding="utf-8")),
}


@functools.cache
def _original(path: Path) -> Campaign:
    verdict = hostile.judge(path.read_text(encoding="utf-8"), path.name, set())
    assert isinstance(verdict, Campaign), verdict
    return verdict


def _meaning(campaign: Campaign) -> tuple[Any, ...]:
    return (campaign.rules, campaign.kinds, campaign.stages, campaign.forms, campaign.allocation)


def _verdict(path: Path, mutation: Mutation, allowed: set[str]) -> str | None:
    """What is wrong with the loader's answer to one mutation (None: nothing)."""
    dumped = hostile.dump(mutation.data) if mutation.data is not None else None
    text = dumped.text if dumped is not None else mutation.text
    assert text is not None
    words = allowed | hostile.words_of_file(mutation.data or {})
    try:
        verdict = hostile.judge(text, path.name, words)
    except AssertionError as exc:
        return f"unhelpful message: {exc}"
    except Exception as exc:  # exactly what the test looks for
        return f"{type(exc).__name__}: {exc}"
    if isinstance(verdict, CampaignFileError):
        if mutation.accept is True:
            return f"refused what a clerk would expect to load: {verdict}"
        if dumped is not None:
            if not verdict.key:
                return f"no key named: {verdict}"
            if verdict.line != dumped.line_for(verdict.key):
                return f"line {verdict.line}, the key is on line {dumped.line_for(verdict.key)}: {verdict}"
        return None
    if mutation.accept is False:
        return "loaded, but must be refused"
    if (
        mutation.text is not None
        and mutation.accept is True
        and _meaning(verdict) != _meaning(_original(path))
    ):
        return "loaded with another meaning than the file's"
    return None


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("path", [REWRITE, WENMING], ids=["liaoning", "wenming"])
def test_every_mutation_is_loaded_or_named_with_its_key_and_line(path: Path, family: str) -> None:
    allowed = hostile.words_of_file(hostile.read(path)) | hostile.format_words()
    mutations = list(FAMILIES[family](path))
    assert len(mutations) > 20
    wrong = [f"{m.name}: {problem}" for m in mutations if (problem := _verdict(path, m, allowed))]
    assert not wrong, f"{len(wrong)} of {len(mutations)}:\n" + "\n".join(wrong[:25])


def test_the_dumped_fixtures_load_as_the_fixtures() -> None:
    """The mutations are made through `dump`: unchanged, it gives the file's own meaning."""
    for path in (REWRITE, WENMING):
        again = hostile.judge(hostile.dump(hostile.read(path)).text, path.name, set())
        assert isinstance(again, Campaign)
        assert _meaning(again) == _meaning(_original(path))


# ---- the cases a reviewer tries first, with the words of their messages ---------------------


def _broken(path: Path, at: hostile.Path_, value: Any) -> tuple[str, hostile.Dumped]:
    dumped = hostile.dump(hostile.put(hostile.read(path), at, value))
    return dumped.text, dumped


def _refusal(path: Path, at: hostile.Path_, value: Any) -> tuple[CampaignFileError, hostile.Dumped]:
    text, dumped = _broken(path, at, value)
    verdict = hostile.judge(
        text, path.name, hostile.format_words() | hostile.words_of_file(hostile.read(path))
    )
    assert isinstance(verdict, CampaignFileError)
    return verdict, dumped


def _rule(path: Path, kind: str) -> int:
    return hostile.rule_paths(hostile.read(path), kind)[0]


@pytest.mark.parametrize(
    ("path", "at", "value", "key", "words"),
    [
        (REWRITE, ("rules", 3, "percent"), 120, "rules[3].percent", "应不大于100"),
        (REWRITE, ("rules", 3, "value"), "厅局级", "rules[3].value", "不是“职级”的选项"),
        (REWRITE, ("rules", 0, "factor"), [0, 0], "rules[0].factor", "两个正整数"),
        (REWRITE, ("rules", 0, "of"), [], "rules[0].of", "不能为空"),
        (REWRITE, ("rules", 0, "of"), "member", "rules[0].of", "不是本活动的推荐对象类别"),
        (REWRITE, ("rules", 7, "earliest_year"), 2020, "rules[7].earliest_year", "没有日期能在这个范围内"),
        (REWRITE, ("rules", 14, "good"), ["优秀", "良好"], "rules[14].good[1]", "不是“年度考核结果”的选项"),
        (REWRITE, ("rules", 3, "message"), "{value:>99999999}", "rules[3].message", "只能写成"),
        (
            WENMING,
            ("rules", 1, "category"),
            "village_modle",
            "rules[1].category",
            "不是精神文明建设先进集体的类别",
        ),
        (
            WENMING,
            ("rules", 1, "any_of"),
            ["往届省级文明乡"],
            "rules[1].any_of[0]",
            "不是“往届所获文明荣誉”的选项",
        ),
        (
            WENMING,
            ("rules", 11, "exception", "reason"),
            "prior_honours",
            "rules[11].exception.reason",
            "类型应为",
        ),
        (
            WENMING,
            ("rules", 11, "exception", "field"),
            "prior_honours",
            "rules[11].exception.field",
            "不能是往届荣誉",
        ),
        (
            WENMING,
            ("rules", 11, "exception", "values"),
            ["新经济组织", "新组织"],
            "rules[11].exception.values[1]",
            "不是“单位类型”的选项",
        ),
        (WENMING, ("rules", 1, "level"), "国家级", "rules[1].level", "不是精神文明建设先进集体的级别"),
    ],
)
def test_a_rule_naming_what_does_not_exist_is_refused_at_load(
    path: Path, at: hostile.Path_, value: Any, key: str, words: str
) -> None:
    err, dumped = _refusal(path, at, value)
    assert err.key == key and words in str(err)
    assert f"第{dumped.line_for(key)}行" in str(err)


def test_the_same_rule_twice_is_refused() -> None:
    data = hostile.read(WENMING)
    data["rules"].insert(2, data["rules"][1])
    dumped = hostile.dump(data)
    verdict = hostile.judge(
        dumped.text, WENMING.name, set(hostile.words_of_file(data)) | hostile.format_words()
    )
    assert isinstance(verdict, CampaignFileError)
    assert verdict.key == "rules[2].id" and "与第2条规则完全相同" in str(verdict)


def test_the_same_rule_id_on_different_rules_is_kept() -> None:
    """W2 names the whole chain of earlier honours, rule by rule: one ID, many rules."""
    campaign = _original(WENMING)
    assert sum(1 for r in campaign.rules if r.id == "W2") > 5


def test_a_syntax_error_is_said_in_chinese_with_its_line() -> None:
    text = REWRITE.read_text(encoding="utf-8").replace(
        "mailbox_limit_mb = 25", "mailbox_limit_mb = 二十五", 1
    )
    verdict = hostile.judge(text, REWRITE.name, set())
    assert isinstance(verdict, CampaignFileError)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "二十五" in t)
    assert str(verdict).startswith(f"活动规则文件“{REWRITE.name}”第{line}行,格式有误(值的写法不对")


def test_notepad_s_signature_line_ends_and_tabs_change_nothing() -> None:
    text = REWRITE.read_text(encoding="utf-8")
    plain = _meaning(_original(REWRITE))
    for variant in ("\ufeff" + text, text.replace("\n", "\r\n"), text.replace(" = ", "\t=\t")):
        verdict = hostile.judge(variant, REWRITE.name, set())
        assert isinstance(verdict, Campaign) and _meaning(verdict) == plain


# ---- through the command line, as a clerk runs it ---------------------------------------------


def _cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "NOMINATOR_DATA_DIR": str(env_dir), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "nominator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


CLI_CASES = {
    "gbk": lambda text: text.encode("gbk", errors="replace"),
    "syntax": lambda text: text.replace("[email]", "[email", 1).encode("utf-8"),
    "deep": lambda text: (text + "deep = " + "[" * 5000 + "]" * 5000 + "\n").encode("utf-8"),
    "huge": lambda text: (text + ("# " + "填" * 80 + "\n") * 45_000).encode("utf-8"),
    "nan": lambda text: text.replace("mailbox_limit_mb = 25", "mailbox_limit_mb = nan", 1).encode("utf-8"),
    "unknown-field": lambda text: text.replace('field = "rank"', 'field = "rnak"', 1).encode("utf-8"),
}


@pytest.mark.parametrize("case", CLI_CASES)
def test_the_command_line_says_one_chinese_line(tmp_path: Path, case: str) -> None:
    path = tmp_path / "liaoning-zwgk-2025.toml"
    path.write_bytes(CLI_CASES[case](REWRITE.read_text(encoding="utf-8")))
    checked = _cli("campaign", "check", str(path), env_dir=tmp_path / "data")
    # `campaign check` reports what it found on stdout (exit 1: the file has problems) …
    assert checked.returncode == 1, checked
    assert "Traceback" not in checked.stderr and not checked.stderr.strip()
    (line,) = checked.stdout.splitlines()
    assert line.startswith(f"活动规则文件“{path.name}”") and "请" in line
    # … and a command that needs the campaign refuses it: exit 2, one line on stderr
    added = _cli("campaign", "add", str(path), env_dir=tmp_path / "data")
    assert added.returncode == 2 and not added.stdout.strip()
    (line,) = added.stderr.splitlines()
    assert line.startswith(f"活动规则文件“{path.name}”") and "请" in line
    with pytest.raises(CampaignFileError):
        load_file(path)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("big = " + "9" * 5000, "位数过多"),
        ("deep = " + "[" * 5000 + "]" * 5000, "层层嵌套"),
        ("deep = " + "{ a = " * 3000 + "1" + " }" * 3000, "层层嵌套"),
    ],
    ids=["digits", "arrays", "tables"],
)
def test_what_the_toml_reader_cannot_read_is_named_with_its_line(extra: str, words: str) -> None:
    text = WENMING.read_text(encoding="utf-8") + extra + "\n"
    verdict = hostile.judge(text, WENMING.name, set())
    assert isinstance(verdict, CampaignFileError) and words in str(verdict)
    assert verdict.line == len(text.splitlines())
