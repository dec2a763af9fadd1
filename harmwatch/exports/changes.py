"""The change feed: every change an NGO can see (published, edited, withdrawn, merged, renamed
place) once, in an order that cannot skip (positions.py), each as the incident's current public
record or, for one taken back, its tombstone; and the position to resume from next time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.exports import positions, query
from harmwatch.exports.cursor import CursorSigner
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import timestamp
from harmwatch.exports.service import builder, resume
from harmwatch.incidents.enums import IncidentState

POSITION_SALT = "changes-position"


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: list[dict[str, Any]]
    next_position: str  # always given: where to resume, now or next week
    more: bool  # more changes are ready now


def tombstone(row: sa.Row) -> dict[str, Any]:
    """What a consumer needs to drop or redirect its copy: no more of the record than that."""
    merged = row.state == IncidentState.MERGED.value
    return {"id": row.id, "status": row.state, "merged_into": row.merged_into_id if merged else None,
            "updated_at": timestamp(row.updated_at)}


async def changes(session: AsyncSession, signer: CursorSigner, filters: IncidentFilter, *, after: str | None,
                  limit: int, lang: str) -> ChangePage:
    """Up to `limit` changes after the position `after` (from the start without one). A feed
    position never expires. Raises CursorError for one that is forged, edited, made for other
    filters or ahead of every change."""
    start = await resume(session, signer, after, filters, max_age=None)
    rows, more = await query.page(session, filters, after=start, limit=limit, states=query.FEED_STATES)
    make = await builder(session, lang)
    items = [make.record(query.record_part(row)) if row.state == IncidentState.PUBLISHED.value else tombstone(row)
             for row in rows]
    last = positions.position_of(rows[-1]) if rows else start
    return ChangePage(items, signer.dump(last, filters.as_dict()), more)
