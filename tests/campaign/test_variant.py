"""The shipped example campaign — the Liaoning notice with other numbers — goes through demo, check,
export, template and photo check/fix with no code change: every changed value shows up in the
outputs, and none of the old values remains."""

from __future__ import annotations

import email
import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from nominator.campaign import load_campaign
from nominator.cli import main
from nominator.domain.photo import make_demo_photo

VARIANT = "example-zwgk-2026"
# What the example changes, and the Liaoning values it replaces (none may remain anywhere).
NEW = {
    "mailbox": "zwgk-biaozhang@example.gov.cn",
    "subject": "沈阳市政务公开表彰推荐材料(示例省)",
    "stage": "预审",
    "copies": "一式3份",
    "issuer": "省表彰工作办公室",
    "addressee": "省政府办公厅政务公开处",
}
OLD = [
    "zfxxgk@ln.gov.cn",
    "全省政务公开工作表彰上报材料",
    "初审",
    "一式5份",
    "省政府办公厅政务公开办公室",
    "省评选表彰办",
    "辽宁省",
    "413×579",
    "35×49",
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def texts_of(path: Path) -> str:
    """Every word a reader of the file could see: the parts of a package, a mail's headers and text."""
    if path.suffix in (".docx", ".xlsx"):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(
                html.unescape(re.sub(r"<[^>]+>", "", archive.read(n).decode("utf-8")))
                for n in archive.namelist()
                if n.endswith(".xml")
            )
    if path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes())
        body = [
            part.get_payload(decode=True).decode("utf-8")
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        ]
        return "\n".join([str(message["To"]), str(message["Subject"]), *body])
    return ""


@pytest.fixture()
def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    db = tmp_path / "示例.nominator"
    said = run(capsys, "demo", "--db", str(db), "--campaign", VARIANT)[1]
    for stage in ("initial", "formal"):
        code, out, _ = run(capsys, "check", "--db", str(db), "--stage", stage)
        assert code == 0, out
        said += out
        code, out, _ = run(
            capsys, "export", "--db", str(db), "--stage", stage, "--out", str(tmp_path / "out")
        )
        assert code == 0, out
        said += out
    return tmp_path / "out", said


def test_folders_files_and_mail_carry_the_new_values(exported: tuple[Path, str]) -> None:
    out, said = exported
    folders = sorted(p.name for p in out.iterdir())
    assert folders == [f"{NEW['subject']}-正式", f"{NEW['subject']}-{NEW['stage']}"]
    initial = out / f"{NEW['subject']}-{NEW['stage']}"
    eml = email.message_from_bytes((initial / f"{NEW['subject']}.eml").read_bytes())
    assert eml["To"] == NEW["mailbox"]
    assert str(email.header.make_header(email.header.decode_header(eml["Subject"]))) == NEW["subject"]
    body = texts_of(initial / f"{NEW['subject']}.eml")
    for word in (NEW["addressee"], NEW["copies"], NEW["stage"]):
        assert word in body
    names = [p.name for p in (initial / NEW["subject"]).iterdir()]
    assert "1.预审推荐工作报告.docx" in names
    assert any(n.startswith("2.附件2 示例省政务公开工作先进集体预审推荐登记表") for n in names)
    assert (initial / "打印合集-预审.docx").is_file() and (initial / "报送材料清单-预审.docx").is_file()
    checklist = texts_of(initial / "报送材料清单-预审.docx")
    assert NEW["copies"] in checklist and "×3" in checklist
    assert (NEW["issuer"] in said and "上浮" not in said) or "上浮30%" in said


def test_photos_are_the_new_size_on_disk_and_on_the_photo_sheet(exported: tuple[Path, str]) -> None:
    out, _ = exported
    formal = out / f"{NEW['subject']}-正式"
    photos = sorted((formal / NEW["subject"] / "照片").glob("*.jpg"))
    assert photos
    with Image.open(photos[0]) as image:
        assert image.size == (413, 531)
    sheet = texts_of(formal / "照片打印页-正式.docx")
    assert "小二寸" in sheet and "35×45" in sheet and "每人 4 张" in sheet
    checklist = texts_of(formal / "报送材料清单-正式.docx")
    assert "小二寸彩色证件照" in checklist and "每人4张" in checklist


def test_no_old_value_remains_in_what_the_program_writes(exported: tuple[Path, str]) -> None:
    out, said = exported
    leftovers = [(word, "命令行输出") for word in OLD if word in said]
    for path in out.rglob("*"):
        if path.name == path.name.split(".")[0] or path.suffix == ".pdf":
            continue
        seen = texts_of(path) + path.name
        leftovers += [(word, path.name) for word in OLD if word in seen]
    assert not leftovers


def test_the_excel_template_follows_the_campaign(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "模板.xlsx"
    assert run(capsys, "template", "--out", str(out), "--campaign", VARIANT)[0] == 0
    wb = load_workbook(out)
    guide = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "示例省政务公开工作先进集体和先进个人评选表彰(示例)" in guide
    headers = [c.value for c in wb["先进个人"][1]]
    assert "2025年度考核结果" in headers and "2022年度考核结果" not in headers
    assert not any("初审" in str(h) for sheet in wb.worksheets for h in sheet[1] if h.value)


def test_photo_check_and_fix_use_the_campaigns_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    liaoning = load_campaign("liaoning-zwgk-2025")
    two_inch = tmp_path / "张某某-19660101.jpg"
    two_inch.write_bytes(make_demo_photo(0, liaoning.photo))
    code, out, _ = run(capsys, "photo", "check", str(two_inch), "--json", "--campaign", VARIANT)
    result = json.loads(out)
    assert code == 1
    assert any("小二寸" in p["message"] and "35×45" in p["message"] for p in result["problems"])
    fixed = tmp_path / "fixed"
    code, out, _ = run(
        capsys, "photo", "fix", str(two_inch), "--name", "张某某", "--birth", "19660101", "--out", str(fixed),
        "--campaign", VARIANT,
    )  # fmt: skip
    assert code == 0, out
    with Image.open(io.BytesIO((fixed / "张某某-19660101.jpg").read_bytes())) as image:
        assert image.size == (413, 531)
    # the Liaoning campaign still takes the 2-inch photo as it is
    assert run(capsys, "photo", "check", str(two_inch), "--campaign", "liaoning-zwgk-2025")[0] == 0


def test_check_messages_quote_the_campaigns_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.nominator"
    assert run(capsys, "demo", "--db", str(db), "--campaign", VARIANT)[0] == 0
    from nominator.store.session import Store

    with Store.open(db) as store:
        unit = store.unit()
        unit.allocation.individuals = 5  # 5 × 1.3 → 7 (6.5 rounded half up); the demo has 10
        unit.overrides = {}
        with store.transaction() as w:
            w.update_unit(unit)
    code, out, _ = run(capsys, "check", "--db", str(db), "--stage", "initial", "--json")
    messages = [p["message"] for p in json.loads(out)["problems"]]
    assert code == 1
    assert any("可上浮30%推荐7名" in m and "请删减3名" in m for m in messages)
    assert any("省表彰工作办公室" in m and "预审材料" in m for m in messages)  # D1, the deadline has passed


def test_a_campaign_that_renames_what_is_recommended_prints_its_own_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer's edit of the documented keys: the kinds, a stage and a field renamed, another
    organiser and allocation table; the Liaoning templates reused. No old word is left anywhere."""
    from nominator.paths import resources_dir

    text = (resources_dir() / "campaigns" / "liaoning-zwgk-2025.toml").read_text(encoding="utf-8")
    for old, new in (
        ('id = "liaoning-zwgk-2025"', 'id = "jilin-zwgk-2027"'),
        ('label = "先进集体"\nmeasure = "个"', 'label = "优秀集体"\nmeasure = "个"'),
        ('label = "先进个人"\nmeasure = "名"', 'label = "优秀个人"\nmeasure = "名"'),
        ('short_title = "政务公开工作先进集体和先进个人"', 'short_title = "政务公开工作优秀集体和优秀个人"'),
        ('issuer = "省评选表彰办"', 'issuer = "省表彰办"'),
        ('source = "附件10"', 'source = "附件8"'),
        ('label = "所在单位公示"', 'label = "本单位公示"'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    text = text.replace("先进集体", "优秀集体").replace("先进个人", "优秀个人")
    text = text.replace("辽宁省", "吉林省").replace("初审", "预选")
    source = tmp_path / "jilin-zwgk-2027.toml"
    source.write_text(text, encoding="utf-8")
    db = tmp_path / "j.nominator"
    assert run(capsys, "demo", "--db", str(db), "--campaign", str(source))[0] == 0
    for stage in ("initial", "formal"):
        code, out, _ = run(
            capsys, "export", "--db", str(db), "--stage", stage, "--out", str(tmp_path / "out")
        )
        assert code == 0, out
    old_words = ["先进集体", "先进个人", "辽宁", "初审", "省评选表彰办", "附件10", "所在单位公示"]
    leftovers = []
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file() and path.suffix != ".pdf":
            seen = texts_of(path) + path.name
            leftovers += [(word, path.name) for word in old_words if word in seen]
    assert not leftovers
