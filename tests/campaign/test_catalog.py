"""Choosing a campaign: the installed list, one shown, a file checked, a pack made and added, and
`--campaign ID|FILE` wherever a store is created or no store is involved."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from nominator.campaign import installed, load_campaign, user_campaigns_dir
from nominator.cli import main
from nominator.paths import resources_dir
from nominator.store.session import Store

SHIPPED = resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def renamed(tmp_path: Path, new_id: str, *changes: tuple[str, str]) -> Path:
    """The shipped file under another id (and other values): what a provincial office sends."""
    text = SHIPPED.read_text(encoding="utf-8").replace('id = "liaoning-zwgk-2025"', f'id = "{new_id}"', 1)
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_list_prints_one_campaign_a_line_id_first_newest_first_examples_last(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "campaign", "list")
    lines = out.splitlines()
    assert code == 0
    ids = [line.split("\t")[0] for line in lines]
    assert ids == [e.campaign.id for e in installed()]
    assert ids[0] == "liaoning-zwgk-2025"  # the only real one shipped
    assert lines[-1].endswith("示例") and "example-zwgk-2026" in lines[-1]
    assert "初审 2025-12-25" in lines[0] and "省评选表彰办" in lines[0]


def test_show_json_gives_stages_as_a_list_of_objects_with_id_and_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "campaign", "show", "liaoning-zwgk-2025", "--json")
    data = json.loads(out)
    assert code == 0
    assert [(s["id"], s["name"]) for s in data["stages"]] == [("initial", "初审"), ("formal", "正式")]
    assert data["email"]["to"] == "zfxxgk@ln.gov.cn"
    assert data["stages"][0]["deadline"] == "2025-12-25"


def test_show_as_text_reads_like_the_notice(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "campaign", "show", "example-zwgk-2026")
    assert code == 0
    for fact in ("一式3份", "小二寸(35×45 毫米)", "413×531", "上浮30%", "7个工作日", "预审,截止 2026-11-20"):
        assert fact in out


def test_check_passes_the_shipped_files_and_names_their_templates(capsys: pytest.CaptureFixture[str]) -> None:
    for path in sorted((resources_dir() / "campaigns").glob("*.toml")):
        code, out, _ = run(capsys, "campaign", "check", str(path))
        assert code == 0, out
        assert "检查通过" in out


def test_a_file_whose_id_differs_from_its_name_is_not_installed_silently(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = user_campaigns_dir()
    folder.mkdir(parents=True)
    source = renamed(tmp_path, "shaanxi-zwgk-2026")
    (folder / "wrong-name.toml").write_bytes(source.read_bytes())
    problems: list[str] = []
    ids = [e.campaign.id for e in installed(problems=problems)]
    assert "shaanxi-zwgk-2026" not in ids
    assert any("与文件名不一致" in p and "shaanxi-zwgk-2026.toml" in p for p in problems)
    code, _, err = run(capsys, "campaign", "list")
    assert code == 0 and "与文件名不一致" in err


def test_pack_then_add_on_another_pc_brings_the_file_and_its_templates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = renamed(tmp_path, "shaanxi-zwgk-2026", ('title = "辽宁省', 'title = "陕西省'))
    notice = resources_dir() / "campaigns" / "liaoning-zwgk-2025.notice.txt"
    (tmp_path / notice.name).write_bytes(notice.read_bytes())  # the office's notice, beside its file
    pack = tmp_path / "陕西活动包.zip"
    assert run(capsys, "campaign", "pack", str(source), "--out", str(pack))[0] == 0
    with zipfile.ZipFile(pack) as archive:
        names = set(archive.namelist())
    assert "shaanxi-zwgk-2026.toml" in names
    assert {"forms/shaanxi-zwgk-2026/form3.docx", "forms/shaanxi-zwgk-2026/form4.xlsx"} <= names
    assert "liaoning-zwgk-2025.notice.txt" in names  # the notice's text travels with its rules
    # another PC: an empty data folder
    monkeypatch.setenv("NOMINATOR_DATA_DIR", str(tmp_path / "other-pc"))
    assert "shaanxi-zwgk-2026" not in [e.campaign.id for e in installed()]
    code, out, _ = run(capsys, "campaign", "add", str(pack))
    assert code == 0 and "陕西省" in out
    added = load_campaign("shaanxi-zwgk-2026")
    assert added.forms_dir == tmp_path / "other-pc" / "forms" / "shaanxi-zwgk-2026"
    assert (added.forms_dir / "form6.docx").is_file()
    from nominator.campaign.catalog import notice_path

    notice = notice_path(added)
    assert notice is not None and "政务公开" in notice.read_text(encoding="utf-8")
    db = tmp_path / "陕西.nominator"
    assert run(capsys, "demo", "--db", str(db), "--campaign", "shaanxi-zwgk-2026")[0] == 0
    assert (
        run(capsys, "export", "--db", str(db), "--stage", "initial", "--out", str(tmp_path / "out"))[0] == 0
    )


def test_campaign_option_takes_a_file_for_a_new_store_and_the_store_keeps_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = renamed(tmp_path, "liaoning-zwgk-2026", ('to = "zfxxgk@ln.gov.cn"', 'to = "new@ln.gov.cn"'))
    db = tmp_path / "新.nominator"
    assert run(capsys, "demo", "--db", str(db), "--campaign", str(source))[0] == 0
    source.unlink()  # the file may go: the store keeps its own copy
    with Store.open(db) as store:
        rules = store.rules()
    assert rules.id == "liaoning-zwgk-2026" and rules.email.to == "new@ln.gov.cn"
    code, out, _ = run(
        capsys, "export", "--db", str(db), "--stage", "initial", "--out", str(tmp_path / "out")
    )
    assert code == 0 and "new@ln.gov.cn" in out


def test_campaign_option_is_refused_for_an_existing_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "s.nominator"
    assert run(capsys, "demo", "--db", str(db))[0] == 0
    code, _, err = run(
        capsys, "import", str(tmp_path / "x.json"), "--db", str(db), "--campaign", "example-zwgk-2026"
    )
    assert code == 2 and "只在新建推荐库时使用" in err


def test_check_takes_the_stage_ids_of_the_stores_own_campaign(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "s.nominator"
    assert run(capsys, "demo", "--db", str(db))[0] == 0
    code, out, err = run(capsys, "check", "--db", str(db), "--stage", "final")
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line]
    assert len(lines) == 1
    assert "“final”" in lines[0] and "initial(初审)" in lines[0] and "formal(正式)" in lines[0]


def test_an_unknown_campaign_id_lists_the_installed_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "template", "--out", str(tmp_path / "t.xlsx"), "--campaign", "hebei-2030")
    assert code == 2
    assert "未知的评选活动“hebei-2030”" in err and "liaoning-zwgk-2025" in err
    assert not (tmp_path / "t.xlsx").exists()
