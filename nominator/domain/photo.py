# Over 500 lines: rules F2/F3 end to end (reading, measuring the background, the verdicts kept by hash) are
# one subject; fixing a photo is photofix.py.
"""Photo rules F2 (file name, JPEG, white background) and F3 (2-inch geometry).

Contract used by the checker, the CLI and the window:
- check_photo_name(filename, *, name, birth, target) -> list[Problem]
- check_photo_bytes(data, rules, *, target) -> list[Problem]
- inspect_photo(data, rules, *, target) -> PhotoVerdict   (the same problems plus facts to show)
- make_demo_photo(seed, rules) -> bytes   (a generated 2-inch JPEG that passes)

Everything here works on bytes and never writes a file. Pillow is the only image library.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import re
import statistics
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import PurePath

from PIL import Image, ImageChops, ImageDraw, UnidentifiedImageError

from nominator.campaign import PhotoRules
from nominator.domain.problems import Problem, Target

Where = Target | str  # a problem's target, or a loose file's name (the photo command, a preview)

# The largest plausible source is a 50-megapixel camera; anything bigger is a scan or a
# decompression bomb and would need hundreds of MB to decode, so it is refused from the header.
MAX_PIXELS = 50_000_000
MAX_SIDE = 20_000
# Measuring the background needs no more than a thumbnail (100 to 199 pixels on its short side):
# JPEG draft mode decodes at 1/2..1/8 scale directly, so judging a 2-inch photo costs about what
# decoding it costs, and a 24 MP photo a fraction of that.
MEASURE_WIDTH = 100

FIX_HINT = "点击“自动处理”"
GREY_MAX_CHROMA = 20  # max-min channel; JPEG noise on a grey photo stays under 5, skin is about 70


# --------------------------------------------------------------------------------------------
# File name (F2)
# --------------------------------------------------------------------------------------------

_JPEG_SUFFIXES = (".jpg", ".jpeg")
_ProblemMaker = Callable[[str], Problem]
_WRONG_HYPHENS = {
    "－": "全角连字符“－”",
    "—": "破折号“—”",
    "–": "短横线“–”",
    "_": "下划线“_”",
}
_WRONG_DOTS = ("•", "・", "．", ".", "‧", "∙")
_NAME_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f·]+$")


def _at(target: Where) -> Target:
    return target if isinstance(target, Target) else Target.of_file(target)


def normalize_birth(birth: str) -> str | None:
    """'YYYYMMDD' or 'YYYY-MM-DD' → 'YYYYMMDD' when it is a real date, else None."""
    digits = birth.strip().replace("-", "")
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        return None
    return digits if _real_date(digits) else None


def expected_photo_name(name: str, birth: str) -> str | None:
    """The file name rule F2 asks for, e.g. '张某某-19660101.jpg'; None when the birth date is not real."""
    digits = normalize_birth(birth)
    return f"{name.strip()}-{digits}.jpg" if digits else None


def _real_date(yyyymmdd: str) -> bool:
    try:
        day = dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return 1900 <= day.year <= dt.date.today().year


def check_photo_name(filename: str, *, name: str | None, birth: str | None, target: Where) -> list[Problem]:
    """Rule F2: `中文姓名-YYYYMMDD.jpg`, matching the nominee's record when name/birth are given."""
    if name and birth and _NAME_RE.match(name.strip()) and filename == expected_photo_name(name, birth):
        return []  # the usual case, said at once: exactly the name the record asks for
    problems = _name_problems(filename, name=name, birth=birth, target=target)
    if len(problems) <= 1:
        return problems
    # Several faults at once (a camera's IMG_0001.jpg) is not a near miss to mend piece by piece
    # but a name to replace: one line says what it should be.
    expected = expected_photo_name(name, birth) if name and birth else None
    should = f"请改为“{expected}”。" if expected else "请改为“姓名-出生日期.jpg”,例如“张某某-19660101.jpg”。"
    return [
        Problem("F2", "error", _at(target), f"照片文件名“{filename}”不符合“姓名-出生日期.jpg”的格式,{should}")
    ]


def _name_problems(filename: str, *, name: str | None, birth: str | None, target: Where) -> list[Problem]:
    expected = expected_photo_name(name, birth) if name and birth else None
    tail = f"请改为“{expected}”。" if expected else "格式应为“姓名-出生日期.jpg”,例如“张某某-19660101.jpg”。"

    def problem(what: str) -> Problem:
        return Problem("F2", "error", _at(target), f"照片文件名“{filename}”{what}。{tail}")

    path = PurePath(filename)
    stem, suffix = path.stem, path.suffix
    problems: list[Problem] = []
    if suffix.lower() not in _JPEG_SUFFIXES:
        problems.append(problem(f"的扩展名应为 .jpg(现为“{suffix or '无'}”)"))
    if any(ch.isspace() for ch in stem):
        problems.append(problem("中有空格"))
        stem = "".join(ch for ch in stem if not ch.isspace())
    for wrong, described in _WRONG_HYPHENS.items():
        if wrong in stem and "-" not in stem:
            problems.append(problem(f"中姓名和日期之间用了{described},应为半角连字符“-”"))
            stem = stem.replace(wrong, "-", 1)
            break
    if "-" not in stem:
        if stem and not any(ch.isdigit() for ch in stem):
            problems.append(problem("缺少出生日期"))
        else:
            problems.append(problem("中姓名和日期之间缺少连字符“-”"))
        return problems
    person, _, date = stem.partition("-")
    problems.extend(_check_name_part(person, name, problem))
    problems.extend(_check_date_part(date, birth, problem))
    return problems


def _check_name_part(person: str, name: str | None, problem: _ProblemMaker) -> Iterator[Problem]:
    if not person:
        yield problem("缺少姓名")
        return
    for dot in _WRONG_DOTS:
        if dot in person:
            yield problem(f"中的姓名间隔号“{dot}”应为“·”")
            person = person.replace(dot, "·")
    if not _NAME_RE.match(person):
        yield problem("中的姓名应为中文")
    elif name and person != name.strip():
        yield problem(f"中的姓名“{person}”与推荐对象“{name.strip()}”不一致")


def _check_date_part(date: str, birth: str | None, problem: _ProblemMaker) -> Iterator[Problem]:
    if not date:
        yield problem("缺少出生日期")
        return
    if "-" in date or "." in date or "/" in date:
        yield problem(f"中的出生日期“{date}”应为连续的8位数字(年月日),不要加分隔符")
        return
    if not date.isdigit():
        yield problem(f"中的出生日期“{date}”应为8位数字")
        return
    if not date.isascii():
        yield problem(f"中的出生日期“{date}”用了全角数字,应为半角数字")
        return
    if len(date) != 8:
        yield problem(f"中的出生日期“{date}”应为8位数字(年月日,例如19660101)")
        return
    if not _real_date(date):
        if _real_date(date[4:] + date[2:4] + date[:2]) or _real_date(date[4:] + date[:2] + date[2:4]):
            yield problem(f"中的日期顺序有误(“{date}”),应为年月日")
        else:
            yield problem(f"中的出生日期“{date}”不是有效日期,请核对")
        return
    wanted = normalize_birth(birth) if birth else None
    if wanted and date != wanted:
        yield problem(f"中的出生日期“{date}”与推荐对象的出生日期“{wanted}”不一致")


# --------------------------------------------------------------------------------------------
# File content (F2, F3)
# --------------------------------------------------------------------------------------------


def sniff_kind(data: bytes) -> str | None:
    """The real image type from the first bytes, whatever the extension says."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data.startswith(b"BM"):
        return "BMP"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"):
            return "HEIC"
    return None


@dataclass(frozen=True)
class PhotoVerdict:
    """What the window and the CLI show about one photo: the problems and the facts behind them."""

    problems: tuple[Problem, ...]
    size_bytes: int
    kind: str | None = None  # real file type by content, e.g. "JPEG", "PNG"
    width: int | None = None  # upright, i.e. after the EXIF orientation
    height: int | None = None
    mode: str | None = None  # Pillow mode of the file, e.g. "RGB", "CMYK", "L"
    rotated: bool = False  # the file carries an EXIF orientation other than "upright"
    background: str | None = None  # "白色", or what was found, e.g. "左上角偏蓝"
    regions: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def summary(self) -> str:
        parts = [self.kind or "未知类型"]
        if self.width and self.height:
            parts.append(f"{self.width}×{self.height} 像素")
        if self.background == "白色":
            parts.append("白色背景")
        elif self.background:
            parts.append(self.background if self.background.startswith("背景") else f"背景{self.background}")
        parts.append(format_size(self.size_bytes))
        return ",".join(parts)


# ---- verdicts kept ------------------------------------------------------------------------
#
# A verdict depends on the photo's bytes and on the campaign's photo rules only, so a store keeps
# it under (rules fingerprint, SHA-256 of the photo) and no one decodes the same photo twice.
# CHECK_VERSION is part of the fingerprint: change it whenever the checks or their words change,
# and every verdict kept before is made again.

CHECK_VERSION = 2  # 2: measured on the photo as draft-decoded (100-199 px), not a 160 px resample


@cache
def rules_fingerprint(rules: PhotoRules) -> str:
    """What a verdict was made under: the photo rules and this checker's version."""
    import hashlib
    import json
    from dataclasses import asdict

    text = json.dumps({"check": CHECK_VERSION, "rules": asdict(rules)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PhotoBytes(bytes):
    """Photo bytes whose SHA-256 is already known (the store keeps it beside the photo), so
    finding the photo's verdict does not hash it again. The digest belongs to these immutable
    bytes: a new photo is new bytes, and plain bytes are hashed."""

    sha256: str

    def __new__(cls, data: bytes, sha256: str) -> PhotoBytes:
        made = super().__new__(cls, data)
        made.sha256 = sha256
        return made

    def __reduce__(self) -> tuple[object, tuple[bytes, str]]:
        return (PhotoBytes, (bytes(self), self.sha256))


def photo_digest(data: bytes) -> str:
    """The SHA-256 (hex) of a photo's bytes."""
    known = getattr(data, "sha256", None)
    if isinstance(known, str):
        return known
    import hashlib

    return hashlib.sha256(data).hexdigest()


def verdict_to_json(verdict: PhotoVerdict) -> dict[str, object]:
    return {
        "problems": [p.as_json() for p in verdict.problems],
        "size_bytes": verdict.size_bytes,
        "kind": verdict.kind,
        "width": verdict.width,
        "height": verdict.height,
        "mode": verdict.mode,
        "rotated": verdict.rotated,
        "background": verdict.background,
        "regions": dict(verdict.regions),
    }


def verdict_from_json(data: dict[str, object]) -> PhotoVerdict:
    """A kept verdict; ValueError when it is not one (a hand-edited or damaged row)."""
    try:
        problems = tuple(
            Problem(
                str(p["rule"]),
                "error" if p["severity"] == "error" else "warning",
                Target.of_file(str(p["target"])),  # the checker points it at the person's photo
                str(p["message"]),
            )
            for p in data["problems"]  # type: ignore[attr-defined]
        )

        def optional_int(key: str) -> int | None:
            value = data.get(key)
            return int(value) if isinstance(value, int) else None

        def optional_str(key: str) -> str | None:
            value = data.get(key)
            return str(value) if isinstance(value, str) else None

        regions = data.get("regions") or {}
        return PhotoVerdict(
            problems,
            int(data["size_bytes"]),  # type: ignore[call-overload]
            optional_str("kind"),
            optional_int("width"),
            optional_int("height"),
            optional_str("mode"),
            bool(data.get("rotated")),
            optional_str("background"),
            {str(k): str(v) for k, v in regions.items()},  # type: ignore[attr-defined]
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError("not a photo verdict") from exc


def format_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class PhotoUnreadable(Exception):
    """The bytes cannot be decoded safely; `problem` says why in the clerk's words."""

    def __init__(self, problem: Problem, *, unidentified: bool = False) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.unidentified = unidentified  # Pillow has no decoder for it (e.g. HEIC without pillow-heif)


def open_image(data: bytes, *, target: Where) -> Image.Image:
    """Open lazily and refuse empty files, non-images and bombs from the header alone."""
    if not data:
        raise PhotoUnreadable(
            Problem("F2", "error", _at(target), "照片文件是空的(0 字节),请重新拷贝或导出照片。")
        )
    _register_heif()
    try:
        with warnings.catch_warnings():
            # Pillow only warns between 89 and 179 megapixels; turn that into a refusal too.
            # Its notes on damaged metadata ("Corrupt EXIF data") are not for the clerk's console.
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoUnreadable(_huge(target, None)) from None
    except UnidentifiedImageError:
        raise PhotoUnreadable(
            Problem(
                "F2", "error", _at(target), "无法识别这个文件,它不是图片或已损坏,请提供 JPG 格式的照片。"
            ),
            unidentified=True,
        ) from None
    except Exception:  # any decoder's complaint about a damaged file (struct.error, EOFError, …)
        raise PhotoUnreadable(_broken(target)) from None
    width, height = image.size
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        image.close()
        raise PhotoUnreadable(_huge(target, (width, height)))
    return image


def decode(image: Image.Image, *, target: Where, at_least: tuple[int, int] | None = None) -> Image.Image:
    """Decode the pixels (JPEG: at reduced scale when `at_least` allows), refusing truncated files."""
    if at_least is not None and image.format == "JPEG":
        image.draft(image.mode if image.mode in ("RGB", "L", "CMYK") else None, at_least)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # Pillow's notes on damaged metadata
            image.load()
    except Exception:  # truncated data, a bomb, EOFError from a damaged stream, …
        raise PhotoUnreadable(_broken(target)) from None
    return image


def upright(image: Image.Image, orientation: int | None = None) -> Image.Image:
    """Apply the EXIF orientation (phones store portraits sideways plus a rotation tag).

    Pass `orientation` when `image` is a converted copy that no longer carries the EXIF block.
    """
    method = _ORIENTATION.get(exif_orientation(image) if orientation is None else orientation)
    return image.transpose(method) if method is not None else image


def exif_orientation(image: Image.Image) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": treated as upright
            value = image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, TypeError):
        return 1  # a broken EXIF block is not the clerk's problem; treat as upright
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@cache
def _register_heif() -> None:
    # Optional: phones save HEIC. Without pillow-heif such files are still recognised by sniff_kind.
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return
    register_heif_opener()


def _huge(target: Where, size: tuple[int, int] | None) -> Problem:
    dims = f"({size[0]}×{size[1]} 像素)" if size else ""
    return Problem(
        "F3",
        "error",
        _at(target),
        f"照片尺寸异常巨大{dims},无法安全打开。请提供普通数码照片,或先用图片软件缩小。",
    )


def _broken(target: Where) -> Problem:
    return Problem("F2", "error", _at(target), "照片文件不完整或已损坏,请重新拷贝或导出原始照片。")


def check_photo_bytes(data: bytes, rules: PhotoRules, *, target: Where) -> list[Problem]:
    """Rules F2 (JPEG, colour, white background) and F3 (shape, resolution, file size)."""
    return list(inspect_photo(data, rules, target=target).problems)


def inspect_photo(data: bytes, rules: PhotoRules, *, target: Where) -> PhotoVerdict:
    problems: list[Problem] = []
    kind = sniff_kind(data)
    if kind not in (None, "JPEG"):
        problems.append(_not_jpeg(target, f"实际是 {kind} 格式"))
    try:
        image = open_image(data, target=target)
    except PhotoUnreadable as exc:
        if not (exc.unidentified and problems):  # the real type was already named
            problems.append(exc.problem)
        return PhotoVerdict(tuple(problems), len(data), kind=kind)
    if kind is None:  # a type Pillow reads but we do not sniff, e.g. TGA or ICO
        kind = image.format
        problems.append(_not_jpeg(target, f"实际是 {kind} 格式" if kind else "不是 JPG 格式"))
    with image:
        mode = image.mode
        orientation = exif_orientation(image)
        rotated = orientation != 1
        width, height = image.size
        if orientation in (5, 6, 7, 8):
            width, height = height, width
        problems.extend(_check_mode(mode, target))
        problems.extend(_check_geometry(width, height, len(data), rules, target))
        try:
            small = _thumbnail(image, target, orientation)
        except PhotoUnreadable as exc:
            problems.append(exc.problem)
            return PhotoVerdict(tuple(problems), len(data), kind, width, height, mode, rotated)
    if mode not in ("L", "LA", "1") and _looks_grey(small):
        problems.append(Problem("F2", "error", _at(target), "照片看起来是黑白的,请提供彩色照片。"))
    regions = measure_background(small)
    background = describe_background(regions)
    if background != "白色":
        problems.append(
            Problem(
                "F2", "error", _at(target), f"照片背景不是白色({background}),请更换白底照片或{FIX_HINT}。"
            )
        )
    return PhotoVerdict(tuple(problems), len(data), kind, width, height, mode, rotated, background, regions)


def _not_jpeg(target: Where, real: str) -> Problem:
    return Problem("F2", "error", _at(target), f"照片文件{real},请另存为 JPG 格式,或{FIX_HINT}转换。")


def _check_mode(mode: str, target: Where) -> Iterator[Problem]:
    if mode == "CMYK":
        yield Problem(
            "F2",
            "error",
            _at(target),
            f"照片是印刷用的 CMYK 颜色模式,部分电脑无法正常显示,请{FIX_HINT}转为 RGB 彩色。",
        )
    elif mode in ("L", "LA", "1", "I", "I;16", "F"):
        yield Problem("F2", "error", _at(target), "照片是黑白(灰度)的,请提供彩色照片。")


def _check_geometry(
    width: int, height: int, size: int, rules: PhotoRules, target: Where
) -> Iterator[Problem]:
    wanted = rules.width_mm / rules.height_mm
    if abs((width / height) / wanted - 1) > rules.aspect_tolerance:
        turned = "照片是横向的," if width > height else ""
        yield Problem(
            "F3",
            "error",
            _at(target),
            f"{turned}照片比例不是{rules.size_name}({rules.width_mm:g}×{rules.height_mm:g} 毫米,宽:高={rules.ratio_text}),"
            f"现为 {width}×{height} 像素,请裁剪或{FIX_HINT}。",
        )
    if width < rules.width_px or height < rules.height_px:
        yield Problem(
            "F3",
            "error",
            _at(target),
            f"照片分辨率太低({width}×{height} 像素),打印{rules.size_name}照片至少需要 "
            f"{rules.width_px}×{rules.height_px} 像素,请提供更清晰的原始照片。",
        )
    if size < rules.min_bytes:
        yield Problem(
            "F3",
            "error",
            _at(target),
            f"照片文件太小({format_size(size)}),可能是缩略图或压缩过度,请提供原始照片。",
        )
    elif size > rules.max_bytes:
        yield Problem(
            "F3",
            "error",
            _at(target),
            f"照片文件太大({format_size(size)},上限 {format_size(rules.max_bytes)}),"
            f"请{FIX_HINT}生成标准尺寸的照片。",
        )


def _looks_grey(image: Image.Image) -> bool:
    # A colour portrait has skin; a black-and-white one saved as RGB has almost no chroma at all.
    return _coloured_share(image) < 0.01


def _coloured_share(image: Image.Image) -> float:
    r, g, b = image.split()
    chroma = ImageChops.subtract(
        ImageChops.lighter(ImageChops.lighter(r, g), b), ImageChops.darker(ImageChops.darker(r, g), b)
    )
    return sum(chroma.histogram()[GREY_MAX_CHROMA:]) / (image.width * image.height)


# What the fix paints white is pure white; a region this white before its JPEG is written is white
# to the checker after it, whatever JPEG's rounding and the checker's smaller decode do.
SURELY_WHITE_MIN = 250  # every channel; the checker asks for L* >= 90 (about 226) and little chroma
SURELY_WHITE_SHARE = 0.99  # of each region; the checker asks for 0.9


def certain_verdict(
    image: Image.Image, size_bytes: int, rules: PhotoRules, *, target: Where
) -> PhotoVerdict | None:
    """inspect_photo's verdict on a baseline RGB JPEG of `image` (upright, no EXIF orientation)
    that is `size_bytes` long, told from the pixels in hand without decoding the file — or None
    when the file itself must be checked: a background region not clearly white, or colour near
    the black-and-white line. The photo fix uses it on its own output, whose background it made
    white; tests compare it with inspect_photo on every photo the fix is tested with."""
    width, height = image.size
    factor = max(1, min(width, height) // MEASURE_WIDTH)
    small = image.reduce(factor) if factor > 1 else image
    for box in BACKGROUND_REGIONS.values():
        patch = region_image(small, box)
        white = sum(n for n, rgb in colour_counts(patch) if min(rgb) >= SURELY_WHITE_MIN)
        if white < SURELY_WHITE_SHARE * patch.width * patch.height:
            return None
    if _coloured_share(small) < 0.02:
        return None  # grey, or near enough to the line that the file's own pixels must decide
    problems = tuple(_check_geometry(width, height, size_bytes, rules, target))
    regions = dict.fromkeys(BACKGROUND_REGIONS, "白色")
    return PhotoVerdict(problems, size_bytes, "JPEG", width, height, "RGB", False, "白色", regions)


def _thumbnail(image: Image.Image, target: Where, orientation: int) -> Image.Image:
    """The photo, upright and in RGB, at least MEASURE_WIDTH on its short side and less than
    twice that: JPEG's draft mode decodes at 1/2, 1/4 or 1/8 directly, and what is still twice
    too big is halved by whole pixels (Image.reduce). No resampling to an exact size: the
    background and colour checks need pixels, not a particular size."""
    w, h = image.size
    scale = MEASURE_WIDTH / min(w, h)
    decode(image, target=target, at_least=(max(1, int(w * scale)), max(1, int(h * scale))))
    small = image.convert("RGB")
    factor = min(small.size) // MEASURE_WIDTH
    if factor >= 2:
        small = small.reduce(factor)
    return upright(small, orientation)


# --------------------------------------------------------------------------------------------
# Background colour, in CIE Lab so that light blue and light grey are told apart from white
# --------------------------------------------------------------------------------------------

WHITE_MIN_L = 90.0  # L* of RGB(226,226,226); below that a background prints visibly grey
WHITE_MAX_CHROMA = 8.0  # pale 证件照 blue is about 10-20; paper white under a lamp about 3-6
WHITE_SHARE = 0.9  # a region is white when 90% of it is; a stray hair is not a grey background
BUSY_L_SPREAD = 12.0

# Where a 2-inch portrait has nothing but background: the top strip above the head and the two
# upper corners beside it. The bottom is not measured; a white shirt is not a white background.
BACKGROUND_REGIONS: dict[str, tuple[float, float, float, float]] = {
    "左上角": (0.0, 0.0, 0.12, 0.35),
    "右上角": (0.88, 0.0, 1.0, 0.35),
    "顶部": (0.12, 0.0, 0.88, 0.04),
}


def _linear(c: int) -> float:
    v = c / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


_LINEAR = [_linear(c) for c in range(256)]


def _lab_f(t: float) -> float:
    return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116


def rgb_to_lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """sRGB (D65) → CIE L*a*b*."""
    r, g, b = (_LINEAR[c] for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = _lab_f(x), _lab_f(y), _lab_f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def is_white(lab: tuple[float, float, float]) -> bool:
    return lab[0] >= WHITE_MIN_L and math.hypot(lab[1], lab[2]) <= WHITE_MAX_CHROMA


def region_image(image: Image.Image, box: tuple[float, float, float, float]) -> Image.Image:
    """The part of the image in `box` (fractions of its width and height)."""
    w, h = image.size
    left, top = int(box[0] * w), int(box[1] * h)
    right, bottom = max(left + 1, round(box[2] * w)), max(top + 1, round(box[3] * h))
    return image.crop((left, top, right, bottom))


def region_pixels(image: Image.Image, box: tuple[float, float, float, float]) -> list[tuple[int, int, int]]:
    raw = region_image(image, box).tobytes()  # getdata() is deprecated in Pillow 13
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]


_LAB_MEMO: dict[tuple[int, int, int], tuple[float, float, float]] = {}


def _lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    found = _LAB_MEMO.get(rgb)
    if found is None:
        if len(_LAB_MEMO) > 200_000:
            _LAB_MEMO.clear()
        found = _LAB_MEMO[rgb] = rgb_to_lab(rgb)
    return found


def colour_counts(image: Image.Image) -> list[tuple[int, tuple[int, int, int]]]:
    """(pixels, colour) for each colour of an RGB image."""
    return image.getcolors(image.width * image.height) or []  # type: ignore[return-value]


def measure_background(image: Image.Image) -> dict[str, str]:
    """For each background region of an upright RGB image: "白色" or the colour found there.

    Each distinct colour is converted once (Pillow counts them): a background is a few
    hundred colours however many pixels it has, and paper white is the same in every photo."""
    found: dict[str, str] = {}
    for region, box in BACKGROUND_REGIONS.items():
        patch = region_image(image, box)
        colours = colour_counts(patch)
        total = sum(count for count, _ in colours)
        others = [(count, lab) for count, lab in ((n, _lab(rgb)) for n, rgb in colours) if not is_white(lab)]
        if sum(count for count, _ in others) <= (1 - WHITE_SHARE) * total:
            found[region] = "白色"
        else:
            found[region] = _colour_name(others)
    return found


def _colour_name(counted: list[tuple[int, tuple[float, float, float]]]) -> str:
    """The colour of the non-white part of a region, each Lab colour with how often it occurs."""
    total = sum(count for count, _ in counted)
    if total > 1 and _spread_over([(count, lab[0]) for count, lab in counted], BUSY_L_SPREAD):
        return "颜色杂乱"
    lightness = _median([(count, lab[0]) for count, lab in counted])
    a = _median([(count, lab[1]) for count, lab in counted])
    b = _median([(count, lab[2]) for count, lab in counted])
    if math.hypot(a, b) <= WHITE_MAX_CHROMA:
        return "偏黑" if lightness < 35 else "偏灰"
    hue = math.degrees(math.atan2(b, a)) % 360
    for limit, name in ((50, "偏红"), (110, "偏黄"), (190, "偏绿"), (315, "偏蓝"), (345, "偏紫")):
        if hue < limit:
            return name
    return "偏红"


def _median(counted: list[tuple[int, float]]) -> float:
    """statistics.median of the values, each repeated `count` times."""
    values = sorted(counted, key=lambda item: item[1])
    n = sum(count for count, _ in values)

    def at(index: int) -> float:
        for count, value in values:
            if index < count:
                return value
            index -= count
        raise IndexError(index)

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def _spread_over(counted: list[tuple[int, float]], limit: float) -> bool:
    """Whether statistics.pstdev of the values, each repeated `count` times, is over `limit`.

    In floats first (a few hundred distinct values, two passes: error far below a millionth);
    only a spread within a millionth of the limit is worked out exactly by _pstdev, so the
    answer is the statistics module's in every case, at a twentieth of the time."""
    n = sum(count for count, _ in counted)
    mean = sum(count * value for count, value in counted) / n
    spread = math.sqrt(sum(count * (value - mean) ** 2 for count, value in counted) / n)
    if abs(spread - limit) > 1e-6 * max(1.0, limit):
        return spread > limit
    return _pstdev(counted) > limit


def _pstdev(counted: list[tuple[int, float]]) -> float:
    """statistics.pstdev of the values, each repeated `count` times: the same exact sums the
    statistics module forms (so the same float), over the distinct values only."""
    n = sum(count for count, _ in counted)
    sx = sum(Fraction(value) * count for count, value in counted)
    sxx = sum(Fraction(value) ** 2 * count for count, value in counted)
    mss = Fraction(n * sxx - sx * sx) / n / n
    sqrt = getattr(statistics, "_float_sqrt_of_frac", None)
    if sqrt is None:  # another Python: the module itself, on the values written out
        return statistics.pstdev([value for count, value in counted for _ in range(count)])
    return float(sqrt(mss.numerator, mss.denominator))


def describe_background(regions: dict[str, str]) -> str:
    """'白色'; '偏蓝' when the whole background is; else the regions, e.g. '左上角偏蓝、顶部偏灰'."""
    wrong = {region: colour for region, colour in regions.items() if colour != "白色"}
    if not wrong:
        return "白色"
    colours = set(wrong.values())
    if len(wrong) == len(regions) and len(colours) == 1:
        return f"背景{colours.pop()}"
    return "、".join(f"{region}{colour}" for region, colour in wrong.items())


# --------------------------------------------------------------------------------------------
# Demo material
# --------------------------------------------------------------------------------------------


def make_demo_photo(seed: int, rules: PhotoRules) -> bytes:
    """A generated 2-inch portrait on white: a head and shoulders in a colour chosen by seed."""
    rnd = random.Random(seed)
    w, h = rules.width_px, rules.height_px
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    suit = (rnd.randint(20, 70), rnd.randint(20, 70), rnd.randint(40, 110))
    skin = (rnd.randint(200, 235), rnd.randint(160, 195), rnd.randint(130, 165))
    hair = (rnd.randint(10, 40),) * 3
    cx = w // 2
    draw.ellipse((cx - 200, int(h * 0.68), cx + 200, int(h * 1.25)), fill=suit)
    draw.rectangle((cx - 40, int(h * 0.50), cx + 40, int(h * 0.72)), fill=skin)
    draw.ellipse((cx - 105, int(h * 0.14), cx + 105, int(h * 0.58)), fill=skin)
    draw.chord((cx - 110, int(h * 0.11), cx + 110, int(h * 0.42)), 180, 360, fill=hair)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92, dpi=(rules.dpi, rules.dpi))
    return out.getvalue()
