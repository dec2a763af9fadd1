"""Throwaway PostgreSQL databases, migrated, dropped at the end: one per benchmark run, and the
test suite's session database (tests/conftest.py). The server is HARMWATCH_TEST_PG (or
HARMWATCH_BENCH_PG), by default the local one with trust authentication for `postgres`."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from harmwatch import migrate

SERVER = (os.environ.get("HARMWATCH_BENCH_PG") or os.environ.get("HARMWATCH_TEST_PG")
          or "postgresql://postgres@127.0.0.1:5432")


async def admin(sql: str, *, server: str = SERVER) -> None:
    """One statement on the server's `postgres` database (CREATE / DROP DATABASE)."""
    conn = await asyncpg.connect(f"{server}/postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def reachable(*, server: str = SERVER) -> bool:
    try:
        conn = await asyncpg.connect(f"{server}/postgres", timeout=5)
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError):
        return False
    await conn.close()
    return True


@contextmanager
def scratch_database(prefix: str, *, server: str = SERVER) -> Iterator[str]:
    """A new database named `prefix`_<random>, migrated to head; yields its SQLAlchemy URL and
    drops it (closing any connection still open) when the block ends. Call outside an event loop."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"', server=server))
    url = f"{server.replace('postgresql://', 'postgresql+asyncpg://')}/{name}"
    try:
        migrate.upgrade(url)
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', server=server))
