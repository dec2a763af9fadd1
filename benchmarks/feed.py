"""Benchmark of the change feed on PostgreSQL: with 10,000 and then N (default 1,000,000)
published incidents, and 10,000 changes made since a saved position, the p95 time of one page of
`/api/v1/changes` after that position, through a real `harmwatch serve` for each size, the two
taking turns. Makes its own databases (the incidents come from PostgreSQL's generate_series, as
in export.py) and drops them at the end.

    .venv/bin/python benchmarks/feed.py [--rows N] [--limit 1000] [--rounds 5]

The last line is `ratio: X.XX`: p95 at N rows divided by p95 at 10,000 (goal: at most 1.5)."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._pg import scratch_database  # noqa: E402
from benchmarks.export import SECRET, SMALL, Server, make_token, seed  # noqa: E402
from harmwatch.exports.changes import POSITION_SALT  # noqa: E402
from harmwatch.exports.cursor import CursorSigner, Position  # noqa: E402
from harmwatch.settings import Settings  # noqa: E402

CHANGES = 10_000
PER_TRANSACTION = 100  # changes land as a desk makes them: many small transactions, not one


async def saved_position(url: str) -> str:
    """The position of a consumer that has read everything there is now."""
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        row = await conn.fetchrow("SELECT change_xid, change_seq FROM incidents "
                                  "ORDER BY change_xid DESC, change_seq DESC LIMIT 1")
    finally:
        await conn.close()
    signer = CursorSigner(Settings(secret_key=SECRET).derived_key("cursor"), salt=POSITION_SALT)
    return signer.dump(Position(row["change_xid"], row["change_seq"]), {})


async def make_changes(url: str, rows: int, count: int) -> None:
    """`count` edits of incidents spread over all `rows`, in transactions of PER_TRANSACTION."""
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    step = max(rows // count, 1)
    try:
        for start in range(0, count, PER_TRANSACTION):
            ids = [1 + ((start + i) * step) % rows for i in range(PER_TRANSACTION)]
            async with conn.transaction():
                await conn.execute("UPDATE incidents SET grade = 'confirmed', updated_at = now() WHERE id = ANY($1)",
                                   ids)
        await conn.execute("ANALYZE incidents")
    finally:
        await conn.close()


def follow(http: httpx.Client, after: str, limit: int) -> tuple[list[float], int]:
    """Seconds of every page while following the feed from `after` to its end, and the changes served."""
    times, served, position = [], 0, after
    while True:
        started = time.perf_counter()
        response = http.get("/api/v1/changes", params={"after": position, "limit": limit})
        response.raise_for_status()
        body = response.json()
        times.append(time.perf_counter() - started)
        served += len(body["data"])
        position = body["next_position"]
        if not body["more"]:
            return times, served


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def prepare(url: str, rows: int) -> tuple[str, str]:
    """A database of `rows` published incidents, a saved position, then CHANGES changes after it."""
    started = time.perf_counter()
    asyncio.run(seed(url, 1, rows))
    print(f"seeded {rows:,} published incidents in {time.perf_counter() - started:.1f} s", flush=True)
    after = asyncio.run(saved_position(url))
    asyncio.run(make_changes(url, rows, CHANGES))
    return after, asyncio.run(make_token(url))


def run(small_url: str, large_url: str, data_dir: str, rows: int, *, limit: int, rounds: int) -> None:
    sizes = {min(SMALL, rows): small_url, rows: large_url}
    prepared = {size: prepare(url, size) for size, url in sizes.items()}
    servers = {size: Server(url, data_dir) for size, url in sizes.items()}
    times: dict[int, list[float]] = {size: [] for size in sizes}
    try:
        clients = {size: httpx.Client(base_url=servers[size].base, timeout=120,
                                      headers={"Authorization": f"Bearer {prepared[size][1]}"}) for size in sizes}
        # The two sizes take turns, so that whatever else the machine is doing weighs on both alike.
        for _ in range(rounds):
            for size in sizes:
                page_seconds, served = follow(clients[size], prepared[size][0], limit)
                assert served == CHANGES, served  # each change once: none skipped, none repeated
                times[size] += page_seconds
    finally:
        for server in servers.values():
            server.stop()
    for size in sizes:
        print(f"{size:>9,} incidents, {CHANGES:,} changes since the saved position: {len(times[size])} pages of "
              f"{limit}, median {statistics.median(times[size]) * 1000:.1f} ms", flush=True)
    small, large = sorted(sizes)
    print(f"p95 at {small:,}: {p95(times[small]) * 1000:.1f} ms")
    print(f"p95 at {large:,}: {p95(times[large]) * 1000:.1f} ms")
    print(f"ratio: {p95(times[large]) / p95(times[small]):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--limit", type=int, default=1000, help="changes per page")
    parser.add_argument("--rounds", type=int, default=8, help="times the 10,000 changes are followed")
    args = parser.parse_args()
    with (scratch_database("harmwatch_bench_feed") as small_url, scratch_database("harmwatch_bench_feed") as large_url,
          tempfile.TemporaryDirectory() as data_dir):
        run(small_url, large_url, data_dir, args.rows, limit=args.limit, rounds=args.rounds)


if __name__ == "__main__":
    main()
