"""The public columns of an incident, in their stable order: one declaration per column with its
name, HXL hashtag, type, meaning, an example and its cell. CSV, HXL, JSON, GeoJSON, the Table
Schema, the OpenAPI document and the COPY fast path all read this one list: a column is added
here, in one place and in any position.

A column's `cell` is written once against the `Cells` vocabulary below; records.RowCells reads it
as the Python value of one row, pg_cells.CellSql as the SQL expression COPY writes. Rows are
built by name, never by position."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Protocol

from harmwatch.forms import FORM_VERSIONS
from harmwatch.forms.model import Export, Form
from harmwatch.reports.models import COUNT_NAMES


class Cells(Protocol):
    """What a column's cell may be made of. Each method names a stored column and says how it is
    published; both interpreters (records.RowCells, pg_cells.CellSql) give the same text."""

    def column(self, name: str) -> Any: ...
    def code(self, kind: str, name: str | None = None) -> Any: ...
    def label(self, kind: str, name: str | None = None) -> Any: ...
    def place_code(self, name: str) -> Any: ...
    def place_name(self, name: str) -> Any: ...
    def coordinate(self, name: str) -> Any: ...
    def time_precision(self) -> Any: ...
    def count(self, name: str) -> Any: ...
    def text(self, name: str) -> Any: ...
    def status(self) -> Any: ...
    def date(self, name: str) -> Any: ...
    def month(self, name: str) -> Any: ...
    def utc_date(self, name: str) -> Any: ...
    def utc_month(self, name: str) -> Any: ...
    def timestamp(self, name: str) -> Any: ...
    def code_cell(self, key: str) -> Any: ...
    def country(self) -> Any: ...
    def constant(self, value: int) -> Any: ...


class Detail(StrEnum):
    """What a publication rule (publication.py) may hold back for a sensitive event type."""

    DAY = "day"          # the day (and part of the day): only the month is published
    POINT = "point"      # the point and its precision
    ADM2 = "adm2"        # the admin-2 area
    SUMMARY = "summary"  # the monitor's public summary


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
    # The cell, from a row's Cells (see above).
    cell: Callable[[Cells], Any] = field(kw_only=True)
    # What a publication rule may hold back here, and what is published then (empty by default).
    detail: Detail | None = field(default=None, kw_only=True)
    coarse: Callable[[Cells], Any] | None = field(default=None, kw_only=True)
    # A reporter's answer carried in Incident.codes under the column's name (answer_columns).
    answer: bool = field(default=False, kw_only=True)

    @property
    def is_text(self) -> bool:
        """Text in CSV, so a cell that a spreadsheet could run as a formula (see formats.py)."""
        return self.type in ("string", "list")


# HXL matches a tag pattern against every column carrying at least its attributes, so totals
# carry +total (as the HXL dictionary has it) and parts their group: #affected+killed+total
# selects the totals alone, never children or aid workers as well.
_COUNT_HXL = {
    "killed": "#affected+killed+total",
    "injured": "#affected+injured+total",
    "missing": "#affected+missing+total",
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
                              "unknown is never 0.", low, cell=lambda c, n=f"{name}_min": c.count(n)))
        columns.append(Column(f"{name}_max", f"{_COUNT_HXL[name]}+max", "integer",
                              f"Most {meaning} (the high end of the range). Empty when unknown.", high,
                              cell=lambda c, n=f"{name}_max": c.count(n)))
    return columns


_BEFORE_ANSWERS: tuple[Column, ...] = (
    Column("id", "#event+id", "integer", "The incident's number; stable, never reused.", 1042,
           cell=lambda c: c.column("id")),
    Column("report_type", "#event+category", "string",
           "harm (civilians killed, injured, missing; civilian objects hit) or access (aid blocked "
           "or attacked).", "harm", "report_type", cell=lambda c: c.code("report_type")),
    Column("report_type_label", "#event+category+name", "string",
           "The report type in the language asked for (Accept-Language or lang).", "Harm to civilians",
           cell=lambda c: c.label("report_type")),
    Column("event_type", "#event+type", "string",
           "What happened, as an ACLED sub-event code (harm incidents); empty for access incidents.",
           "shelling_artillery_missile", "event_type", cell=lambda c: c.code("event_type")),
    Column("event_type_label", "#event+type+name", "string", "The event type in the language asked for.",
           "Shelling, artillery or missile attack", cell=lambda c: c.label("event_type")),
    Column("access_constraint", "#access+type", "string",
           "Which of the nine ACAPS/OCHA humanitarian access indicators (access incidents).",
           "movement_restriction", "access_constraint", cell=lambda c: c.code("access_constraint")),
    Column("access_constraint_label", "#access+type+name", "string",
           "The access constraint in the language asked for.", "Movement blocked (checkpoints, roadblocks, siege)",
           cell=lambda c: c.label("access_constraint")),
    Column("occurred_on", "#date+occurred", "date", "The day it happened (see time_precision).", "2026-11-20",
           cell=lambda c: c.date("occurred_on"), detail=Detail.DAY, coarse=lambda c: c.month("occurred_on")),
    Column("time_precision", "#date+precision", "integer",
           "How sure the date is (ACLED): 1 that exact day, 2 within a week, 3 within a month.", 1,
           "time_precision", cell=lambda c: c.time_precision(), detail=Detail.DAY, coarse=lambda c: c.constant(3)),
    Column("recorded_on", "#date+reported", "date", "The day the incident was recorded, once verified.",
           "2026-11-21", cell=lambda c: c.utc_date("created_at"), detail=Detail.DAY,
           coarse=lambda c: c.utc_month("created_at")),
    Column("country_code", "#country+code", "string",
           "The country (ISO 3166-1 alpha-3), the deployment's setting HARMWATCH_COUNTRY_CODE.", "SYR",
           cell=lambda c: c.country()),
    Column("adm1_pcode", "#adm1+code", "string", "Admin-1 area (governorate) OCHA P-code.", "SY02",
           cell=lambda c: c.place_code("adm1_pcode")),
    Column("adm1_name", "#adm1+name", "string", "Admin-1 area name in the language asked for.", "Aleppo",
           cell=lambda c: c.place_name("adm1_pcode")),
    Column("adm2_pcode", "#adm2+code", "string", "Admin-2 area (district) OCHA P-code.", "SY0200",
           cell=lambda c: c.place_code("adm2_pcode"), detail=Detail.ADM2),
    Column("adm2_name", "#adm2+name", "string", "Admin-2 area name in the language asked for.", "Jebel Saman",
           cell=lambda c: c.place_name("adm2_pcode"), detail=Detail.ADM2),
    # Below the district, when the place is known that far; held back with the point (a
    # sensitive event is published to its district at most).
    Column("adm3_pcode", "#adm3+code", "string", "Admin-3 area (sub-district) OCHA P-code; empty when the place "
           "is known to the district only.", "SY020000", cell=lambda c: c.place_code("adm3_pcode"),
           detail=Detail.POINT),
    Column("adm3_name", "#adm3+name", "string", "Admin-3 area name in the language asked for.", "Jebel Saman",
           cell=lambda c: c.place_name("adm3_pcode"), detail=Detail.POINT),
    Column("adm4_pcode", "#adm4+code", "string", "Admin-4 area (community, town or village) P-code, where the "
           "gazetteer has that level.", "C1007", cell=lambda c: c.place_code("adm4_pcode"), detail=Detail.POINT),
    Column("adm4_name", "#adm4+name", "string", "Admin-4 area name in the language asked for.", "Aleppo",
           cell=lambda c: c.place_name("adm4_pcode"), detail=Detail.POINT),
    Column("location", "#loc+name", "string", "The locality's name: the town or village the place was matched "
           "to below the district, or what a monitor wrote.", "Aleppo", cell=lambda c: c.text("location"),
           detail=Detail.POINT),
    Column("lat", "#geo+lat", "number",
           "Latitude (WGS 84), rounded to the precision the monitor chose for exports (2 decimals is "
           "about 1 km). Empty when there is no point.", 36.2, cell=lambda c: c.coordinate("lat"),
           detail=Detail.POINT),
    Column("lon", "#geo+lon", "number", "Longitude (WGS 84), rounded like lat.", 37.16,
           cell=lambda c: c.coordinate("lon"), detail=Detail.POINT),
    Column("geo_precision", "#geo+precision", "string",
           "How precise the point is: exact, near (within 1 km), town, district or region.", "near",
           "geo_precision", cell=lambda c: c.code("geo_precision"), detail=Detail.POINT),
    Column("grade", "#meta+grade", "string",
           "Confidence (Airwars): confirmed, fair, weak, contested or discounted.", "fair", "grade",
           cell=lambda c: c.code("grade")),
    Column("grade_label", "#meta+grade+name", "string", "The grade in the language asked for.", "Fair",
           cell=lambda c: c.label("grade")),
    Column("status", "#status", "string", "Review status: always verified (only verified incidents are shared).",
           "verified", cell=lambda c: c.status()),
)
_AFTER_COUNTS: tuple[Column, ...] = (
    Column("summary", "#description", "string", "A summary a monitor wrote for publication; often empty.",
           "Shelling hit the central market in the morning.", cell=lambda c: c.text("summary_public"),
           detail=Detail.SUMMARY),
    Column("updated_at", "#date+updated", "datetime",
           "When the incident last changed (UTC). Use it with updated_since to fetch only changes.",
           "2026-11-21T09:30:00Z", cell=lambda c: c.timestamp("updated_at")),
)


def answer_columns(forms: Iterable[Form] | None = None) -> tuple[Column, ...]:
    """The columns of the answers the forms carry onto incidents (Question.export: the one
    declaration of each), by their declared order: a question exported in a form is a column
    here, with no other edit. `forms` defaults to every form version this deployment reads."""
    declared: dict[str, Export] = {}
    for form in FORM_VERSIONS.values() if forms is None else forms:
        for question in form.questions:
            if question.export is None:
                continue
            name = question.exported_as
            if declared.setdefault(name, question.export) != question.export:
                raise ValueError(f"the answer column {name} is declared twice, differently")
    return tuple(_answer_column(name, export)
                 for name, export in sorted(declared.items(), key=lambda item: (item[1].order, item[0])))


def _answer_column(name: str, export: Export) -> Column:
    return Column(name, export.hxl, "list" if export.listed else "string", export.description, export.example,
                  export.kind, cell=lambda c: c.code_cell(name), answer=True,
                  detail=Detail(export.withheld) if export.withheld else None)


def public_columns(forms: Iterable[Form] | None = None) -> tuple[Column, ...]:
    """Every public column in order: the incident's own, the answers' (answer_columns), the counts."""
    return (*_BEFORE_ANSWERS, *answer_columns(forms), *_count_columns(), *_AFTER_COUNTS)


COLUMNS: tuple[Column, ...] = public_columns()
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
# The answers' codes kept on Incident.codes: column name -> taxonomy kind, lists and single codes.
# Anything else in `codes` (free text, unknown keys, unknown values) is never exported.
LIST_CODES = MappingProxyType({c.name: c.kind for c in COLUMNS if c.answer and c.type == "list"})
SINGLE_CODES = MappingProxyType({c.name: c.kind for c in COLUMNS if c.answer and c.type != "list"})
BY_NAME = MappingProxyType({c.name: c for c in COLUMNS})
