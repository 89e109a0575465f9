"""Rules F2/F3 on photo files: every verdict a clerk can meet, pinned by rule ID and message."""

from __future__ import annotations

import time

import pytest
from PIL import Image

from nominator.campaign import Campaign, PhotoRules
from nominator.domain.photo import check_photo_bytes, check_photo_name, inspect_photo, make_demo_photo
from nominator.domain.problems import Problem
from tests import photo_corpus as corpus


@pytest.fixture(scope="module")
def rules(campaign: Campaign) -> PhotoRules:
    return campaign.photo


def names(filename: str, name: str | None = "张某某", birth: str | None = "19660101") -> list[Problem]:
    return check_photo_name(filename, name=name, birth=birth, target="individuals[0].photo")


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.message for p in problems]
    return problems[0]


# --- file name (F2) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename",
    ["张某某-19660101.jpg", "张某某-19660101.JPG", "张某某-19660101.jpeg", "张某某-19660101.Jpeg"],
)
def test_correct_name_with_any_jpeg_extension_passes(filename: str) -> None:
    assert names(filename) == []


def test_birth_with_hyphens_in_the_record_is_accepted() -> None:
    assert names("张某某-19660101.jpg", birth="1966-01-01") == []


def test_middle_dot_in_ethnic_names_is_allowed() -> None:
    assert names("阿依古丽·买买提-19800202.jpg", name="阿依古丽·买买提", birth="19800202") == []


def test_name_check_without_a_record_checks_the_pattern_only() -> None:
    assert names("王五-19700315.jpg", name=None, birth=None) == []


@pytest.mark.parametrize(
    ("filename", "phrase"),
    [
        ("张某某－19660101.jpg", "全角连字符“－”"),
        ("张某某—19660101.jpg", "破折号“—”"),
        ("张某某_19660101.jpg", "下划线“_”"),
        ("张某某 -19660101.jpg", "中有空格"),
        ("张某某-01011966.jpg", "日期顺序有误"),
        ("张某某-19660230.jpg", "“19660230”不是有效日期"),
        ("张某某.jpg", "缺少出生日期"),
        ("张某某-196601.jpg", "应为8位数字"),
        ("张某某-1966-01-01.jpg", "不要加分隔符"),
        ("张某某-１９６６０１０１.jpg", "全角数字"),
        ("张某某-19660101.png", "扩展名应为 .jpg"),
        ("张某某19660101.jpg", "缺少连字符"),
        ("zhangmoumou-19660101.jpg", "姓名应为中文"),
        ("阿依古丽•买买提-19660101.jpg", "间隔号“•”应为“·”"),
    ],
)
def test_each_naming_mistake_is_named_in_the_message(filename: str, phrase: str) -> None:
    problems = names(filename, name=None, birth=None)
    assert problems, filename
    assert all(p.rule == "F2" and p.severity == "error" for p in problems)
    assert any(phrase in p.message for p in problems), [p.message for p in problems]


def test_name_not_matching_the_record_says_the_expected_file_name() -> None:
    problem = only(names("李四-19660101.jpg"))
    assert "“李四”与推荐对象“张某某”不一致" in problem.message
    assert "请改为“张某某-19660101.jpg”" in problem.message


def test_birth_date_not_matching_the_record_says_the_expected_file_name() -> None:
    problem = only(names("张某某-19660102.jpg", birth="1966-01-01"))
    assert "“19660102”与推荐对象的出生日期“19660101”不一致" in problem.message
    assert "请改为“张某某-19660101.jpg”" in problem.message


def test_name_problems_point_at_the_given_target() -> None:
    assert only(names("张某某.jpg")).target.path == "individuals[0].photo"


# --- file content (F2, F3) ------------------------------------------------------------------


def verdict(data: bytes, rules: PhotoRules) -> list[Problem]:
    return check_photo_bytes(data, rules, target="photo")


def test_white_background_portrait_passes(rules: PhotoRules) -> None:
    facts = inspect_photo(corpus.jpeg(corpus.portrait()), rules, target="photo")
    assert facts.problems == ()
    assert facts.ok
    assert (facts.kind, facts.width, facts.height, facts.background) == ("JPEG", 413, 579, "白色")


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_demo_photos_pass_the_checks(rules: PhotoRules, seed: int) -> None:
    assert verdict(make_demo_photo(seed, rules), rules) == []


def test_light_blue_background_is_named_in_the_message(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)), rules))
    assert problem.rule == "F2"
    assert problem.message == "照片背景不是白色(背景偏蓝),请更换白底照片或点击“自动处理”。"


def test_standard_id_blue_background_is_named_in_the_message(rules: PhotoRules) -> None:
    assert "背景偏蓝" in only(verdict(corpus.jpeg(corpus.portrait(corpus.ID_BLUE)), rules)).message


@pytest.mark.parametrize("grey", [(200, 200, 200), (218, 218, 218)])
def test_grey_background_is_not_taken_for_white(rules: PhotoRules, grey: tuple[int, int, int]) -> None:
    assert "背景偏灰" in only(verdict(corpus.jpeg(corpus.portrait(grey)), rules)).message


def test_near_white_background_passes(rules: PhotoRules) -> None:
    assert verdict(corpus.jpeg(corpus.portrait((246, 246, 244))), rules) == []


def test_gradient_background_names_the_region_that_is_not_white(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.gradient_background()), rules))
    assert "右上角偏蓝" in problem.message
    assert "左上角" not in problem.message


def test_busy_background_is_refused(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.busy_background()), rules))
    assert problem.rule == "F2"
    assert "照片背景不是白色" in problem.message
    assert "颜色杂乱" in problem.message


def test_white_shirt_at_the_bottom_does_not_count_as_background(rules: PhotoRules) -> None:
    # A grey floor band at the bottom is ignored; only the top and upper sides are measured.
    image = corpus.portrait()
    image.paste((150, 150, 150), (0, 540, 413, 579))
    assert verdict(corpus.jpeg(image), rules) == []


def test_square_photo_is_refused_with_its_size(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.portrait(size=(600, 600))), rules))
    assert problem.rule == "F3"
    assert f"照片比例不是{rules.size_name}" in problem.message and "宽:高=5:7" in problem.message
    assert "600×600" in problem.message


def test_landscape_photo_is_called_landscape(rules: PhotoRules) -> None:
    problems = verdict(corpus.jpeg(corpus.portrait(size=(700, 500))), rules)
    assert any(p.rule == "F3" and "照片是横向的" in p.message for p in problems)


def test_shape_within_tolerance_passes(rules: PhotoRules) -> None:
    assert verdict(corpus.jpeg(corpus.portrait(size=(420, 579))), rules) == []


def test_tiny_thumbnail_is_refused_for_resolution_and_file_size(rules: PhotoRules) -> None:
    problems = verdict(corpus.jpeg(corpus.portrait(size=(100, 140))), rules)
    assert {p.rule for p in problems} == {"F3"}
    assert any("分辨率太低(100×140 像素)" in p.message and "413×579" in p.message for p in problems)
    assert any("照片文件太小" in p.message for p in problems)


def test_oversized_file_is_refused(rules: PhotoRules) -> None:
    data = corpus.jpeg(corpus.portrait(size=(413, 579)), quality=100)
    limited = PhotoRules(**{**rules.__dict__, "max_bytes": len(data) - 1})
    problem = only(verdict(data, limited))
    assert problem.rule == "F3"
    assert "照片文件太大" in problem.message


def test_cmyk_jpeg_is_flagged(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.portrait().convert("CMYK")), rules))
    assert problem.rule == "F2"
    assert "CMYK" in problem.message


def test_greyscale_jpeg_is_flagged(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.portrait().convert("L")), rules))
    assert "黑白(灰度)" in problem.message


def test_black_and_white_photo_saved_as_rgb_is_flagged(rules: PhotoRules) -> None:
    problem = only(verdict(corpus.jpeg(corpus.portrait().convert("L").convert("RGB")), rules))
    assert "看起来是黑白的" in problem.message


def test_exif_orientation_is_applied_before_measuring(rules: PhotoRules) -> None:
    data = corpus.sideways_with_exif(corpus.portrait())
    with Image.open(corpus.io.BytesIO(data)) as stored:
        assert stored.size == (579, 413)  # as stored: landscape
    facts = inspect_photo(data, rules, target="photo")
    assert facts.problems == ()
    assert (facts.width, facts.height, facts.rotated) == (413, 579, True)


def test_sideways_light_blue_photo_is_measured_upright(rules: PhotoRules) -> None:
    data = corpus.sideways_with_exif(corpus.portrait(corpus.LIGHT_BLUE))
    assert "背景偏蓝" in only(verdict(data, rules)).message


@pytest.mark.parametrize(
    ("kind", "name"),
    [("PNG", "PNG"), ("WEBP", "WebP"), ("BMP", "BMP"), ("GIF", "GIF"), ("HEIF", "HEIC"), ("TIFF", "TIFF")],
)
def test_other_formats_renamed_jpg_are_refused_by_their_real_type(
    rules: PhotoRules, kind: str, name: str
) -> None:
    problems = verdict(corpus.encoded(corpus.portrait(), kind), rules)
    assert problems[0].rule == "F2"
    assert problems[0].message.startswith(f"照片文件实际是 {name} 格式")
    assert "另存为 JPG" in problems[0].message


def test_heic_header_is_recognised_by_content(rules: PhotoRules) -> None:
    data = corpus.encoded(corpus.portrait(), "HEIF")
    assert data[4:12] == b"ftypheic"
    assert verdict(data, rules)[0].message.startswith("照片文件实际是 HEIC 格式")


def test_text_file_renamed_jpg_is_not_an_image(rules: PhotoRules) -> None:
    problem = only(verdict("这不是照片".encode() * 3000, rules))
    assert problem.message.startswith("无法识别这个文件,它不是图片或已损坏")


def test_format_pillow_reads_but_we_do_not_sniff_is_named(rules: PhotoRules) -> None:
    problems = verdict(corpus.encoded(corpus.portrait(), "TGA"), rules)
    assert problems[0].message.startswith("照片文件实际是 TGA 格式")


def test_zero_byte_file_is_refused(rules: PhotoRules) -> None:
    problem = only(verdict(b"", rules))
    assert problem.rule == "F2"
    assert "照片文件是空的(0 字节)" in problem.message


def test_truncated_jpeg_is_refused(rules: PhotoRules) -> None:
    full = corpus.jpeg(corpus.portrait(size=(826, 1158)))
    problems = verdict(full[: len(full) // 2], rules)
    assert [p.message for p in problems if p.rule == "F2"] == [
        "照片文件不完整或已损坏,请重新拷贝或导出原始照片。"
    ]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(corpus.jpeg_claiming_size(60000, 60000), id="jpeg-3.6-gigapixel"),
        pytest.param(corpus.jpeg_claiming_size(10000, 10000), id="jpeg-100-megapixel"),
        pytest.param(corpus.jpeg_claiming_size(8000, 8000), id="jpeg-64-megapixel"),
        pytest.param(corpus.jpeg_claiming_size(30000, 600), id="jpeg-very-wide"),
        pytest.param(corpus.png_claiming_size(100000, 100000), id="png-10-gigapixel"),
    ],
)
def test_decompression_bombs_are_refused_within_a_second(rules: PhotoRules, data: bytes) -> None:
    start = time.perf_counter()
    problems = verdict(data, rules)
    assert time.perf_counter() - start < 1.0
    assert any(p.rule == "F3" and "照片尺寸异常巨大" in p.message for p in problems)


def test_big_camera_photo_is_checked_within_a_second(rules: PhotoRules) -> None:
    data = corpus.jpeg(corpus.portrait(size=(3000, 4200)))
    start = time.perf_counter()
    assert verdict(data, rules) == []
    assert time.perf_counter() - start < 1.0


def test_summary_reads_like_a_sentence(rules: PhotoRules) -> None:
    facts = inspect_photo(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)), rules, target="photo")
    assert facts.summary().startswith("JPEG,413×579 像素,背景偏蓝,")


@pytest.mark.parametrize(
    "filename", ["IMG_0001.jpg", "zhang-1966.png", "DSC 0042.JPG", "微信图片_20251201.jpg"]
)
def test_a_name_with_several_faults_gets_one_line_saying_what_it_should_be(filename: str) -> None:
    problem = only(names(filename))
    assert (
        problem.message
        == f"照片文件名“{filename}”不符合“姓名-出生日期.jpg”的格式,请改为“张某某-19660101.jpg”。"
    )
    without_record = only(names(filename, name=None, birth=None))
    assert "例如“张某某-19660101.jpg”" in without_record.message
