"""What the program writes for people to open — the export package, the Excel template, the
exchange file and its photos, a fixed photo — gets the permissions any new file gets under the
user's umask, not the 0700/0600 that temporary files are made with before they are renamed."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from nominator.campaign import Campaign
from nominator.cli import main
from nominator.domain.model import Dossier
from nominator.export.package import export_stage
from nominator.interchange.demo import create_demo_store
from tests import photo_corpus as corpus

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture(params=[0o022, 0o027])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def modes(root: Path) -> dict[str, int]:
    paths = [root, *root.rglob("*")] if root.is_dir() else [root]
    return {str(p.relative_to(root.parent)): stat.S_IMODE(p.stat().st_mode) for p in paths}


def expected(path: Path, umask: int) -> int:
    return (0o777 if path.is_dir() else 0o666) & ~umask


def assert_usual(root: Path, umask: int) -> None:
    paths = [root, *root.rglob("*")] if root.is_dir() else [root]
    wrong = {
        str(p): oct(stat.S_IMODE(p.stat().st_mode))
        for p in paths
        if stat.S_IMODE(p.stat().st_mode) != expected(p, umask)
    }
    assert not wrong, f"umask {oct(umask)}: {wrong}"


def test_the_export_package_folder_and_every_file_in_it(
    tmp_path: Path, umask: int, demo_dossier: Dossier, campaign: Campaign
) -> None:
    result = export_stage(demo_dossier, campaign, "formal", tmp_path / "out", make_pdf=False)
    assert_usual(result.folder, umask)


def test_template_exchange_file_and_fixed_photo(
    tmp_path: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "模板.xlsx"
    assert main(["template", "--out", str(template)]) == 0
    assert_usual(template, umask)
    db = create_demo_store(tmp_path / "demo.nominator")
    exported = tmp_path / "交换" / "沈阳市.json"
    exported.parent.mkdir()
    assert main(["export-data", "--db", str(db), "--out", str(exported)]) == 0
    assert_usual(exported.parent, umask)  # the JSON, the photos folder and each photo
    photo = tmp_path / "证件照.jpg"
    photo.write_bytes(corpus.jpeg(corpus.portrait(corpus.LIGHT_BLUE)))
    fixed = tmp_path / "处理后"
    main(["photo", "fix", str(photo), "--name", "张某某", "--birth", "19660101", "--out", str(fixed)])
    assert_usual(fixed / "张某某-19660101.jpg", umask)
    packed = tmp_path / "活动包.zip"
    assert main(["campaign", "pack", "liaoning-zwgk-2025", "--out", str(packed)]) == 0
    assert_usual(packed, umask)
    capsys.readouterr()
