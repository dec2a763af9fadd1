"""What the NGO API and `harmwatch export` call: a page of incidents with its cursor, one
incident, and a whole export streamed as bytes in one of the formats (the same bytes for both)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.audit.service import record
from harmwatch.database import Database
from harmwatch.exports import pg_copy, positions, query
from harmwatch.exports.cursor import CURSOR_MAX_AGE_SECONDS, START, CursorError, CursorSigner, Position
from harmwatch.exports.datapackage import datapackage_chunks
from harmwatch.exports.formats import csv_chunks, geojson_chunks
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import RecordBuilder
from harmwatch.places.service import gazetteer

__all__ = ["CursorError", "ExportFormat", "IncidentFilter", "Page", "export", "incident", "page"]


class ExportFormat(StrEnum):
    CSV = "csv"
    HXL = "hxl"
    GEOJSON = "geojson"
    DATAPACKAGE = "datapackage"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.HXL: "text/csv; charset=utf-8",
    ExportFormat.GEOJSON: "application/geo+json",
    ExportFormat.DATAPACKAGE: "application/zip",
}
FILE_NAMES = {
    ExportFormat.CSV: "harmwatch-incidents.csv",
    ExportFormat.HXL: "harmwatch-incidents-hxl.csv",
    ExportFormat.GEOJSON: "harmwatch-incidents.geojson",
    ExportFormat.DATAPACKAGE: "harmwatch-incidents-datapackage.zip",
}


@dataclass(frozen=True, slots=True)
class Page:
    records: list[dict[str, Any]]
    next_cursor: str | None


async def builder(session: AsyncSession, lang: str) -> RecordBuilder:
    return RecordBuilder(lang, await gazetteer(session))


async def resume(session: AsyncSession, signer: CursorSigner, token: str | None, filters: IncidentFilter, *,
                 max_age: int | None) -> Position:
    """The position a cursor or feed position carries (START without one). Raises CursorError for
    one that is forged, edited, expired, made for other filters, or ahead of every change."""
    if not token:
        return START
    position = signer.load(token, filters.as_dict(), max_age=max_age)
    if await positions.is_future(session, position):
        raise CursorError("future")
    return position


async def page(session: AsyncSession, signer: CursorSigner, filters: IncidentFilter, *, cursor: str | None,
               limit: int, lang: str) -> Page:
    """One page of published incidents in change-feed order; `next_cursor` is None once nothing
    more is there now. Raises CursorError (see resume)."""
    after = await resume(session, signer, cursor, filters, max_age=CURSOR_MAX_AGE_SECONDS)
    rows, more = await query.page(session, filters, after=after, limit=limit)
    make = await builder(session, lang)
    records = [make.record(query.record_part(row)) for row in rows]
    next_cursor = None
    if more and rows:
        next_cursor = signer.dump(positions.position_of(rows[-1]), filters.as_dict())
    return Page(records, next_cursor)


async def incident(session: AsyncSession, incident_id: int, *, lang: str) -> dict[str, Any] | None:
    """One published incident's public record, or None."""
    row = await query.one(session, incident_id)
    if row is None:
        return None
    return (await builder(session, lang)).record(row)


async def export(db: Database, format: ExportFormat, *, filters: IncidentFilter | None = None, lang: str = "en",
                 actor: str) -> AsyncIterator[bytes]:
    """Every matching published incident in `format`, as chunks of bytes, in constant memory.
    The export is written to the audit log before the first byte. On PostgreSQL, CSV and HXL
    are written by COPY (pg_copy.py): the same bytes, several times faster."""
    filters = filters or IncidentFilter()
    async with db.transaction() as session:
        await record(session, actor=actor, action="incidents.exported", object_type="incidents",
                     after={"format": format.value, "lang": lang, "filters": filters.as_dict()})
        places = await gazetteer(session)
    make = RecordBuilder(lang, places)
    if format in (ExportFormat.CSV, ExportFormat.HXL) and not db.is_sqlite:
        async with pg_copy.prepared(db, filters, make) as copy:
            if copy is not None:
                async with aclosing(copy.chunks(hxl=format is ExportFormat.HXL)) as copied:
                    async for chunk in copied:
                        yield chunk
                return
    batches = query.stream(db, filters)
    try:
        if format is ExportFormat.GEOJSON:
            chunks = geojson_chunks(batches, make)
        elif format is ExportFormat.DATAPACKAGE:
            chunks = datapackage_chunks(batches, make, places)
        else:
            chunks = csv_chunks(batches, make, hxl=format is ExportFormat.HXL)
        async for chunk in chunks:
            yield chunk
    finally:
        await batches.aclose()
