"""Reporters through whole harm reports while things break, one fault after another: a worker
SIGKILLed and restarted, the database restarted, Telegram answering 500 and 429 for longer than
a retry budget, every update delivered to two workers at once, one reporter's updates at two
workers at once. Two `harmwatch serve` workers in webhook mode behind a load balancer, a
private PostgreSQL, the sandbox as Telegram. Prints, per fault, the updates sent, answers lost,
reporters left without a reply and duplicate messages; the last line `ratio:` is the share of
reporters who finished without having to start over (goal 1.00).

    python benchmarks/faults.py [--reporters 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bot.faults.drive import Cluster, cluster, drive, early_ack_with_gap_wait, in_mode  # noqa: E402
from tests.bot.faults.drive import kill_and_restart, restart_database, telegram_failing  # noqa: E402
from tests.bot.faults.private_pg import private_postgres  # noqa: E402


async def worker_killed(running: Cluster, pg, reporters: int):
    return await drive(running, reporters, during=kill_and_restart(running, reporters))


async def database_restarted(running: Cluster, pg, reporters: int):
    return await drive(running, reporters, during=restart_database(pg, reporters))


async def telegram_failing_twice_as_long(running: Cluster, pg, reporters: int):
    tally, _ = await telegram_failing(running, reporters, scale=2)
    return tally


async def same_update_twice(running: Cluster, pg, reporters: int):
    return await in_mode(running, "duplicate", reporters)


async def one_reporter_at_two_workers(running: Cluster, pg, reporters: int):
    """Behind a balancer that acknowledges early, as a deployment behind one would: with
    HARMWATCH_ORDER_GAP_WAIT (without it the count of late updates is printed as refused)."""
    return await early_ack_with_gap_wait(running, reporters, GAP_WAIT)


FAULTS = {
    "worker SIGKILLed and restarted": worker_killed,
    "PostgreSQL restarted": database_restarted,
    "Telegram 500/429 beyond a retry budget": telegram_failing_twice_as_long,
    "same update at two workers": same_update_twice,
    "one reporter's updates at two workers": one_reporter_at_two_workers,
}


GAP_WAIT = "3"


def main() -> None:
    global GAP_WAIT
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reporters", type=int, default=30)
    parser.add_argument("--gap-wait", default=GAP_WAIT, help="HARMWATCH_ORDER_GAP_WAIT for the last fault (0: off)")
    parser.add_argument("--only", choices=range(1, len(FAULTS) + 1), type=int, action="append",
                        help="run only these faults (1-5, in the order above)")
    args = parser.parse_args()
    GAP_WAIT = args.gap_wait
    finished = total = 0
    with private_postgres() as pg:
        if pg is None:
            raise SystemExit("PostgreSQL binaries not found in /usr/lib/postgresql/*/bin")
        with cluster(pg.url, Path(tempfile.mkdtemp(prefix="harmwatch-faults-"))) as running:
            for number, (name, fault) in enumerate(FAULTS.items(), start=1):
                if args.only and number not in args.only:
                    continue
                tally = asyncio.run(fault(running, pg, args.reporters))
                print(tally.line(name), flush=True)
                finished += tally.finished
                total += tally.reporters
    print(f"reporters: {args.reporters} per fault, {total} in all, {finished} finished without starting over")
    print(f"ratio: {finished / total:.2f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
