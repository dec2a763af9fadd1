"""What the NGO API and `harmwatch export` call: a page of incidents with its cursor, one
incident, and a whole export streamed as bytes in one of the formats (the same bytes for both)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch import metrics
from harmwatch.audit.service import AuditHead, head, record
from harmwatch.database import Database, utcnow
from harmwatch.exports import pg_copy, positions, query
from harmwatch.exports.cursor import CURSOR_MAX_AGE_SECONDS, START, CursorError, CursorSigner, Position
from harmwatch.exports.datapackage import datapackage_chunks
from harmwatch.exports.formats import csv_chunks, geojson_chunks
from harmwatch.exports.publication import Publication
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import RecordBuilder
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.places.service import gazetteer

__all__ = ["CursorError", "Export", "ExportFormat", "IncidentFilter", "Page", "export", "incident", "page",
           "start_export"]


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


async def builder(session: AsyncSession, lang: str, publication: Publication | None = None) -> RecordBuilder:
    return RecordBuilder(lang, await gazetteer(session), publication=publication)


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
               limit: int, lang: str, publication: Publication | None = None) -> Page:
    """One page of published incidents in change-feed order; `next_cursor` is None once nothing
    more is there now. Raises CursorError (see resume)."""
    after = await resume(session, signer, cursor, filters, max_age=CURSOR_MAX_AGE_SECONDS)
    rows, more = await query.page(session, filters, after=after, limit=limit)
    make = await builder(session, lang, publication)
    records = [make.record(row) for row in rows]  # by name: the position columns are not read
    metrics.export_rows("json", len(records))
    next_cursor = None
    if more and rows:
        next_cursor = signer.dump(positions.position_of(rows[-1]), filters.as_dict())
    return Page(records, next_cursor)


async def incident(session: AsyncSession, incident_id: int, *, lang: str,
                   publication: Publication | None = None) -> dict[str, Any] | None:
    """One published incident's public record, or None."""
    row = await query.one(session, incident_id)
    if row is None:
        return None
    return (await builder(session, lang, publication)).record(row)


@dataclass(frozen=True, slots=True)
class Export:
    """An export under way: the audit chain's head once the export was logged, and its bytes."""

    anchor: AuditHead
    chunks: AsyncIterator[bytes]


async def start_export(db: Database, format: ExportFormat, *, filters: IncidentFilter | None = None,
                       lang: str = "en", actor: str, publication: Publication | None = None) -> Export:
    """Log the export in the audit log (committed before the first byte) and get it ready: every
    matching published incident in `format`, as chunks of bytes, in constant memory. On
    PostgreSQL, CSV and HXL are written by COPY (pg_copy.py): the same bytes, several times faster."""
    filters = filters or IncidentFilter()
    async with db.transaction() as session:
        await record(session, actor=actor, action="incidents.exported", object_type="incidents",
                     after={"format": format.value, "lang": lang, "filters": filters.as_dict()})
        anchor = await head(session)
        places = await gazetteer(session)
    make = RecordBuilder(lang, places, publication=publication)
    return Export(anchor, _chunks(db, format, filters, make, places, anchor))


async def _chunks(db: Database, format: ExportFormat, filters: IncidentFilter, make: RecordBuilder,
                  places: Gazetteer, anchor: AuditHead) -> AsyncIterator[bytes]:
    if format in (ExportFormat.CSV, ExportFormat.HXL) and not db.is_sqlite:
        async with pg_copy.prepared(db, filters, make) as copy:
            if copy is not None:
                async with aclosing(copy.chunks(hxl=format is ExportFormat.HXL)) as copied:
                    async for chunk in copied:
                        yield chunk
                metrics.export_rows(format.value, copy.rows)
                return
    batches = _counted(query.stream(db, filters), format)
    try:
        if format is ExportFormat.GEOJSON:
            chunks = geojson_chunks(batches, make)
        elif format is ExportFormat.DATAPACKAGE:
            chunks = datapackage_chunks(batches, make, places, anchor=anchor, created=utcnow())
        else:
            chunks = csv_chunks(batches, make, hxl=format is ExportFormat.HXL)
        async for chunk in chunks:
            yield chunk
    finally:
        await batches.aclose()


async def _counted(batches: AsyncIterator[Sequence[Any]], format: ExportFormat) -> AsyncIterator[Sequence[Any]]:
    """The batches, each one's rows added to the export-rows metric as it is taken."""
    try:
        async for rows in batches:
            metrics.export_rows(format.value, len(rows))
            yield rows
    finally:
        await batches.aclose()


async def export(db: Database, format: ExportFormat, *, filters: IncidentFilter | None = None, lang: str = "en",
                 actor: str, publication: Publication | None = None) -> AsyncIterator[bytes]:
    """start_export's bytes, logged when the first one is asked for."""
    started = await start_export(db, format, filters=filters, lang=lang, actor=actor, publication=publication)
    async with aclosing(started.chunks) as chunks:
        async for chunk in chunks:
            yield chunk
