"""Benchmark of the change feed on PostgreSQL: with 10,000 and then N (default 1,000,000)
published incidents, and 10,000 changes made since a saved position, the p95 time of one page of
`/api/v1/changes` after that position, through a real `harmwatch serve`. Makes its own database
(the incidents come from PostgreSQL's generate_series, as in export.py) and drops it at the end.

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


def page_times(base: str, token: str, after: str, *, limit: int, rounds: int) -> tuple[list[float], int]:
    """Seconds of every page while following the feed from `after` to its end, `rounds` times;
    and the changes served in one round."""
    times, served = [], 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as http:
        for _ in range(rounds):
            position, served = after, 0
            while True:
                started = time.perf_counter()
                response = http.get("/api/v1/changes", params={"after": position, "limit": limit})
                response.raise_for_status()
                body = response.json()
                times.append(time.perf_counter() - started)
                served += len(body["data"])
                position = body["next_position"]
                if not body["more"]:
                    break
    return times, served


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def measure(url: str, data_dir: str, token: str, rows: int, *, limit: int, rounds: int) -> float:
    after = asyncio.run(saved_position(url))
    asyncio.run(make_changes(url, rows, CHANGES))
    server = Server(url, data_dir)
    try:
        times, served = page_times(server.base, token, after, limit=limit, rounds=rounds)
    finally:
        server.stop()
    assert served == CHANGES, served  # each change once: none skipped, none repeated
    seconds = p95(times)
    print(f"{rows:>9,} incidents, {CHANGES:,} changes since the saved position: {len(times)} pages of {limit}, "
          f"p95 {seconds * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms", flush=True)
    return seconds


def run(url: str, data_dir: str, rows: int, *, limit: int, rounds: int) -> None:
    small = min(SMALL, rows)
    asyncio.run(seed(url, 1, small))
    token = asyncio.run(make_token(url))
    small_p95 = measure(url, data_dir, token, small, limit=limit, rounds=rounds)
    started = time.perf_counter()
    asyncio.run(seed(url, small + 1, rows))
    print(f"seeded {rows:,} published incidents in {time.perf_counter() - started:.1f} s", flush=True)
    large_p95 = measure(url, data_dir, token, rows, limit=limit, rounds=rounds)
    print(f"p95 at {small:,}: {small_p95 * 1000:.1f} ms")
    print(f"p95 at {rows:,}: {large_p95 * 1000:.1f} ms")
    print(f"ratio: {large_p95 / small_p95:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--limit", type=int, default=1000, help="changes per page")
    parser.add_argument("--rounds", type=int, default=5, help="times the 10,000 changes are followed")
    args = parser.parse_args()
    with scratch_database("harmwatch_bench_feed") as url, tempfile.TemporaryDirectory() as data_dir:
        run(url, data_dir, args.rows, limit=args.limit, rounds=args.rounds)


if __name__ == "__main__":
    main()
