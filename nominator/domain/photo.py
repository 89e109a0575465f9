"""Photo rules F2 (file name, JPEG, white background) and F3 (2-inch geometry).

Contract used by the checker, the CLI and the window:
- check_photo_name(filename, *, name, birth, target) -> list[Problem]
- check_photo_bytes(data, rules, *, target) -> list[Problem]
- make_demo_photo(seed, rules) -> bytes   (a generated 2-inch JPEG that passes)
"""

from __future__ import annotations

from nominator.campaign import PhotoRules
from nominator.domain.problems import Problem


def check_photo_name(filename: str, *, name: str | None, birth: str | None, target: str) -> list[Problem]:
    return []


def check_photo_bytes(data: bytes, rules: PhotoRules, *, target: str) -> list[Problem]:
    return []


def make_demo_photo(seed: int, rules: PhotoRules) -> bytes:
    """A generated 2-inch portrait on white: a head and shoulders in a colour chosen by seed."""
    import io
    import random

    from PIL import Image, ImageDraw

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
