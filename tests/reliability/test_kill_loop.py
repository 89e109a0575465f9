"""Crashes: a child process edits, imports and exports; we SIGKILL it at random moments, many
times. After every kill the store must pass `PRAGMA integrity_check`, open again (the lock died
with the child), hold every edit the child reported as SAVED, and the output folders must show no
half-written package or file (only hidden `.nominator-*` temp names may remain).

Bounded by default (KILLS kills or BUDGET seconds, whichever comes first). For a long manual run:

    NOMINATOR_KILL_LOOP=long python -m pytest tests/reliability/test_kill_loop.py -s

(500 kills or 30 minutes; NOMINATOR_KILL_LOOP_KILLS and NOMINATOR_KILL_LOOP_SECONDS override).
The figures are printed at the end; README's 可靠性 section quotes the last long run.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from nominator import files as debris
from nominator.campaign import Campaign
from nominator.domain.model import Dossier
from nominator.errors import UserError
from nominator.export.package import export_stage
from nominator.interchange.exchange import read_exchange
from nominator.store import backup
from nominator.store.session import Store
from tests.reliability.crash_child import TODAY

CHILD = Path(__file__).with_name("crash_child.py")
SEED = 20251221
LONG = os.environ.get("NOMINATOR_KILL_LOOP") == "long"
KILLS = int(os.environ.get("NOMINATOR_KILL_LOOP_KILLS", 500 if LONG else 20))
BUDGET = float(os.environ.get("NOMINATOR_KILL_LOOP_SECONDS", 1800 if LONG else 25))
MAX_DELAY = 1.5  # seconds from the child's start to the kill: covers opening, edits and exports

Facts = dict[str, str]


@dataclass
class Figures:
    kills: int = 0
    saved: int = 0
    verified: int = 0
    pending_applied: int = 0
    packages: int = 0
    temp_left: int = 0
    ops: dict[str, int] = field(default_factory=dict)


class Zygote:
    """One process that imports the application once and forks a victim per run (POSIX); where
    there is no fork, each victim is a fresh interpreter (slower, same checks)."""

    def __init__(self, db: Path, work: Path) -> None:
        self.db, self.work = db, work
        self.lines: queue.Queue[str] = queue.Queue()
        self.proc: subprocess.Popen[bytes] | None = None
        if hasattr(os, "fork"):
            self.proc = self._start([sys.executable, str(CHILD), "--zygote", str(db), str(work)])
            assert self._next(60) == "ZYGOTE"

    def _start(self, argv: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=CHILD.parents[2])
        assert proc.stdout is not None
        stdout = proc.stdout

        def pump() -> None:
            for raw in stdout:
                self.lines.put(raw.decode("utf-8").rstrip("\n"))

        threading.Thread(target=pump, daemon=True).start()
        return proc

    def _next(self, timeout: float) -> str:
        return self.lines.get(timeout=timeout)

    def run(self, seed: int, delay: float) -> list[str]:
        """Start a victim, kill it after `delay` seconds, return what it said."""
        said: list[str] = []
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.write(f"RUN {seed}\n".encode())
            self.proc.stdin.flush()
            line = self._next(60)
            assert line.startswith("PID "), line
            pid = int(line.split()[1])
            self._collect(said, time.monotonic() + delay)
            with contextlib.suppress(ProcessLookupError):  # it died on its own: said why below
                os.kill(pid, signal.SIGKILL)
            line = said.pop() if said and said[-1].startswith("EXIT ") else self._next(60)
            while not line.startswith(f"EXIT {pid} "):
                said.append(line)
                line = self._next(60)
            status = int(line.split()[2])
            self._no_crash(said)
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (status, said[-3:])
        else:
            victim = self._start([sys.executable, str(CHILD), str(self.db), str(self.work), str(seed)])
            self._collect(said, time.monotonic() + 1.0 + delay)  # + interpreter start
            victim.kill()
            victim.wait(60)
            time.sleep(0.2)
            while not self.lines.empty():
                said.append(self.lines.get())
        self._no_crash(said)
        return said

    @staticmethod
    def _no_crash(said: list[str]) -> None:
        crashed = [s for s in said if s.startswith("CRASH")]
        assert not crashed, crashed[0].replace(" | ", "\n")

    def _collect(self, said: list[str], until: float) -> None:
        while (left := until - time.monotonic()) > 0:
            try:
                said.append(self._next(left))
            except queue.Empty:
                return
            if said[-1].startswith("EXIT "):
                return

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            self.proc.stdin.close()
            self.proc.wait(60)
            self.proc.stdout.close()


# ---- what must be true after a kill ---------------------------------------------------------


def apply(facts: Facts, key: str, value: str) -> Facts:
    """The facts after an edit with `key` and `value` (as in the child's SAVED lines)."""
    facts = dict(facts)
    if key == "unit:contact":  # an import replaced everything, new ids included
        return {key: value}
    parts = key.split(":")
    if value == "deleted":
        facts = {k: v for k, v in facts.items() if not k.startswith(key + ":")}
        facts[key] = value
        _drop_from_order(facts, parts[1])
    elif len(parts) == 3 and parts[1] != "new":
        facts.pop(f"{parts[0]}:{parts[1]}", None)  # an id SQLite handed out again
        if parts[0] == "member" and parts[2] == "name":
            _drop_from_order(facts, parts[1])
        facts[key] = value
    elif parts[0] != "export" and parts[1] != "new":
        facts[key] = value
    return facts


def _drop_from_order(facts: Facts, rid: str) -> None:
    if "member:order" in facts:
        facts["member:order"] = ",".join(i for i in facts["member:order"].split(",") if i != rid)


def matches(store: Store, facts: Facts) -> list[str]:
    """The facts the store does not hold (empty: all held)."""
    wrong = []
    members = [str(i) for i in store.ids("member")]
    for key, value in facts.items():
        parts = key.split(":")
        if key == "unit:contact":
            ok = store.unit().contact == value
        elif key == "member:order":
            expected = [i for i in value.split(",") if i and i in members]
            ok = [i for i in members if i in value.split(",")] == expected
        elif value == "deleted":
            ok = parts[1] not in [str(i) for i in store.ids(parts[0])]  # type: ignore[arg-type]
        else:
            try:
                ok = getattr(store.get(parts[0], int(parts[1])), parts[2]) == value  # type: ignore[arg-type]
            except UserError:
                ok = False
        if not ok:
            wrong.append(key)
    return wrong


def op_name(key: str, value: str) -> str:
    if key == "unit:contact":
        return "import"
    if key == "member:order":
        return "reorder"
    if value == "deleted":
        return "delete"
    return {"export": "export", "member:new": "add"}.get(key.rsplit(":", 1)[0], "update")


def settle(said: list[str], facts: Facts, store: Store, figures: Figures) -> Facts:
    """Replay the SAVED lines; the one operation begun but not reported may or may not be in."""
    pending: tuple[str, str] | None = None
    for line in said:
        word, _, rest = line.partition(" ")
        key, _, value = rest.partition(" ")
        if word == "BEGIN":
            pending = (key, value)
            figures.ops[op_name(key, value)] = figures.ops.get(op_name(key, value), 0) + 1
        elif word == "SAVED":
            facts = apply(facts, key, value)
            figures.saved += 1
            pending = None
    without = matches(store, facts)
    if not without:
        figures.verified += len(facts)
        return facts
    assert pending is not None, f"saved edits missing after a kill: {without}"
    key, value = pending
    if key == "member:new:name":  # committed before the kill: its id (maybe one SQLite reused) is known now
        added = [m.id for m in store.records("member") if m.name == value]
        key = f"member:{added[0]}:name" if added else key
    with_pending = apply(facts, key, value)
    missing = matches(store, with_pending)
    assert not missing, f"saved edits missing after a kill during {pending}: {without} / {missing}"
    figures.pending_applied += 1
    figures.verified += len(with_pending)
    return with_pending


def package_listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def check_outputs(work: Path, reference: list[str], seen: set[str], figures: Figures) -> None:
    """Every visible package is whole; every visible exchange file reads; only temp names hidden."""
    out = work / "out"
    for entry in out.iterdir() if out.exists() else []:
        if entry.name.startswith(".nominator-export-"):
            continue
        assert entry.is_dir(), entry
        if entry.name in seen:
            continue
        assert package_listing(entry) == reference, f"half-written package {entry.name}"
        for archive in entry.rglob("*"):
            if archive.suffix in (".zip", ".docx"):
                with zipfile.ZipFile(archive) as zf:
                    assert zf.testzip() is None, archive
        seen.add(entry.name)
        figures.packages += 1
    exchange = work / "exchange"
    for entry in exchange.iterdir() if exchange.exists() else []:
        if entry.name.startswith(".nominator-"):
            continue
        assert entry.suffix == ".zip", entry
        if entry.name not in seen:
            read_exchange(entry)
            seen.add(entry.name)


def check_store(db: Path, facts: Facts, said: list[str], figures: Figures) -> Facts:
    with Store.open(db) as store:  # opens: not damaged, not locked by the dead child
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        facts = settle(said, facts, store, figures)
    assert all(backup.is_good(b) for b in backup.list_backups(db)), "a backup is half-written"
    return facts


def test_killed_at_random_moments_loses_nothing_it_reported_saved(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "沈阳市.nominator"
    with Store.create(db, campaign=campaign.id) as store, store.transaction() as w:
        w.replace_dossier(demo_dossier)
    work = tmp_path / "work"
    (work / "out").mkdir(parents=True)
    reference = package_listing(
        export_stage(demo_dossier, campaign, "initial", tmp_path / "ref", today=TODAY, make_pdf=False).folder
    )
    rnd = random.Random(SEED)
    figures, facts, seen = Figures(), Facts(), set[str]()
    started = time.monotonic()
    zygote = Zygote(db, work)
    try:
        while figures.kills < KILLS and time.monotonic() - started < BUDGET:
            said = zygote.run(SEED + figures.kills, rnd.uniform(0.0, MAX_DELAY))
            figures.kills += 1
            facts = check_store(db, facts, said, figures)
            check_outputs(work, reference, seen, figures)
    finally:
        zygote.close()
    elapsed = time.monotonic() - started
    figures.temp_left = len(list((work / "out").glob(".nominator-export-*")))
    assert figures.kills >= min(KILLS, 5) and figures.saved > figures.kills
    with capsys.disabled():
        print(
            f"\nkill loop: {figures.kills} kills, {figures.saved} edits reported saved, "
            f"{figures.verified} facts verified ({figures.pending_applied} kills landed after a commit "
            f"and before its report), {figures.packages} whole packages, {figures.temp_left} temp "
            f"folders left, {elapsed:.0f} s; operations begun: {figures.ops}"
        )


def test_next_export_removes_temp_folders_a_killed_export_left(
    tmp_path: Path, demo_dossier: Dossier, campaign: Campaign
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    long_ago = debris.STARTED - debris.STALE_AFTER - 60
    for n in range(3):  # as a kill leaves them: a hidden folder with part of a package
        stale = out / f".nominator-export-dead{n}"
        (stale / ".work" / "docs").mkdir(parents=True)
        (stale / "打印合集-初审.docx").write_bytes(b"PK\x03\x04 half")
        os.utime(stale, (long_ago, long_ago))
    running = out / ".nominator-export-running"  # another program's export, still going
    running.mkdir()
    export_stage(demo_dossier, campaign, "initial", out, today=TODAY, make_pdf=False)
    assert sorted(p.name for p in out.iterdir()) == [
        ".nominator-export-running",
        "沈阳市全省政务公开工作表彰上报材料-初审",
    ]


def test_next_backup_removes_a_backup_a_kill_cut_short(tmp_path: Path, demo_dossier: Dossier) -> None:
    db = tmp_path / "s.nominator"
    Store.create(db, campaign=demo_dossier.campaign).close()
    folder = backup.backup_dir_for(db)
    folder.mkdir(parents=True)
    half = folder / "20240101-090000-000000-open.part"
    half.write_bytes(b"SQLite format 3\x00")
    long_ago = debris.STARTED - debris.STALE_AFTER - 60
    os.utime(half, (long_ago, long_ago))
    Store.open(db).close()
    assert not half.exists()
    assert [b.suffix for b in folder.iterdir()] == [".nominator"]
