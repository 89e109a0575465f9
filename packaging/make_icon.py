"""Draw the program icon: a document with a red official seal, in red and gold.

`python packaging/make_icon.py` writes resources/icons/nominator.ico (16–256 px) and
nominator.png (256 px). Each size is drawn on its own (4× supersampled, then reduced), and the
small sizes drop the text lines, so the seal still reads at 16 px in a file list.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)

RED = (200, 16, 46, 255)  # 中国红
DARK_RED = (140, 10, 30, 255)
GOLD = (232, 182, 56, 255)
PAPER = (255, 251, 240, 255)
FOLD = (236, 224, 196, 255)


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    import math

    points = []
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.4
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw(size: int) -> Image.Image:
    scale = 4
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    u = s / 32  # drawing unit: the design is laid out on a 32×32 grid

    # the page, with its top-right corner folded
    left, top, right, bottom, fold = 5 * u, 2 * u, 25 * u, 29 * u, 6 * u
    outline = max(1, round(1.2 * u))
    page = [(left, top), (right - fold, top), (right, top + fold), (right, bottom), (left, bottom)]
    d.polygon(page, fill=PAPER, outline=DARK_RED, width=outline)
    d.polygon(
        [(right - fold, top), (right - fold, top + fold), (right, top + fold)],
        fill=FOLD,
        outline=DARK_RED,
        width=outline,
    )

    # a gold title bar and text lines (lines only where they can be seen)
    d.rectangle([left + 3 * u, top + 3 * u, right - fold - 1 * u, top + 5.5 * u], fill=GOLD)
    if size >= 32:
        for n in range(3):
            y = top + 8 * u + n * 3.2 * u
            d.rectangle([left + 3 * u, y, right - 3 * u, y + 1.3 * u], fill=(205, 180, 130, 255))

    # the seal: a red disc with a gold ring and a gold star, over the lower right of the page
    cx, cy, r = 21.5 * u, 22.5 * u, 8.8 * u
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=RED, outline=DARK_RED, width=outline)
    ring = r * 0.78
    if size >= 24:  # below that the ring only muddies the seal
        d.ellipse([cx - ring, cy - ring, cx + ring, cy + ring], outline=GOLD, width=max(1, round(1.1 * u)))
    d.polygon(_star(cx, cy, r * 0.55), fill=GOLD)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    images = [draw(size) for size in SIZES]
    images[-1].save(ICONS / "nominator.png", optimize=True)
    images[-1].save(ICONS / "nominator.ico", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(f"icons written to {ICONS}")


if __name__ == "__main__":
    main()
