"""The intake commands as a clerk or a script uses them: template, import of a filled template, merge."""

from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nominator.cli import main
from nominator.domain.model import Dossier, Unit
from nominator.interchange.exchange import write_exchange
from nominator.store.session import Store, load_dossier


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def typed(path: Path, sheet: str, rows: list[list[str]]) -> None:
    wb = load_workbook(path)
    ws = wb[sheet]
    for n, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            ws.cell(n, col).value = value
            ws.cell(n, col).data_type = "s"
    wb.save(path)


def test_template_then_import_prints_row_errors_and_imports_the_valid_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "导入模板.xlsx"
    code, out, _ = run(capsys, "template", "--out", str(template))
    assert code == 0 and out.strip() == f"导入模板已生成:{template}"
    typed(
        template, "先进个人", [["王丽娜", "女", "汉族", "1986-03-14"], ["李四", "男", "汉人", "1986-13-01"]]
    )
    typed(template, "先进集体", [["沈阳市和平区政务公开科", "县级及以下"]])
    db = tmp_path / "新库.nominator"
    code, out, _ = run(capsys, "import", str(template), "--db", str(db))
    assert code == 1
    assert "先进个人 第3行“民族”列:“汉人”不是56个民族的规范名称" in out
    assert "先进个人 第3行“出生日期”列:“1986-13-01”不是真实存在的日期" in out
    assert f"已导入:先进集体 1 个,先进个人 1 名,工作机构成员 0 名 → {db}" in out
    assert "有错误的 1 行未导入" in out
    dossier = load_dossier(db)
    assert [p.name for p in dossier.individuals] == ["王丽娜"]


def test_a_template_without_errors_imports_with_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "模板.xlsx"
    run(capsys, "template", "--out", str(template))
    typed(template, "工作机构成员", [["钱某", "沈阳市人民政府办公室副主任", "组长", "024-12345678"]])
    code, out, _ = run(capsys, "import", str(template), "--db", str(tmp_path / "s.nominator"))
    assert code == 0 and "工作机构成员 1 名" in out


def test_a_spreadsheet_that_is_not_the_template_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "名单.xls"
    other.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    code, out, err = run(capsys, "import", str(other), "--db", str(tmp_path / "s.nominator"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "另存为" in err


def test_merge_prints_duplicates_and_quota_and_merges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], demo_dossier: Dossier
) -> None:
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(replace(demo_dossier, individuals=demo_dossier.individuals[:9]))
    files = []
    for name, people in (("和平区", [0, 9]), ("浑南区", [9]), ("新民市", [5, 6])):
        sub = replace(
            copy.deepcopy(demo_dossier),
            unit=Unit(name=name, kind="other"),
            collectives=[],
            individuals=[copy.deepcopy(demo_dossier.individuals[n]) for n in people],
            members=[],
        )
        files.append(str(write_exchange(sub, tmp_path / f"{name}.zip")))
    code, out, _ = run(capsys, "merge", *files, "--db", str(db))
    assert code == 1
    assert "[重复] 和平区:先进个人“王丽娜”(出生日期1986-03-14)与本单位已有的第1名先进个人重复(V4)" in out
    assert "[重复] 浑南区:先进个人“郑凯”" in out
    assert "已合并 3 个文件(和平区、浑南区、新民市):先进集体 0 个,先进个人 1 名,跳过重复 4 条" in out
    assert "[错误]" not in out  # 9 + 1 new fits the ceiling of 12
    assert len(load_dossier(db).individuals) == 10


def test_merge_into_a_missing_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "merge", str(tmp_path / "a.zip"), "--db", str(tmp_path / "无.nominator"))
    assert code == 2 and "找不到推荐库文件" in err


def test_import_refuses_the_rows_beyond_the_quota_row_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "鞍山市.nominator"
    with Store.create(db, campaign="liaoning-zwgk-2025") as store, store.transaction() as w:
        w.update_unit(
            Unit(name="鞍山市", kind="region", allocation=replace(Unit().allocation, individuals=1))
        )
    template = tmp_path / "模板.xlsx"
    run(capsys, "template", "--out", str(template))
    typed(template, "先进个人", [["王丽娜", "女"], ["李四", "男"]])
    code, out, _ = run(capsys, "import", str(template), "--db", str(db))
    assert code == 1
    assert "先进个人 第3行:不能再新增先进个人(规则Q1):附件10分配名额1名,可上浮20%推荐1名" in out
    assert [p.name for p in load_dossier(db).individuals] == ["王丽娜"]
