"""The victim of the kill loop (test_kill_loop.py): opens a store and keeps editing, importing and
exporting until it is killed, announcing each operation before the call (BEGIN) and after the
call returned (SAVED <id> <value>). Every line goes out in one write(), so a kill never leaves
half a line.

    python crash_child.py DB WORK SEED            one victim, run until killed
    python crash_child.py --zygote DB WORK        imports once, then forks a victim per
                                                  "RUN <seed>" line on stdin (fast on POSIX)

The zygote answers "PID <pid>" when a victim starts and "EXIT <pid> <status>" when it is gone.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nominator.campaign import load_campaign  # noqa: E402
from nominator.domain.model import Member  # noqa: E402
from nominator.export.package import export_stage  # noqa: E402
from nominator.interchange.exchange import import_into_store, write_exchange  # noqa: E402
from nominator.store.session import Kind, Store  # noqa: E402

TODAY = dt.date(2025, 12, 21)
# (operation, weight): exports take ~100x longer than edits, so they are picked less often
OPERATIONS = [("update", 40), ("add", 15), ("delete", 10), ("reorder", 10), ("import", 8), ("export", 6)]


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def victim(db: Path, work: Path, seed: int) -> None:
    rnd = random.Random(seed)
    campaign = load_campaign()
    store = Store.open(db)
    say("READY")
    for n in range(10_000):
        token = f"s{seed}n{n}"
        op = rnd.choices([o for o, _ in OPERATIONS], [w for _, w in OPERATIONS])[0]
        if op == "update":
            kind: Kind = rnd.choice(["collective", "individual", "member"])
            rid = rnd.choice(store.ids(kind))
            record = store.get(kind, rid)
            field = "unit_and_title" if kind == "member" else "honors"
            say(f"BEGIN {kind}:{rid}:{field} {token}")
            setattr(record, field, token)
            with store.transaction() as w:
                w.update(kind, record)
            say(f"SAVED {kind}:{rid}:{field} {token}")
        elif op == "add":
            say(f"BEGIN member:new:name {token}")
            with store.transaction() as w:
                rid = w.add(
                    "member", Member(name=token, unit_and_title="办公室", role="成员", phone="024-12345678")
                )
            say(f"SAVED member:{rid}:name {token}")
        elif op == "delete":
            added = [m for m in store.records("member") if m.name.startswith("s")]
            if not added:
                continue
            chosen = rnd.choice(added).id
            assert chosen is not None
            say(f"BEGIN member:{chosen} deleted")
            with store.transaction() as w:
                w.delete("member", chosen)
            say(f"SAVED member:{chosen} deleted")
        elif op == "reorder":
            ids = store.ids("member")
            rnd.shuffle(ids)
            order = ",".join(map(str, ids))
            say(f"BEGIN member:order {order}")
            with store.transaction() as w:
                w.reorder("member", ids)
            say(f"SAVED member:order {order}")
        elif op == "import":
            dossier = store.load_dossier()
            dossier.unit.contact = token
            exchange = write_exchange(dossier, work / "exchange" / f"{token}.zip")
            store.close()
            say(f"BEGIN unit:contact {token}")
            import_into_store(exchange, db, replace=True)
            say(f"SAVED unit:contact {token}")
            store = Store.open(db)
        else:
            dossier = store.load_dossier()
            say("BEGIN export -")
            result = export_stage(dossier, campaign, "initial", work / "out", today=TODAY, make_pdf=False)
            say(f"SAVED export:{result.folder.name} ok")


def run_guarded(db: Path, work: Path, seed: int) -> None:
    try:
        victim(db, work, seed)
    except BaseException:
        say("CRASH " + traceback.format_exc().replace("\n", " | "))
        os._exit(3)
    os._exit(0)


def zygote(db: Path, work: Path) -> None:
    say("ZYGOTE")
    for line in sys.stdin:
        seed = int(line.split()[1])
        pid = os.fork()
        if pid == 0:
            run_guarded(db, work, seed)
        say(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"EXIT {pid} {status}")


if __name__ == "__main__":
    if sys.argv[1] == "--zygote":
        zygote(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        run_guarded(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
