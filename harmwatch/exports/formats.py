"""Writers that turn batches of incident rows into bytes as they arrive: CSV (UTF-8 with a BOM,
so spreadsheets read Arabic and Cyrillic right), HXL (the CSV with a hashtag row) and GeoJSON
(RFC 7946). Each yields chunks of about CHUNK bytes and holds no more than one batch."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from harmwatch.exports.columns import COLUMNS, Column
from harmwatch.exports.records import RecordBuilder, neutralised

CHUNK = 64 * 1024
BOM = "\ufeff"

Batches = AsyncIterator[Sequence[Sequence[Any]]]


def table_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = False) -> bytes:
    """A small table (taxonomy, places) as CSV bytes, written the same way as the incidents."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode()


def csv_head(columns: Sequence[Column] = COLUMNS, *, hxl: bool = False, bom: bool = True) -> str:
    """What comes before the incidents: the BOM, the header row and, with `hxl`, the HXL
    hashtag row (the COPY fast path writes the same before PostgreSQL's rows)."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow([c.name for c in columns])
    if hxl:
        writer.writerow([c.hxl for c in columns])
    return buffer.getvalue()


async def csv_chunks(batches: Batches, builder: RecordBuilder, *, hxl: bool = False,
                     bom: bool = True) -> AsyncIterator[bytes]:
    """The incidents as CSV; with `hxl`, the HXL hashtag row follows the header row."""
    buffer = io.StringIO()
    buffer.write(csv_head(builder.columns, hxl=hxl, bom=bom))
    writer = csv.writer(buffer)
    cells = builder.csv_values
    async for rows in batches:
        writer.writerows(map(cells, rows))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer = io.StringIO()
            writer = csv.writer(buffer)
    yield buffer.getvalue().encode()


def feature(record: dict[str, Any]) -> dict[str, Any]:
    """An RFC 7946 Feature: coordinates are [lon, lat]; no point, geometry null."""
    geometry = None
    if record["lat"] is not None and record["lon"] is not None:
        geometry = {"type": "Point", "coordinates": [record["lon"], record["lat"]]}
    return {"type": "Feature", "id": record["id"], "geometry": geometry, "properties": record}


async def geojson_chunks(batches: Batches, builder: RecordBuilder) -> AsyncIterator[bytes]:
    """The incidents as one GeoJSON FeatureCollection, a feature per line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    parts = ['{"type":"FeatureCollection","features":[\n']
    size, first = 0, True
    async for rows in batches:
        for row in rows:
            text = dumps(feature(builder.record(row)))
            parts.append(text if first else ",\n" + text)
            size += len(text) + 2
            first = False
        if size >= CHUNK:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append("\n]}\n")
    yield "".join(parts).encode()
