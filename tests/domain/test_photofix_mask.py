"""The fix's background mask: exactly the near-background pixels joined to the photo's edge.

The mask is worked out on whole rows and columns at once (big-integer arithmetic); here it is
compared with the plainest possible flood fill, pixel by pixel, on masks of every shape: pockets,
spirals, runs touching the edge, widths on and off a byte boundary.
"""

from __future__ import annotations

from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from nominator.domain.photofix import _flood_from_edges


def reference_flood(near: Image.Image) -> bytes:
    width, height = near.size
    data = near.tobytes()
    seen = bytearray(width * height)
    queue = deque(
        (x, y)
        for y in range(height)
        for x in range(width)
        if data[y * width + x] and (x in (0, width - 1) or y in (0, height - 1))
    )
    for x, y in queue:
        seen[y * width + x] = 255
    while queue:
        x, y = queue.popleft()
        for nx, ny in ((x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)):
            if 0 <= nx < width and 0 <= ny < height and data[ny * width + nx] and not seen[ny * width + nx]:
                seen[ny * width + nx] = 255
                queue.append((nx, ny))
    return bytes(seen)


@st.composite
def masks(draw: st.DrawFn) -> Image.Image:
    width = draw(st.integers(1, 40))
    height = draw(st.integers(1, 40))
    density = draw(st.sampled_from([0.3, 0.55, 0.7, 0.9]))
    cells = draw(st.lists(st.floats(0, 1), min_size=width * height, max_size=width * height))
    return Image.frombytes("L", (width, height), bytes(255 if c < density else 0 for c in cells))


@settings(max_examples=300, deadline=None)
@given(masks())
def test_the_mask_is_the_plain_flood_fill_from_the_edges(near: Image.Image) -> None:
    assert _flood_from_edges(near).tobytes() == reference_flood(near)


def spiral(size: int) -> Image.Image:
    """A corridor winding inwards from the edge: every turn is one more round of spreading."""
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 0, 0, size - 1, size - 1
    x, y = 0, 0
    while right - left > 2 and bottom - top > 2:
        draw.line((x, y, right, y), fill=255)
        draw.line((right, y, right, bottom), fill=255)
        draw.line((right, bottom, left, bottom), fill=255)
        draw.line((left, bottom, left, top + 2), fill=255)
        x, y = left, top + 2
        left, top, right, bottom = left + 2, top + 2, right - 2, bottom - 2
    draw.line((x, y, left + 1, y), fill=255)
    return image


def test_a_winding_corridor_is_followed_to_its_end() -> None:
    for size in (7, 8, 15, 16, 17, 63, 64, 65):
        # The spiral inside a closed frame, entered through one gap in the frame's left side.
        near = Image.new("L", (size + 2, size + 2), 0)
        near.paste(spiral(size), (1, 1))
        assert _flood_from_edges(near).tobytes() == bytes(len(near.tobytes()))  # closed: none
        near.putpixel((0, 1), 255)
        mask = _flood_from_edges(near)
        assert mask.tobytes() == near.tobytes()  # every bend of the corridor reached
        assert mask.tobytes() == reference_flood(near)


def test_a_pocket_inside_the_person_is_not_background() -> None:
    near = Image.new("L", (30, 20), 255)
    ImageDraw.Draw(near).rectangle((5, 5, 24, 14), fill=0)  # the person
    ImageDraw.Draw(near).rectangle((10, 8, 19, 11), fill=255)  # a white collar inside
    mask = _flood_from_edges(near)
    assert mask.getpixel((0, 0)) == 255
    assert mask.getpixel((15, 9)) == 0
    assert mask.tobytes() == reference_flood(near)
