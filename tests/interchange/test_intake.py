"""Excel intake: the template a clerk downloads, what reading a filled one shows, what importing adds,
and photos stored from a folder."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from nominator.campaign import ETHNICITIES, Campaign
from nominator.domain.model import Assessment, Collective, Dossier, Individual
from nominator.domain.photo_match import match_photos
from nominator.errors import UserError
from nominator.interchange import intake
from nominator.interchange.intake import IntakePreview, IntakeRow, apply_intake, read_template
from nominator.interchange.photos import apply_photo_folder, photo_files_in
from nominator.interchange.template import write_template
from nominator.store import backup
from nominator.store.session import Store


def set_text(ws: Any, ref: str, value: str) -> None:
    """What Excel stores when a clerk types into a text-formatted cell: a string, even '=SUM(A1)'."""
    ws[ref] = value
    ws[ref].data_type = "s"


def column_of(ws: Any, header: str) -> str:
    for cell in ws[1]:
        if cell.value == header:
            return str(cell.column_letter)
    raise AssertionError(f"no column {header}")


def validations(ws: Any) -> dict[str, Any]:
    """First cell of each data validation's range → the validation."""
    return {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def fill(path: Path, sheet: str, rows: dict[int, dict[str, Any]]) -> None:
    """Type values into a downloaded template by header, as a clerk would."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for row, values in rows.items():
        for header, value in values.items():
            ref = f"{column_of(ws, header)}{row}"
            if isinstance(value, str):
                set_text(ws, ref, value)
            else:
                ws[ref] = value
    wb.save(path)


@pytest.fixture()
def template(tmp_path: Path, campaign: Campaign) -> Path:
    path = tmp_path / "导入模板.xlsx"
    write_template(path, campaign)
    return path


@pytest.fixture()
def filled(template: Path) -> Path:
    fill(
        template,
        "先进个人",
        {
            2: {"姓名": "=SUM(A1)", "性别": "男", "民族": "汉族", "出生日期": dt.datetime(1986, 3, 14),
                "参加工作时间": "2008-07", "2024年度考核结果": "优秀", "从事政务公开工作年限": 9,
                "联系电话": "024-22721005", "无失职渎职问题": "是"},
            3: {"姓名": "李四", "民族": "火星族", "出生日期": "1986-02-30"},
            4: {"姓名": "   "},  # a row that only looks filled
            6: {"姓名": "王五", "性别": "女", "民族": "满", "出生日期": "1990/6/21", "职级": "乡科级"},
        },
    )  # fmt: skip
    fill(
        template,
        "先进集体",
        {
            2: {
                "集体名称": "沈阳市和平区政务公开科",
                "层级": "县级及以下",
                "在编人数": 6,
                "是否县级以上政府": "否",
            }
        },
    )
    fill(template, "工作机构成员", {2: {"姓名": "钱某", "工作机构职务": "组长", "联系电话": "024-12345678"}})
    return template


def demo_store(tmp_path: Path, dossier: Dossier) -> Path:
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(dossier)
    return db


# ---- the template ------------------------------------------------------------------------------


def test_template_opens_on_the_instructions_and_keeps_its_lists_out_of_sight(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames == ["填写说明", "先进集体", "先进个人", "工作机构成员", "下拉选项"]
    assert wb.active is not None and wb.active.title == "填写说明"
    assert wb["下拉选项"].sheet_state == "hidden"
    guide = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "请不要修改、删除或调换第一行的列名" in guide
    assert "YYYY-MM-DD" in guide


def test_every_enumeration_has_a_dropdown_and_the_56_ethnicities_come_from_a_range(
    template: Path, campaign: Campaign
) -> None:
    wb = load_workbook(template)
    ws = wb["先进个人"]
    lists = {cell: dv for cell, dv in validations(ws).items() if dv.type == "list"}
    for header in (
        "性别",
        "民族",
        "政治面貌",
        "学历(学位)",
        "职级",
        "层级",
        "2022年度考核结果",
        "无失职渎职问题",
    ):
        assert f"{column_of(ws, header)}2" in lists, header
    ethnicity = lists[f"{column_of(ws, '民族')}2"]
    where = column_of(wb["下拉选项"], "民族")
    assert ethnicity.formula1 == f"'下拉选项'!${where}$2:${where}$57"
    listed = [c.value for c in wb["下拉选项"][where][1:]]
    assert listed == list(ETHNICITIES)
    assert ethnicity.showErrorMessage and str(ethnicity.sqref).endswith("1001")


def test_template_headers_follow_the_campaign_and_explain_dates_and_attestations(
    template: Path, campaign: Campaign
) -> None:
    ws = load_workbook(template)["先进个人"]
    headers = [c.value for c in ws[1]]
    for year in campaign.eligibility.assessment_years:
        assert f"{year}年度考核结果" in headers
    assert ws.freeze_panes == "B2"
    birth = column_of(ws, "出生日期")
    assert "YYYY-MM-DD" in validations(ws)[f"{birth}2"].prompt
    assert ws.column_dimensions[birth].number_format == "@"
    wording = campaign.eligibility.individual_attestations["no_sanction"]
    attest = ws[f"{column_of(ws, wording)}1"]
    assert attest.comment is not None and wording in attest.comment.text and "“是”" in attest.comment.text
    assert ws.column_dimensions[column_of(ws, "工作单位及职务")].width == 36


def test_template_is_written_whole_or_not_at_all(tmp_path: Path, campaign: Campaign) -> None:
    with pytest.raises(UserError, match=r"\.xlsx"):
        write_template(tmp_path / "模板.xls", campaign)
    with pytest.raises(UserError, match="不存在"):
        write_template(tmp_path / "没有的文件夹" / "模板.xlsx", campaign)
    assert list(tmp_path.iterdir()) == []


# ---- reading a filled template -----------------------------------------------------------------


def test_filled_template_gives_the_typed_records_and_says_which_cells_to_fix(
    filled: Path, campaign: Campaign
) -> None:
    preview = read_template(filled, campaign)
    people = preview.of_kind("individual")
    assert [r.row for r in people] == [2, 3, 6]  # the blank-looking row 4 and empty row 5 are skipped
    first = people[0].record
    assert isinstance(first, Individual)
    assert first.name == "=SUM(A1)"  # typed as text: kept as text, never a formula
    assert (first.birth_date, first.work_start, first.ethnicity) == ("1986-03-14", "2008-07", "汉族")
    assert first.assessments == [Assessment(2024, "优秀")]
    assert first.years_in_field == 9 and first.attestations == {"no_dereliction": True}
    assert people[0].valid
    assert [str(e) for e in people[1].errors] == [
        "先进个人 第3行“民族”列:“火星族”不是56个民族的规范名称,请从下拉列表中选择,例如“汉族”“满族”。",
        "先进个人 第3行“出生日期”列:“1986-02-30”不是真实存在的日期,请核对年月日后按 YYYY-MM-DD 填写。",
    ]
    third = people[2].record
    assert isinstance(third, Individual)
    assert (third.ethnicity, third.birth_date, third.rank) == ("满族", "1990-06-21", "乡科级")
    (collective,) = preview.of_kind("collective")
    assert collective.valid and collective.record.name == "沈阳市和平区政务公开科"
    assert collective.record.staff_count == 6
    assert collective.record.county_government_or_above is False
    (member,) = preview.of_kind("member")
    assert member.record.role == "组长"
    assert len(preview.valid_rows) == 4 and len(preview.invalid_rows) == 1
    assert preview.notices == []


def test_a_row_without_a_name_asks_for_it(template: Path, campaign: Campaign) -> None:
    fill(template, "先进个人", {7: {"性别": "男", "从事政务公开工作年限": "五年"}})
    (row,) = read_template(template, campaign).rows
    assert [str(e) for e in row.errors] == [
        "先进个人 第7行“姓名”列:请填写姓名;不需要的行请整行删除。",
        "先进个人 第7行“从事政务公开工作年限”列:“五年”不是数字,请填写阿拉伯数字的整数,例如 6。",
    ]


def test_a_formula_is_flagged_and_never_evaluated(template: Path, campaign: Campaign) -> None:
    wb = load_workbook(template)
    ws = wb["先进个人"]
    ws["A2"] = "张三"
    ws["B2"] = '=IF(1,"男","女")'  # a real formula: openpyxl stores no cached value
    wb.save(template)
    (row,) = read_template(template, campaign).rows
    assert row.record.gender == ""
    assert row.errors[0].column == "性别"
    assert "这是公式,导入时不计算公式" in row.errors[0].message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1986/3/14", "1986-03-14"),
        ("1986年3月14日", "1986-03-14"),
        ("1986.03.14", "1986-03-14"),
        ("19860314", "1986-03-14"),
        ("１９８６－０３－１４", "1986-03-14"),
        (19860314, "1986-03-14"),
        (dt.date(1986, 3, 14), "1986-03-14"),
        (31485, "1986-03-14"),  # an Excel date serial pasted into a General cell
    ],
)
def test_birth_dates_in_common_spellings_are_stored_as_yyyy_mm_dd(
    template: Path, campaign: Campaign, typed: object, stored: str
) -> None:
    fill(template, "先进个人", {2: {"姓名": "张三", "出生日期": typed}})
    (row,) = read_template(template, campaign).rows
    assert row.valid and row.record.birth_date == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2008-07", "2008-07"),
        ("2008.7", "2008-07"),
        ("2008年7月", "2008-07"),
        (2008.1, "2008-10"),  # "2008.10" typed in a General cell arrives as the number 2008.1
        (dt.datetime(2008, 7, 1), "2008-07"),  # Excel's reading of "2008-07" typed in a General cell
        ("2008-07-15", "2008-07-15"),
    ],
)
def test_work_start_is_stored_as_a_month(
    template: Path, campaign: Campaign, typed: object, stored: str
) -> None:
    fill(template, "先进个人", {2: {"姓名": "张三", "参加工作时间": typed}})
    (row,) = read_template(template, campaign).rows
    assert row.valid and row.record.work_start == stored


def test_wrong_choices_name_the_allowed_values(template: Path, campaign: Campaign) -> None:
    fill(template, "先进集体", {2: {"集体名称": "某科", "层级": "区级", "是否副厅(局)级及以上单位": "也许"}})
    (row,) = read_template(template, campaign).rows
    assert [e.message for e in row.errors] == [
        "“区级”不是可选的层级,请从下拉列表中选择(省直、市直、县级及以下)。",
        "“也许”应为“是”或“否”,请从下拉列表中选择。",
    ]


def test_unknown_and_missing_columns_are_reported_but_the_rest_is_read(
    template: Path, campaign: Campaign
) -> None:
    wb = load_workbook(template)
    ws = wb["工作机构成员"]
    ws["D1"] = "手机"  # was 联系电话
    ws["E1"] = "备注"
    ws["A2"], ws["D2"] = "钱某", "13800000000"
    wb.save(template)
    preview = read_template(template, campaign)
    assert preview.notices == [
        "工作机构成员:有本模板没有的列(手机、备注),这些列的内容不会导入。如是改动了列名,请恢复为模板中的列名。",
        "工作机构成员:缺少列(联系电话),这些栏目导入后为空,可在程序中补填。",
    ]
    assert [r.record.name for r in preview.rows] == ["钱某"]


def test_a_workbook_that_is_not_our_template_is_refused(tmp_path: Path, campaign: Campaign) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["姓名", "性别"])
    ws.append(["张三", "男"])
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    with pytest.raises(UserError, match=r"不是推荐材料助手的导入模板.*下载导入模板"):
        read_template(path, campaign)


def test_a_sheet_whose_name_column_was_renamed_is_refused(template: Path, campaign: Campaign) -> None:
    wb = load_workbook(template)
    wb["先进个人"]["A1"] = "名字"
    wb.save(template)
    with pytest.raises(UserError, match="“先进个人”工作表第一行没有“姓名”列"):
        read_template(template, campaign)


def test_broken_old_and_oversized_files_are_refused_with_a_way_out(
    tmp_path: Path, campaign: Campaign, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UserError, match=r"已损坏或不是有效的 Excel 文件.*另存为 \.xlsx"):
        read_template(broken, campaign)
    half = tmp_path / "半个.xlsx"
    half.write_bytes(template.read_bytes()[:5000])
    with pytest.raises(UserError, match="已损坏"):
        read_template(half, campaign)
    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(UserError, match=r"旧版 Excel 文件.*另存为"):
        read_template(old, campaign)
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * 5_000_000)
    monkeypatch.setattr(intake, "MAX_UNPACKED_BYTES", 1_000_000)
    with pytest.raises(UserError, match="解压后过大"):
        read_template(bomb, campaign)


# ---- importing -----------------------------------------------------------------------------------


def test_valid_rows_are_appended_after_the_existing_records_and_a_backup_is_made(
    tmp_path: Path, filled: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    db = demo_store(tmp_path, demo_dossier)
    with Store.open(db, backup_on_open=False) as store:
        preview = read_template(filled, campaign)
        with store.transaction() as w:
            counts = apply_intake(w, preview)
        assert (counts.collectives, counts.individuals, counts.members, counts.skipped) == (1, 2, 1, 1)
        people = store.records("individual")
        assert [p.name for p in people[-3:]] == ["郑凯", "=SUM(A1)", "王五"]
        assert store.records("collective")[-1].name == "沈阳市和平区政务公开科"
        assert store.records("member")[-1].name == "钱某"
    assert any("before-intake" in b.name for b in backup.list_backups(db))


def test_invalid_rows_can_be_imported_as_typed_for_fixing_later(
    tmp_path: Path, filled: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.unit.allocation.individuals = 20  # room for all three
    db = demo_store(tmp_path, demo_dossier)
    with Store.open(db, backup_on_open=False) as store:
        with store.transaction() as w:
            counts = apply_intake(w, read_template(filled, campaign), include_invalid=True)
        assert counts.individuals == 3 and counts.skipped == 0
        li = store.records("individual")[-2]
        assert isinstance(li, Individual)
        assert (li.name, li.ethnicity, li.birth_date) == ("李四", "火星族", "1986-02-30")


def test_rows_beyond_the_quota_are_refused_with_the_rule_even_when_imported_as_typed(
    tmp_path: Path, filled: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.unit.allocation.individuals = 9  # ceiling round(9 × 1.2) = 11; the store has 10
    db = demo_store(tmp_path, demo_dossier)
    with Store.open(db, backup_on_open=False) as store:
        preview = read_template(filled, campaign)
        with store.transaction() as w:
            counts = apply_intake(w, preview, include_invalid=True)  # no preview step: still refused
        assert counts.individuals == 1 and counts.collectives == 1
        assert len(store.records("individual")) == 11
    refused = [r for r in preview.rows if r.over_quota]
    assert [r.kind for r in refused] == ["individual", "individual"]
    assert all("不能再新增先进个人(规则Q1)" in r.errors[-1].message for r in refused)
    assert "可上浮20%推荐11名(四舍五入),已填报11名" in refused[0].errors[-1].message


def test_nothing_is_half_imported_when_the_store_refuses_a_row(
    tmp_path: Path, filled: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    demo_dossier.unit.allocation.individuals = 20  # the quota is not what refuses the row here
    db = demo_store(tmp_path, demo_dossier)
    preview = read_template(filled, campaign)
    later = copy.deepcopy(preview.rows[-1])
    # a record of the wrong kind makes the store fail after the earlier rows went in
    preview.rows.append(IntakeRow("individual", "先进个人", 9, Collective(name="错放的集体")))
    preview.rows.append(later)
    with Store.open(db, backup_on_open=False) as store:
        with pytest.raises(TypeError), store.transaction() as w:
            apply_intake(w, preview)
        assert len(store.records("individual")) == len(demo_dossier.individuals)
        assert len(store.records("collective")) == len(demo_dossier.collectives)
        assert len(store.records("member")) == len(demo_dossier.members)


def test_an_empty_template_adds_nothing_and_makes_no_backup(
    tmp_path: Path, template: Path, campaign: Campaign, demo_dossier: Dossier
) -> None:
    db = demo_store(tmp_path, demo_dossier)
    with Store.open(db, backup_on_open=False) as store:
        preview = read_template(template, campaign)
        assert preview == IntakePreview(file=template)
        with store.transaction() as w:
            assert apply_intake(w, preview).added == 0
    assert backup.list_backups(db) == []


# ---- photos from a folder --------------------------------------------------------------------------


def test_photos_from_a_folder_are_stored_on_their_nominees_in_one_step(
    tmp_path: Path, demo_dossier: Dossier
) -> None:
    for person in demo_dossier.individuals:
        person.photo, person.photo_data = "", None
    db = demo_store(tmp_path, demo_dossier)
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / "王丽娜-19860314.jpg").write_bytes(b"\xff\xd8 wang")
    (folder / "李建国-19751102.jpg").write_bytes(b"\xff\xd8 li")
    (folder / "李建国-19751103.jpg").write_bytes(b"\xff\xd8 wrong day")
    (folder / "Thumbs.db").write_bytes(b"")
    with Store.open(db, backup_on_open=False) as store:
        people = [p for p in store.records("individual") if isinstance(p, Individual)]
        match = match_photos(photo_files_in(folder), people, store.rules().kinds["individual"].photo)  # type: ignore[arg-type]
        assert match.summary() == "匹配成功 2 张,出生日期不符 1 张。"
        with store.transaction() as w:
            assert apply_photo_folder(w, folder, match) == 2
        stored = {
            p.name: p for p in store.records("individual", with_photos=True) if isinstance(p, Individual)
        }
    assert (stored["王丽娜"].photo, stored["王丽娜"].photo_data) == ("王丽娜-19860314.jpg", b"\xff\xd8 wang")
    assert stored["李建国"].photo_data == b"\xff\xd8 li"
    assert stored["张海燕"].photo_data is None
    assert any("before-photos" in b.name for b in backup.list_backups(db))


def test_a_photo_that_vanished_since_matching_changes_nothing(tmp_path: Path, demo_dossier: Dossier) -> None:
    for person in demo_dossier.individuals:
        person.photo, person.photo_data = "", None
    db = demo_store(tmp_path, demo_dossier)
    folder = tmp_path / "照片"
    folder.mkdir()
    (folder / "王丽娜-19860314.jpg").write_bytes(b"\xff\xd8 wang")
    (folder / "李建国-19751102.jpg").write_bytes(b"\xff\xd8 li")
    with Store.open(db, backup_on_open=False) as store:
        people = [p for p in store.records("individual") if isinstance(p, Individual)]
        match = match_photos(photo_files_in(folder), people, store.rules().kinds["individual"].photo)  # type: ignore[arg-type]
        (folder / "王丽娜-19860314.jpg").unlink()
        with (
            pytest.raises(UserError, match=r"找不到照片“王丽娜-19860314\.jpg”"),
            store.transaction() as w,
        ):
            apply_photo_folder(w, folder, match)
        assert all(p.photo_data is None for p in store.records("individual", with_photos=True))
