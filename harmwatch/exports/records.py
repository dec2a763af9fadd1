"""From an incident row to its public record: only whitelisted columns and known codes, counts
as ranges with unknown kept empty, coordinates rounded to the incident's export precision,
labels and place names in the reader's language. Nothing else leaves the database."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from harmwatch import taxonomy
from harmwatch.exports.columns import COLUMNS, Column
from harmwatch.exports.publication import Publication, withholds
from harmwatch.i18n import gettext
from harmwatch.incidents.models import Incident
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reports.models import COUNT_NAMES

MAX_DECIMALS = 5  # about 1 m: finer than any point a reporter can give
PCODE = re.compile(r"[A-Za-z0-9_.-]{1,16}")  # what a P-code may be; anything else is not exported
TIME_PRECISIONS = (1, 2, 3)
STATUS = "verified"  # only verified incidents are ever published
# What a spreadsheet takes for the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_COUNT_FIELDS = tuple(f"{name}_{end}" for name in COUNT_NAMES for end in ("min", "max"))
_CACHE_LIMIT = 50_000  # memoised segments per export; far more than real data has distinct values


def counted(column: sa.ColumnElement) -> sa.ColumnElement:
    """A count as exported: a negative count is no count."""
    return sa.case((column >= 0, column))


def _selected(name: str) -> sa.ColumnElement:
    column = Incident.__table__.c[name]
    if name in ("created_at", "updated_at"):
        # Plain timestamps: the model's UTC decorator costs more per row than the whole CSV line.
        return sa.type_coerce(column, sa.DateTime(timezone=True)).label(name)
    if name == "codes":
        # As text: it is the memo key, and parsed once per distinct value, not once per row.
        return sa.cast(column, sa.Text).label(name)
    if name in _COUNT_FIELDS:
        return counted(column).label(name)
    return column


# The only columns ever read for an export. notes_private, created_by_id and the `state`
# itself are not selected, so they cannot leak through any format or error.
SELECTED_NAMES = ("id", "report_type", "event_type", "access_constraint", "occurred_on", "time_precision",
                  "created_at", "adm1_pcode", "adm2_pcode", "adm3_pcode", "adm4_pcode", "location", "lat", "lon",
                  "export_decimals", "geo_precision", "grade", "codes", *_COUNT_FIELDS, "summary_public", "updated_at")
SELECTED_COLUMNS: tuple[sa.ColumnElement, ...] = tuple(_selected(name) for name in SELECTED_NAMES)


def utc(value: datetime) -> datetime:
    """A timestamp from either database as an aware UTC datetime (SQLite's come back naive)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC) if value.utcoffset() else value


def timestamp(value: datetime) -> str:
    """UTC, to the second, with a Z: what Frictionless, spreadsheets and JSON readers all take."""
    return utc(value).isoformat(timespec="seconds")[:19] + "Z"


def _parse_codes(text: str | None) -> dict[str, Any]:
    try:
        codes = json.loads(text) if text else {}
    except ValueError:
        return {}
    return codes if isinstance(codes, dict) else {}


class RowCells:
    """The Cells of one row (columns.py), as Python values ready for JSON: codes, labels and
    place names known to the builder, lists as lists, dates as ISO text. Read by name."""

    __slots__ = ("_builder", "_row", "_point")

    def __init__(self, builder: RecordBuilder, row: Mapping[str, Any]) -> None:
        self._builder = builder
        self._row = row
        self._point: tuple[Any, Any] | None = None

    def column(self, name: str) -> Any:
        return self._row[name]

    def code(self, kind: str, name: str | None = None) -> Any:
        value = self._row[name or kind]
        return value if value in self._builder.known[kind] else None

    def label(self, kind: str, name: str | None = None) -> Any:
        return self._builder.label_table[kind].get(self.code(kind, name))

    def place_code(self, name: str) -> str | None:
        value = self._row[name]
        return value if isinstance(value, str) and PCODE.fullmatch(value) else None

    def place_name(self, name: str) -> str | None:
        return self._builder.place_table.get(self.place_code(name))

    def coordinate(self, name: str) -> float | None:
        if self._point is None:
            self._point = _rounded_point(self._row["lat"], self._row["lon"], self._row["export_decimals"])
        return self._point[0 if name == "lat" else 1]

    def time_precision(self) -> int | None:
        value = self._row["time_precision"]
        return value if value in TIME_PRECISIONS else None

    def count(self, name: str) -> int | None:
        return self._row[name]  # already counted() by the SELECT

    def text(self, name: str) -> str | None:
        return self._row[name] or None

    def status(self) -> str:
        return STATUS

    def date(self, name: str) -> str | None:
        value = self._row[name]
        return value.isoformat() if value else None

    def month(self, name: str) -> str | None:
        value = self._row[name]
        return value.replace(day=1).isoformat() if value else None

    def utc_date(self, name: str) -> str:
        return utc(self._row[name]).date().isoformat()

    def utc_month(self, name: str) -> str:
        return utc(self._row[name]).date().replace(day=1).isoformat()

    def timestamp(self, name: str) -> str:
        return timestamp(self._row[name])

    def code_cell(self, key: str) -> Any:
        return self._builder.code_values(self._row["codes"])[key]

    def country(self) -> str:
        return self._builder.country_code

    def constant(self, value: int) -> int:
        return value


def _rounded_point(lat: Any, lon: Any, decimals: Any) -> tuple[Any, Any]:
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:  # NaN fails too
        decimals = decimals if 0 <= decimals <= MAX_DECIMALS else (0 if decimals < 0 else MAX_DECIMALS)
        return round(lat, decimals), round(lon, decimals)
    return None, None


_STARTS = frozenset(FORMULA_STARTS)


def neutralised(text: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made plain text the OWASP way (a
    leading single quote); anything else as it is."""
    return "'" + text if text.__class__ is str and text[:1] in _STARTS else text


def _csv_cell(column: Column) -> Callable[[Any], Any] | None:
    """How a column's JSON value becomes its CSV cell, None when it is the same."""
    if column.type == "list":
        return lambda value: neutralised(";".join(value)) or None
    if column.is_text:
        return neutralised
    return None


def _empty(_cells: Any) -> None:
    return None


class RecordBuilder:
    """Turns incident rows into public records for one language (labels, place names), one
    deployment's publication rules and a list of columns (COLUMNS unless told). What repeats
    across incidents (labels, places, code values) is worked out once."""

    def __init__(self, lang: str, places: Gazetteer, *, publication: Publication | None = None,
                 columns: Sequence[Column] = COLUMNS) -> None:
        self.lang = lang
        self.publication = publication or Publication.from_settings()
        self.country_code = self.publication.country_code
        self.columns = tuple(columns)
        self.names = tuple(c.name for c in self.columns)
        self._index = {name: i for i, name in enumerate(self.names)}
        self.label_table = {kind: {code: gettext(lang, msgid) for code, msgid in table.items()}
                            for kind, table in taxonomy.LABELS.items()}
        self.known = {kind: frozenset(taxonomy.codes(kind)) for kind in taxonomy.LABELS}
        self.place_table = {place.pcode: place.name_in(lang) for place in places}
        self._memo: dict[str | None, dict[str, Any]] = {}
        # Per event type under a rule, the cell of each column (held back ones replaced).
        self._plans = {None: tuple(c.cell for c in self.columns)}
        for event_type, rule in self.publication.rules.items():
            self._plans[event_type] = tuple(
                (c.coarse or _empty) if c.detail is not None and withholds(rule, c.detail) else c.cell
                for c in self.columns)
        self._csv = tuple((i, convert) for i, c in enumerate(self.columns) if (convert := _csv_cell(c)))
        # The answer columns (columns.answer_columns): key in Incident.codes -> (kind, a list).
        self._answers = {c.name: (c.kind, c.type == "list") for c in self.columns if c.answer}
        self.answer_keys = tuple(self._answers)

    def _listed(self, kind: str, value: Any) -> list[str]:
        """Known codes of a list column, each once, in the order stored (a lone code counts too)."""
        items = value if isinstance(value, list) else [value]
        known = self.known[kind]
        return [v for v in dict.fromkeys(i for i in items if isinstance(i, str)) if v in known]

    def _single(self, kind: str, value: Any) -> str | None:
        if isinstance(value, list):
            value = value[0] if value else None
        return value if isinstance(value, str) and value in self.known[kind] else None

    def code_value(self, key: str, value: Any) -> Any:
        """The JSON value of the code column `key` for `value`, what Incident.codes holds under it."""
        kind, listed = self._answers[key]
        return self._listed(kind, value) if listed else self._single(kind, value)

    def code_cell(self, key: str, value: Any) -> str | None:
        """The CSV cell of the code column `key` for `value`."""
        found = self.code_value(key, value)
        return (neutralised(";".join(found)) or None) if isinstance(found, list) else neutralised(found)

    def code_values(self, text: Any) -> dict[str, Any]:
        """Every code column's JSON value for the stored `codes`, parsed once per distinct value."""
        if text is not None and not isinstance(text, str):  # a driver that parsed the JSON already
            text = json.dumps(text, sort_keys=True)
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) > _CACHE_LIMIT:
                self._memo.clear()
            codes = _parse_codes(text)
            found = self._memo[text] = {key: self.code_value(key, codes.get(key)) for key in self.answer_keys}
        return found

    def labels(self, kind: str) -> dict[str, str]:
        """Each known code of a kind and its label in this builder's language."""
        return {str(code): label for code, label in self.label_table[kind].items()}

    def place_names(self) -> dict[str, str]:
        """Each exportable P-code of the gazetteer and its name in this builder's language."""
        return {pcode: name for pcode, name in self.place_table.items() if PCODE.fullmatch(pcode)}

    def values(self, row: Any) -> list[Any]:
        """The record as JSON-ready values in column order (lists stay lists)."""
        mapping = getattr(row, "_mapping", row)
        cells = RowCells(self, mapping)
        plan = self._plans.get(mapping["event_type"]) or self._plans[None]
        return [cell(cells) for cell in plan]

    def value_of(self, row: Any, name: str) -> Any:
        """One column's JSON value for a row, as values() gives it."""
        mapping = getattr(row, "_mapping", row)
        plan = self._plans.get(mapping["event_type"]) or self._plans[None]
        return plan[self._index[name]](RowCells(self, mapping))

    def record(self, row: Any) -> dict[str, Any]:
        """The record as a dict, column name to value (JSON and GeoJSON)."""
        return dict(zip(self.names, self.values(row), strict=True))

    def csv_values(self, row: Any) -> list[Any]:
        """The record as CSV cells: lists joined with ';', None left empty (never 0), and every
        text cell that a spreadsheet would run as a formula neutralised."""
        values = self.values(row)
        for i, convert in self._csv:
            if (value := values[i]) is not None:
                values[i] = convert(value)
        return values
