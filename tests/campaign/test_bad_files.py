"""A broken campaign file gets one Chinese message naming the file, the key and the line, and
changes nothing: nothing is added, no store is created, the other campaigns stay usable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nominator.campaign import CampaignFileError, add, installed, load_file, user_campaigns_dir
from nominator.cli import main
from nominator.errors import UserError
from nominator.paths import resources_dir

SHIPPED = resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml"


def variant(tmp_path: Path, *changes: tuple[str, str], name: str = "shaanxi-zwgk-2026") -> Path:
    text = SHIPPED.read_text(encoding="utf-8").replace('id = "liaoning-zwgk-2025"', f'id = "{name}"', 1)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


# (change, the key the message must name, the text of the line it must point at, words of the message)
BROKEN = [
    pytest.param(("[email]", "[email"), None, "[email", "格式有误", id="syntax"),
    pytest.param(('to = "zfxxgk@ln.gov.cn"\n', ""), "email.to", None, "缺少这一项", id="missing-key"),
    pytest.param(
        ("working_days = 5", 'working_days = "五"'),
        "publicity.working_days",
        "working_days",
        "应为整数",
        id="wrong-type",
    ),
    pytest.param(
        ('forms = ["report_initial", "form2"', 'forms = ["report_initial", "form22"'),
        "stages[0].forms[1]",
        'forms = ["report_initial", "form22"',
        "不在 [forms] 中",
        id="unknown-form",
    ),
    pytest.param(("format = 2", "format = 4"), "format", "format = 4", "需要更新版本", id="newer-program"),
    pytest.param(
        ("copies = 5\n\n", "copies = 5\ncopeis = 3\n\n"),
        "print.copeis",
        "copeis",
        "无法识别",
        id="misspelt-key",
    ),
    pytest.param(
        ('subject = "{unit}全省政务公开工作表彰上报材料"', 'subject = "{单位}全省政务公开工作表彰上报材料"'),
        "email.subject",
        "subject =",
        "无法识别",
        id="unknown-placeholder",
    ),
    pytest.param(
        ("name_pattern = '^(.{2,}市|省沈抚改革创新示范区)$'", "name_pattern = '^(.{2,}市'"),
        "unit_kinds.region.name_pattern",
        "name_pattern = '^(.{2,}市'",
        "正则表达式",
        id="bad-pattern",
    ),
    pytest.param(
        (
            '{ id = "rank", label = "职级", type = "choice", choices = "ranks" }',
            '{ id = "rank", label = "职级", type = "choice", choices = "rank_list" }',
        ),
        "kinds.individual.groups[0].fields[8].choices",
        'choices = "rank_list"',
        "不在 [choices] 中",
        id="unknown-choices",
    ),
]


@pytest.mark.parametrize(("change", "key", "line_text", "words"), BROKEN)
def test_a_broken_file_is_named_with_its_key_and_line(
    tmp_path: Path, change: tuple[str, str], key: str | None, line_text: str | None, words: str
) -> None:
    path = variant(tmp_path, change)
    with pytest.raises(CampaignFileError) as err:
        load_file(path)
    message = str(err.value)
    assert message.startswith(f"活动规则文件“{path.name}”")
    assert words in message
    if key:
        assert f"“{key}”" in message
    if line_text:
        assert f"第{line_of(path, line_text)}行" in message


@pytest.mark.parametrize(("change", "key", "line_text", "words"), BROKEN)
def test_adding_a_broken_file_changes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    key: str | None,
    line_text: str | None,
    words: str,
) -> None:
    path = variant(tmp_path, change)
    before = [e.campaign.id for e in installed()]
    code = main(["campaign", "add", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert len([line for line in err.splitlines() if line]) == 1 and words in err
    assert [e.campaign.id for e in installed()] == before
    assert not user_campaigns_dir().exists() or not any(user_campaigns_dir().iterdir())
    code = main(["demo", "--db", str(tmp_path / "s.nominator"), "--campaign", str(path)])
    assert code == 2 and not (tmp_path / "s.nominator").exists()


def test_check_reports_a_broken_file_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = variant(tmp_path, ("working_days = 5", 'working_days = "五"'))
    assert main(["campaign", "check", str(path)]) == 1
    assert "publicity.working_days" in capsys.readouterr().out


def test_a_form_field_the_template_cannot_print_is_refused_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 附件7 is told to print the collective's phone, which its template has no placeholder for.
    path = variant(
        tmp_path,
        ('fields = ["name", "leader", "unit.name"]', 'fields = ["name", "leader", "phone", "unit.name"]'),
    )
    assert main(["campaign", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "form7.docx" in out and "{{ phone }}" in out


def test_an_id_of_a_shipped_campaign_with_other_content_is_refused(tmp_path: Path) -> None:
    path = variant(tmp_path, ("mailbox_limit_mb = 25", "mailbox_limit_mb = 30"), name="liaoning-zwgk-2025")
    with pytest.raises(UserError, match="与程序内置的活动编号相同"):
        add(path)
    assert not user_campaigns_dir().exists()


def test_a_field_id_the_program_cannot_store_is_refused(tmp_path: Path) -> None:
    path = variant(
        tmp_path, ('{ id = "staff_count", label = "在编人数"', '{ id = "staff_size", label = "在编人数"')
    )
    with pytest.raises(CampaignFileError, match=r"“staff_size”不是本程序能保存的字段"):
        load_file(path)


def test_a_file_that_is_not_utf8_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(SHIPPED.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    with pytest.raises(CampaignFileError, match="UTF-8"):
        load_file(path)


def test_a_broken_added_file_does_not_hide_the_others(tmp_path: Path) -> None:
    folder = user_campaigns_dir()
    folder.mkdir(parents=True)
    (folder / "broken-2026.toml").write_text("format = 2\nid = [", encoding="utf-8")
    problems: list[str] = []
    ids = [e.campaign.id for e in installed(problems=problems)]
    assert "liaoning-zwgk-2025" in ids
    assert len(problems) == 1 and re.search(r"broken-2026\.toml.*第\d+行", problems[0])


def test_a_control_character_in_a_text_is_named(tmp_path: Path) -> None:
    path = variant(tmp_path, ('issuer = "省评选表彰办"', 'issuer = "省评选\\u0001表彰办"'))
    with pytest.raises(CampaignFileError) as err:
        load_file(path)
    assert "“issuer”" in str(err.value) and "控制字符" in str(err.value)
    assert f"第{line_of(path, 'issuer =')}行" in str(err.value)


def test_texts_are_kept_in_one_normal_form(tmp_path: Path) -> None:
    # a decomposed character (e + combining accent) is stored composed, as all text from outside
    path = variant(
        tmp_path,
        (
            'short_title = "政务公开工作先进集体和先进个人"',
            'short_title = "政务公开工作先进集体和先进个人e\\u0301"',
        ),
    )
    assert load_file(path).short_title.endswith("\u00e9")
