"""Photos by folder: each `姓名-YYYYMMDD.jpg` finds its nominee, and every mismatch says why."""

from __future__ import annotations

from nominator.campaign import PhotoFields, load_campaign
from nominator.domain.model import Individual, Nominee
from nominator.domain.photo_match import PhotoMatch
from nominator.domain.photo_match import match_photos as match_by_fields

PHOTO = load_campaign("liaoning-zwgk-2025").kinds["individual"].photo
assert PHOTO is not None


def match_photos(files: list[str], people: list[Nominee], fields: PhotoFields = PHOTO) -> PhotoMatch:
    """The folder matched by the fields the campaign names its photos after (F2)."""
    return match_by_fields(files, people, fields)


def person(name: str, birth: str = "", *, id: int | None = None, photo: bytes | None = None) -> Individual:
    return Individual(name=name, birth_date=birth, id=id, photo_data=photo)


def test_a_photo_is_matched_by_name_and_birth_date() -> None:
    people = [person("王丽娜", "1986-03-14", id=7), person("李建国", "1975-11-02", id=8)]
    match = match_photos(["李建国-19751102.jpg", "王丽娜-19860314.JPG"], people)
    assert [(m.file, m.index, m.individual_id) for m in match.matched] == [
        ("李建国-19751102.jpg", 1, 8),
        ("王丽娜-19860314.JPG", 0, 7),
    ]
    assert match.mismatches == []
    assert match.summary() == "匹配成功 2 张。"


def test_two_people_of_the_same_name_are_told_apart_by_birth_date() -> None:
    people = [person("张伟", "1980-01-01", id=1), person("张伟", "1985-05-05", id=2)]
    (matched,) = match_photos(["张伟-19850505.jpg"], people).matched
    assert matched.individual_id == 2


def test_a_photo_without_a_nominee_says_so() -> None:
    match = match_photos(["赵六-19900101.jpg"], [person("王丽娜", "1986-03-14")])
    assert [u.message for u in match.no_nominee] == [
        "“赵六-19900101.jpg”:没有名为“赵六”的推荐对象。请核对姓名,或先添加该推荐对象。"
    ]


def test_same_name_without_birth_dates_cannot_be_decided() -> None:
    people = [person("张伟"), person("张伟", "1985-05-05"), person("张伟")]
    (unmatched,) = match_photos(["张伟-19800101.jpg"], people).two_candidates
    assert unmatched.indexes == (0, 2)
    assert "有2名推荐对象叫“张伟”,出生日期未填或相同" in unmatched.message


def test_a_wrong_date_names_both_dates() -> None:
    (unmatched,) = match_photos(["李建国-19751103.jpg"], [person("李建国", "1975-11-02")]).wrong_date
    assert unmatched.message == (
        "“李建国-19751103.jpg”:文件名中的出生日期是1975-11-03,推荐对象“李建国”的出生日期是1975-11-02。"
        "请核对后改正文件名或推荐对象的出生日期。"
    )


def test_the_only_nominee_of_that_name_gets_the_photo_and_a_reminder_to_fill_the_birth_date() -> None:
    (matched,) = match_photos(["陈伟-19790417.jpg"], [person("陈伟", id=3)]).matched
    assert matched.individual_id == 3
    assert matched.message == "“陈伟-19790417.jpg”→ 陈伟。该推荐对象尚未填写出生日期,请补填为1979-04-17。"


def test_names_that_are_not_photo_names_give_the_reason_and_system_files_are_ignored() -> None:
    match = match_photos(
        ["王丽娜.jpg", "王丽娜-19860314.png", "Thumbs.db", "~$草稿.jpg"], [person("王丽娜", "1986-03-14")]
    )
    reasons = {u.file: u.message for u in match.not_photo_name}
    assert set(reasons) == {"王丽娜.jpg", "王丽娜-19860314.png"}
    assert "缺少出生日期" in reasons["王丽娜.jpg"]
    assert "扩展名应为 .jpg" in reasons["王丽娜-19860314.png"]
    assert match.matched == []


def test_a_second_photo_of_the_same_nominee_is_listed_not_used() -> None:
    match = match_photos(
        ["王丽娜-19860314.jpeg", "王丽娜-19860314.jpg"], [person("王丽娜", "1986-03-14", id=1)]
    )
    assert [m.file for m in match.matched] == ["王丽娜-19860314.jpeg"]
    assert [u.message for u in match.repeated] == [
        "“王丽娜-19860314.jpg”:与“王丽娜-19860314.jpeg”是同一推荐对象的照片,只使用“王丽娜-19860314.jpeg”。"
    ]


def test_replacing_an_existing_photo_is_announced() -> None:
    (matched,) = match_photos(["王丽娜-19860314.jpg"], [person("王丽娜", "1986-03-14", photo=b"old")]).matched
    assert matched.replaces and matched.message == "“王丽娜-19860314.jpg”→ 王丽娜(替换现有照片)"


def test_the_fields_a_photo_is_named_after_are_the_campaigns() -> None:
    """A kind whose photo is named after other fields is matched by those (nothing assumes 姓名/出生日期)."""
    people = [Individual(id=1, values={"full_name": "王丽娜", "born": "1986-03-14"})]
    (matched,) = match_photos(["王丽娜-19860314.jpg"], people, PhotoFields("full_name", "born")).matched
    assert (matched.individual_id, matched.name) == (1, "王丽娜")
