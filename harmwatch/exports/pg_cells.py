"""The public cells as PostgreSQL writes them, for the COPY fast path (pg_copy.py). For any row
each writer gives exactly the text that records.py and the csv module give, so that both paths
produce the same bytes. What depends on the language or the taxonomy (labels, place names, which
codes are known, the cell of each stored code value) is worked out once, in Python, by the same
RecordBuilder, and handed to PostgreSQL as small JSON objects that each row looks up by code.
Lookups rather than joins with VALUES lists: PostgreSQL's hash joins do not keep the id order of
the index scan, so every row would then be sorted again."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from harmwatch.exports.columns import Column, Detail
from harmwatch.exports.records import (
    FORMULA_STARTS,
    MAX_DECIMALS,
    PCODE,
    STATUS,
    TIME_PRECISIONS,
    RecordBuilder,
    counted,
    neutralised,
)
from harmwatch.incidents.models import Incident

_T = Incident.__table__.c
# records.PCODE split in two, as PostgreSQL's regular expressions read it: a P-code may start with
# "-", the one formula start it allows, and is then neutralised.
_PCODE_SAFE = "^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,15}$"
_PCODE_DASH = "^-[A-Za-z0-9_.-]{0,15}$"
if PCODE.pattern != "[A-Za-z0-9_.-]{1,16}":
    raise RuntimeError("pg_cells splits records.PCODE by hand: split the new pattern too")

# to_char(double precision) rounds with the C library's printf, which rounds the exact binary
# value, ties to even: the digits of Python's round(x, n). (round(x::numeric, n) would round the
# 15-digit decimal instead, ties away from zero: 2.675 -> 2.68 where Python writes 2.67.) FM drops
# the trailing zeros that repr does not write; the 0 after the point keeps the one it does: 36.0.
_FORMATS = {d: "FM990.0" + "9" * (d - 1) for d in range(1, MAX_DECIMALS + 1)}
if MAX_DECIMALS > 5:  # repr's exponent forms below 1e-5 (1.5e-06) are not written here
    raise RuntimeError("pg_cells writes coordinates to at most 5 decimals")


def _constant(text: str) -> sa.ColumnElement:
    """A constant of this module in the SQL text (formats, patterns), never user input. No $1:
    asyncpg puts the arguments in place of every $n of the text (see pg_copy.compiled)."""
    if "'" in text or re.search(r"\$\d", text):
        raise ValueError(text)
    return sa.literal_column(f"'{text}'", sa.Text)


# How close to a half the scaled value may come before _rounded leaves it to to_char: far above
# the error of one multiplication (about 4e-9 at 180 * 10**5), far below any real half's distance.
_NEAR_HALF = 1e-6


def _rounded(value: sa.ColumnElement, decimals: int) -> sa.ColumnElement:
    """`value` as Python's repr(round(value, decimals)) writes it, in float arithmetic: scaled by
    10**decimals and rounded to a whole number, then divided back. Away from a half the scaled
    value rounds the way the exact binary value does, and the division (of two exact integers) is
    the double nearest that decimal, as round() gives; float8 text is then repr's shortest digits
    (pg_copy sets extra_float_digits), an integer without ".0". Within _NEAR_HALF of a half,
    to_char (printf's exact rounding) decides. About three times cheaper per cell than to_char."""
    scale = 10 ** decimals
    scaled = value * sa.literal_column(f"{scale}.0", sa.Float)
    whole = sa.func.round(scaled, type_=sa.Float)
    back = sa.cast(whole / sa.literal_column(f"{scale}.0", sa.Float), sa.Text)
    near_half = sa.func.abs(scaled - sa.func.floor(scaled) - sa.literal_column("0.5", sa.Float)) < \
        sa.literal_column(repr(_NEAR_HALF), sa.Float)
    integral = sa.cast(whole, sa.BigInteger).op("%")(sa.literal_column(str(scale), sa.BigInteger)) == \
        sa.literal_column("0", sa.BigInteger)
    return sa.case((near_half, _printed(value, decimals)), (integral, back.concat(_constant(".0"))), else_=back)


def _printed(value: sa.ColumnElement, decimals: int) -> sa.ColumnElement:
    """`value` as Python's repr(round(value, decimals)) writes it, by to_char."""
    if decimals == 0:  # round(x, 0) is still a float: 37.0
        return sa.func.to_char(value, _constant("FM990"), type_=sa.Text).concat(_constant(".0"))
    text = sa.func.to_char(value, _constant(_FORMATS[decimals]), type_=sa.Text)
    if decimals < 5:
        return text
    # Below 1e-4 repr writes an exponent: 4e-05, not 0.00004 (to_char gives "-0.00004" or "0.0").
    return sa.case((sa.func.abs(value) >= 0.0001, text),
                   (text.like(_constant("%0.0000_")),
                    sa.func.replace(text, _constant("0.0000"), _constant("")).concat(_constant("e-05"))),
                   else_=text)


def _quoted(value: sa.ColumnElement) -> sa.ColumnElement:
    """records.neutralised's quote in front of `value`."""
    return sa.literal("'", sa.Text).concat(value)


class CellSql:
    """The Cells (columns.py) as SQL for one export's CSV: one language, one gazetteer, one
    deployment's publication rules, and `code_cells`, the cell of every value stored under each
    code key among the exported rows (from pg_copy.py). Text is neutralised as the csv path
    neutralises it: in Python for what the lookups hold, in SQL for stored text."""

    def __init__(self, builder: RecordBuilder, code_cells: Mapping[str, Mapping[str, str | None]]) -> None:
        self._builder = builder
        self._code_cells = code_cells
        self._lookups: dict[str, sa.BindParameter] = {}
        self._flags: sa.Lateral | None = None

    def _lookup(self, name: str, values: Callable[[], Mapping[str, str | None]]) -> sa.BindParameter:
        """A JSON object {code: text} bound once, however many cells read it. An empty text
        becomes null: COPY would quote it ("") where the csv module leaves the cell empty."""
        if name not in self._lookups:
            table = {code: neutralised(text) or None for code, text in values().items()}
            self._lookups[name] = sa.bindparam(name, table, type_=JSONB)
        return self._lookups[name]

    def _labels(self, kind: str) -> sa.BindParameter:
        return self._lookup(f"labels_{kind}", lambda: self._builder.labels(kind))

    def _places(self) -> sa.BindParameter:
        return self._lookup("places", self._builder.place_names)

    def column(self, name: str) -> sa.ColumnElement:
        """A column written as it is stored (integers; dates and timestamps have their own)."""
        return _T[name]

    def code(self, kind: str, name: str | None = None) -> sa.ColumnElement:
        """A taxonomy code, empty when it is not one of the kind's codes."""
        column = _T[name or kind]
        return sa.case((self._labels(kind).has_key(column), column))

    def label(self, kind: str, name: str | None = None) -> sa.ColumnElement:
        return self._labels(kind)[_T[name or kind]].astext

    def place_code(self, name: str) -> sa.ColumnElement:
        column = _T[name]
        # Places of the gazetteer first: the patterns are only tried on P-codes it does not know.
        return sa.case((sa.and_(self._places().has_key(column), sa.func.left(column, 1) != _constant("-")), column),
                       (column.regexp_match(_constant(_PCODE_SAFE)), column),
                       (column.regexp_match(_constant(_PCODE_DASH)), _quoted(column)))

    def place_name(self, name: str) -> sa.ColumnElement:
        return self._places()[_T[name]].astext

    def code_cell(self, key: str) -> sa.ColumnElement:
        """The cell of a code column, looked up by the text PostgreSQL gives for the stored value
        (->> is plain text for a string, JSON for a list). A value missing from `code_cells`
        stays empty: only cells the RecordBuilder wrote can ever come out."""
        cells = self._lookup(f"codes_{key}", lambda: self._code_cells.get(key, {}))
        return cells[sa.type_coerce(_T.codes, JSONB)[_constant(key)].astext].astext

    def coordinate(self, name: str) -> sa.ColumnElement:
        """lat or lon rounded to the incident's export precision; empty unless the point is whole
        and possible (NaN is not: PostgreSQL sorts it above every number)."""
        point = sa.and_(_T.lat.between(-90, 90), _T.lon.between(-180, 180))
        decimals = sa.func.least(sa.func.greatest(_T.export_decimals, 0), MAX_DECIMALS)
        value = _T[name]
        return sa.case((point, sa.case({d: _rounded(value, d) for d in range(1, MAX_DECIMALS + 1)},
                                       value=decimals, else_=_rounded(value, 0))))

    def time_precision(self) -> sa.ColumnElement:
        precisions = sa.literal(list(TIME_PRECISIONS), ARRAY(sa.Integer))
        return sa.case((_T.time_precision == sa.any_(precisions), _T.time_precision))

    def count(self, name: str) -> sa.ColumnElement:
        return counted(_T[name])

    def text(self, name: str) -> sa.ColumnElement:
        column = _T[name]
        starts = sa.literal(list(FORMULA_STARTS), ARRAY(sa.Text))
        return sa.case((column == _constant(""), sa.null()),
                       (sa.func.left(column, 1) == sa.any_(starts), _quoted(column)), else_=column)

    def status(self) -> sa.ColumnElement:
        return _constant(STATUS)

    def date(self, name: str) -> sa.ColumnElement:
        """ISO as str(date) writes it: pg_copy sets DateStyle ISO for the export's transaction
        (a cast is much cheaper than to_char)."""
        return sa.cast(_T[name], sa.Text)

    def month(self, name: str) -> sa.ColumnElement:
        return sa.func.to_char(_T[name], _constant('YYYY-MM-"01"'))

    def utc_month(self, name: str) -> sa.ColumnElement:
        return sa.func.to_char(sa.func.timezone(_constant("UTC"), _T[name]), _constant('YYYY-MM-"01"'))

    def country(self) -> sa.ColumnElement:
        return sa.literal(neutralised(self._builder.country_code), sa.Text)

    def constant(self, value: int) -> sa.ColumnElement:
        return sa.literal(value, sa.Integer)

    def cell(self, column: Column) -> sa.ColumnElement:
        """The column's cell, or what its publication rule publishes instead for the event types
        whose rule holds its detail back (records.RecordBuilder does the same in Python)."""
        value = column.cell(self)
        if column.detail is None or not (types := self._builder.publication.withholding(column.detail)):
            return value
        instead = column.coarse(self) if column.coarse else sa.null()
        return sa.case((self._withheld(column.detail, types), instead), else_=value)

    def _withheld(self, detail: Detail, types: list[str]) -> sa.ColumnElement:
        """Whether the row's rule holds `detail` back, worked out once per row (a LATERAL flag)
        rather than once per column."""
        if self._flags is None:
            flags = [(_T.event_type == sa.any_(sa.literal(self._builder.publication.withholding(d), ARRAY(sa.Text))))
                     .label(d.value) for d in Detail]
            self._flags = sa.select(*flags).correlate(Incident.__table__).lateral("rule")
        return self._flags.c[detail.value]

    def utc_date(self, name: str) -> sa.ColumnElement:
        return sa.cast(sa.cast(sa.func.timezone(_constant("UTC"), _T[name]), sa.Date), sa.Text)

    def timestamp(self, name: str) -> sa.ColumnElement:
        """UTC to the second (cut, not rounded, as isoformat does) with a Z: records.timestamp."""
        return sa.func.to_char(sa.func.timezone(_constant("UTC"), _T[name]),
                               _constant('YYYY-MM-DD"T"HH24:MI:SS"Z"'))


def _csv_field(value: sa.ColumnElement) -> sa.ColumnElement:
    """`value` as one field of COPY ... (FORMAT csv): empty for NULL; quoted, with its quotes
    doubled, when it holds a comma, a quote, a CR or a LF, is empty, or is \\. on its own. A
    number needs none of that. (strpos is several times cheaper than a regular expression.)"""
    if isinstance(value.type, sa.Integer):
        return sa.func.coalesce(sa.cast(value, sa.Text), _constant(""))
    text = sa.cast(value, sa.Text)
    special = sa.or_(*(sa.func.strpos(text, _constant(char)) > 0 for char in (",", '"', "\n", "\r")))
    quoted = _constant('"').concat(sa.func.replace(text, _constant('"'), _constant('""'))).concat(_constant('"'))
    return sa.case((value.is_(None), _constant("")),
                   (sa.or_(text == _constant(""), text == _constant("\\."), special), quoted),
                   else_=text)


def csv_line(cells: CellSql, columns: Sequence[Column]) -> sa.ScalarSelect:
    """The incident's whole CSV row, without its end, as COPY would write `columns`' cells: a
    scalar subquery, so that PostgreSQL works it out only for the rows that need it. Each cell
    is worked out once (OFFSET 0 keeps the planner from copying its expression into the row)."""
    row = (sa.select(*(cells.cell(column).label(f"c{i}") for i, column in enumerate(columns)))
           .correlate(Incident.__table__).offset(0).subquery("cells"))
    fields = postgresql.array([_csv_field(row.c[f"c{i}"]) for i in range(len(columns))])
    return (sa.select(sa.func.array_to_string(fields, _constant(","), type_=sa.Text)).select_from(row)
            .correlate(Incident.__table__).scalar_subquery())
