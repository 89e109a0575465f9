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
    raise NotImplementedError
