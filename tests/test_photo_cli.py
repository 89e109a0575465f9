"""`nominator photo check` / `nominator photo fix` through cli.main: exit codes and what is printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from nominator.cli import main
from tests import photo_corpus as corpus


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_good_photo_passes_with_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = write(tmp_path / "张某某-19660101.jpg", corpus.jpeg(corpus.portrait()))
    assert main(["photo", "check", str(photo), "--name", "张某某", "--birth", "19660101"]) == 0
    out = capsys.readouterr().out
    assert "[通过] 张某某-19660101.jpg:JPEG,413×579 像素,白色背景" in out
    assert "错误 0 项" in out


def test_problems_give_exit_1_and_say_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photo = write(tmp_path / "张某某－19660101.jpg", corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)))
    assert main(["photo", "check", str(photo), "--name", "张某某", "--birth", "19660101"]) == 1
    out = capsys.readouterr().out
    assert "[不通过]" in out
    assert "全角连字符“－”" in out
    assert "照片背景不是白色(背景偏蓝)" in out


def test_json_output_has_the_problem_objects_of_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "王五-19700315.jpg", corpus.jpeg(corpus.portrait()))
    renamed = write(tmp_path / "李四-19800101.jpg", corpus.encoded(corpus.portrait(), "PNG"))
    assert main(["photo", "check", str(good), str(renamed), "--json"]) == 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["errors"] == 1
    assert summary["warnings"] == 0
    assert summary["problems"] == [
        {
            "rule": "F2",
            "severity": "error",
            "target": "李四-19800101.jpg",
            "message": "照片文件实际是 PNG 格式,请另存为 JPG 格式,或运行“nominator photo fix”转换。",
        }
    ]


def test_missing_file_gives_exit_2_with_one_chinese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["photo", "check", str(tmp_path / "没有.jpg")]) == 2
    err = capsys.readouterr().err
    assert err.strip().startswith("找不到照片文件")
    assert len(err.strip().splitlines()) == 1


def test_bomb_is_reported_not_crashed_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photo = write(tmp_path / "张某某-19660101.jpg", corpus.jpeg_claiming_size(60000, 60000))
    assert main(["photo", "check", str(photo)]) == 1
    assert "照片尺寸异常巨大" in capsys.readouterr().out


def test_fix_writes_a_correct_copy_and_leaves_the_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE, size=(600, 1000)))
    source = write(tmp_path / "IMG_0001.JPG", original)
    out = tmp_path / "out"
    assert (
        main(["photo", "fix", str(source), "--name", "张某某", "--birth", "1966-01-01", "--out", str(out)])
        == 0
    )
    fixed = out / "张某某-19660101.jpg"
    with Image.open(fixed) as image:
        assert image.size == (413, 579)
    assert source.read_bytes() == original
    assert [p.name for p in out.iterdir()] == ["张某某-19660101.jpg"]
    text = capsys.readouterr().out
    assert "处理前:IMG_0001.JPG:JPEG,600×1000 像素,背景偏蓝" in text
    assert "处理后:张某某-19660101.jpg:JPEG,413×579 像素,白色背景" in text
    assert "已按人像位置裁剪为 5:7" in text
    assert main(["photo", "check", str(fixed), "--name", "张某某", "--birth", "19660101"]) == 0


def test_fix_refuses_a_busy_background_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path / "a.jpg", corpus.jpeg(corpus.busy_background()))
    out = tmp_path / "out"
    assert (
        main(["photo", "fix", str(source), "--name", "张某某", "--birth", "19660101", "--out", str(out)]) == 2
    )
    assert "背景复杂,无法自动处理为白底" in capsys.readouterr().err
    assert not out.exists()


def test_fix_refuses_an_impossible_birth_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "a.jpg", corpus.jpeg(corpus.portrait()))
    args = ["photo", "fix", str(source), "--name", "张某某", "--birth", "19660230", "--out", str(tmp_path)]
    assert main(args) == 2
    assert "“19660230”不是有效日期" in capsys.readouterr().err


def test_fix_never_overwrites_the_original(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE))
    source = write(tmp_path / "张某某-19660101.jpg", original)
    assert (
        main(["photo", "fix", str(source), "--name", "张某某", "--birth", "19660101", "--out", str(tmp_path)])
        == 2
    )
    assert "为保护原照片" in capsys.readouterr().err
    assert source.read_bytes() == original
