"""Benchmark of the CSV export on PostgreSQL: rows/s through the API and the CLI against
PostgreSQL's own `COPY (SELECT the same columns) TO STDOUT WITH CSV` in the same run, and the
server's peak RSS after exporting 10,000 and then N rows (default 1,000,000). Makes its own
database and drops it at the end, whatever happens.

    .venv/bin/python benchmarks/export.py [--rows N] [--server postgresql://postgres@127.0.0.1:5432]

The seeded rows include sensitive event types (published coarser) and summaries that start like
a formula (neutralised), so the API pays for both. The API exports twice: the first export after
the bulk load writes every published row and keeps it (harmwatch/exports/models.py), the second
uses the rows kept, as every export does until incidents or the rendering change (an NGO's daily
sync). The last line is `ratio: X.XX`: the second export's rows/s divided by COPY rows/s (goal:
at least 0.5); the first export's rate is printed above it."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmwatch import migrate  # noqa: E402
from harmwatch.accounts.models import Role  # noqa: E402
from harmwatch.accounts.service import create_token, create_user  # noqa: E402
from harmwatch.database import Database  # noqa: E402
from harmwatch.exports.records import SELECTED_COLUMNS  # noqa: E402
from harmwatch.places.gazetteer import builtin_gazetteer  # noqa: E402
from tests.live import free_port  # noqa: E402

SMALL = 10_000
SECRET = "benchmark-secret-key-not-for-production"

# Realistic enough incidents, made by PostgreSQL itself: both types, a point on 60 %, codes,
# ranges with about one in five unknown. $1: first number, $2: last, $3: districts, $4: governorates.
SEED_SQL = """
INSERT INTO incidents (report_type, event_type, access_constraint, occurred_on, time_precision, adm1_pcode,
    adm2_pcode, lat, lon, geo_precision, export_decimals, grade, codes, summary_public, notes_private, state,
    withdrawn_reason,
    created_at, updated_at, killed_min, killed_max, injured_min, injured_max, people_not_reached_min,
    people_not_reached_max)
SELECT CASE WHEN harm THEN 'harm' ELSE 'access' END,
       CASE WHEN harm THEN (ARRAY['air_drone_strike','shelling_artillery_missile','armed_clash',
           'attack_on_civilians','sexual_violence'])[1 + i % 5] END,
       CASE WHEN NOT harm THEN (ARRAY['movement_restriction','interference_in_activities',
           'violence_against_aid_workers'])[1 + i % 3] END,
       DATE '2025-01-01' + (i % 700), 1 + (i % 3 = 0)::int, ($4::text[])[1 + i % 14], ($3::text[])[1 + i % 60],
       CASE WHEN i % 5 < 3 THEN 33 + (i % 1000) * 0.004567 END, CASE WHEN i % 5 < 3 THEN 36 + (i % 997) * 0.003891 END,
       'near', 2, (ARRAY['confirmed','fair','weak','contested'])[1 + i % 4],
       CASE WHEN harm THEN '{"objects_hit": ["home", "market"], "sources": ["witness"], "weapon": "rocket"}'::jsonb
            ELSE '{"sectors": ["food", "health"], "actor_types": ["local_ngo"], "duration": "days"}'::jsonb END,
       CASE WHEN i % 10 = 0 THEN 'Shelling near the market, "several" shops hit'
            WHEN i % 10 = 1 THEN '=HYPERLINK("http://example.org/","more")' ELSE '' END, 'private', 'published', '',
       now() - interval '1 day', now() - interval '1 hour' + i * interval '1 microsecond',
       CASE WHEN i % 5 <> 0 THEN i % 7 END, CASE WHEN i % 5 <> 0 THEN i % 7 + 3 END,
       CASE WHEN i % 4 <> 0 THEN i % 11 END, CASE WHEN i % 4 <> 0 THEN i % 11 + 5 END,
       CASE WHEN NOT harm THEN i % 500 END, CASE WHEN NOT harm THEN i % 500 + 100 END
FROM (SELECT i, i % 10 < 7 AS harm FROM generate_series($1::int, $2::int) AS i) AS numbers
"""


async def seed(url: str, first: int, last: int) -> None:
    places = builtin_gazetteer()
    governorates = [p.pcode for p in places.children(None)]
    districts = [d.pcode for g in governorates for d in places.children(g)]
    districts = (districts * 60)[:60]
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        for start in range(first, last + 1, 250_000):
            await conn.execute(SEED_SQL, start, min(start + 249_999, last), districts, governorates)
        await conn.execute("ANALYZE incidents")
    finally:
        await conn.close()


async def make_token(url: str) -> str:
    db = Database(url)
    try:
        async with db.transaction() as session:
            user = await create_user(session, name="bench", role=Role.NGO, password=None)
            plain, _ = await create_token(session, user=user, name="bench")
        return plain
    finally:
        await db.dispose()


def environment(url: str, data_dir: str) -> dict[str, str]:
    return {**os.environ, "HARMWATCH_DATABASE_URL": url, "HARMWATCH_SECRET_KEY": SECRET,
            "HARMWATCH_DATA_DIR": data_dir}


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


class Server:
    """A `harmwatch serve` process of its own, so that its memory is its own."""

    def __init__(self, url: str, data_dir: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(data_dir) / f"serve-{self.port}.log", "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "harmwatch.cli", "serve", "--port", str(self.port)],
                                        cwd=ROOT, env=environment(url, data_dir), stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("harmwatch serve did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def api_export(base: str, token: str) -> tuple[int, float]:
    """Rows and seconds for one CSV export through HTTP, read and thrown away."""
    lines, started = 0, time.perf_counter()
    with httpx.stream("GET", f"{base}/api/v1/incidents", params={"format": "csv"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_raw(1 << 20):
            lines += chunk.count(b"\n")
    return lines - 1, time.perf_counter() - started


def cli_export(url: str, data_dir: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `harmwatch export --format csv -o /dev/null`."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "harmwatch.cli", "export", "--format", "csv", "-o", os.devnull],
                               cwd=ROOT, env=environment(url, data_dir))
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"harmwatch export failed ({process.returncode})")
    return elapsed, usage.ru_maxrss / 1024


async def copy_export(url: str) -> tuple[int, float]:
    """Rows and seconds for PostgreSQL's COPY of the same columns, to CSV, read and thrown away."""
    columns = ", ".join(c.name for c in SELECTED_COLUMNS)
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    lines = 0

    async def sink(data: bytes) -> None:
        nonlocal lines
        lines += data.count(b"\n")

    try:
        started = time.perf_counter()
        await conn.copy_from_query(f"SELECT {columns} FROM incidents WHERE state = 'published' ORDER BY id", output=sink,
                                   format="csv")
        return lines, time.perf_counter() - started
    finally:
        await conn.close()


async def admin(server: str, sql: str) -> None:
    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--server", default=os.environ.get("HARMWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    name = f"harmwatch_bench_{uuid.uuid4().hex[:8]}"
    url = f"{args.server.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            run(url, data_dir, args.rows)
    finally:
        asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(url: str, data_dir: str, rows: int) -> None:
    migrate.upgrade(url)
    small = min(SMALL, rows)
    asyncio.run(seed(url, 1, small))
    token = asyncio.run(make_token(url))
    server = Server(url, data_dir)
    try:
        idle_rss = peak_rss_mb(server.process.pid)
        small_rows, _ = api_export(server.base, token)
        small_rss = peak_rss_mb(server.process.pid)
    finally:
        server.stop()

    started = time.perf_counter()
    asyncio.run(seed(url, small + 1, rows))
    print(f"seeded {rows:,} published incidents in {time.perf_counter() - started:.1f} s", flush=True)
    copy_rows, copy_seconds = asyncio.run(copy_export(url))
    server = Server(url, data_dir)
    try:
        first_rows, first_seconds = api_export(server.base, token)
        api_rows, api_seconds = api_export(server.base, token)
        large_rss = peak_rss_mb(server.process.pid)
    finally:
        server.stop()
    cli_seconds, cli_rss = cli_export(url, data_dir)
    assert small_rows == small and first_rows == api_rows == copy_rows == rows, (small_rows, api_rows, copy_rows)

    api_rate, copy_rate, cli_rate = rows / api_seconds, rows / copy_seconds, rows / cli_seconds
    print(f"rows:                  {rows:,}")
    print(f"COPY ... TO STDOUT:    {copy_rate:12,.0f} rows/s ({copy_seconds:.1f} s)")
    print(f"API  first export:     {rows / first_seconds:12,.0f} rows/s ({first_seconds:.1f} s, "
          "writes every row and keeps it)")
    print(f"API  format=csv:       {api_rate:12,.0f} rows/s ({api_seconds:.1f} s, the rows kept)")
    print(f"CLI  export csv:       {cli_rate:12,.0f} rows/s ({cli_seconds:.1f} s, peak RSS {cli_rss:.0f} MB)")
    print(f"server peak RSS:       idle {idle_rss:.0f} MB, after {small:,} rows {small_rss:.0f} MB, "
          f"after {rows:,} rows {large_rss:.0f} MB")
    print(f"RSS difference:        {large_rss - small_rss:+.0f} MB (goal: under 100 MB)")
    print(f"CLI/COPY:              {cli_rate / copy_rate:.2f}")
    print(f"ratio: {api_rate / copy_rate:.2f}")


if __name__ == "__main__":
    main()
