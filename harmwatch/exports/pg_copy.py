"""The PostgreSQL fast path for the CSV and HXL exports: PostgreSQL writes the rows itself with
`COPY (SELECT ...) TO STDOUT`, and the chunks go straight into the response. The bytes are those
of the Python path (formats.csv_chunks): the SQL is generated from the columns (columns.py,
pg_cells.py) and the row ends are rewritten as the csv module writes them. Fetching rows and
formatting them in Python tops out far below what COPY does.

Working out ~60 cells a row costs PostgreSQL about 2.5 times what copying the stored columns
does, so each published row, once written, is kept (models.ExportLine) and used again while its
incident and the rendering (rendering_key) are unchanged. An export first writes the rows that
are missing or stale (refresh), then copies them; a row that changed in between is worked out
again inside the copy (pg_cells.csv_line), so what is served is always the row as it is now."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from harmwatch.database import Database
from harmwatch.exports.columns import Column
from harmwatch.exports.formats import CHUNK, csv_head
from harmwatch.exports.models import ExportLine
from harmwatch.exports.pg_cells import CellSql, csv_line
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import RecordBuilder
from harmwatch.incidents.models import Incident

# More distinct values stored under the code keys than this, and the lookups would outgrow the
# statement: the Python path serves the export instead. Real data has far fewer (each value is
# one combination of codes, such as ["market", "home"]).
MAX_CODE_VALUES = 10_000
# Chunks (of whatever size PostgreSQL's messages come in) waiting for the client. While the
# queue is full, asyncpg stops reading the socket and PostgreSQL waits: memory stays constant.
QUEUE_CHUNKS = 8
# Kept rows written at once beyond which their table's statistics are brought up to date at once.
ANALYZE_AFTER = 10_000

_T = Incident.__table__
_LINES = ExportLine.__table__
_DONE = object()
_DIALECT = asyncpg_dialect()
log = logging.getLogger(__name__)


async def _code_cells(connection: AsyncConnection, where: Sequence[sa.ColumnElement[bool]],
                      builder: RecordBuilder) -> dict[str, dict[str, str | None]] | None:
    """The cell the RecordBuilder writes for every value stored under each code key in the rows
    to export, by the text ->> gives for it. None when there are too many, or when two values
    give the same text but different cells (the string '["home"]' and the list ["home"])."""
    if not builder.answer_keys:
        return {}
    picked = sa.select(sa.type_coerce(_T.c.codes, JSONB).label("codes")).where(*where).distinct().cte("picked")
    keys = sa.values(sa.column("key", sa.Text), name="keys").data([(key,) for key in builder.answer_keys])
    value = picked.c.codes[keys.c.key]
    stmt = (sa.select(keys.c.key, value, value.astext).select_from(picked.join(keys, sa.true()))
            .where(value.astext.is_not(None)).distinct().limit(MAX_CODE_VALUES + 1))
    rows = (await connection.execute(stmt)).all()
    if len(rows) > MAX_CODE_VALUES:
        return None
    cells: dict[str, dict[str, str | None]] = {key: {} for key in builder.answer_keys}
    for key, stored, text in rows:
        cell = builder.code_cell(key, stored)
        if cells[key].setdefault(text, cell) != cell:
            return None
    return cells


async def _any(connection: AsyncConnection, where: Sequence[sa.ColumnElement[bool]]) -> bool:
    """Whether any incident matches `where`: once every row is kept, the stale ones are none."""
    return (await connection.execute(sa.select(_T.c.id).where(*where).limit(1))).first() is not None


def rendering_key(builder: RecordBuilder) -> str:
    """What a kept row was written with: the SQL that writes a row, with every label, place name,
    rule and constant it holds, and what the code cells are made from (which codes are known and
    how each answer column is written). Any change to these, or to the code that writes the SQL,
    gives another key, so rows written before are not used again."""
    empty = {key: {} for key in builder.answer_keys}  # code cells are the rows' own: see _code_cells
    sql, args = compiled(sa.select(csv_line(CellSql(builder, empty), builder.columns)), _DIALECT)
    made_of = [sql, args, sorted((kind, sorted(codes)) for kind, codes in builder.known.items()),
               [(c.name, c.kind, c.type, c.answer) for c in builder.columns]]
    return hashlib.sha256(json.dumps(made_of, sort_keys=True, default=str).encode()).hexdigest()


def _kept(key: str) -> sa.ColumnElement[bool]:
    """The row kept for this incident under `key`, while the incident is as it was written."""
    return sa.and_(_LINES.c.key == key, _LINES.c.incident_id == _T.c.id, _LINES.c.change_seq == _T.c.change_seq)


def statement(cells: CellSql, where: Sequence[sa.ColumnElement[bool]], columns: Sequence[Column],
              key: str) -> sa.Select:
    """Each row the Python path would export, in its order, as one CSV text: the row kept under
    `key` if it is still the incident's, otherwise worked out now."""
    return (sa.select(sa.func.coalesce(_LINES.c.line, csv_line(cells, columns)))
            .select_from(_T.outerjoin(_LINES, _kept(key))).where(*where).order_by(_T.c.id))


def compiled(stmt: sa.Select, dialect: sa.Dialect) -> tuple[str, list[Any]]:
    """The statement as asyncpg's SQL ($1, $2, ...) and its arguments, processed as SQLAlchemy
    would bind them. COPY takes no parameters: asyncpg has PostgreSQL quote each one
    (quote_literal) into the text, so user input is never formatted into SQL by us."""
    result = stmt.compile(dialect=dialect)
    values = result.construct_params()
    args = []
    for name in result.positiontup or ():
        process = result.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        args.append(process(values[name]) if process else values[name])
    return result.string, args


_ESCAPE = re.compile(rb"\\(.)", re.S)
_ESCAPED = {b"\\": b"\\", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}


class TextRows:
    """COPY's text format writes each row (here: one CSV text) on a line of its own, with a
    backslash before what it escapes (\\n for a LF inside the text, \\\\ for a backslash). So every
    LF is a row end, which the csv module writes as \\r\\n; then the escapes are undone. An escape
    cut in two by a chunk's end is held until the next chunk."""

    def __init__(self) -> None:
        self._held = b""

    def __call__(self, data: bytes) -> bytes:
        if self._held:
            data, self._held = self._held + data, b""
        if b"\\" not in data:  # most chunks: nothing escaped
            return data.replace(b"\n", b"\r\n")
        if (len(data) - len(data.rstrip(b"\\"))) % 2:  # ends on a backslash that escapes what comes next
            data, self._held = data[:-1], data[-1:]
        return _ESCAPE.sub(lambda match: _ESCAPED.get(match.group(1), match.group(1)), data.replace(b"\n", b"\r\n"))


async def _copy(connection: AsyncConnection, sql: str, args: list[Any], queue: asyncio.Queue) -> int:
    """Run the COPY, putting each chunk on `queue`, then _DONE or the error; returns the rows copied."""
    raw = await connection.get_raw_connection()
    try:
        status = await raw.driver_connection.copy_from_query(sql, *args, output=queue.put, format="text")
    except Exception as error:  # handed to the reader, which raises it in the response
        await queue.put(error)
        return 0
    await queue.put(_DONE)
    return int(status.split()[-1])  # "COPY 1234"


class CopyExport:
    """One export's COPY, ready on a connection whose transaction holds the snapshot in which
    the code values were read."""

    def __init__(self, connection: AsyncConnection, stmt: sa.Select, columns: Sequence[Column]) -> None:
        self._connection = connection
        self._stmt = stmt
        self._columns = columns
        self.rows = 0  # copied, once chunks() is through

    async def chunks(self, *, hxl: bool = False, bom: bool = True) -> AsyncIterator[bytes]:
        """The CSV (or HXL) as chunks of about CHUNK bytes. Closing it early (a client gone)
        cancels the COPY: asyncpg asks PostgreSQL to stop it."""
        yield csv_head(self._columns, hxl=hxl, bom=bom).encode()
        sql, args = compiled(self._stmt, self._connection.dialect)
        queue: asyncio.Queue = asyncio.Queue(QUEUE_CHUNKS)
        task = asyncio.create_task(_copy(self._connection, sql, args, queue))
        rows = TextRows()
        try:
            parts: list[bytes] = []
            size = 0
            while (item := await queue.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                parts.append(rows(item))
                size += len(item)
                if size >= CHUNK:
                    yield b"".join(parts)
                    parts, size = [], 0
            self.rows = await task
            yield b"".join(parts)
        finally:
            task.cancel()
            with anyio.CancelScope(shield=True):
                await asyncio.wait([task])


async def _begin(connection: AsyncConnection, *, readonly: bool) -> None:
    """A repeatable-read transaction (one snapshot for the code values and the rows) set up to
    write cells as the Python path does."""
    await connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=readonly)
    await connection.begin()
    # pg_cells casts dates to text: ISO, as Python writes them, whatever the server's default.
    await connection.exec_driver_sql("SET LOCAL DateStyle = 'ISO, YMD'")
    # Coordinates as float8 text: the shortest digits that read back the same, as repr writes them.
    await connection.exec_driver_sql("SET LOCAL extra_float_digits = 1")
    # Compiling ~60 cell expressions costs more than it saves on one pass over the rows.
    await connection.exec_driver_sql("SET LOCAL jit = off")


async def refresh(db: Database, filters: IncidentFilter, builder: RecordBuilder, key: str) -> int:
    """Write the rows these filters export that are missing or stale under `key`, and drop the
    language's rows kept under other keys; returns the rows written. Best effort: when it cannot
    (another export writing the same rows, too many code values), the copy works them out."""
    where = [*filters.conditions(), ~sa.exists().where(_kept(key))]
    try:
        async with db.engine.connect() as connection:
            await _begin(connection, readonly=False)
            if not await _any(connection, where):
                return 0  # the common case: every row is kept already
            cells = await _code_cells(connection, where, builder)
            if cells is None:
                return 0
            await connection.execute(sa.delete(_LINES).where(_LINES.c.lang == builder.lang, _LINES.c.key != key))
            rows = sa.select(sa.literal(key, sa.String), sa.literal(builder.lang, sa.String), _T.c.id, _T.c.change_seq,
                             csv_line(CellSql(builder, cells), builder.columns)).where(*where)
            stmt = insert(_LINES).from_select(["key", "lang", "incident_id", "change_seq", "line"], rows)
            stmt = stmt.on_conflict_do_update(index_elements=["key", "incident_id"], set_={
                "change_seq": stmt.excluded.change_seq, "line": stmt.excluded.line})
            written = (await connection.execute(stmt)).rowcount
            if written > ANALYZE_AFTER:  # or the planner, still counting few kept rows, sorts them all again
                await connection.exec_driver_sql("ANALYZE export_lines")
            await connection.commit()
            return written
    except sa.exc.DBAPIError as error:  # e.g. a serialization failure against a concurrent refresh
        log.info("export rows not kept this time (%s): the copy works them out", type(error.orig).__name__)
        return 0


@asynccontextmanager
async def prepared(db: Database, filters: IncidentFilter, builder: RecordBuilder, *,
                   keep: bool = True) -> AsyncIterator[CopyExport | None]:
    """The COPY for these filters in `builder`'s language, or None when the code values rule it
    out (see _code_cells). With `keep`, the rows are first written and kept (refresh). The
    connection is held, in one read-only repeatable-read transaction, until the block ends."""
    key = rendering_key(builder)
    if keep:
        await refresh(db, filters, builder, key)
    connection = await db.engine.connect()
    try:
        await _begin(connection, readonly=True)
        where = filters.conditions()  # once: updated_since's settling time must be the same in both
        # The code values of the rows the copy works out itself: none, unless they changed since.
        stale = [*where, ~sa.exists().where(_kept(key))]
        cells = await _code_cells(connection, stale, builder) if await _any(connection, stale) else \
            {answer: {} for answer in builder.answer_keys}
        if cells is None:
            yield None
        else:
            yield CopyExport(connection, statement(CellSql(builder, cells), where, builder.columns, key),
                             builder.columns)
    finally:
        with anyio.CancelScope(shield=True):
            await connection.close()  # rolls back: nothing was written
