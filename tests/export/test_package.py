"""The stage package as a clerk receives it: the numbered electronic set, the zip that any unzip
tool reads, the draft mail, the print set and checklist; refusals and failures leave nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import errno
import shutil
import zipfile
from pathlib import Path

import pytest

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.export import package
from nominator.export.bundle import read_zip_names
from nominator.export.office import page_count
from nominator.export.package import ExportCancelled, ExportRefused, export_stage, export_stage_cli
from nominator.store.session import Store

TODAY = dt.date(2025, 12, 21)
SUBJECT = "沈阳市全省政务公开工作表彰上报材料"


def export(dossier: Dossier, campaign: Campaign, stage: str, out: Path, **kw: object) -> package.ExportResult:
    return export_stage(dossier, campaign, stage, out, today=TODAY, make_pdf=False, **kw)  # type: ignore[arg-type]


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_initial_package_has_the_numbered_electronic_set_in_the_notices_order(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    result = export(demo_dossier, campaign, "initial", tmp_path)
    assert result.folder == tmp_path / f"{SUBJECT}-初审"
    names = [p.name for p in result.electronic]
    assert names[0] == "1.初审推荐工作报告.docx"
    assert (
        names[1]
        == "2.附件2 辽宁省政务公开工作先进集体初审推荐登记表(沈阳市和平区人民政府办公室政务公开科).docx"
    )
    attachments = [int(n.split("附件")[1].split(" ")[0]) for n in names[1:]]
    assert attachments == sorted(attachments) and set(attachments) == {2, 3, 4, 9}
    assert [int(n.split(".")[0]) for n in names] == list(range(1, len(names) + 1))
    assert names[-1] == "18.附件9 沈阳市政务公开工作先进集体和先进个人评选表彰工作机构成员名单.docx"
    assert visible(result.folder) == sorted(
        [SUBJECT, f"{SUBJECT}.zip", f"{SUBJECT}.eml", "打印合集-初审.docx", "报送材料清单-初审.docx"]
    )


def test_formal_package_carries_photos_named_after_the_record_and_print_aids(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    result = export(demo_dossier, campaign, "formal", tmp_path)
    photos = sorted((result.folder / SUBJECT / "照片").iterdir())
    expected = sorted(f"{p.name}-{p.birth_date.replace('-', '')}.jpg" for p in demo_dossier.individuals)
    assert [p.name for p in photos] == expected
    assert (
        result.folder / SUBJECT / "照片" / "王丽娜-19860314.jpg"
    ).read_bytes() == demo_dossier.individuals[0].photo_data
    assert result.photo_sheet is not None and result.photo_sheet.name == "照片打印页-正式.docx"
    assert result.label_sheet is not None and result.label_sheet.exists()
    numbers = {int(p.name.split("附件")[1].split(" ")[0]) for p in result.electronic if "附件" in p.name}
    assert numbers == {5, 6, 7, 8}


def test_zip_names_read_right_as_gbk_and_as_utf8(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    result = export(demo_dossier, campaign, "formal", tmp_path)
    expected = {f"{SUBJECT}/{p.relative_to(result.folder / SUBJECT).as_posix()}" for p in result.electronic}
    names = read_zip_names(result.zip)
    assert {n.as_cp936 for n in names} == expected  # Windows Explorer, WinRAR, 360压缩 (GBK)
    assert {n.unicode_extra for n in names} == expected  # Info-ZIP 0x7075 readers (UTF-8)
    assert not any(n.utf8_flag for n in names)
    with zipfile.ZipFile(result.zip, metadata_encoding="cp936") as zf:
        assert set(zf.namelist()) == expected
        assert zf.read(f"{SUBJECT}/照片/王丽娜-19860314.jpg") == demo_dossier.individuals[0].photo_data


def test_a_name_gbk_cannot_hold_is_stored_as_flagged_utf8(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.collectives[0].name = "沈阳市𠀾区政务公开科"  # an ideograph outside GBK
    result = export(demo_dossier, campaign, "initial", tmp_path)
    flagged = [n for n in read_zip_names(result.zip) if n.utf8_flag]
    assert [n.as_cp936 for n in flagged] == [
        f"{SUBJECT}/2.附件2 辽宁省政务公开工作先进集体初审推荐登记表(沈阳市𠀾区政务公开科).docx"
    ]
    with zipfile.ZipFile(result.zip) as zf:  # Python reads flagged names as UTF-8
        assert any("𠀾" in n for n in zf.namelist())


def test_eml_is_a_ready_draft_with_the_exact_subject(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    result = export(demo_dossier, campaign, "initial", tmp_path)
    raw = result.eml.read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["To"] == "zfxxgk@ln.gov.cn"
    assert msg["Subject"] == SUBJECT
    assert msg["X-Unsent"] == "1"
    assert msg["From"] is None and msg["Date"] is None
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_filename() == f"{SUBJECT}.zip"
    assert attachment.get_content() == result.zip.read_bytes()
    assert b"filename*=UTF-8''" in raw and b'name="=?utf-8?b?' in raw  # RFC 2231 and RFC 2047
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None and "沈阳市" in body.get_content() and "郭静" in body.get_content()


def test_export_refuses_while_errors_remain_and_writes_nothing(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.individuals[0].birth_date = "1986-02-30"
    with pytest.raises(ExportRefused) as refused:
        export(demo_dossier, campaign, "initial", tmp_path / "out")
    assert "1 项错误" in str(refused.value)
    assert [p.target.path for p in refused.value.problems] == ["individuals[0].birth_date"]
    assert not (tmp_path / "out").exists() or visible(tmp_path / "out") == []


def test_a_warning_needs_its_written_reason_before_export(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.individuals[1].rank = "副厅级及以上"
    with pytest.raises(ExportRefused, match="1 项警告尚未填写说明"):
        export(demo_dossier, campaign, "initial", tmp_path)
    demo_dossier.individuals[1].overrides["E1"] = "经研究同意推荐"
    assert export(demo_dossier, campaign, "initial", tmp_path).folder.exists()


def test_a_second_export_gets_a_new_folder_and_the_first_is_untouched(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    first = export(demo_dossier, campaign, "initial", tmp_path)
    before = {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()}
    second = export(demo_dossier, campaign, "initial", tmp_path)
    assert second.folder.name == f"{SUBJECT}-初审(2)"
    assert {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()} == before
    # rendering is stable: the same data gives the same documents and the same zip
    assert [p.read_bytes() for p in first.electronic] == [p.read_bytes() for p in second.electronic]
    assert first.zip.read_bytes() == second.zip.read_bytes()


def test_cancel_leaves_no_half_package(tmp_path: Path, demo_dossier: Dossier, campaign: Campaign) -> None:
    calls = []

    def cancel_at_third_step() -> bool:
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(ExportCancelled):
        export(demo_dossier, campaign, "formal", tmp_path, cancelled=cancel_at_third_step)
    assert visible(tmp_path) == []


def test_disk_full_gives_a_message_and_leaves_no_debris(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = export(demo_dossier, campaign, "initial", tmp_path)
    before = sorted(p.name for p in earlier.folder.rglob("*"))

    def full(*_args: object, **_kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(package, "write_zip", full)  # the parts of a split mail
    monkeypatch.setattr(package.BundleZip, "add", full)  # the zip, written as the documents come
    with pytest.raises(UserError, match="磁盘空间不足"):
        export(demo_dossier, campaign, "initial", tmp_path)
    assert visible(tmp_path) == [f"{SUBJECT}-初审"]  # only the earlier package; no temp folder
    assert sorted(p.name for p in earlier.folder.rglob("*")) == before


def test_oversized_zip_is_said_plainly(tmp_path: Path, demo_dossier: Dossier, campaign: Campaign) -> None:
    small = dataclasses.replace(campaign, email=dataclasses.replace(campaign.email, mailbox_limit_mb=0))
    result = export(demo_dossier, small, "initial", tmp_path)
    assert result.zip_too_big
    assert any("超过邮箱 0MB 的限制" in n for n in result.notes)


def test_folder_path_too_long_for_windows_is_refused_before_writing(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    deep = tmp_path / ("很深的文件夹" * 10) / ("很深的文件夹" * 10)
    with pytest.raises(UserError, match="路径太长"):
        export(demo_dossier, campaign, "initial", deep)
    assert visible(deep) == []


def test_cli_export_prints_where_everything_is(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    assert export_stage_cli(db, "initial", tmp_path / "out") == 0
    out = capsys.readouterr().out
    assert f"{SUBJECT}.eml" in out and f"{SUBJECT}.zip" in out and "打印合集-初审.docx" in out


def test_cli_export_refusal_lists_the_problems(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_dossier.unit.allocation.individuals = 1
    db = tmp_path / "demo.nominator"
    with Store.create(db, campaign=demo_dossier.campaign) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    assert export_stage_cli(db, "initial", tmp_path / "out") == 1
    captured = capsys.readouterr()
    assert "[错误] Q1 名额与比例 · 先进个人:" in captured.out  # in the clerk's words, as `check` says it
    assert "请处理后再导出" in captured.err


@pytest.mark.render
@pytest.mark.parametrize("stage", ["initial", "formal"])
def test_print_set_pages_and_the_checklist_match_the_printed_parts(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, stage: str
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("soffice 不可用:无法把文档转换为 PDF 来数页数")
    from docx import Document

    from nominator.export.office import contract_page_counts, convert_to_pdf

    result = export_stage(demo_dossier, campaign, stage, tmp_path, today=TODAY)
    assert result.print_pdf is not None and not result.notes
    documents = [p for p in result.electronic if p.suffix in (".docx", ".xlsx")]
    parts = convert_to_pdf(documents, tmp_path / "parts")
    printed = [page_count(parts[p]) for p in documents]
    # the checklist's pages are the pages each document prints, and each form states them itself
    listed = [
        row.cells[2].text for row in Document(str(result.checklist)).tables[0].rows[1 : len(documents) + 1]
    ]
    assert listed == [str(n) for n in printed]
    for path, stated in contract_page_counts(documents).items():
        assert stated is None or stated == printed[documents.index(path)], path.name
    # the PDF print set: the parts in order, each 审批表 starting on a front page
    blanks, total = 0, 0
    for path, pages in zip(documents, printed, strict=True):
        if campaign.forms[package._form_key(path, campaign, stage)].duplex and total % 2:
            blanks += 1
            total += 1
        total += pages
    assert page_count(result.print_pdf) == sum(printed) + blanks
    if stage == "initial":  # the .docx print set paginates like its parts (no blank backs to add)
        whole = convert_to_pdf([result.print_set], tmp_path / "whole")[result.print_set]
        assert page_count(whole) == sum(printed)


def test_dropping_a_nominee_after_initial_removes_it_from_the_formal_package_only(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    demo_dossier.individuals[1].feedback = "dropped"  # 李建国
    initial = export(demo_dossier, campaign, "initial", tmp_path)
    formal = export(demo_dossier, campaign, "formal", tmp_path)
    assert any("李建国" in p.name for p in initial.electronic)
    assert not any("李建国" in p.name for p in formal.electronic)
    assert len([p for p in formal.electronic if p.suffix == ".jpg"]) == 9


def test_an_oversized_bundle_splits_into_mails_under_the_limit_with_the_same_subject(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    small = dataclasses.replace(campaign, email=dataclasses.replace(campaign.email, mailbox_limit_mb=0.5))
    result = export(demo_dossier, small, "formal", tmp_path)
    assert result.zip_too_big and any("拆分" in n for n in result.notes)
    parts = package.split_email_bundle(result, demo_dossier, small, "formal")
    assert len(parts) >= 2
    assert not result.zip.exists() and not result.eml.exists()  # the oversized pair is gone
    names: set[str] = set()
    for k, part in enumerate(parts, start=1):
        assert part.zip.stat().st_size <= small.email.attachment_limit_bytes()
        assert part.eml.name == f"{SUBJECT}-第{k}封(共{len(parts)}封).eml"
        msg = email.message_from_bytes(part.eml.read_bytes(), policy=email.policy.default)
        assert msg["Subject"] == SUBJECT and msg["To"] == "zfxxgk@ln.gov.cn"
        body = msg.get_body(preferencelist=("plain",))
        assert body is not None and f"第{k}封,共{len(parts)}封" in body.get_content()
        names |= {n.as_cp936 for n in read_zip_names(part.zip)}
    expected = {f"{SUBJECT}/{p.relative_to(result.folder / SUBJECT).as_posix()}" for p in result.electronic}
    assert names == expected  # every file in exactly one of the mails


def test_cli_split_flag_writes_the_parts(
    tmp_path: Path, demo_dossier: Dossier, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nominator.campaign import load_campaign, parse_campaign

    real = load_campaign(demo_dossier.campaign)
    # A campaign whose mailbox takes half a megabyte: the store keeps it and the export follows it.
    small = parse_campaign(
        real.text.replace("mailbox_limit_mb = 25", "mailbox_limit_mb = 0.5"),
        file_name="small.toml",
        forms_dir=real.forms_dir,
    )
    db = tmp_path / "demo.nominator"
    with Store.create(db, campaign=small) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    assert export_stage_cli(db, "formal", tmp_path / "out", split=True) == 0
    out = capsys.readouterr().out
    assert "已拆分为" in out and "第1封" in out
