"""The FastAPI application: one per process, holding the database and the bot.

Each area (the NGO API, the review desk, the Telegram webhook and sandbox) installs its own
routes through `install(app)`, so this file only joins them."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import desk, ngo
from harmwatch.database import Database
from harmwatch.settings import Settings, get_settings

API_DESCRIPTION = """Verified, de-identified incidents of harm to civilians and of blocked
humanitarian aid, for NGOs. Authenticate with `Authorization: Bearer TOKEN`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        settings.secret()  # generate (and warn about) the secret before the first request needs it
        app.state.db = Database(settings.database_url)
        yield
        await app.state.db.dispose()

    app = FastAPI(
        title="Harmwatch API",
        version="1",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers."""
        return {"status": "ok"}

    ngo.install(app)
    desk.install(app)
    return app
