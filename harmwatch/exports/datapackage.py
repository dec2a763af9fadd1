"""The Frictionless data package: a zip of datapackage.json (a Table Schema per resource), the
incidents CSV, the taxonomy and the places, streamed as it is written. Entries carry a fixed
date so that the same data always gives the same bytes (API and CLI alike)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import AsyncIterator
from typing import Any

from harmwatch import taxonomy
from harmwatch.exports.columns import COLUMNS, Column
from harmwatch.exports.formats import Batches, csv_chunks, table_text
from harmwatch.exports.records import RecordBuilder
from harmwatch.exports.reference import PLACES_HEADER, TAXONOMY_HEADER, place_rows, taxonomy_rows
from harmwatch.i18n import LANGUAGES
from harmwatch.places.gazetteer import Gazetteer

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class _Sink:
    """A write-only, unseekable file: zipfile then writes data descriptors, and we hand the
    bytes on as soon as they are written."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": column.name,
        "type": "string" if column.type == "list" else column.type,
        "description": column.description + (" Codes are separated by ';'." if column.type == "list" else ""),
    }
    if column.type == "integer" and column.name.endswith(("_min", "_max")):
        field["constraints"] = {"minimum": 0}
    if column.kind and column.type != "list":
        field["constraints"] = {"enum": [str(c) if column.type == "string" else c for c in taxonomy.codes(column.kind)]}
    if column.name == "id":
        field["constraints"] = {"required": True, "unique": True}
    return field


def descriptor() -> dict[str, Any]:
    """datapackage.json: what each file holds, column by column."""
    def resource(name: str, title: str, fields: list[dict[str, Any]], key: list[str]) -> dict[str, Any]:
        return {"name": name, "title": title, "path": f"data/{name}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": key, "missingValues": [""]}}

    taxonomy_fields = [{"name": n, "type": "integer" if n in ("pillar", "number") else "string"}
                       for n in TAXONOMY_HEADER]
    place_fields = [{"name": n, "type": {"level": "integer", "lat": "number", "lon": "number"}.get(n, "string")}
                    for n in PLACES_HEADER]
    return {
        "profile": "tabular-data-package",
        "name": "harmwatch-incidents",
        "title": "Harmwatch: verified, de-identified incidents",
        "description": "Incidents of harm to civilians and of blocked humanitarian aid, verified by monitors. "
                       "Counts are ranges (_min, _max); an empty cell is unknown, never zero. Labels are in "
                       f"one language; taxonomy.csv has every label in {', '.join(LANGUAGES)}.",
        "resources": [
            resource("incidents", "Incidents", [_field(c) for c in COLUMNS], ["id"]),
            resource("taxonomy", "Codes and their labels", taxonomy_fields, ["kind", "code"]),
            resource("places", "Places (OCHA P-codes)", place_fields, ["pcode"]),
        ],
    }


async def datapackage_chunks(batches: Batches, builder: RecordBuilder, gazetteer: Gazetteer) -> AsyncIterator[bytes]:
    """The zip, streamed: the incidents CSV is compressed as its rows arrive."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:  # type: ignore[arg-type]  # write-only is enough
        archive.writestr(_entry("datapackage.json"), json.dumps(descriptor(), ensure_ascii=False, indent=2))
        yield sink.take()
        with archive.open(_entry("data/incidents.csv"), "w", force_zip64=True) as entry:
            async for chunk in csv_chunks(batches, builder, bom=False):
                entry.write(chunk)
                if data := sink.take():
                    yield data
        archive.writestr(_entry("data/taxonomy.csv"), table_text(TAXONOMY_HEADER, taxonomy_rows()))
        archive.writestr(_entry("data/places.csv"), table_text(PLACES_HEADER, place_rows(gazetteer)))
    yield sink.take()
