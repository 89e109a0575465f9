"""The fix tells the checker's verdict on its own output from the pixels it painted, where they
leave no doubt: that verdict must be the one `photo check` gives on the file it wrote."""

from __future__ import annotations

import pytest
from PIL import Image, ImageOps

from nominator.campaign import Campaign, PhotoRules
from nominator.domain.photo import certain_verdict, inspect_photo
from nominator.domain.photofix import fix_photo
from nominator.errors import UserError
from tests import photo_corpus as corpus


@pytest.fixture(scope="module")
def rules(campaign: Campaign) -> PhotoRules:
    return campaign.photo


def grey_person_on_blue() -> Image.Image:
    """Only the backdrop has colour: once it is white the photo is black and white."""
    image = ImageOps.grayscale(corpus.portrait()).convert("RGB")
    backdrop = Image.new("RGB", image.size, corpus.LIGHT_BLUE)
    backdrop.paste(image, mask=corpus.person_mask(image.size))
    return backdrop


def head_in_the_corner() -> Image.Image:
    """The person pushed up and left, their hair in the top-left region the checker measures."""
    image = Image.new("RGB", (413, 579), corpus.LIGHT_BLUE)
    image.paste(corpus.portrait(corpus.LIGHT_BLUE), (-120, -70))
    return image


SOURCES = {
    "light blue": lambda: corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)),
    "standard blue": lambda: corpus.jpeg(corpus.portrait(corpus.ID_BLUE, seed=3)),
    "grey": lambda: corpus.jpeg(corpus.portrait(corpus.GREY, seed=5)),
    "tall, cropped": lambda: corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE, size=(600, 1000))),
    "off centre": lambda: corpus.jpeg(corpus.off_centre()),
    "phone, sideways": lambda: corpus.sideways_with_exif(corpus.portrait(corpus.LIGHT_BLUE, (1200, 1680))),
    "PNG": lambda: corpus.encoded(corpus.portrait(corpus.ID_BLUE), "PNG"),
    "grey person on blue": lambda: corpus.jpeg(grey_person_on_blue()),
}


@pytest.mark.parametrize("source", SOURCES)
def test_the_fix_reports_what_photo_check_says_of_its_output(rules: PhotoRules, source: str) -> None:
    result = fix_photo(SOURCES[source](), rules, name="张某某", birth="19660101")
    assert result.after == inspect_photo(result.data, rules, target=result.file_name)


def test_hair_left_in_a_measured_corner_is_judged_from_the_file_and_refused(rules: PhotoRules) -> None:
    with pytest.raises(UserError, match="背景复杂"):
        fix_photo(corpus.jpeg(head_in_the_corner()), rules, name="张某某", birth="19660101")


def test_no_verdict_is_told_where_the_pixels_leave_doubt(rules: PhotoRules) -> None:
    # a grey photo and a background region holding hair: the file itself must be checked
    assert (
        certain_verdict(grey_person_on_blue().convert("L").convert("RGB"), 30_000, rules, target="x") is None
    )
    assert certain_verdict(corpus.portrait(corpus.LIGHT_BLUE), 30_000, rules, target="x") is None
    white = corpus.portrait(corpus.WHITE)
    verdict = certain_verdict(white, 30_000, rules, target="x")
    assert verdict is not None and verdict.ok and verdict.background == "白色"
