"""The FastAPI application: one per process, holding the database and (later) the bot."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from harmwatch.database import Database
from harmwatch.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.db = Database(settings.database_url)
        settings.secret()  # generate (and warn about) the secret before the first request needs it
        yield
        await app.state.db.dispose()

    app = FastAPI(title="Harmwatch", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    return app
