"""The public columns of an incident, in their stable order: name, HXL hashtag, type, meaning,
an example and how PostgreSQL writes it. CSV, HXL, JSON, GeoJSON, the Table Schema, the OpenAPI
document and the COPY fast path all read this one list, so a column is added in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from harmwatch.reports.models import COUNT_NAMES

if TYPE_CHECKING:
    import sqlalchemy as sa

    from harmwatch.exports.pg_cells import CellSql


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    hxl: str
    # Frictionless Table Schema types: string, integer, number, date, datetime; "list" is a
    # ";"-separated list of codes in CSV and a JSON array elsewhere.
    type: str
    description: str
    example: Any
    # The taxonomy kind whose codes the column holds, when it holds codes.
    kind: str | None = None
    # The cell as PostgreSQL writes it for COPY (pg_cells.py), the same text as records.py's.
    sql: Callable[[CellSql], sa.ColumnElement] = field(kw_only=True)


# Multi-valued codes kept on Incident.codes: column name -> taxonomy kind. Anything else in
# `codes` (free text, unknown keys, unknown values) is never exported.
LIST_CODES = MappingProxyType({
    "weapon": "weapon",
    "objects_hit": "object_hit",
    "sectors": "sector",
    "actor_types": "actor_type",
    "sources": "source",
})
SINGLE_CODES = MappingProxyType({"duration": "duration", "resolved": "resolved", "time_of_day": "time_of_day"})

_COUNT_HXL = {
    "killed": "#affected+killed",
    "injured": "#affected+injured",
    "missing": "#affected+missing",
    "children_killed": "#affected+killed+children",
    "children_injured": "#affected+injured+children",
    "aid_workers_killed": "#affected+killed+aid_workers",
    "aid_workers_injured": "#affected+injured+aid_workers",
    "aid_workers_abducted": "#affected+abducted+aid_workers",
    "people_not_reached": "#affected+unreached",
}
_COUNT_MEANING = {
    "killed": "people killed",
    "injured": "people injured",
    "missing": "people missing",
    "children_killed": "children (under 18) killed",
    "children_injured": "children (under 18) injured",
    "aid_workers_killed": "aid workers killed",
    "aid_workers_injured": "aid workers injured",
    "aid_workers_abducted": "aid workers abducted or detained",
    "people_not_reached": "people in need whom aid did not reach",
}
_COUNT_EXAMPLES = {"killed": (2, 4), "injured": (5, 9), "children_killed": (1, 1)}


def _count_columns() -> list[Column]:
    columns = []
    for name in COUNT_NAMES:
        low, high = _COUNT_EXAMPLES.get(name, (None, None))
        meaning = _COUNT_MEANING[name]
        columns.append(Column(f"{name}_min", f"{_COUNT_HXL[name]}+min", "integer",
                              f"Fewest {meaning} (the low end of the range). Empty when unknown: "
                              "unknown is never 0.", low, sql=lambda q, n=f"{name}_min": q.count(n)))
        columns.append(Column(f"{name}_max", f"{_COUNT_HXL[name]}+max", "integer",
                              f"Most {meaning} (the high end of the range). Empty when unknown.", high,
                              sql=lambda q, n=f"{name}_max": q.count(n)))
    return columns


COLUMNS: tuple[Column, ...] = (
    Column("id", "#event+id", "integer", "The incident's number; stable, never reused.", 1042,
           sql=lambda q: q.column("id")),
    Column("report_type", "#event+category", "string",
           "harm (civilians killed, injured, missing; civilian objects hit) or access (aid blocked "
           "or attacked).", "harm", "report_type", sql=lambda q: q.code("report_type")),
    Column("report_type_label", "#event+category+name", "string",
           "The report type in the language asked for (Accept-Language or lang).", "Harm to civilians",
           sql=lambda q: q.label("report_type")),
    Column("event_type", "#event+type", "string",
           "What happened, as an ACLED sub-event code (harm incidents); empty for access incidents.",
           "shelling_artillery_missile", "event_type", sql=lambda q: q.code("event_type")),
    Column("event_type_label", "#event+type+name", "string", "The event type in the language asked for.",
           "Shelling, artillery or missile attack", sql=lambda q: q.label("event_type")),
    Column("access_constraint", "#access+type", "string",
           "Which of the nine ACAPS/OCHA humanitarian access indicators (access incidents).",
           "movement_restriction", "access_constraint", sql=lambda q: q.code("access_constraint")),
    Column("access_constraint_label", "#access+type+name", "string",
           "The access constraint in the language asked for.", "Movement blocked (checkpoints, roadblocks, siege)",
           sql=lambda q: q.label("access_constraint")),
    Column("occurred_on", "#date+occurred", "date", "The day it happened (see time_precision).", "2026-11-20",
           sql=lambda q: q.date("occurred_on")),
    Column("time_precision", "#date+precision", "integer",
           "How sure the date is (ACLED): 1 that exact day, 2 within a week, 3 within a month.", 1,
           "time_precision", sql=lambda q: q.time_precision()),
    Column("recorded_on", "#date+reported", "date", "The day the incident was recorded, once verified.",
           "2026-11-21", sql=lambda q: q.utc_date("created_at")),
    Column("adm1_pcode", "#adm1+code", "string", "Admin-1 area (governorate) OCHA P-code.", "SY02",
           sql=lambda q: q.place_code("adm1_pcode")),
    Column("adm1_name", "#adm1+name", "string", "Admin-1 area name in the language asked for.", "Aleppo",
           sql=lambda q: q.place_name("adm1_pcode")),
    Column("adm2_pcode", "#adm2+code", "string", "Admin-2 area (district) OCHA P-code.", "SY0200",
           sql=lambda q: q.place_code("adm2_pcode")),
    Column("adm2_name", "#adm2+name", "string", "Admin-2 area name in the language asked for.", "Jebel Saman",
           sql=lambda q: q.place_name("adm2_pcode")),
    Column("lat", "#geo+lat", "number",
           "Latitude (WGS 84), rounded to the precision the monitor chose for exports (2 decimals is "
           "about 1 km). Empty when there is no point.", 36.2, sql=lambda q: q.coordinate("lat")),
    Column("lon", "#geo+lon", "number", "Longitude (WGS 84), rounded like lat.", 37.16,
           sql=lambda q: q.coordinate("lon")),
    Column("geo_precision", "#geo+precision", "string",
           "How precise the point is: exact, near (within 1 km), town, district or region.", "near",
           "geo_precision", sql=lambda q: q.code("geo_precision")),
    Column("grade", "#meta+grade", "string",
           "Confidence (Airwars): confirmed, fair, weak, contested or discounted.", "fair", "grade",
           sql=lambda q: q.code("grade")),
    Column("grade_label", "#meta+grade+name", "string", "The grade in the language asked for.", "Fair",
           sql=lambda q: q.label("grade")),
    Column("status", "#status", "string", "Review status: always verified (only verified incidents are shared).",
           "verified", sql=lambda q: q.status()),
    Column("weapon", "#event+weapon", "list", "Weapons, where known (codes; ';' between them in CSV).",
           ["artillery_shell"], "weapon", sql=lambda q: q.code_cell("weapon")),
    Column("objects_hit", "#loc+type+hit", "list", "Civilian objects hit (codes).", ["market", "home"], "object_hit",
           sql=lambda q: q.code_cell("objects_hit")),
    Column("sectors", "#sector", "list", "Aid sectors affected (codes).", ["food", "health"], "sector",
           sql=lambda q: q.code_cell("sectors")),
    Column("actor_types", "#org+type", "list", "Kinds of aid actors affected (codes).", ["local_ngo"], "actor_type",
           sql=lambda q: q.code_cell("actor_types")),
    Column("sources", "#meta+source", "list", "Kinds of sources behind the incident (codes).",
           ["witness", "medical_staff"], "source", sql=lambda q: q.code_cell("sources")),
    Column("duration", "#access+duration", "string", "How long the constraint lasted (code).", "days", "duration",
           sql=lambda q: q.code_cell("duration")),
    Column("resolved", "#status+resolved", "string", "Whether the constraint was resolved: yes, no or unknown.",
           "no", "resolved", sql=lambda q: q.code_cell("resolved")),
    Column("time_of_day", "#date+time_of_day", "string", "Part of the day: morning, afternoon, evening or night.",
           "morning", "time_of_day", sql=lambda q: q.code_cell("time_of_day")),
    *_count_columns(),
    Column("summary", "#description", "string", "A summary a monitor wrote for publication; often empty.",
           "Shelling hit the central market in the morning.", sql=lambda q: q.text("summary_public")),
    Column("updated_at", "#date+updated", "datetime",
           "When the incident last changed (UTC). Use it with updated_since to fetch only changes.",
           "2026-11-21T09:30:00Z", sql=lambda q: q.timestamp("updated_at")),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
BY_NAME = MappingProxyType({c.name: c for c in COLUMNS})
