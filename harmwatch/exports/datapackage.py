"""The Frictionless data package: a zip of the incidents CSV, the taxonomy, the places and
datapackage.json (a Table Schema per resource, foreign keys to the places and the taxonomy, and
what a publisher states: licence, sources, organisation, country, temporal coverage, version,
creation time, methodology and caveats, the audit chain's head), streamed as it is written.
datapackage.json comes last, once the temporal coverage is known. Entries carry a fixed date, so
the same data gives the same data files (API and CLI alike)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from harmwatch import taxonomy
from harmwatch.audit.service import AuditHead
from harmwatch.exports.columns import COLUMNS, Column
from harmwatch.exports.formats import Batches, csv_chunks, table_text
from harmwatch.exports.publication import Publication
from harmwatch.exports.records import RecordBuilder, timestamp
from harmwatch.exports.reference import PLACES_HEADER, TAXONOMY_HEADER, place_rows, taxonomy_rows
from harmwatch.i18n import LANGUAGES
from harmwatch.places.gazetteer import Gazetteer

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# The version of the package's layout (columns, tags, resources): semantic versioning, the major
# number changes when a column is renamed, removed or changes meaning.
VERSION = "2.0.0"
# Incident columns that hold one code or P-code of another resource.
FOREIGN_KEYS = (("adm1_pcode", "places", "pcode"), ("adm2_pcode", "places", "pcode"),
                ("adm3_pcode", "places", "pcode"), ("adm4_pcode", "places", "pcode"),
                ("report_type", "taxonomy", "code"), ("event_type", "taxonomy", "code"),
                ("access_constraint", "taxonomy", "code"), ("grade", "taxonomy", "code"),
                ("geo_precision", "taxonomy", "code"))
CAVEATS = (
    "Counts are ranges: _min is the fewest, _max the most the monitor found credible. Use killed_min (and the "
    "other _min columns) as the conservative figure; sum minimums with minimums and maximums with maximums.",
    "Unknown is not zero: an empty cell means nobody knows, 0 means none. Never read an empty cell as 0.",
    "Totals (killed_*, injured_*, missing_*; HXL +total) include the parts (children_*, aid_workers_*): "
    "do not add parts to totals.",
    "Grades (Airwars): confirmed, the attack and harm are established (official or several independent sources "
    "with media); fair, two or more credible independent sources; weak, a single source; contested, competing "
    "claims of who did it; discounted, shown not to be what was claimed.",
    "Dates have a precision (time_precision: 1 the exact day, 2 within a week, 3 within a month); points are "
    "rounded to the precision the monitor chose (geo_precision).",
    "Reports come from people who chose to report: the data shows what was reported and verified, not every "
    "incident that happened.",
)


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


def _rules(publication: Publication) -> dict[str, Any]:
    return {code: rule.model_dump() for code, rule in sorted(publication.rules.items())}


def descriptor(publication: Publication | None = None, *, anchor: AuditHead | None = None,
               created: datetime | None = None, coverage: tuple[str, str] | None = None) -> dict[str, Any]:
    """datapackage.json: what each file holds, column by column, and who publishes it how."""
    publication = publication or Publication.from_settings()

    def resource(name: str, title: str, fields: list[dict[str, Any]], key: list[str],
                 foreign: tuple = ()) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": fields, "primaryKey": key, "missingValues": [""]}
        if foreign:
            schema["foreignKeys"] = [{"fields": field, "reference": {"resource": other, "fields": target}}
                                     for field, other, target in foreign]
        return {"name": name, "title": title, "path": f"data/{name}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}

    taxonomy_fields = [{"name": n, "type": "integer" if n in ("pillar", "number") else "string"}
                       for n in TAXONOMY_HEADER]
    place_fields = [{"name": n, "type": {"level": "integer", "lat": "number", "lon": "number"}.get(n, "string")}
                    for n in PLACES_HEADER]
    organisation: dict[str, Any] = {"title": publication.organisation, "role": "publisher",
                                    "organization": publication.organisation}
    if publication.organisation_url:
        organisation["path"] = publication.organisation_url
    licence: dict[str, Any] = {"name": publication.licence, "title": publication.licence}
    if publication.licence_url:
        licence["path"] = publication.licence_url
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "harmwatch-incidents",
        "title": "Harmwatch: verified, de-identified incidents",
        "description": "Incidents of harm to civilians and of blocked humanitarian aid, verified by monitors. "
                       "Counts are ranges (_min, _max); an empty cell is unknown, never zero. Labels are in "
                       f"one language; taxonomy.csv has every label in {', '.join(LANGUAGES)}. "
                       "Text cells that a spreadsheet would run as a formula start with a ' added.",
        "version": VERSION,
        "licenses": [licence],
        "contributors": [organisation],
        "sources": [{"title": f"Reports to {publication.organisation} through the Harmwatch bot, verified by "
                               "its monitors"}],
        "keywords": ["civilian harm", "humanitarian access", "HXL", publication.country_code],
        "country": publication.country_code,
        "methodology": publication.methodology,
        "caveats": list(CAVEATS),
        "harmwatch": {"publication_rules": _rules(publication),
                      "publication_rules_note": "Incidents of these event types are published coarser: date "
                      "'month' gives the first of the month (time_precision 3, no time_of_day, recorded_on to "
                      "the month); place 'adm2' gives no point and nothing below the district (adm3, adm4, "
                      "location), 'adm1' not the admin-2 area either; summary "
                      "false withholds the summary."},
        "resources": [
            resource("incidents", "Incidents", [_field(c) for c in COLUMNS], ["id"],
                     tuple(([f], other, [target]) for f, other, target in FOREIGN_KEYS)),
            resource("taxonomy", "Codes and their labels", taxonomy_fields, ["kind", "code"]),
            resource("places", "Places (OCHA P-codes)", place_fields, ["pcode"]),
        ],
    }
    if created is not None:
        package["created"] = timestamp(created)
    if coverage is not None:
        package["temporal"] = {"start": coverage[0], "end": coverage[1]}
    if anchor is not None:
        package["harmwatch"]["audit_head"] = {"hash": anchor.hash, "length": anchor.length, "anchor": str(anchor)}
    return package


class _Coverage:
    """The first and last published occurred_on of the rows passing through."""

    def __init__(self, builder: RecordBuilder) -> None:
        self._builder = builder
        self.start: str | None = None
        self.end: str | None = None

    async def watch(self, batches: Batches) -> Batches:
        for_date = self._builder.value_of
        async for rows in batches:
            for row in rows:
                if (day := for_date(row, "occurred_on")) is not None:
                    self.start = day if self.start is None or day < self.start else self.start
                    self.end = day if self.end is None or day > self.end else self.end
            yield rows

    def span(self) -> tuple[str, str] | None:
        return None if self.start is None or self.end is None else (self.start, self.end)


async def datapackage_chunks(batches: Batches, builder: RecordBuilder, gazetteer: Gazetteer, *,
                             anchor: AuditHead | None = None, created: datetime | None = None) -> AsyncIterator[bytes]:
    """The zip, streamed: the incidents CSV is compressed as its rows arrive."""
    sink = _Sink()
    coverage = _Coverage(builder)
    with zipfile.ZipFile(sink, "w") as archive:  # type: ignore[arg-type]  # write-only is enough
        with archive.open(_entry("data/incidents.csv"), "w", force_zip64=True) as entry:
            async for chunk in csv_chunks(coverage.watch(batches), builder, bom=False):
                entry.write(chunk)
                if data := sink.take():
                    yield data
        archive.writestr(_entry("data/taxonomy.csv"), table_text(TAXONOMY_HEADER, taxonomy_rows()))
        archive.writestr(_entry("data/places.csv"), table_text(PLACES_HEADER, place_rows(gazetteer)))
        package = descriptor(builder.publication, anchor=anchor, created=created, coverage=coverage.span())
        archive.writestr(_entry("datapackage.json"), json.dumps(package, ensure_ascii=False, indent=2))
    yield sink.take()
