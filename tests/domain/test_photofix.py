"""The one-click fix: a correct 2-inch white JPEG from a near miss, or an honest refusal."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from nominator.campaign import Campaign, PhotoRules
from nominator.domain.photo import check_photo_bytes, check_photo_name
from nominator.domain.photofix import FixResult, fix_photo, two_inch_copy
from nominator.errors import UserError
from tests import photo_corpus as corpus


@pytest.fixture(scope="module")
def rules(campaign: Campaign) -> PhotoRules:
    return campaign.photo


def fix(data: bytes, rules: PhotoRules) -> FixResult:
    return fix_photo(data, rules, name="张某某", birth="1966-01-01")


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_light_blue_id_photo_becomes_a_white_two_inch_photo_that_passes(rules: PhotoRules) -> None:
    result = fix(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)), rules)
    image = opened(result.data)
    assert image.format == "JPEG"
    assert image.size == (413, 579)
    assert image.info["dpi"] == pytest.approx((300, 300))
    assert not image.info.get("progressive")
    assert check_photo_bytes(result.data, rules, target="photo") == []
    assert result.after.background == "白色"
    assert "背景已处理为白色(原为偏蓝)" in result.changes


def test_fixing_the_background_leaves_the_person_untouched(rules: PhotoRules) -> None:
    size = (413, 579)
    on_white = corpus.portrait(corpus.WHITE, size)
    result = opened(fix(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE, size)), rules).data).convert("RGB")
    # Inside the person (away from the soft edge) the fixed photo matches the same person on white.
    inside = corpus.person_mask(size).filter(ImageFilter.MinFilter(9))
    diff = ImageChops.difference(result, on_white).convert("L")
    mean_inside = ImageStat.Stat(diff, mask=inside).mean[0]
    assert mean_inside < 4
    # And everything outside the person is white, up to JPEG ringing next to the edge.
    outside = ImageChops.invert(corpus.person_mask(size).filter(ImageFilter.MaxFilter(9)))
    stat = ImageStat.Stat(result.convert("L"), mask=outside)
    assert stat.mean[0] > 254.5
    assert stat.extrema[0][0] >= 240


def test_standard_blue_and_grey_backgrounds_are_whitened(rules: PhotoRules) -> None:
    for colour in (corpus.ID_BLUE, corpus.GREY):
        result = fix(corpus.jpeg(corpus.portrait(colour)), rules)
        assert check_photo_bytes(result.data, rules, target="photo") == [], colour


def test_file_name_comes_from_the_record(rules: PhotoRules) -> None:
    result = fix(corpus.jpeg(corpus.portrait()), rules)
    assert result.file_name == "张某某-19660101.jpg"
    assert check_photo_name(result.file_name, name="张某某", birth="19660101", target="photo") == []


def test_off_centre_landscape_snapshot_is_cropped_around_the_person(rules: PhotoRules) -> None:
    result = fix(corpus.jpeg(corpus.off_centre()), rules)
    image = opened(result.data).convert("L")
    assert image.size == (413, 579)
    assert "已按人像位置裁剪为 5:7" in result.changes
    # The person's dark suit and hair sit in the middle: the left and right thirds balance.
    left = ImageStat.Stat(image.crop((0, 0, 138, 579))).mean[0]
    right = ImageStat.Stat(image.crop((275, 0, 413, 579))).mean[0]
    assert abs(left - right) < 12
    assert check_photo_bytes(result.data, rules, target="photo") == []


def test_tall_photo_is_cropped_with_headroom_above_the_head(rules: PhotoRules) -> None:
    result = fix(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE, size=(600, 1000))), rules)
    image = opened(result.data).convert("L")
    rows = [ImageStat.Stat(image.crop((0, y, 413, y + 1))).extrema[0][0] for y in range(579)]
    head_top = next(y for y, darkest in enumerate(rows) if darkest < 128)
    assert 0.04 * 579 < head_top < 0.14 * 579
    assert check_photo_bytes(result.data, rules, target="photo") == []


def test_big_camera_photo_is_reduced_to_the_print_size(rules: PhotoRules) -> None:
    result = fix(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE, size=(3000, 4200))), rules)
    assert opened(result.data).size == (413, 579)
    assert "已缩放为 413×579 像素" in result.changes


def test_sideways_phone_photo_is_turned_upright(rules: PhotoRules) -> None:
    result = fix(corpus.sideways_with_exif(corpus.portrait(corpus.LIGHT_BLUE)), rules)
    image = opened(result.data)
    assert image.size == (413, 579)
    assert image.getexif().get(0x0112, 1) == 1
    assert "已按拍摄方向旋转" in result.changes
    top_band = ImageStat.Stat(image.convert("L").crop((0, 0, 413, 40))).mean[0]
    assert top_band > 250  # the head is at the top edge's side, not the shoulders


@pytest.mark.parametrize(("kind", "name"), [("PNG", "PNG"), ("WEBP", "WebP"), ("HEIF", "HEIC")])
def test_other_formats_are_converted_to_jpeg(rules: PhotoRules, kind: str, name: str) -> None:
    result = fix(corpus.encoded(corpus.portrait(corpus.LIGHT_BLUE), kind), rules)
    assert opened(result.data).format == "JPEG"
    assert f"已由 {name} 转为 JPG" in result.changes
    assert check_photo_bytes(result.data, rules, target="photo") == []


def test_cmyk_is_converted_to_rgb(rules: PhotoRules) -> None:
    result = fix(corpus.jpeg(corpus.portrait().convert("CMYK")), rules)
    assert opened(result.data).mode == "RGB"
    assert "已转为 RGB 彩色" in result.changes


def test_transparent_png_background_becomes_white(rules: PhotoRules) -> None:
    cutout = corpus.portrait().convert("RGBA")
    cutout.putalpha(corpus.person_mask((413, 579)))
    result = fix(corpus.encoded(cutout, "PNG"), rules)
    assert check_photo_bytes(result.data, rules, target="photo") == []


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(corpus.jpeg(corpus.busy_background()), id="busy"),
        pytest.param(corpus.jpeg(corpus.gradient_background()), id="gradient"),
    ],
)
def test_busy_background_is_refused_honestly(rules: PhotoRules, data: bytes) -> None:
    with pytest.raises(UserError, match="背景复杂,无法自动处理为白底"):
        fix(data, rules)


def test_tiny_photo_is_refused_rather_than_blown_up(rules: PhotoRules) -> None:
    with pytest.raises(UserError, match=r"照片分辨率太低.*请提供更清晰的原始照片"):
        fix(corpus.jpeg(corpus.portrait(size=(200, 280))), rules)


def test_greyscale_photo_is_refused(rules: PhotoRules) -> None:
    with pytest.raises(UserError, match="黑白"):
        fix(corpus.jpeg(corpus.portrait().convert("L")), rules)


def test_empty_background_without_a_person_is_refused(rules: PhotoRules) -> None:
    with pytest.raises(UserError, match="没有找到人像"):
        fix(corpus.jpeg(Image.new("RGB", (800, 800), corpus.LIGHT_BLUE)), rules)


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        pytest.param(b"", "0 字节", id="empty"),
        pytest.param(corpus.jpeg(corpus.portrait())[:5000], "不完整或已损坏", id="truncated"),
        pytest.param(corpus.jpeg_claiming_size(60000, 60000), "异常巨大", id="bomb"),
    ],
)
def test_unreadable_files_are_refused_with_the_checkers_words(
    rules: PhotoRules, data: bytes, phrase: str
) -> None:
    with pytest.raises(UserError, match=phrase):
        fix(data, rules)


@pytest.mark.parametrize("birth", ["19660230", "1966", "abc"])
def test_impossible_birth_date_is_refused(rules: PhotoRules, birth: str) -> None:
    with pytest.raises(UserError, match="不是有效日期"):
        fix_photo(corpus.jpeg(corpus.portrait()), rules, name="张某某", birth=birth)


def test_two_inch_copy_for_printing_has_the_right_shape(rules: PhotoRules) -> None:
    copy = opened(two_inch_copy(corpus.jpeg(corpus.portrait(size=(900, 900))), rules))
    assert copy.size == (413, 579)


def test_a_photo_that_is_already_right_is_kept_byte_for_byte(rules: PhotoRules) -> None:
    """Fixing a correct photo again changes nothing: no second JPEG generation, same bytes."""
    right = fix(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)), rules).data
    again = fix(right, rules)
    assert again.data == right
    assert again.changes == ("照片已符合要求,内容未作改动",)
    assert again.file_name == "张某某-19660101.jpg"


def test_a_right_sized_white_photo_at_the_wrong_dpi_is_still_saved_again(rules: PhotoRules) -> None:
    right = opened(fix(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)), rules).data)
    buffer = io.BytesIO()
    right.save(buffer, "JPEG", quality=95, dpi=(72, 72))
    result = fix(buffer.getvalue(), rules)
    assert result.data != buffer.getvalue()
    assert opened(result.data).info["dpi"] == pytest.approx((rules.dpi, rules.dpi))
