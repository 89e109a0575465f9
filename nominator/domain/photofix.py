"""The one-click photo fix (rules F2, F3): a correct 2-inch white-background JPEG from a near miss.

fix_photo(data, rules, *, name, birth) -> FixResult. It works on bytes and never touches the
original file. What it does, in order: decode safely, apply the EXIF rotation, convert to RGB,
find the person against a plain background, crop 5:7 around them, resize to the campaign's pixel
size, paint the background white, and check its own output with the same rules the checker uses.
A busy background is refused rather than guessed at: a half-whitened photo is worse than none.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops

from nominator.campaign import PhotoRules
from nominator.domain.photo import (
    BACKGROUND_REGIONS,
    PhotoUnreadable,
    PhotoVerdict,
    certain_verdict,
    check_photo_name,
    colour_counts,
    decode,
    exif_orientation,
    expected_photo_name,
    inspect_photo,
    open_image,
    region_image,
    rgb_to_lab,
    upright,
)
from nominator.errors import UserError

BUSY = "背景复杂,无法自动处理为白底,请在纯色背景前重新拍摄,或到照相馆拍摄白底证件照。"
JPEG_QUALITY = 92

# Distances are the largest channel difference from the background colour (0-255).
# A background is "even" when 90% of its margin lies within UNEVEN of its median colour.
UNEVEN = 28
EVEN_SHARE = 0.9
# Pixels within NEAR of the background colour and connected to the border are background;
# between NEAR and FAR they are blended towards white (the soft edge of hair and shoulders).
NEAR = 40
FAR = 64
# The analysis copy: big enough to find the head, small enough for a flood fill in Python.
ANALYSIS_WIDTH = 200
# Space above the head in a 2-inch portrait, as a share of the photo's height.
HEADROOM = 0.08
# Hair-to-hair width of the head as a share of the photo's width in a 2-inch portrait.
HEAD_SHARE = 0.6
# Enlarging more than this makes a visibly soft print; such a photo is refused.
MAX_UPSCALE = 1.1


@dataclass(frozen=True)
class FixResult:
    data: bytes  # the corrected JPEG
    file_name: str  # e.g. "张某某-19660101.jpg"
    before: PhotoVerdict
    after: PhotoVerdict
    changes: tuple[str, ...]  # what was done, in the clerk's words


def fix_photo(data: bytes, rules: PhotoRules, *, name: str, birth: str) -> FixResult:
    file_name = _file_name(name, birth)
    before = inspect_photo(data, rules, target="原照片")
    if _already_right(data, before, rules):
        # Nothing to fix: decoding and encoding again would only lose quality. The copy is the
        # original's bytes under the name the notice asks for.
        return FixResult(data, file_name, before, before, ("照片已符合要求,内容未作改动",))
    picture = _load_rgb(data, rules)
    changes: list[str] = []
    if before.rotated:
        changes.append("已按拍摄方向旋转")
    if before.kind and before.kind != "JPEG":
        changes.append(f"已由 {before.kind} 转为 JPG")
    if before.mode not in (None, "RGB"):
        changes.append("已转为 RGB 彩色")

    small = _analysis_copy(picture)
    background = _even_background(small)
    mask = _background_mask(small, background)
    box = _crop_box(picture.size, small.size, mask, rules)
    if box != (0, 0, *picture.size):
        changes.append(f"已按人像位置裁剪为 {rules.ratio_text}")
    cropped = picture.crop(box) if box != (0, 0, *picture.size) else picture
    if cropped.size != (rules.width_px, rules.height_px):
        cropped = cropped.resize((rules.width_px, rules.height_px), Image.Resampling.LANCZOS)
        changes.append(f"已缩放为 {rules.width_px}×{rules.height_px} 像素")
    result = _whiten(cropped, background, _crop_mask(mask, small.size, picture.size, box, cropped.size))
    if before.background != "白色":
        found = (before.background or "").removeprefix("背景")
        changes.append(f"背景已处理为白色(原为{found})" if found else "背景已处理为白色")

    # One pass: optimal Huffman tables would save a tenth of 25 KB and take as long again.
    encoded = _encode(result, rules, optimize=False)
    # The check of the result, from its pixels where they leave no doubt (the background the fix
    # painted pure white), else from the file as `photo check` reads it.
    after = certain_verdict(result, len(encoded), rules, target=file_name) or inspect_photo(
        encoded, rules, target=file_name
    )
    if after.background != "白色":
        raise UserError(BUSY)
    changes.append(f"已保存为 {rules.dpi} dpi 的 JPG")
    return FixResult(encoded, file_name, before, after, tuple(changes))


def _already_right(data: bytes, before: PhotoVerdict, rules: PhotoRules) -> bool:
    """A baseline RGB JPEG of exactly the print size, upright, on white, at the campaign's dpi,
    with nothing the checker objects to: the fix would change nothing a clerk could see."""
    if before.problems or before.kind != "JPEG" or before.mode != "RGB" or before.rotated:
        return False
    if (before.width, before.height) != (rules.width_px, rules.height_px) or before.background != "白色":
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:  # the header only
            dpi = image.info.get("dpi")
            progressive = bool(image.info.get("progressive") or image.info.get("progression"))
    except (OSError, ValueError):
        return False
    if progressive or not dpi:
        return False
    return all(round(float(d)) == rules.dpi for d in dpi)


def _file_name(name: str, birth: str) -> str:
    file_name = expected_photo_name(name, birth)
    if file_name is None:
        raise UserError(f"出生日期“{birth}”不是有效日期,请按 YYYYMMDD 填写,例如 19660101。")
    problems = check_photo_name(file_name, name=None, birth=None, target=file_name)
    if problems:
        raise UserError(f"姓名“{name}”无法用作照片文件名:{problems[0].message}")
    return file_name


def _load_rgb(data: bytes, rules: PhotoRules, *, allow_grey: bool = False) -> Image.Image:
    """The photo decoded, upright, in RGB; transparency becomes white."""
    try:
        with open_image(data, target="原照片") as image:
            if image.mode in ("L", "LA", "1", "I", "I;16", "F") and not allow_grey:
                raise UserError("照片是黑白(灰度)的,无法自动处理为彩色照片,请提供彩色照片。")
            orientation = exif_orientation(image)
            # Twice the print size is plenty for a sharp downscale; JPEG draft decodes only that.
            decode(image, target="原照片", at_least=(rules.width_px * 2, rules.height_px * 2))
            if image.mode in ("RGBA", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                rgb = Image.new("RGB", rgba.size, (255, 255, 255))
                rgb.paste(rgba, mask=rgba.getchannel("A"))
            else:  # a decoded RGB photo is used as it is: a copy would cost as much as the decode
                rgb = image if image.mode == "RGB" else image.convert("RGB")
            return upright(rgb, orientation)
    except PhotoUnreadable as exc:
        raise UserError(exc.problem.message) from None


def _analysis_copy(picture: Image.Image) -> Image.Image:
    """About ANALYSIS_WIDTH wide: the photo averaged over whole blocks of pixels (Image.reduce),
    a third of the time of a resample to an exact width, and the analysis needs no exact width.
    A photo already that narrow is its own analysis copy (it is only read, never changed)."""
    factor = max(1, round(picture.width / ANALYSIS_WIDTH))
    return picture.reduce(factor) if factor > 1 else picture


def _even_background(small: Image.Image) -> tuple[int, int, int]:
    """The background colour from the margins of the analysis copy, or UserError(BUSY) when the
    margins are not one colour."""
    samples: dict[tuple[int, int, int], int] = {}  # colour → pixels, over the three regions
    for box in BACKGROUND_REGIONS.values():
        patch = region_image(small, box)
        for count, rgb in colour_counts(patch):
            samples[rgb] = samples.get(rgb, 0) + count
    colour = (
        int(_int_median(samples, 0)),
        int(_int_median(samples, 1)),
        int(_int_median(samples, 2)),
    )
    even = sum(count for rgb, count in samples.items() if _distance(rgb, colour) <= UNEVEN)
    if even < EVEN_SHARE * sum(samples.values()) or rgb_to_lab(colour)[0] < 40:
        raise UserError(BUSY)
    return colour


def _int_median(samples: dict[tuple[int, int, int], int], channel: int) -> float:
    """statistics.median of one channel over all sampled pixels."""
    counts = [0] * 256
    for rgb, count in samples.items():
        counts[rgb[channel]] += count
    n = sum(counts)

    def at(index: int) -> int:
        for value, count in enumerate(counts):
            if index < count:
                return value
            index -= count
        raise IndexError(index)

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> int:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]), abs(a[2] - b[2]))


def _difference(image: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """Per pixel, the largest channel difference from `colour` (mode L)."""
    diff = ImageChops.difference(image, Image.new("RGB", image.size, colour))
    r, g, b = diff.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def _background_mask(small: Image.Image, colour: tuple[int, int, int]) -> Image.Image:
    """On the analysis copy (mode L): 255 where a pixel is background connected to the photo's
    edge, 0 elsewhere."""
    near = _difference(small, colour).point(lambda v: 255 if v <= NEAR else 0)
    return _flood_from_edges(near)


def _flood_from_edges(near: Image.Image) -> Image.Image:
    """255 for every `near` pixel (mode L, 255 or 0) connected to the photo's edge through `near`
    pixels (4-neighbours); 0 elsewhere. Only background reachable from the edge counts; a white
    collar inside the person does not.

    Worked on whole rows and columns at once, not pixel by pixel: the mask is one big integer,
    its first pixel the highest bit, a row after a row, a zero bit between rows. What is reached
    spreads along every row-run it touches by one addition, and up and down every column by
    shifts of 1, 2, 4, … rows (see _Bits); again until nothing more is reached, as many rounds as
    the way from the edge into the farthest pocket has turns: one or two in a portrait."""
    width, height = near.size
    bits = _Bits(near)
    reached = bits.along(bits.mask & _edges(width, height, bits.stride))
    while True:
        more = bits.across(reached)
        if more == reached:
            break
        reached = bits.along(more)
        if reached == more:
            break
    return bits.image(reached).crop((0, 0, width, height)).convert("L")


class _Bits:
    """A mask as one integer: pixel (x, y) is bit `stride * (height - y) - 1 - x`."""

    def __init__(self, near: Image.Image) -> None:
        width, self.height = near.size
        self.stride = -(-(width + 1) // 8) * 8  # whole bytes, at least one zero after each row
        canvas = Image.new("1", (self.stride, self.height), 0)
        canvas.paste(near.convert("1", dither=Image.Dither.NONE))
        data = canvas.tobytes()
        self.length = len(data)
        self.mask = int.from_bytes(data, "big")
        self.reversed_mask = self._reverse(self.mask)

    def along(self, seeds: int) -> int:
        """Every pixel of the mask in a row-run that holds a seed (seeds lie in the mask).

        Adding the seeds to the mask carries each run's lowest seed up through the run's ones
        and one bit past its top: (mask + seeds) ^ mask marks the run from that seed upwards
        (seeds above it in the run stay set; `| seeds` restores them) plus the bit past the top,
        which `& mask` drops. The same on the reversed integer reaches the other way. The zero
        after each row keeps a carry from running into the next row."""
        up = (((self.mask + seeds) ^ self.mask) | seeds) & self.mask
        r_seeds = self._reverse(seeds)
        down = (((self.reversed_mask + r_seeds) ^ self.reversed_mask) | r_seeds) & self.reversed_mask
        return up | self._reverse(down)

    def across(self, seeds: int) -> int:
        """Every pixel of the mask joined to a seed by a straight run of the mask up or down a
        column (Kogge-Stone: after shifts of 1, 2, 4, … rows, runs of up to 2^k - 1 are crossed)."""
        down = up = seeds
        open_down = open_up = self.mask  # pixels with the next 1, 2, 4, … above (below) in the mask
        rows = 1
        while rows < self.height:
            shift = rows * self.stride
            down |= open_down & (down >> shift)
            up |= open_up & (up << shift)
            open_down &= open_down >> shift
            open_up &= open_up << shift
            rows *= 2
        return down | up

    def image(self, value: int) -> Image.Image:
        return Image.frombytes("1", (self.stride, self.height), value.to_bytes(self.length, "big"))

    def _reverse(self, value: int) -> int:
        return int.from_bytes(value.to_bytes(self.length, "big")[::-1].translate(_REVERSED_BYTE), "big")


_REVERSED_BYTE = bytes(int(f"{b:08b}"[::-1], 2) for b in range(256))


@lru_cache(maxsize=8)
def _edges(width: int, height: int, stride: int) -> int:
    """The pixels on the edge of a width × height mask held as in _Bits."""
    row = ((1 << width) - 1) << (stride - width)
    ends = (1 << (stride - 1)) | (1 << (stride - width))
    edges = row | (row << (height - 1) * stride)
    for y in range(height):
        edges |= ends << y * stride
    return edges


def _crop_box(
    size: tuple[int, int], small_size: tuple[int, int], mask: Image.Image, rules: PhotoRules
) -> tuple[int, int, int, int]:
    """A 5:7 box: the whole photo when already 5:7, else around the head found in the mask."""
    width, height = size
    shape = rules.width_mm / rules.height_mm
    if abs(width / height / shape - 1) <= rules.aspect_tolerance:
        box = (0, 0, width, height)
    else:
        top, centre, head_w = (v * width / small_size[0] for v in _head(mask.tobytes(), *small_size))
        # As wide as the head asks for, never wider than the photo allows; then headroom above.
        crop_w = round(min(width, height * shape, max(head_w / HEAD_SHARE, rules.width_px)))
        crop_h = min(height, round(crop_w / shape))
        left = min(max(0, round(centre - crop_w / 2)), width - crop_w)
        upper = min(max(0, round(top - HEADROOM * crop_h)), height - crop_h)
        box = (left, upper, left + crop_w, upper + crop_h)
    crop_w = box[2] - box[0]
    if crop_w * MAX_UPSCALE < rules.width_px:
        raise UserError(
            f"照片分辨率太低(人像部分约 {crop_w}×{box[3] - box[1]} 像素),放大到{rules.size_name}会模糊,"
            f"至少需要 {rules.width_px}×{rules.height_px} 像素,请提供更清晰的原始照片。"
        )
    return box


def _head(mask: bytes, width: int, height: int) -> tuple[int, float, int]:
    """Top row of the person, the horizontal centre and the width of their head, in analysis
    pixels; `mask` is 0 where the person is."""
    min_run = max(2, width * 3 // 100)
    rows = [mask.count(0, y * width, (y + 1) * width) for y in range(height)]
    top = next((y for y, count in enumerate(rows) if count >= min_run), None)
    if top is None:
        raise UserError("照片中没有找到人像,请检查是否选错了照片。")
    total = count = head_w = 0  # the person's columns summed and counted, over the head's rows
    for y in range(top, min(height, top + max(1, height // 6))):
        row = mask[y * width : (y + 1) * width]
        for run in _PERSON.finditer(row):  # columns a..b-1 sum to (a + b - 1) * (b - a) / 2
            total += (run.start() + run.end() - 1) * (run.end() - run.start()) // 2
            count += run.end() - run.start()
        if 0 in row:
            head_w = max(head_w, row.rindex(0) - row.index(0) + 1)
    return top, total / count, head_w


_PERSON = re.compile(rb"\x00+")


def _crop_mask(
    mask: Image.Image,
    small_size: tuple[int, int],
    size: tuple[int, int],
    box: tuple[int, int, int, int],
    out_size: tuple[int, int],
) -> Image.Image:
    """The background mask in output pixels, grown a little to cover the analysis copy's coarseness."""
    sx, sy = small_size[0] / size[0], small_size[1] / size[1]
    small_box = (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)
    return _max3(mask).resize(out_size, Image.Resampling.BILINEAR, box=small_box)


def _max3(image: Image.Image) -> Image.Image:
    """ImageFilter.MaxFilter(3) (the image's edges repeated outwards), as the maximum over a
    row and then a column of neighbours: the same pixels, a tenth of the time."""
    width, height = image.size

    def shifted(source: Image.Image, dx: int, dy: int) -> Image.Image:
        out = source.copy()  # the edge row or column stays: it is its own neighbour
        out.paste(
            source.crop((max(dx, 0), max(dy, 0), width + min(dx, 0), height + min(dy, 0))),
            (max(-dx, 0), max(-dy, 0)),
        )
        return out

    rows = ImageChops.lighter(ImageChops.lighter(shifted(image, -1, 0), image), shifted(image, 1, 0))
    return ImageChops.lighter(ImageChops.lighter(shifted(rows, 0, -1), rows), shifted(rows, 0, 1))


@lru_cache(maxsize=16)
def _closeness_table(colour: tuple[int, int, int]) -> list[int]:
    """For Image.point on RGB: per channel, how close a value is to `colour`'s value in that
    channel, 255 within NEAR, 0 from FAR, straight between. A pixel's closeness is the least of
    its three channels' (the largest channel difference decides, as in _distance)."""
    return [_CLOSENESS[abs(v - c)] for c in colour for v in range(256)]


_CLOSENESS = [255 if d <= NEAR else 0 if d >= FAR else (FAR - d) * 255 // (FAR - NEAR) for d in range(256)]


def _whiten(image: Image.Image, colour: tuple[int, int, int], region: Image.Image) -> Image.Image:
    """`image` (changed in place) white where a pixel is close to the background colour, fading to untouched at FAR; only
    inside the connected background region, so the person's own light colours stay as they are.
    The region's edge is already soft (it is an enlarged mask), so nothing more is blurred."""
    r, g, b = image.point(_closeness_table(colour)).split()
    alpha = ImageChops.darker(ImageChops.darker(ImageChops.darker(r, g), b), region)
    # White laid over the photo at `alpha` (what Image.composite with a white image gives), in
    # place: `image` is the fix's own decoded or cropped copy, and a new one costs a decode's time.
    image.paste((255, 255, 255), mask=alpha)
    return image


def _encode(image: Image.Image, rules: PhotoRules, *, optimize: bool = True) -> bytes:
    out = io.BytesIO()
    image.save(
        out, "JPEG", quality=JPEG_QUALITY, dpi=(rules.dpi, rules.dpi), progressive=False, optimize=optimize
    )
    return out.getvalue()


def two_inch_copy(data: bytes, rules: PhotoRules) -> bytes:
    """For printing: the photo upright, centre-cropped to 5:7, no larger than the 2-inch pixel size.

    The background is left alone; this only guarantees the shape so a print is never stretched.
    """
    picture = _load_rgb(data, rules, allow_grey=True)
    width, height = picture.size
    shape = rules.width_mm / rules.height_mm
    exact = (rules.width_px, rules.height_px)
    if abs(width / height / shape - 1) <= rules.aspect_tolerance:
        pass  # 5:7 as far as rule F3 asks: a crop would only lose a row to rounding
    elif width / height > shape:
        crop_w = round(height * shape)
        picture = picture.crop(((width - crop_w) // 2, 0, (width - crop_w) // 2 + crop_w, height))
    else:
        crop_h = round(width / shape)
        picture = picture.crop((0, (height - crop_h) // 2, width, (height - crop_h) // 2 + crop_h))
    if picture.width >= rules.width_px and picture.size != exact:
        picture = picture.resize(exact, Image.Resampling.LANCZOS)
    return _encode(picture, rules)


def printable_jpeg(data: bytes, rules: PhotoRules) -> bytes:
    """The photo as every document embeds it (附件3, 附件6, the print set, the photo sheet): an
    upright, RGB, baseline JPEG with a JFIF or Exif header, cut to 5:7 and no larger than the
    2-inch pixel size.

    Word and python-docx cannot be trusted with anything else: a JPEG that starts with its
    quantisation table or a comment is refused by the docx image reader; an EXIF orientation of
    5-8 is ignored by Word, so the sideways pixels print squashed and turned; CMYK and
    progressive files show badly in some viewers. A photo that is already exactly right (the
    corrected copies 自动处理 writes, the demo photos) is returned byte for byte.
    """
    key = (hashlib.sha1(data).digest(), rules)
    if key in _printable:
        found = _printable[key]
        return data if found is None else found
    result = data if _printable_as_is(data, rules) else two_inch_copy(data, rules)
    _remember_printable(key, None if result is data else result)
    return result


# Each photo goes into two forms and onto the photo sheet: it is made printable once. Copies are
# kept up to a budget; a photo already right costs nothing to remember.
_PRINTABLE_BUDGET = 64 * 1024 * 1024
_printable: dict[tuple[bytes, PhotoRules], bytes | None] = {}
_printable_held = [0]  # bytes of the copies kept
_printable_lock = threading.Lock()


def _remember_printable(key: tuple[bytes, PhotoRules], value: bytes | None) -> None:
    size = len(value) if value is not None else 0
    with _printable_lock:
        if _printable_held[0] + size > _PRINTABLE_BUDGET or len(_printable) > 20_000:
            _printable.clear()
            _printable_held[0] = 0
        _printable[key] = value
        _printable_held[0] += size


def _printable_as_is(data: bytes, rules: PhotoRules) -> bool:
    if data[:3] != b"\xff\xd8\xff" or data[6:10] not in (b"JFIF", b"Exif"):
        return False  # python-docx recognises a JPEG only by one of these two first segments
    try:
        with open_image(data, target="照片") as image:
            return (
                image.format == "JPEG"
                and image.mode == "RGB"
                and image.size == (rules.width_px, rules.height_px)
                and exif_orientation(image) == 1
                and not image.info.get("progressive")
                and not image.info.get("progression")
            )
    except PhotoUnreadable:
        return False
