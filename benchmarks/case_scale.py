"""Province scale: checking and exporting the demo unit's 5 + 10, a province's 100 + 300 and a
merged round's 100 + 1,000 (issue 18), each against the floor of the same work in this run.

- check in process, cold: the checker on a dossier whose photos were never judged (a store
  written by an older version), against reading every row and decoding every photo with Pillow;
- check in process, verdicts kept: on the dossier of a store whose photos the window judged,
  against reading every row;
- window re-check: the checker again on the loaded dossier, as while the clerk types;
- `nominator check` as a whole command (cold and kept), against a script that only loads the
  store with SQLAlchemy;
- formal export per document (no PDF), from the store as `nominator export` reads it, against
  python-docx opening and saving the template of every document it writes; the phases and the
  time per person are printed under the table;
- peak memory of the formal export, in a subprocess (resident set), against the same subprocess
  only loading the store;
- photo sheet and label sheet, against zipping the printable photos once.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

from benchmarks.run import Case
from benchmarks.scale import SIZES, label, scale_store

FORMAL_DAY = dt.date(2026, 1, 10)
_per_person: dict[tuple[int, int], float] = {}
# The same in processor time of this process: what the export itself costs, whatever else the
# shared machine runs at the time (wall-clock per person at two sizes is measured minutes apart,
# so unlike a ratio to a baseline it moves with the machine's other load).
_cpu_per_person: dict[tuple[int, int], float] = {}


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["NOMINATOR_DATA_DIR"] = str(tmp / "data")
    os.environ["NOMINATOR_DATA_DIR"] = env["NOMINATOR_DATA_DIR"]
    return env


# ---- checking ------------------------------------------------------------------------------


def _store(size: tuple[int, int], verdicts: bool) -> Any:
    def build(tmp: Path) -> dict[str, Any]:
        env = _env(tmp)
        path = scale_store(size, tmp / "scale.nominator", verdicts=verdicts)
        return {"path": path, "env": env, "tmp": tmp, "size": size}

    return build


def bare_select(ctx: dict[str, Any]) -> None:
    from benchmarks.case_store import bare_select_all

    bare_select_all(ctx)


def bare_select_and_decode(ctx: dict[str, Any]) -> None:
    from PIL import Image
    from sqlalchemy import create_engine, select

    from nominator.store.schema import Base, PhotoRow

    engine = create_engine(f"sqlite:///{ctx['path']}")
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            if table is PhotoRow.__table__:
                for row in rows:
                    with Image.open(io.BytesIO(row.data)) as image:
                        image.load()
    engine.dispose()


def _loaded_setup(size: tuple[int, int], verdicts: bool) -> Any:
    def build(tmp: Path) -> dict[str, Any]:
        from nominator.store.session import load_with_rules

        ctx = _store(size, verdicts)(tmp)
        ctx["dossier"], ctx["campaign"] = load_with_rules(ctx["path"])
        ctx["kept"] = dict(ctx["dossier"].photo_verdicts)
        return ctx

    return build


def check_as_loaded(ctx: dict[str, Any]) -> None:
    """The checker on the dossier as the store gave it (with the verdicts it keeps, if any),
    remembering nothing from an earlier run: every photo without a kept verdict is decoded."""
    from nominator.domain import checks

    checks._photo_cache.clear()
    ctx["dossier"].photo_verdicts = dict(ctx["kept"])
    checks.check(ctx["dossier"], ctx["campaign"], "formal", today=FORMAL_DAY)


def _recheck_setup(size: tuple[int, int]) -> Any:
    def build(tmp: Path) -> dict[str, Any]:
        from nominator.domain import checks

        ctx = _loaded_setup(size, True)(tmp)
        checks.check(ctx["dossier"], ctx["campaign"], "formal", today=FORMAL_DAY)
        return ctx

    return build


def recheck(ctx: dict[str, Any]) -> None:
    from nominator.domain import checks

    checks.check(ctx["dossier"], ctx["campaign"], "formal", today=FORMAL_DAY)


BARE_LOAD = """
import sys
from sqlalchemy import create_engine, select
from nominator.store.schema import Base
engine = create_engine(f"sqlite:///{sys.argv[1]}")
with engine.connect() as conn:
    for table in Base.metadata.sorted_tables:
        conn.execute(select(table)).all()
"""


def bare_load_command(ctx: dict[str, Any]) -> None:
    subprocess.run([sys.executable, "-c", BARE_LOAD, str(ctx["path"])], env=ctx["env"], check=True)


def check_command(ctx: dict[str, Any]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nominator", "check", "--db", str(ctx["path"]), "--stage", "formal"],
        env=ctx["env"],
        capture_output=True,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr.decode("utf-8", "replace"))


# ---- exporting -----------------------------------------------------------------------------


def _export_setup(size: tuple[int, int]) -> Any:
    def build(tmp: Path) -> dict[str, Any]:
        from nominator.export.documents import stage_outputs
        from nominator.store.session import load_with_rules

        ctx = _store(size, True)(tmp)
        dossier, campaign = load_with_rules(ctx["path"])
        stage = dossier.for_stage("formal", campaign)
        templates = []
        for spec, _name, _record in stage_outputs(stage, campaign, "formal"):
            if spec.kind == "docx":
                templates.append((campaign.forms_dir / f"{spec.key}.docx").read_bytes())
        ctx.update(templates=templates, documents=len(list(stage_outputs(stage, campaign, "formal"))), n=0)
        ctx["notes"] = []
        return ctx

    return build


def open_and_save_templates(ctx: dict[str, Any]) -> None:
    from docx import Document

    for data in ctx["templates"]:
        Document(io.BytesIO(data)).save(io.BytesIO())


def export_formal(ctx: dict[str, Any]) -> None:
    """`nominator export --stage formal` without the PDF, in this process: load, check, write."""
    from nominator.export import package, photo_sheets, printstream
    from nominator.store.session import load_with_rules

    phases: dict[str, float] = {}

    def timed(owner: Any, name: str, phase: str) -> Any:
        real = getattr(owner, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start

        setattr(owner, name, run)
        return real

    saved = [
        (photo_sheets, "write_photo_sheet", timed(photo_sheets, "write_photo_sheet", "photo sheet")),
        (photo_sheets, "write_label_sheet", timed(photo_sheets, "write_label_sheet", "label sheet")),
        (printstream.PrintSetWriter, "add", timed(printstream.PrintSetWriter, "add", "print set")),
        (printstream.PrintSetWriter, "close", timed(printstream.PrintSetWriter, "close", "print set")),
        (package, "write_checklist", timed(package, "write_checklist", "checklist")),
        (package, "write_eml", timed(package, "write_eml", "mail")),
        (package, "check", timed(package, "check", "check")),
    ]
    ctx["n"] += 1
    out = ctx["tmp"] / f"out{ctx['n']}"
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        dossier, campaign = load_with_rules(ctx["path"])
        loaded = time.perf_counter()
        package.export_stage(dossier, campaign, "formal", out, today=FORMAL_DAY, make_pdf=False)
    finally:
        for owner, name, real in saved:
            setattr(owner, name, real)
    total, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    shutil.rmtree(out)
    size = ctx["size"]
    people = size[0] + size[1]
    phases["load"] = loaded - start
    phases["documents (render, zip)"] = total - sum(phases.values())
    shares = ", ".join(
        f"{name} {100 * secs / total:.0f}%" for name, secs in sorted(phases.items(), key=lambda i: -i[1])
    )
    _per_person[size] = min(_per_person.get(size, total / people), total / people)
    _cpu_per_person[size] = min(_cpu_per_person.get(size, cpu / people), cpu / people)
    note = [
        f"export formal {label(size)}: {ctx['documents']} documents, {total:.1f} s "
        f"({cpu:.1f} s processor time); phases: {shares}"
    ]
    if (100, 300) in _per_person and size == (100, 1000):
        for what, table in (("wall-clock", _per_person), ("processor time", _cpu_per_person)):
            ratio = table[(100, 1000)] / table[(100, 300)]
            note.append(
                f"export formal per person, {what}: {1000 * table[(100, 300)]:.1f} ms at 100+300, "
                f"{1000 * table[(100, 1000)]:.1f} ms at 100+1000 ({ratio:.2f}x)"
            )
    ctx["notes"] = note


MEASURED = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
if sys.argv[2] == "export":
    from nominator.export.package import export_stage
    from nominator.store.session import load_with_rules
    dossier, campaign = load_with_rules(Path(sys.argv[1]))
    export_stage(dossier, campaign, "formal", Path(sys.argv[3]), today=dt.date(2026, 1, 10), make_pdf=False)
else:
    from sqlalchemy import create_engine, select
    from nominator.store.schema import Base
    engine = create_engine(f"sqlite:///{sys.argv[1]}")
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            conn.execute(select(table)).all()
def peak_mib():
    # VmHWM: this program's own high-water mark (ru_maxrss would include the parent's pages
    # this process had before it became Python, when it was forked from the runner)
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": time.perf_counter() - start, "peak": peak_mib()}))
"""


def _measured(ctx: dict[str, Any], what: str) -> float:
    ctx["n"] = ctx.get("n", 0) + 1
    out = ctx["tmp"] / f"mem{ctx['n']}"
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, str(ctx["path"]), what, str(out)],
        env=ctx["env"],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(out, ignore_errors=True)
    result = json.loads(done.stdout)
    peaks = ctx.setdefault("peaks", {})
    peaks[what] = max(peaks.get(what, 0.0), float(result["peak"]))
    ctx["peak"] = (peaks.get("export", 0.0), peaks.get("load", 0.0))
    return float(result["seconds"])


def export_in_subprocess(ctx: dict[str, Any]) -> None:
    _measured(ctx, "export")


def load_in_subprocess(ctx: dict[str, Any]) -> None:
    _measured(ctx, "load")


# ---- the photo sheets ----------------------------------------------------------------------


def _sheet_setup(size: tuple[int, int]) -> Any:
    def build(tmp: Path) -> dict[str, Any]:
        from nominator.campaign import load_campaign
        from nominator.store.session import load_with_rules

        ctx = _store(size, True)(tmp)
        dossier, _campaign = load_with_rules(ctx["path"])
        ctx["people"] = [(dossier.unit.name, p.name, p.photo_data) for p in dossier.ordered_individuals()]
        ctx["rules"] = load_campaign().photo
        return ctx

    return build


def zip_printable_photos(ctx: dict[str, Any]) -> None:
    from nominator.domain.photofix import printable_jpeg

    with zipfile.ZipFile(ctx["tmp"] / "floor.zip", "w") as archive:
        for n, (_unit, _name, data) in enumerate(ctx["people"]):
            archive.writestr(f"word/media/image{n}.jpg", printable_jpeg(data, ctx["rules"]))


def photo_and_label_sheets(ctx: dict[str, Any]) -> None:
    from nominator.export.photo_sheets import write_label_sheet, write_photo_sheet

    write_photo_sheet(ctx["people"], ctx["rules"], ctx["tmp"] / "photos.docx")
    write_label_sheet(ctx["people"], ctx["rules"], ctx["tmp"] / "labels.docx")


CASES: list[Case] = []
for _size in SIZES:
    _l = label(_size)
    _big = _size[1] >= 1000
    CASES += [
        Case(
            f"check formal {_l}, in process, cold: every photo decoded",
            "bare select of all rows + Pillow decode of every photo",
            _loaded_setup(_size, False),
            bare_select_and_decode,
            check_as_loaded,
            repeat=3 if _big else 5,
        ),
        Case(
            f"check formal {_l}, in process, verdicts kept",
            "bare select of all rows",
            _loaded_setup(_size, True),
            bare_select,
            check_as_loaded,
            repeat=3 if _big else 5,
        ),
        Case(
            f"check formal {_l}, window re-check",
            "bare select of all rows",
            _recheck_setup(_size),
            bare_select,
            recheck,
        ),
        Case(
            f"nominator check {_l}, whole command, cold",
            "a bare SQLAlchemy load script",
            _store(_size, False),
            bare_load_command,
            check_command,
            repeat=3,
        ),
        Case(
            f"nominator check {_l}, whole command, verdicts kept",
            "a bare SQLAlchemy load script",
            _store(_size, True),
            bare_load_command,
            check_command,
            repeat=3,
        ),
        Case(
            f"export formal {_l} (no PDF)",
            "python-docx open+save of each document's template",
            _export_setup(_size),
            open_and_save_templates,
            export_formal,
            repeat=2 if _big else 3,
        ),
        Case(
            f"export formal {_l} in a subprocess (peak memory)",
            "the same subprocess loading the store",
            _export_setup(_size),
            load_in_subprocess,
            export_in_subprocess,
            repeat=1,
        ),
        Case(
            f"photo + label sheets {_l}",
            "zip the printable photos",
            _sheet_setup(_size),
            zip_printable_photos,
            photo_and_label_sheets,
            repeat=2 if _big else 3,
        ),
    ]
