"""The one benchmark runner: `python -m benchmarks.run [-k PATTERN] [--repeat N] [--clock cpu]`.

Each `benchmarks/case_*.py` module lists `CASES`. A case builds its data once in a temp folder,
then the runner times its baseline and its target alternately, several times each, and prints
a table of medians and the ratio target / baseline, both measured in this same run on this same
machine — so the numbers mean something on any machine. Nothing here is asserted.

A case that runs its work in a subprocess may put the peak memory of both sides (resident set,
MiB) in its context as `ctx["peak"] = (target, baseline)`; they are printed beside the times. A
case may add lines under the table (`ctx["notes"]`): phases, time per person, …
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Case:
    name: str  # what is measured, e.g. "open store 100+300"
    baseline_name: str  # what it is compared with, e.g. "bare SQLAlchemy select of all rows"
    setup: Callable[[Path], Any]  # builds the data in a temp folder; returns a context
    baseline: Callable[[Any], object]
    target: Callable[[Any], object]
    repeat: int = 5


def _discover() -> list[Case]:
    here = Path(__file__).parent
    cases: list[Case] = []
    for path in sorted(here.glob("case_*.py")):
        module = importlib.import_module(f"benchmarks.{path.stem}")
        cases.extend(module.CASES)
    return cases


def _time(func: Callable[[Any], object], ctx: Any, clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    func(ctx)
    return clock() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Nominator benchmarks")
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("--repeat", type=int, default=0, help="override each case's repeat count")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: this process's processor time, for in-process cases on a machine other work "
        "shares (a 10 ms target is cut into by other programs far more often than its 1 ms "
        "baseline); it does not count subprocesses",
    )
    args = parser.parse_args(argv)
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    rows = []
    notes: list[str] = []
    failed: list[str] = []
    for case in _discover():
        if args.k and args.k not in case.name:
            continue
        try:
            with tempfile.TemporaryDirectory(prefix="nominator-bench-") as tmp:
                ctx = case.setup(Path(tmp))
                case.baseline(ctx)  # warm caches and imports for both sides
                case.target(ctx)
                base_times, target_times = [], []
                for _ in range(args.repeat or case.repeat):
                    base_times.append(_time(case.baseline, ctx, clock))
                    target_times.append(_time(case.target, ctx, clock))
                peak = ctx.get("peak") if isinstance(ctx, dict) else None
                notes += ctx.get("notes", []) if isinstance(ctx, dict) else []
        except Exception as exc:  # one broken case must not lose the others' figures
            failed.append(f"{case.name}: {type(exc).__name__}: {exc}")
            print(f"  FAILED: {failed[-1]}", file=sys.stderr)
            continue
        base, target = statistics.median(base_times), statistics.median(target_times)
        rows.append(
            (case.name, target, case.baseline_name, base, target / base if base else float("inf"), peak)
        )
        memory = f", peak {peak[0]:.0f} / {peak[1]:.0f} MiB" if peak else ""
        print(
            f"  done: {case.name}: {target:.4f} s / {base:.4f} s = {rows[-1][4]:.1f}x{memory}",
            file=sys.stderr,
        )
    name_w = max([len(r[0]) for r in rows] + [4])
    base_w = max([len(r[2]) for r in rows] + [8])
    print(
        f"{'case':<{name_w}}  {'median s':>9}  {'baseline':<{base_w}}  {'median s':>9}  {'ratio':>7}"
        f"  {'peak MiB':>9}  {'baseline':>8}"
    )
    for name, target, base_name, base, ratio, peak in rows:
        memory = f"  {peak[0]:9.0f}  {peak[1]:8.0f}" if peak else ""
        print(f"{name:<{name_w}}  {target:9.4f}  {base_name:<{base_w}}  {base:9.4f}  {ratio:7.1f}x{memory}")
    for line in notes:
        print(line)
    for line in failed:
        print(f"FAILED {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
