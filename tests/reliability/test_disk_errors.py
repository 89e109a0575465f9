"""Disk full or permission denied at each step of an export: a clear message, the earlier package
untouched, and no temp folder left behind."""

from __future__ import annotations

import datetime as dt
import errno
import os
import pathlib
import shutil
from pathlib import Path

import pytest

from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.export import bundle, documents, package, printstream

TODAY = dt.date(2026, 1, 10)
# every place the export writes, in the order it writes
STEPS = {
    "documents": (documents, "_write"),  # each written straight into the electronic set
    "photos": (pathlib.Path, "write_bytes"),
    "print-set": (printstream, "write_package"),  # the print set, joined while the documents come
    "checklist": (package, "write_checklist"),
    "zip": (bundle.BundleZip, "add"),  # the mail's zip, entry by entry
    "eml": (package, "write_eml"),
    "rename-into-place": (os, "replace"),
}
FAILURES = {
    "disk-full": (errno.ENOSPC, "磁盘空间不足"),
    "permission-denied": (errno.EACCES, "没有权限写入"),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def earlier_package(tmp_path_factory: pytest.TempPathFactory, campaign: Campaign) -> Path:
    from nominator.interchange.demo import build_demo_dossier

    out = tmp_path_factory.mktemp("earlier") / "报送材料"
    package.export_stage(build_demo_dossier(campaign), campaign, "formal", out, today=TODAY, make_pdf=False)
    return out


CASES = [(step, "disk-full") for step in STEPS] + [
    (step, "permission-denied") for step in ("documents", "photos", "rename-into-place")
]


@pytest.mark.parametrize(("step", "failure"), CASES)
def test_a_write_failing_at_any_step_leaves_the_earlier_package_and_no_debris(
    tmp_path: Path,
    demo_dossier: Dossier,
    campaign: Campaign,
    monkeypatch: pytest.MonkeyPatch,
    earlier_package: Path,
    step: str,
    failure: str,
) -> None:
    out = tmp_path / "报送材料"
    shutil.copytree(earlier_package, out)
    earlier = [p.name for p in out.iterdir()]
    before = snapshot(out)
    code, phrase = FAILURES[failure]
    owner, name = STEPS[step]
    calls = []

    def failing(*args: object, **kw: object) -> object:
        calls.append(name)
        raise OSError(code, os.strerror(code), str(out / "x"))

    monkeypatch.setattr(owner, name, failing)
    with pytest.raises(UserError, match=phrase):
        package.export_stage(demo_dossier, campaign, "formal", out, today=TODAY, make_pdf=False)
    monkeypatch.undo()
    assert calls, f"{step} was never reached"
    assert [p.name for p in out.iterdir()] == earlier  # no temp folder either
    assert snapshot(out) == before
