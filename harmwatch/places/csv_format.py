"""The gazetteer CSV: `pcode,name,parent_pcode,level,lat,lon` plus `name_<lang>` columns
(`name_ar`, `name_fr`, …), read and checked row by row. Checks that need the database (a
parent P-code that only the database knows) are the service's."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

from harmwatch.errors import DomainError
from harmwatch.i18n import N_, to_ascii_digits

REQUIRED_COLUMNS = ("pcode", "name", "parent_pcode", "level")
OPTIONAL_COLUMNS = ("lat", "lon")
NAME_COLUMN = re.compile(r"^name_([a-z]{2,3}(?:-[a-z0-9]{2,8})?)$")
PCODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,14}$")
MAX_NAME_LENGTH = 128
LEVELS = (1, 2, 3, 4)  # admin-1 (governorate, oblast) … admin-4 (community, town, village)


class PlaceImportError(DomainError, ValueError):
    """A gazetteer CSV that cannot be imported, and the line (1 = the header) that says why.
    Each carries its own message: `message` is a msgid with `%(name)s` placeholders, filled from
    `params`, so front-ends can show it translated."""

    def __init__(self, line: int, message: str, **params: object) -> None:
        super().__init__("bad_gazetteer_file", **params)
        self.line = line
        self.message = message
        self.args = (f"line {line}: {message % params if params else message}",)

    @property
    def msgid(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """One checked row; `line` is where it stands in the file."""

    line: int
    pcode: str
    level: int
    parent_pcode: str | None
    name: str
    names: dict[str, str] = field(default_factory=dict)
    lat: float | None = None
    lon: float | None = None


def parse_places_csv(text: str) -> list[PlaceRow]:
    """Rows of a gazetteer CSV, each checked on its own and against the others for repeated
    P-codes; PlaceImportError at the first bad line. Parents are `check_parents`' job."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise PlaceImportError(1, N_("The file is empty: it needs a header row."))
    columns = [cell.strip().lower() for cell in header]
    _check_header(columns)

    rows: list[PlaceRow] = []
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            raise PlaceImportError(line, N_("This row has more cells than the header has columns."))
        record = dict(zip(columns, (cell.strip() for cell in cells), strict=False))
        row = _row(line, record)
        if row.pcode in seen:
            raise PlaceImportError(
                line, N_("P-code %(pcode)s is already on line %(first)s."), pcode=row.pcode, first=seen[row.pcode]
            )
        seen[row.pcode] = line
        rows.append(row)
    if not rows:
        raise PlaceImportError(1, N_("The file has a header but no places."))
    return rows


def check_parents(rows: list[PlaceRow], known_levels: dict[str, int]) -> None:
    """Every place below admin-1 has a parent of a higher level (a town may sit directly in
    its district when the sub-districts are not listed), in the file or in `known_levels`
    (P-code -> level of places already stored)."""
    levels = {**known_levels, **{row.pcode: row.level for row in rows}}
    for row in rows:
        if row.level == 1:
            continue
        parent_level = levels.get(row.parent_pcode or "")
        if parent_level is None:
            raise PlaceImportError(
                row.line, N_("Parent %(parent)s of %(pcode)s is not a known place."),
                parent=row.parent_pcode, pcode=row.pcode,
            )
        if parent_level >= row.level:
            raise PlaceImportError(
                row.line, N_("Parent %(parent)s of %(pcode)s (admin-%(level)s) is not at a higher level."),
                parent=row.parent_pcode, pcode=row.pcode, level=row.level,
            )


def _check_header(columns: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise PlaceImportError(1, N_("Missing column(s): %(columns)s."), columns=", ".join(missing))
    if ("lat" in columns) != ("lon" in columns):
        raise PlaceImportError(1, N_("Give both lat and lon columns, or neither."))
    for column in columns:
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS and not NAME_COLUMN.match(column):
            raise PlaceImportError(1, N_("Unknown column %(column)s."), column=column or '""')
    duplicated = sorted({c for c in columns if columns.count(c) > 1})
    if duplicated:
        raise PlaceImportError(1, N_("Column(s) given twice: %(columns)s."), columns=", ".join(duplicated))


def _row(line: int, record: dict[str, str]) -> PlaceRow:
    pcode = record.get("pcode", "").upper()
    if not PCODE.match(pcode):
        raise PlaceImportError(
            line, N_("P-code %(pcode)s is not a P-code (two letters, then letters or digits, 16 at most)."),
            pcode=pcode or '""',
        )
    name = record.get("name", "")
    if not name:
        raise PlaceImportError(line, N_("%(pcode)s has no name."), pcode=pcode)
    level_text = to_ascii_digits(record.get("level", ""))
    if level_text not in {str(level) for level in LEVELS}:
        raise PlaceImportError(line, N_("Level must be 1, 2, 3 or 4, not %(level)s."), level=level_text or '""')
    level = int(level_text)
    parent = record.get("parent_pcode", "").upper() or None
    if level > 1 and not parent:
        raise PlaceImportError(line, N_("%(pcode)s is an admin-%(level)s place without a parent_pcode."),
                               pcode=pcode, level=level)
    if parent == pcode:
        raise PlaceImportError(line, N_("%(pcode)s cannot be its own parent."), pcode=pcode)
    lat = _coordinate(line, record, "lat", 90.0)
    lon = _coordinate(line, record, "lon", 180.0)
    if (lat is None) != (lon is None):
        raise PlaceImportError(line, N_("%(pcode)s has only one of lat and lon."), pcode=pcode)
    names = {}
    for column, value in record.items():
        match = NAME_COLUMN.match(column)
        if match and value:
            names[match.group(1)] = value
    for value in (name, *names.values()):
        if len(value) > MAX_NAME_LENGTH:
            raise PlaceImportError(line, N_("A name is longer than %(max)s characters."), max=MAX_NAME_LENGTH)
    return PlaceRow(line, pcode, level, parent, name, names, lat, lon)


def _coordinate(line: int, record: dict[str, str], column: str, limit: float) -> float | None:
    text = to_ascii_digits(record.get(column, "")).replace("٫", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise PlaceImportError(line, N_("%(column)s is not a number: %(value)s."), column=column, value=text) from None
    if not math.isfinite(value) or abs(value) > limit:
        raise PlaceImportError(
            line, N_("%(column)s %(value)s is out of range (-%(limit)s to %(limit)s)."),
            column=column, value=text, limit=int(limit),
        )
    return value
