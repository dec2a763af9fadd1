"""The async database layer: one engine per URL, SQLite and PostgreSQL alike, and the
transaction owner every entry point uses (`Database.transaction`)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from harmwatch.files import private_sqlite

# JSON everywhere, JSONB on PostgreSQL so that answers can be indexed and searched there.
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Timezone-aware now, in UTC: SQLModel's UTCDateTime columns accept nothing else."""
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs) -> AsyncEngine:
    """An async engine; SQLite gets WAL and enforced foreign keys on every connection."""
    if url.startswith("sqlite"):
        private_sqlite(url)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # Up to 30 connections a process, opened as needed; 25 of them stay open once opened. An
    # overflow connection is closed when it is returned, and under the bot's load (up to 24
    # transactions at once, see bot.app.UPDATES_AT_ONCE) a small pool opened and closed a
    # connection, a PostgreSQL backend, several times a second.
    kwargs.setdefault("pool_size", 25)
    kwargs.setdefault("max_overflow", 5)
    engine = create_async_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine.sync_engine, "checkin", _idle_since)
        event.listen(engine.sync_engine, "checkout", _ping)
    return engine


# A connection back in the pool for less than this is not pinged: asyncpg has seen by then any
# connection the server closed (a restart, a crash, a terminated backend all close the socket,
# and `is_closed` says so without a round trip). What it cannot see, a network gone silent, a
# statement then meets as an error: the update is not committed, and is delivered again. The
# bot opens three or four short transactions per update, one after the other; a ping in
# each was one round trip of every eight.
PING_AFTER_IDLE = 1.0


def _idle_since(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping(dbapi_connection, record, _proxy) -> None:
    """Check a pooled connection before use, so that one left over from before a database
    restart is replaced instead of failing a request or an update. SQLAlchemy's own
    `pool_pre_ping` does the same in three round trips on asyncpg (BEGIN, `;`, ROLLBACK); one
    is enough, and none for a connection that was in use a moment ago (PING_AFTER_IDLE).
    DisconnectionError makes the pool discard the connection and take another (SQLAlchemy's
    pessimistic handling)."""
    if dbapi_connection.driver_connection.is_closed():
        raise sa.exc.DisconnectionError("closed by the server")
    idle_since = record.info.get("idle_since")
    if idle_since is not None and time.monotonic() - idle_since < PING_AFTER_IDLE:
        return
    try:
        dbapi_connection.run_async(lambda connection: connection.fetchrow(";"))
    except Exception as error:
        raise sa.exc.DisconnectionError(f"stale connection: {type(error).__name__}") from error


class Database:
    """An engine and its sessions. Services flush; `transaction()` commits or rolls back."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit at the end, roll back (and re-raise) on any error."""
        async with self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()
