"""The Telegram side of the web process: the webhook route, the bot's start and stop inside
the app's lifespan, and (with no token) the built-in sandbox mounted at /sandbox."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from telegram import Update
from telegram.error import TelegramError

from bot.app import ReporterBot, WebhookActive
from bot.delivery import backoff
from bot.sandbox import SandboxState, create_sandbox_app
from harmwatch.database import Database
from harmwatch.places.service import gazetteer
from harmwatch.settings import Settings

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
SANDBOX_TOKEN = "7000000001:harmwatch-sandbox-token"
MAX_UPDATE_BYTES = 1_000_000
WEBHOOK_DEADLINE = 9.0  # under the 10 s a Bot API server waits for an answer
STARTING_GRACE = 30.0  # seconds a stop waits for the bot's start against the sandbox to finish
CONNECT_PAUSE_CAP = 15.0  # longest pause between two tries to reach an unreachable Bot API


@router.post("/telegram/webhook")
async def webhook(request: Request, x_telegram_bot_api_secret_token: str | None = Header(default=None)):
    """Updates pushed by Telegram. A missing or wrong secret gets 401 and nothing is read."""
    expected = request.app.state.settings.webhook_secret()
    given = x_telegram_bot_api_secret_token or ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return JSONResponse({"ok": False, "error": "unauthorized"}, status_code=401)
    bot: ReporterBot | None = getattr(request.app.state, "reporter_bot", None)
    if bot is None or not bot.running:
        return JSONResponse({"ok": False, "error": "bot not running"}, status_code=503)
    body = await request.body()
    if len(body) > MAX_UPDATE_BYTES:
        return JSONResponse({"ok": False, "error": "too large"}, status_code=413)
    try:  # only an object can be an update; a list, a string or deep nesting is not
        payload = json.loads(body)
        update = Update.de_json(payload, bot.application.bot) if isinstance(payload, dict) else None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return JSONResponse({"ok": False, "error": "not an update"}, status_code=400)
    if update is None:
        return JSONResponse({"ok": False, "error": "not an update"}, status_code=400)
    # Committed before answering; anything else gets a 5xx and Telegram delivers it again. The
    # replies are sent in the background: the request never waits on Telegram. Past the
    # deadline the answer is 503 but the work goes on (never cancelled half-way): the
    # redelivery then finds the update applied, or waits for it, and is not applied twice.
    processing = asyncio.ensure_future(bot.process(update))
    done, _ = await asyncio.wait({processing}, timeout=WEBHOOK_DEADLINE)
    if not done:
        log.warning("Update %s not committed within %s s; still working on it", update.update_id, WEBHOOK_DEADLINE)
        bot.keep(processing)
        return JSONResponse({"ok": False, "error": "still working"}, status_code=503)
    error = processing.exception()
    if error is not None:  # logged without the update: it holds names and ids
        log.warning("Update %s not committed: %s", update.update_id, type(error).__name__)
        return JSONResponse({"ok": False, "error": "not processed"}, status_code=500)
    # A Bot API call in the answer (a button press's answer) is run by Telegram: a request saved.
    return processing.result() or {"ok": True}


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(router)
    if settings.uses_sandbox:
        state = SandboxState(token=SANDBOX_TOKEN)
        app.state.sandbox = state
        app.mount("/sandbox", create_sandbox_app(state, local_only=not settings.sandbox))


async def _when_serving(base_url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                if (await client.get(f"{base_url}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the web server did not come up; the bot cannot reach its sandbox")


@asynccontextmanager
async def running_bot(app: FastAPI, settings: Settings, db: Database, port: int | None) -> AsyncIterator[None]:
    """Start the bot with the app and stop it with it. With no token it talks to the sandbox
    mounted in this same process, once the server is listening."""
    async with db.transaction() as session:
        places = await gazetteer(session)
    bot = ReporterBot(settings, db, places)
    app.state.reporter_bot = bot
    if settings.uses_sandbox:
        if port is None:
            yield
            return
        local = f"http://127.0.0.1:{port}"
        bot.build(token=SANDBOX_TOKEN, api_url=f"{local}/sandbox", polling=True)

        async def start_later() -> None:
            await _when_serving(local)
            await bot.start(polling=True)
            log.info("Bot running against the sandbox: open %s/sandbox/", local)

        app.state.bot_starting = asyncio.create_task(start_later(), name="start-bot")
    else:
        polling = not settings.telegram_webhook_url
        bot.build(token=settings.telegram_token, api_url=settings.telegram_api_url.rstrip("/"), polling=polling)
        # Never waited for: the desk and the NGO API serve while Telegram is unreachable.
        app.state.bot_connecting = asyncio.create_task(
            connect(bot, polling=polling, webhook_url=settings.telegram_webhook_url), name="connect-bot")
    try:
        yield
    finally:
        await stop_bot(app)


async def connect(bot: ReporterBot, *, polling: bool, webhook_url: str | None) -> None:
    """Start the bot against the Bot API, trying again (with growing pauses, at most
    CONNECT_PAUSE_CAP seconds) until it answers; /readyz says "not connected" meanwhile."""
    failures = 0
    while True:
        try:
            await bot.start(polling=polling, webhook_url=webhook_url)
            bot.connect_error = None
            log.info("Bot connected to the Bot API (%s)", "long polling" if polling else "webhook")
            return
        except WebhookActive as active:
            bot.connect_error = "WebhookActive"
            log.error("A webhook (%s) receives this bot's updates: set HARMWATCH_TELEGRAM_WEBHOOK_URL to serve it "
                      "here, or take over with `harmwatch bot --take-over`; trying again later", active.url)
        except TelegramError as error:  # refused, timed out, 5xx, a bad token: the name only
            bot.connect_error = type(error).__name__
            log.warning("Bot API not reachable (%s); the desk and the API serve meanwhile", type(error).__name__)
        except Exception as error:  # the database away while starting, say: a bot that never tries again is worse
            bot.connect_error = type(error).__name__
            log.warning("Bot not started (%s); trying again", type(error).__name__)
        failures += 1
        await asyncio.sleep(backoff(failures, base=1.0, cap=CONNECT_PAUSE_CAP))


async def stop_bot(app: FastAPI) -> None:
    """Stop the bot, then end the sandbox's long polls. `harmwatch serve` calls this as soon as
    it is asked to stop, while the sandbox still answers the bot's last getUpdates; the lifespan
    calls it again at the end, which then does nothing more."""
    starting: asyncio.Task | None = getattr(app.state, "bot_starting", None)
    if starting is not None and not starting.done():
        # Let a start under way finish (the server still answers): a start cut off half-way
        # leaves PTB's updater unable to stop cleanly. Cancelled only if the server never came up.
        done, _ = await asyncio.wait({starting}, timeout=STARTING_GRACE)
        if not done:
            starting.cancel()
        await asyncio.gather(starting, return_exceptions=True)
    connecting: asyncio.Task | None = getattr(app.state, "bot_connecting", None)
    if connecting is not None and not connecting.done():  # Telegram may never answer: not waited for
        connecting.cancel()
        await asyncio.gather(connecting, return_exceptions=True)
    bot: ReporterBot | None = getattr(app.state, "reporter_bot", None)
    if bot is not None:
        await bot.stop()
    sandbox: SandboxState | None = getattr(app.state, "sandbox", None)
    if sandbox is not None:
        await sandbox.aclose()
