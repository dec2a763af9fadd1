"""Dependencies declared once, as Annotated aliases, so a route's signature says what it needs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.database import Database
from harmwatch.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed when the route returns, rolled back on error."""
    async with request.app.state.db.transaction() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DatabaseDep = Annotated[Database, Depends(get_db)]
# scope="function": the commit happens when the route returns, before the response is sent,
# so a client never sees a success that is not yet in the database.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
