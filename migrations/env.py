"""Alembic environment: the URL comes from settings (or the caller), the metadata from the models."""

import asyncio

import sqlmodel
from alembic import context
from sqlalchemy.engine import Connection

from harmwatch.database import make_engine
from harmwatch.models import metadata
from harmwatch.settings import get_settings

config = context.config


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
        user_module_prefix="sqlmodel.sql.sqltypes.",
    )


def run_migrations_offline() -> None:
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it and dropping the old one; with foreign keys on, that
        # drop deletes (ON DELETE CASCADE) or unlinks (SET NULL) every row pointing into the table.
        # So they are off while migrating (a PRAGMA outside any transaction) and checked after.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left {len(broken)} rows pointing nowhere, first: {broken[0]}")
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")


async def _run_async() -> None:
    engine = make_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
        await connection.commit()
    await engine.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_sync(connection)
    else:
        asyncio.run(_run_async())


assert sqlmodel  # rendered migrations refer to sqlmodel.sql.sqltypes
if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
