"""Photo check and fix time per photo, against Pillow's plain decode of the same file.

Three sources a clerk meets: a finished 2-inch JPEG, a light-blue 证件照 of the same size, and a
12-megapixel phone photo (3000 × 4000). The baseline decodes the file fully with Pillow and does
nothing else, so the ratio says what our checking or fixing costs on top of reading the photo.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image

from benchmarks.run import Case
from nominator.campaign import load_campaign
from nominator.domain.photo import check_photo_bytes
from nominator.domain.photofix import fix_photo
from tests import photo_corpus as corpus

RULES = load_campaign().photo


def _decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()


def _open_refused(data: bytes) -> None:
    # Plain Pillow refuses the header too, by raising; that is the fair baseline for a bomb.
    try:
        Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        return


def _setup(background: tuple[int, int, int], size: tuple[int, int]) -> Any:
    def build(_: Path) -> bytes:
        return corpus.jpeg(corpus.portrait(background, size))

    return build


def _case(what: str, build: Any, target: Any) -> Case:
    # A decode of a 2-inch photo takes a millisecond: on a shared machine a median of five such
    # pairs moves by half whenever another program is scheduled; thirty pairs hold still.
    return Case(
        name=what,
        baseline_name="Pillow decode of the file",
        setup=build,
        baseline=_decode,
        target=target,
        repeat=30,
    )


def _check(data: bytes) -> None:
    check_photo_bytes(data, RULES, target="photo")


def _fix(data: bytes) -> None:
    fix_photo(data, RULES, name="张某某", birth="19660101")


CASES = [
    _case("photo check 413x579 white", _setup(corpus.WHITE, (413, 579)), _check),
    _case("photo check 413x579 light blue", _setup(corpus.LIGHT_BLUE, (413, 579)), _check),
    _case("photo check 3000x4200 phone", _setup(corpus.LIGHT_BLUE, (3000, 4200)), _check),
    _case("photo fix 413x579 light blue", _setup(corpus.LIGHT_BLUE, (413, 579)), _fix),
    _case("photo fix 600x1000 crop + whiten", _setup(corpus.LIGHT_BLUE, (600, 1000)), _fix),
    _case("photo fix 3000x4200 phone", _setup(corpus.LIGHT_BLUE, (3000, 4200)), _fix),
    Case(
        name="photo check bomb header (60000x60000)",
        baseline_name="Pillow open (raises DecompressionBombError)",
        setup=lambda _: corpus.jpeg_claiming_size(60000, 60000),
        baseline=_open_refused,
        target=_check,
    ),
]
