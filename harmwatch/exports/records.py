"""From an incident row to its public record: only whitelisted columns and known codes, counts
as ranges with unknown kept empty, coordinates rounded to the incident's export precision,
labels and place names in the reader's language. Nothing else leaves the database."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from harmwatch import taxonomy
from harmwatch.exports.columns import COLUMN_NAMES, LIST_CODES, SINGLE_CODES
from harmwatch.i18n import gettext
from harmwatch.incidents.models import Incident
from harmwatch.places.gazetteer import Gazetteer
from harmwatch.reports.models import COUNT_NAMES

MAX_DECIMALS = 5  # about 1 m: finer than any point a reporter can give
PCODE = re.compile(r"[A-Za-z0-9_.-]{1,16}")  # what a P-code may be; anything else is not exported
TIME_PRECISIONS = (1, 2, 3)
STATUS = "verified"  # only verified incidents are ever published
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
                  "created_at", "adm1_pcode", "adm2_pcode", "lat", "lon", "export_decimals", "geo_precision", "grade",
                  "codes", *_COUNT_FIELDS, "summary_public", "updated_at")
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


class RecordBuilder:
    """Turns incident rows into public records for one language (labels, place names). Parts of
    a row that repeat across incidents (type and labels, places, codes) are worked out once."""

    def __init__(self, lang: str, places: Gazetteer) -> None:
        self.lang = lang
        self._labels = {kind: {code: gettext(lang, msgid) for code, msgid in table.items()}
                        for kind, table in taxonomy.LABELS.items()}
        self._known = {kind: frozenset(taxonomy.codes(kind)) for kind in taxonomy.LABELS}
        self._places = {place.pcode: place.name_in(lang) for place in places}
        self._memo: dict[tuple, tuple] = {}

    def _code(self, kind: str, value: Any) -> Any:
        return value if value in self._known[kind] else None

    def _labelled(self, kind: str, value: Any) -> tuple[Any, Any]:
        code = self._code(kind, value)
        return code, self._labels[kind].get(code)

    def _kind(self, report_type: Any, event_type: Any, constraint: Any) -> tuple:
        return (*self._labelled("report_type", report_type), *self._labelled("event_type", event_type),
                *self._labelled("access_constraint", constraint))

    def _area(self, adm1: Any, adm2: Any) -> tuple:
        adm1 = adm1 if isinstance(adm1, str) and PCODE.fullmatch(adm1) else None
        adm2 = adm2 if isinstance(adm2, str) and PCODE.fullmatch(adm2) else None
        return adm1, self._places.get(adm1), adm2, self._places.get(adm2)

    def _grade(self, geo_precision: Any, grade: Any, time_precision: Any) -> tuple:
        return (self._code("geo_precision", geo_precision), *self._labelled("grade", grade), STATUS,
                time_precision if time_precision in TIME_PRECISIONS else None)

    def _listed(self, kind: str, value: Any) -> list[str]:
        """Known codes of a list column, each once, in the order stored (a lone code counts too)."""
        items = value if isinstance(value, list) else [value]
        known = self._known[kind]
        return [v for v in dict.fromkeys(i for i in items if isinstance(i, str)) if v in known]

    def _single(self, kind: str, value: Any) -> str | None:
        if isinstance(value, list):
            value = value[0] if value else None
        return value if isinstance(value, str) and value in self._known[kind] else None

    def _codes(self, text: str | None) -> tuple[tuple, tuple]:
        """The code columns as CSV cells (lists joined with ';') and as JSON values (lists)."""
        codes = _parse_codes(text)
        lists = [self._listed(kind, codes.get(key)) for key, kind in LIST_CODES.items()]
        singles = [self._single(kind, codes.get(key)) for key, kind in SINGLE_CODES.items()]
        return (*(";".join(v) or None for v in lists), *singles), (*lists, *singles)

    def code_cell(self, key: str, value: Any) -> str | None:
        """The CSV cell of the code column `key` for `value`, what Incident.codes holds under it."""
        if key in LIST_CODES:
            return ";".join(self._listed(LIST_CODES[key], value)) or None
        return self._single(SINGLE_CODES[key], value)

    def labels(self, kind: str) -> dict[str, str]:
        """Each known code of a kind and its label in this builder's language."""
        return {str(code): label for code, label in self._labels[kind].items()}

    def place_names(self) -> dict[str, str]:
        """Each exportable P-code of the gazetteer and its name in this builder's language."""
        return {pcode: name for pcode, name in self._places.items() if PCODE.fullmatch(pcode)}

    def _segment(self, make, *key: Any) -> tuple:
        memo_key = (make, *key)
        found = self._memo.get(memo_key)
        if found is None:
            if len(self._memo) > _CACHE_LIMIT:
                self._memo.clear()
            found = self._memo[memo_key] = make(*key)
        return found

    def _cells(self, row: Sequence[Any], as_csv: bool) -> tuple:
        (id_, report_type, event_type, constraint, occurred_on, time_precision, created_at, adm1, adm2, lat, lon,
         decimals, geo_precision, grade, codes, *rest) = row
        if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:  # NaN fails too
            decimals = decimals if 0 <= decimals <= MAX_DECIMALS else (0 if decimals < 0 else MAX_DECIMALS)
            lat, lon = round(lat, decimals), round(lon, decimals)
        else:
            lat = lon = None
        if codes is not None and not isinstance(codes, str):  # a driver that parsed the JSON already
            codes = json.dumps(codes, sort_keys=True)
        geo, grade_code, grade_label, status, precision = self._segment(self._grade, geo_precision, grade,
                                                                        time_precision)
        recorded_on = utc(created_at).date()
        if not as_csv:  # the csv module writes dates as ISO text by itself
            occurred_on = occurred_on.isoformat() if occurred_on else None
            recorded_on = recorded_on.isoformat()
        code_cells = self._segment(self._codes, codes)[0 if as_csv else 1]
        return ((id_,) + self._segment(self._kind, report_type, event_type, constraint)
                + (occurred_on, precision, recorded_on) + self._segment(self._area, adm1, adm2)
                + (lat, lon, geo, grade_code, grade_label, status) + code_cells
                + tuple(rest[:-2]) + (rest[-2] or None, timestamp(rest[-1])))

    def values(self, row: Sequence[Any]) -> tuple:
        """The record as JSON-ready values in COLUMNS order (lists stay lists)."""
        return self._cells(row, False)

    def record(self, row: Sequence[Any]) -> dict[str, Any]:
        """The record as a dict, column name to value (JSON and GeoJSON)."""
        return dict(zip(COLUMN_NAMES, self._cells(row, False), strict=True))

    def csv_values(self, row: Sequence[Any]) -> tuple:
        """The record as CSV cells: lists joined with ';', None left empty (never 0)."""
        return self._cells(row, True)
