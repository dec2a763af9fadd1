"""Positions come from the database: migration 0004 numbers the incidents already there in
(updated_at, id) order, and from then on every insert and update, ORM or Core, takes the next
position, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from harmwatch import migrate
from harmwatch.database import Database
from harmwatch.exports.cursor import Position
from harmwatch.exports.positions import horizon, is_future
from harmwatch.incidents.models import Incident

T = Incident.__table__
AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def row(minutes: int) -> dict:
    return {"report_type": "harm", "time_precision": 1, "export_decimals": 2, "codes": {}, "summary_public": "",
            "notes_private": "", "state": "published", "withdrawn_reason": "", "created_at": AT,
            "updated_at": AT + timedelta(minutes=minutes)}


async def order(db: Database) -> list[int]:
    async with db.engine.connect() as conn:
        return list((await conn.execute(sa.select(T.c.id).order_by(T.c.change_xid, T.c.change_seq))).scalars())


async def test_the_migration_numbers_existing_incidents_and_every_later_change(database, database_url):
    await database.engine.dispose()
    await asyncio.to_thread(migrate.downgrade, database_url, "0003")
    async with database.engine.begin() as conn:  # stored out of order: ids 1, 2, 3 changed at 20, 10, 30 min
        for minutes in (20, 10, 30):
            await conn.execute(sa.text(
                "INSERT INTO incidents (report_type, time_precision, export_decimals, codes, summary_public, "
                "notes_private, state, withdrawn_reason, created_at, updated_at) VALUES ('harm', 1, 2, '{}', '', '', "
                "'published', '', :at, :at)"), {"at": (AT + timedelta(minutes=minutes)).replace(tzinfo=None)})
    await database.engine.dispose()
    await asyncio.to_thread(migrate.upgrade, database_url)
    assert await order(database) == [2, 1, 3]
    async with database.transaction() as session:
        await session.execute(sa.insert(T), [row(0)])  # Core insert: id 4
        await session.execute(sa.update(T).where(T.c.id == 2).values(grade="weak"))  # Core update
        incident = await session.get(Incident, 3)
        incident.grade = "fair"  # ORM update
    assert await order(database) == [1, 4, 2, 3]


async def test_a_position_past_the_newest_change_is_from_the_future(database):
    async with database.transaction() as session:
        await session.execute(sa.insert(T), [row(0), row(1)])
    async with database.sessions() as session:
        newest = (await session.execute(sa.select(T.c.change_xid, T.c.change_seq)
                                        .order_by(T.c.change_xid.desc(), T.c.change_seq.desc()).limit(1))).one()
        here = Position(*newest)
        assert not await is_future(session, here)
        assert await is_future(session, Position(here.xid, here.seq + 1))
        assert await is_future(session, Position(here.xid + 10**9, here.seq))


async def test_the_horizon_stops_at_this_databases_open_transactions(database):
    if database.is_sqlite:
        async with database.sessions() as session:
            assert await horizon(session) is None  # one writer at a time: everything committed is final
        return
    async with database.sessions() as held:
        await held.execute(sa.insert(T), [row(0)])
        held_xid = (await held.execute(sa.text("SELECT pg_current_xact_id()::text::bigint"))).scalar_one()
        async with database.sessions() as reader:
            assert await horizon(reader) <= held_xid  # nothing it, or anything after it, wrote is served
        await held.rollback()
    async with database.sessions() as reader:
        assert await horizon(reader) > held_xid


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_on_sqlite_no_later_change_can_commit_while_one_holds_an_earlier_position(database, database_url):
    """SQLite's one writer is what makes its positions commit-ordered: while a transaction that
    took a position is open, no other can write an incident, so none can take a later one first."""
    path = database_url.split("///", 1)[1]
    async with database.sessions() as held:
        await held.execute(sa.insert(T), [row(0)])  # position taken, not committed
        other = sqlite3.connect(path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("UPDATE incidents SET grade = 'weak'")
        finally:
            other.close()
        await held.commit()
    assert await order(database) == [1]
