"""Photos for the photo tests, generated on the spot: no binary fixtures in the repository.

`portrait()` draws a head and shoulders with a little texture (a flat drawing would compress to a
few KB and look like a thumbnail). Everything else is a way a clerk's file can go wrong.
"""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw, ImageFilter

WHITE = (255, 255, 255)
LIGHT_BLUE = (168, 208, 240)  # the usual light-blue 证件照 backdrop
ID_BLUE = (67, 142, 219)  # the darker standard blue
GREY = (200, 200, 200)
SKIN = (224, 178, 150)


def portrait(
    background: tuple[int, int, int] = WHITE, size: tuple[int, int] = (413, 579), seed: int = 0
) -> Image.Image:
    """A head-and-shoulders portrait filling a 2-inch frame the way a studio photo does."""
    image = Image.new("RGB", size, background)
    image.paste(person_layer(size, seed), mask=person_mask(size))
    return image


def person_layer(size: tuple[int, int], seed: int = 0) -> Image.Image:
    w, h = size
    layer = Image.new("RGB", size, (0, 0, 0))
    draw = ImageDraw.Draw(layer)
    cx = w // 2
    draw.ellipse((cx - 0.48 * w, 0.68 * h, cx + 0.48 * w, 1.25 * h), fill=(35, 40, 70))  # suit
    draw.polygon([(cx - 0.1 * w, 0.7 * h), (cx + 0.1 * w, 0.7 * h), (cx, 0.85 * h)], fill=(245, 245, 245))
    draw.rectangle((cx - 0.1 * w, 0.5 * h, cx + 0.1 * w, 0.72 * h), fill=SKIN)  # neck
    draw.ellipse((cx - 0.25 * w, 0.14 * h, cx + 0.25 * w, 0.58 * h), fill=SKIN)  # face
    draw.chord((cx - 0.27 * w, 0.10 * h, cx + 0.27 * w, 0.40 * h), 180, 360, fill=(25, 22, 20))  # hair
    for dx in (-0.1 * w, 0.1 * w):  # eyes
        draw.ellipse((cx + dx - 8, 0.34 * h - 5, cx + dx + 8, 0.34 * h + 5), fill=(40, 30, 30))
    draw.arc((cx - 0.08 * w, 0.42 * h, cx + 0.08 * w, 0.5 * h), 20, 160, fill=(150, 70, 70), width=3)
    random.seed(seed)
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(layer, noise, 0.1).filter(ImageFilter.SMOOTH)


def person_mask(size: tuple[int, int]) -> Image.Image:
    """Where `portrait` draws the person (255), for comparing pixels before and after a fix."""
    w, h = size
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    cx = w // 2
    draw.ellipse((cx - 0.48 * w, 0.68 * h, cx + 0.48 * w, 1.25 * h), fill=255)
    draw.rectangle((cx - 0.1 * w, 0.5 * h, cx + 0.1 * w, 0.72 * h), fill=255)
    draw.ellipse((cx - 0.25 * w, 0.14 * h, cx + 0.25 * w, 0.58 * h), fill=255)
    draw.chord((cx - 0.27 * w, 0.10 * h, cx + 0.27 * w, 0.40 * h), 180, 360, fill=255)
    return mask


def jpeg(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    options.setdefault("quality", 92)
    options.setdefault("dpi", (300, 300))
    image.save(out, "JPEG", **options)
    return out.getvalue()


def encoded(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    image.save(out, kind)
    return out.getvalue()


def gradient_background(size: tuple[int, int] = (413, 579)) -> Image.Image:
    """White on the left fading to light blue on the right: a cheap backdrop lit from one side."""
    w, h = size
    strip = Image.linear_gradient("L").rotate(90).resize((w, h))  # 0 on the left, 255 on the right
    blue = Image.new("RGB", size, LIGHT_BLUE)
    image = Image.composite(blue, Image.new("RGB", size, WHITE), strip)
    image.paste(person_layer(size), mask=person_mask(size))
    return image


def busy_background(size: tuple[int, int] = (413, 579), seed: int = 1) -> Image.Image:
    """An office behind the person: shelves, posters, a window."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, (230, 225, 210))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.rectangle((x, y, x + rnd.randint(20, 120), y + rnd.randint(20, 120)), fill=colour)
    image.paste(person_layer(size), mask=person_mask(size))
    return image


def sideways_with_exif(image: Image.Image) -> bytes:
    """How a phone stores a portrait: pixels turned on their side plus EXIF orientation 6."""
    stored = image.rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    return jpeg(stored, exif=exif.tobytes())


def jpeg_claiming_size(width: int, height: int) -> bytes:
    """A small real JPEG whose header claims width × height: a decompression bomb's calling card."""
    data = bytearray(jpeg(portrait()))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def png_claiming_size(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def off_centre(
    background: tuple[int, int, int] = LIGHT_BLUE, canvas: tuple[int, int] = (1000, 700)
) -> Image.Image:
    """A landscape snapshot with the person left of centre: the fix must find and crop them."""
    image = Image.new("RGB", canvas, background)
    person = portrait(background, size=(413, 579))
    image.paste(person, (250, canvas[1] - 579))
    return image
