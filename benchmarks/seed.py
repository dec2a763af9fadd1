"""`harmwatch seed` rows/s against a bare SQLAlchemy Core bulk insert of the same rows, on
PostgreSQL, in one run. Goal (foundation issue): ratio >= 0.2.

    python benchmarks/seed.py [--reports 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from benchmarks._pg import scratch_database  # noqa: E402
from harmwatch.database import Database  # noqa: E402
from harmwatch.reports.models import Report  # noqa: E402
from harmwatch.seed import Seeder, full_row, seed  # noqa: E402

BATCH = 5000


async def time_seed(url: str, reports: int) -> float:
    db = Database(url)
    started = time.perf_counter()
    await seed(db, reports=reports, batch=BATCH)
    elapsed = time.perf_counter() - started
    await db.dispose()
    return elapsed


async def time_core(url: str, reports: int) -> float:
    """The same report rows (made beforehand, not timed), inserted with executemany alone."""
    rows = [full_row(r) for r in Seeder(1).report_rows(reports)]
    for row in rows:
        row["status"] = "submitted" if row["status"] == "verified" else row["status"]
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.execute(sa.text("TRUNCATE reports, incidents RESTART IDENTITY CASCADE"))
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        async with db.engine.begin() as conn:
            await conn.execute(sa.insert(Report.__table__), rows[start:start + BATCH])
    elapsed = time.perf_counter() - started
    await db.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_database("harmwatch_bench_seed") as url:
        seeded = asyncio.run(time_seed(url, args.reports))
        core = asyncio.run(time_core(url, args.reports))
    seed_rate, core_rate = args.reports / seeded, args.reports / core
    print(f"reports:                 {args.reports}")
    print(f"harmwatch seed:          {seeded:7.2f} s  {seed_rate:10,.0f} reports/s (incl. incidents, generation)")
    print(f"bare Core bulk insert:   {core:7.2f} s  {core_rate:10,.0f} rows/s")
    print(f"ratio: {seed_rate / core_rate:.2f}")


if __name__ == "__main__":
    main()
