"""Serialising writers that read before they write (the audit chain's head, log-in counts,
spent codes), on both databases, until the transaction ends.

PostgreSQL: a transaction-scoped advisory lock per name. SQLite has one writer at a time
anyway: the transaction takes the database's write lock up front (`BEGIN IMMEDIATE`) instead
of at its first write, so what it reads next cannot change under it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession


async def hold(session: AsyncSession, *names: str) -> None:
    """Take the named locks (in a fixed order, so two holders never deadlock)."""
    if session.bind.dialect.name == "postgresql":
        for name in sorted(set(names)):
            await session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"),
                                  {"name": name})
        return
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    # The sqlite3 driver begins a transaction itself only before its first INSERT, UPDATE or
    # DELETE, and that write already holds the lock: begin one here when none is open yet.
    if not raw.driver_connection.in_transaction:
        await connection.exec_driver_sql("BEGIN IMMEDIATE")
