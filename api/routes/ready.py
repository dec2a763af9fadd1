"""Readiness (`/readyz`): whether this process can do its job now, for the load balancer and
the operator: the database answers and its schema is this code's (migrations at head), the bot
is connected and Telegram sends this bot's updates here (not to a webhook or a poller
elsewhere), and how many replies wait to go out."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from harmwatch import migrate
from harmwatch.messaging import delivery

router = APIRouter(include_in_schema=False)
DATABASE_DEADLINE = 3.0


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """503 unless the database answers at this code's schema and the bot (when this process
    runs one) is connected and receives updates."""
    body: dict = {}
    try:
        async with asyncio.timeout(DATABASE_DEADLINE):
            async with request.app.state.db.transaction() as session:
                await session.execute(sa.select(1))
                body["migrations"] = await _migrations(session)
                body["replies"] = await delivery.backlog(session)
        body["database"] = "ok"
    except Exception as error:  # the reason's name only: connection strings carry passwords
        body["database"] = type(error).__name__
    bot = getattr(request.app.state, "reporter_bot", None)
    if bot is not None:
        body["bot"] = await bot.readiness()
    ready = (body["database"] == "ok" and body["migrations"]["at_head"]
             and (bot is None or body["bot"]["ready"]))
    return JSONResponse({"status": "ready" if ready else "not ready", **body}, status_code=200 if ready else 503)


async def _migrations(session) -> dict:
    """Where the database's schema is against this code's migrations: a worker on a database
    that `harmwatch db upgrade` has not reached yet is not ready."""
    head = migrate.heads()
    try:
        async with session.begin_nested():  # a database never migrated has no alembic_version
            current = frozenset((await session.scalars(sa.text("SELECT version_num FROM alembic_version"))).all())
    except sa.exc.DBAPIError:
        current = frozenset()
    return {"at_head": current == head, "current": sorted(current), "head": sorted(head)}


def install(app: FastAPI) -> None:
    app.include_router(router)
