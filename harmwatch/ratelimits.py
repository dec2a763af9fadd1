"""Token buckets kept in the database, so that every worker on every machine counts one
token's requests together. One atomic upsert per request, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import Field, SQLModel


class RateBucket(SQLModel, table=True):
    __tablename__ = "rate_buckets"

    key: str = Field(sa_type=sa.String(64), primary_key=True)
    tokens: float  # requests left, refilled at the limiter's rate up to its burst
    at: float  # when `tokens` was computed, seconds since the epoch (the workers' clocks)
    granted: bool  # whether the last request was let through


# Every SET expression reads the row as it was before this statement (SQL's rule, SQLite's
# too), so the refill is computed once, from the stored values, under the row's lock.
_REFILL = ("CASE WHEN rate_buckets.tokens + (CASE WHEN :now > rate_buckets.at THEN :now - rate_buckets.at "
           "ELSE 0 END) * :rate > :burst THEN :burst "
           "ELSE rate_buckets.tokens + (CASE WHEN :now > rate_buckets.at THEN :now - rate_buckets.at ELSE 0 END) "
           "* :rate END")
_TAKE = sa.text(
    "INSERT INTO rate_buckets (key, tokens, at, granted) VALUES (:key, :burst - 1, :now, true) "
    "ON CONFLICT (key) DO UPDATE SET "
    f"tokens = CASE WHEN {_REFILL} >= 1 THEN {_REFILL} - 1 ELSE {_REFILL} END, "
    f"granted = ({_REFILL} >= 1), at = :now "
    "RETURNING tokens, granted"
).bindparams(sa.bindparam("now", type_=sa.Float), sa.bindparam("rate", type_=sa.Float),
             sa.bindparam("burst", type_=sa.Float), sa.bindparam("key", type_=sa.String))


async def take(connection: AsyncConnection, *, key: str, now: float, rate: float, burst: float) -> float:
    """Take one request from `key`'s bucket: 0 if allowed, else the seconds until one is.
    `rate` is requests per second. The caller's connection commits."""
    tokens, granted = (await connection.execute(_TAKE, {"key": key, "now": now, "rate": rate, "burst": burst})).one()
    return 0.0 if granted else (1 - tokens) / rate


async def forget_full(connection: AsyncConnection, *, now: float, rate: float, burst: float) -> int:
    """Drop buckets that have refilled completely (they hold nothing worth keeping)."""
    result = await connection.execute(
        sa.text("DELETE FROM rate_buckets WHERE tokens + (:now - at) * :rate >= :burst").bindparams(
            sa.bindparam("now", type_=sa.Float), sa.bindparam("rate", type_=sa.Float),
            sa.bindparam("burst", type_=sa.Float)),
        {"now": now, "rate": rate, "burst": burst},
    )
    return result.rowcount or 0
