"""The FastAPI application: one per process, holding the database and the bot.

Each area (the NGO API, the review desk, the Telegram webhook and sandbox) installs its own
routes through `install(app)`, so this file only joins them."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routes import desk, metrics, ngo, ready, telegram
from harmwatch.database import Database
from harmwatch.settings import Settings, get_settings

log = logging.getLogger(__name__)

API_DESCRIPTION = """Verified, de-identified incidents of harm to civilians and of blocked
humanitarian aid, for NGOs. Authenticate with `Authorization: Bearer TOKEN`."""


def create_app(settings: Settings | None = None, *, port: int | None = None, with_bot: bool = False) -> FastAPI:
    """The app. `with_bot` starts the Telegram bot in the same event loop (`harmwatch serve`);
    `port` is where this server listens, for the bot to reach the built-in sandbox."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        settings.secret()  # generate (and warn about) the secret before the first request needs it
        app.state.db = Database(settings.database_url)
        if (warning := settings.sandbox_warning()) is not None:
            log.warning("\n\n*** %s ***\n", warning)
        try:
            if with_bot and settings.runs_bot:
                async with telegram.running_bot(app, settings, app.state.db, port):
                    yield
            else:
                yield
        finally:
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

    ready.install(app)
    metrics.install(app)
    telegram.install(app, settings)
    ngo.install(app)
    desk.install(app)
    return app
