"""Where each change to an incident sits in the change feed, and which positions may be served.

The database gives every inserted or updated incident row a position (the triggers of migration
0004, so no code path can forget): `change_seq` from a sequence and, on PostgreSQL, `change_xid`,
the id of the transaction that wrote it. Sequence numbers are taken in no particular commit
order, so the feed is ordered by (change_xid, change_seq) and serves only rows written by
transactions older than every transaction still open in this database (the horizon): every
change that can still commit then comes after everything served. PostgreSQL's own
`pg_snapshot_xmin` would do, but it counts every database of the server, so one long
transaction anywhere would hold the feed back. On SQLite one writer at a time makes commit order
the sequence order; change_xid is the change number there too."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.exports.cursor import Position
from harmwatch.incidents.models import Incident

SEQUENCE = "incident_change_seq"
_T = Incident.__table__
ORDER = (_T.c.change_xid, _T.c.change_seq)


def _bigint(xid8: sa.ColumnElement) -> sa.ColumnElement:
    return sa.cast(sa.cast(xid8, sa.Text), sa.BigInteger)


# The oldest transaction of this database that may still commit, as a 64-bit id: the first id
# not yet given out when the reading began, or an older one still open. The open ones are read
# after the snapshot that gave that first id, so none can slip between the two; their 32-bit ids
# are widened to the 64-bit id closest to it.
HORIZON = sa.text("""
WITH now AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next),
open AS (SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity
         WHERE datname = current_database() AND backend_xid IS NOT NULL
         UNION ALL
         SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database())
SELECT least(next, (SELECT min(next + (xid - next % 4294967296 + 6442450944) % 4294967296 - 2147483648)
                    FROM open))
FROM now
""")


async def horizon(session: AsyncSession) -> int | None:
    """The change_xid below which rows may be served now; None on SQLite (everything committed
    may be). Its own statement, before the page's: the page's snapshot must come after it."""
    if session.get_bind().dialect.name == "sqlite":
        return None
    await session.execute(sa.text("SELECT pg_stat_clear_snapshot()"))  # fresh activity, not the transaction's
    return (await session.execute(HORIZON)).scalar_one()


def settled(below: int | None) -> list[sa.ColumnElement[bool]]:
    """The rows a reader may be served now (see horizon)."""
    return [] if below is None else [_T.c.change_xid < below]


def after(position: Position) -> sa.ColumnElement[bool]:
    return sa.tuple_(*ORDER) > sa.tuple_(sa.literal(position.xid, sa.BigInteger),
                                          sa.literal(position.seq, sa.BigInteger))


async def is_future(session: AsyncSession, position: Position) -> bool:
    """Whether no change has had this position yet (a position from a restored database, or
    from another one): following it would silently miss every change until then."""
    if session.get_bind().dialect.name == "sqlite":
        newest = (await session.execute(sa.select(sa.func.coalesce(sa.func.max(_T.c.change_seq), 0)))).scalar_one()
        return position.seq > newest or position.xid > newest
    next_xid = (await session.execute(sa.select(_bigint(sa.func.pg_snapshot_xmax(
        sa.func.pg_current_snapshot()))))).scalar_one()
    last_seq = (await session.execute(sa.text(f"SELECT last_value FROM {SEQUENCE}"))).scalar_one()
    return position.xid >= next_xid or position.seq > last_seq


def position_of(row: sa.Row) -> Position:
    return Position(row.change_xid, row.change_seq)
