"""The PostgreSQL fast path for the CSV and HXL exports: PostgreSQL writes the rows itself with
`COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)`, and the chunks go straight into the response.
The bytes are those of the Python path (formats.csv_chunks): the SELECT is generated from the
columns (columns.py, pg_cells.py) and the row ends are rewritten as the csv module writes them.
Fetching rows and formatting them in Python tops out far below what COPY does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection

from harmwatch.database import Database
from harmwatch.exports.columns import Column
from harmwatch.exports.formats import CHUNK, csv_head
from harmwatch.exports.pg_cells import CellSql
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

_T = Incident.__table__
_DONE = object()


async def _code_cells(connection: AsyncConnection, where: Sequence[sa.ColumnElement[bool]],
                      builder: RecordBuilder) -> dict[str, dict[str, str | None]] | None:
    """The cell the RecordBuilder writes for every value stored under each code key in the rows
    to export, by the text ->> gives for it. None when there are too many, or when two values
    give the same text but different cells (the string '["home"]' and the list ["home"])."""
    picked = sa.select(sa.type_coerce(_T.c.codes, JSONB).label("codes")).where(*where).distinct().cte("picked")
    if not builder.answer_keys:
        return {}
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


def statement(cells: CellSql, where: Sequence[sa.ColumnElement[bool]], columns: Sequence[Column]) -> sa.Select:
    """Every public column, in order, of the rows the Python path would export, in its order."""
    return (sa.select(*(cells.cell(column).label(column.name) for column in columns)).select_from(_T)
            .where(*where).order_by(_T.c.id))


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


class RowEnds:
    """PostgreSQL ends each CSV row with \\n, the csv module with \\r\\n. A \\n ends a row unless it
    is inside quotes, and quotes come in pairs (a quote within a field is doubled), so counting
    them, across chunks too, tells the two apart; a \\n inside a quoted field is left alone."""

    def __init__(self) -> None:
        self._quoted = False

    def __call__(self, data: bytes) -> bytes:
        if b'"' not in data:  # most chunks: no quoted field starts or ends here
            return data if self._quoted else data.replace(b"\n", b"\r\n")
        parts = data.split(b'"')
        quoted = self._quoted
        if len(parts) % 2 == 0:  # an odd number of quotes: the chunk ends on the other side
            self._quoted = not quoted
        if b"\n" not in b"".join(parts[0 if quoted else 1::2]):  # most: no newline inside quotes
            return data.replace(b"\n", b"\r\n")
        outside = slice(1 if quoted else 0, None, 2)
        parts[outside] = [part.replace(b"\n", b"\r\n") for part in parts[outside]]
        return b'"'.join(parts)


async def _copy(connection: AsyncConnection, sql: str, args: list[Any], queue: asyncio.Queue) -> int:
    """Run the COPY, putting each chunk on `queue`, then _DONE or the error; returns the rows copied."""
    raw = await connection.get_raw_connection()
    try:
        status = await raw.driver_connection.copy_from_query(sql, *args, output=queue.put, format="csv")
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
        row_ends = RowEnds()
        try:
            parts: list[bytes] = []
            size = 0
            while (item := await queue.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                parts.append(row_ends(item))
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


@asynccontextmanager
async def prepared(db: Database, filters: IncidentFilter, builder: RecordBuilder) -> AsyncIterator[CopyExport | None]:
    """The COPY for these filters in `builder`'s language, or None when the code values rule it
    out (see _code_cells). The connection is held, in one read-only repeatable-read transaction,
    until the block ends."""
    connection = await db.engine.connect()
    try:
        await connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        await connection.begin()
        # pg_cells casts dates to text: ISO, as Python writes them, whatever the server's default.
        await connection.exec_driver_sql("SET LOCAL DateStyle = 'ISO, YMD'")
        # Coordinates as float8 text: the shortest digits that read back the same, as repr writes them.
        await connection.exec_driver_sql("SET LOCAL extra_float_digits = 1")
        where = filters.conditions()  # once: updated_since's settling time must be the same in both
        cells = await _code_cells(connection, where, builder)
        if cells is None:
            yield None
        else:
            yield CopyExport(connection, statement(CellSql(builder, cells), where, builder.columns), builder.columns)
    finally:
        with anyio.CancelScope(shield=True):
            await connection.close()  # rolls back: nothing was written
