"""The pool's check of a connection before use, on PostgreSQL (SQLite has no server to lose): a
connection the server closed is replaced, one idle for long is pinged, and one that was in use
a moment ago goes straight to work."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
import sqlalchemy as sa

from harmwatch import database as database_module

on_postgresql = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


async def _driver_connection(session):
    return (await (await session.connection()).get_raw_connection()).driver_connection


@on_postgresql
async def test_a_connection_in_use_a_moment_ago_is_not_pinged_and_an_idle_one_is(database, monkeypatch):
    queries: list[str] = []
    async with database.transaction() as session:
        (await _driver_connection(session)).add_query_logger(lambda record: queries.append(record.query))
    async with database.transaction() as session:  # the same connection, back a moment ago
        assert await session.scalar(sa.text("SELECT 1")) == 1
    assert queries.count("BEGIN;") == 1 and ";" not in queries  # the logger saw that transaction
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE", 0.0)  # now every connection has idled long
    async with database.transaction() as session:
        assert await session.scalar(sa.text("SELECT 2")) == 2
    assert queries.count(";") == 1 and queries.count("BEGIN;") == 2
    assert queries.index(";") < len(queries) - 1 - queries[::-1].index("BEGIN;")  # the ping came first


@on_postgresql
async def test_a_connection_the_server_closed_is_replaced_before_use(database, database_url):
    async with database.transaction() as session:
        first = await _driver_connection(session)
        pid = await session.scalar(sa.text("SELECT pg_backend_pid()"))
    admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid) is True
    finally:
        await admin.close()
    for _ in range(500):  # until this process has read the server's goodbye
        if first.is_closed():
            break
        await asyncio.sleep(0.01)
    assert first.is_closed()
    async with database.transaction() as session:  # no error: the pool took a new connection
        assert await session.scalar(sa.text("SELECT pg_backend_pid()")) != pid
