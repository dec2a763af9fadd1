"""Which incidents NGOs see and in what order: published ones (and, in the change feed, the
tombstones of withdrawn and merged ones), the filters, pages in change-feed order after a
position, and the whole set streamed from a server-side cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import anyio
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.database import Database
from harmwatch.exports import positions
from harmwatch.exports.cursor import Position
from harmwatch.exports.records import SELECTED_COLUMNS
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.models import Incident

STREAM_BATCH = 2000
PUBLISHED = (IncidentState.PUBLISHED.value,)
# What the change feed serves: the published record, or the tombstone of one taken back.
FEED_STATES = (IncidentState.PUBLISHED.value, IncidentState.WITHDRAWN.value, IncidentState.MERGED.value)

_T = Incident.__table__
# Read after the record's own columns: where the row sits in the feed, and what a tombstone says.
FEED_COLUMNS = (_T.c.state, _T.c.merged_into_id, _T.c.change_xid, _T.c.change_seq)


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What an NGO asked for; None is "any"."""

    report_type: str | None = None
    event_type: str | None = None
    access_constraint: str | None = None
    adm1: str | None = None
    adm2: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    grade: str | None = None
    updated_since: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, for a cursor's fingerprint."""
        return {k: v for k, v in asdict(self).items() if v is not None}

    def conditions(self, states: Sequence[str] = PUBLISHED) -> list[sa.ColumnElement[bool]]:
        c = _T.c
        where: list[sa.ColumnElement[bool]] = [c.state.in_(states) if len(states) > 1 else c.state == states[0]]
        for column, value in ((c.report_type, self.report_type), (c.event_type, self.event_type),
                              (c.access_constraint, self.access_constraint), (c.adm1_pcode, self.adm1),
                              (c.adm2_pcode, self.adm2), (c.grade, self.grade)):
            if value is not None:
                where.append(column == value)
        if self.occurred_from is not None:
            where.append(c.occurred_on >= self.occurred_from)
        if self.occurred_to is not None:
            where.append(c.occurred_on <= self.occurred_to)
        if self.updated_since is not None:
            where.append(c.updated_at >= self.updated_since)
        return where


async def page(session: AsyncSession, filters: IncidentFilter, *, after: Position | None, limit: int,
               states: Sequence[str] = PUBLISHED) -> tuple[Sequence[sa.Row], bool]:
    """Up to `limit` rows after `after` in change-feed order, and whether more follow now. Each
    row is the record's columns (SELECTED_COLUMNS), then FEED_COLUMNS. Only settled positions
    are served (positions.py), so paging on later can never skip a change; an incident changed
    after it was served moves to the end and is served again, changed."""
    below = await positions.horizon(session)
    stmt = sa.select(*SELECTED_COLUMNS, *FEED_COLUMNS).where(*filters.conditions(states), *positions.settled(below))
    if after is not None:
        stmt = stmt.where(positions.after(after))
    stmt = stmt.order_by(*positions.ORDER).limit(limit + 1)
    rows = (await session.execute(stmt)).all()
    return rows[:limit], len(rows) > limit


def record_part(row: sa.Row) -> Sequence[Any]:
    """The columns of a page row that RecordBuilder reads."""
    return row[:len(SELECTED_COLUMNS)]


async def one(session: AsyncSession, incident_id: int) -> sa.Row | None:
    """One published incident's row, or None (unpublished and missing look the same)."""
    stmt = sa.select(*SELECTED_COLUMNS).where(_T.c.id == incident_id, _T.c.state == IncidentState.PUBLISHED.value)
    return (await session.execute(stmt)).first()


async def stream(db: Database, filters: IncidentFilter, *,
                 batch: int = STREAM_BATCH) -> AsyncIterator[Sequence[sa.Row]]:
    """Every matching row in id order, a batch at a time, from a server-side cursor: memory
    stays constant whatever the size. Closing the generator (a client gone) releases the
    connection at once, even while the task is being cancelled."""
    stmt = sa.select(*SELECTED_COLUMNS).where(*filters.conditions()).order_by(_T.c.id)
    connection = await db.engine.connect()
    try:
        result = await connection.stream(stmt.execution_options(yield_per=batch))
        async for rows in result.partitions(batch):
            yield rows
    finally:
        with anyio.CancelScope(shield=True):
            await connection.close()
