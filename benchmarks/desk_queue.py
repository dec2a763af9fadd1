"""Benchmark of the review desk on PostgreSQL: p50 and p95 of the queue's first page, of a
page deep in a filtered list, and of a report page, with 10,000 and with 1,000,000 seeded
reports. Pages are fetched through the real app (in process, over ASGI) by a logged-in
monitor, so routing, queries and templates all count. The database is made for the run and
dropped at the end. Each page is timed in rounds; its p95 is the median of the rounds' p95,
which keeps one burst of load from elsewhere on the machine out of the figure. The last line
is `ratio: X.XX`, p95 at 1M ÷ p95 at 10k (the worst of the three pages); the goal is 2.00 or
less.

    .venv/bin/python benchmarks/desk_queue.py [--small 10000] [--large 1000000] [--runs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import re
import statistics
import sys
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.main import create_app  # noqa: E402
from benchmarks._pg import scratch_database  # noqa: E402
from harmwatch.accounts.service import create_user  # noqa: E402
from harmwatch.database import Database  # noqa: E402
from harmwatch.reports.models import Report  # noqa: E402
from harmwatch.seed import seed  # noqa: E402
from harmwatch.settings import Settings  # noqa: E402

PASSWORD = "benchmark-password"
DEEP_PAGE = 5
ROUNDS = 5
DEEP_FILTER = "status=submitted&type=harm&lang=ar&sort=newest"
NEXT = re.compile(r'href="/\?([^"]*after=[^"]+)" rel="next"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def timed(client: httpx.AsyncClient, url: str) -> float:
    started = time.perf_counter()
    response = await client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


async def deep_url(client: httpx.AsyncClient) -> str:
    """The URL of page DEEP_PAGE of the filtered list, following the keyset cursors."""
    url = f"/?{DEEP_FILTER}"
    for _ in range(DEEP_PAGE - 1):
        found = NEXT.search((await client.get(url)).text)
        if not found:
            break
        url = "/?" + found.group(1).replace("&amp;", "&")
    return url


async def measure(db: Database, settings: Settings, runs: int) -> dict[str, tuple[float, float]]:
    app = create_app(settings)
    app.state.db = db
    async with db.engine.connect() as conn:  # a database in steady state: vacuumed, analysed
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(sa.text("VACUUM ANALYZE"))
    async with db.transaction() as session:
        ids = list((await session.scalars(sa.select(Report.id).where(Report.status == "submitted")
                                          .order_by(sa.func.random()).limit(runs))).all())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        page = await client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        await client.post("/login", data={"csrf_token": token, "name": "bench", "password": PASSWORD})
        deep = await deep_url(client)
        pages = {"queue first page": lambda i: "/", "deep filtered page": lambda i: deep,
                 "report page": lambda i: f"/reports/{ids[i % len(ids)]}"}
        for name, url in pages.items():
            for i in range(10):  # warm-up: connections, template cache, PostgreSQL buffers
                await timed(client, url(i))
        # Rounds, each page in turn, and the median of the rounds' p95: one burst of load from
        # elsewhere on the machine then moves one round, not the figure.
        samples: dict[str, list[float]] = {name: [] for name in pages}
        p95s: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(ROUNDS):
            for name, url in pages.items():
                gc.collect()
                times = [await timed(client, url(i)) for i in range(max(runs // ROUNDS, 20))]
                samples[name] += times
                p95s[name].append(percentile(times, 0.95))
        results = {name: (statistics.median(samples[name]), statistics.median(p95s[name])) for name in pages}
    return results


async def run(url: str, small: int, large: int, runs: int) -> None:
    db = Database(url)
    try:
        settings = Settings(database_url=url, secret_key="benchmark-secret-key-0123456789", data_dir=Path("/tmp"))
        async with db.transaction() as session:
            await create_user(session, name="bench", role="monitor", password=PASSWORD)
        figures = {}
        seeded = 0
        for size, seed_value in ((small, 1), (large, 2)):
            started = time.perf_counter()
            await seed(db, reports=size - seeded, seed=seed_value, batch=10_000)
            seeded = size
            print(f"seeded {size:,} reports in {time.perf_counter() - started:.0f} s", flush=True)
            figures[size] = await measure(db, settings, runs)
            for page, (p50, p95) in figures[size].items():
                print(f"{size:>9,}  {page:<20} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
        ratios = {page: figures[large][page][1] / figures[small][page][1] for page in figures[small]}
        for page, ratio in ratios.items():
            print(f"p95 ratio {page:<20} {ratio:.2f}")
        print(f"ratio: {max(ratios.values()):.2f}")
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with scratch_database("harmwatch_bench_desk") as url:
        asyncio.run(run(url, args.small, args.large, args.runs))


if __name__ == "__main__":
    main()
