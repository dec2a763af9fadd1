"""The Bot API's HTTP face: /bot<token>/<method> and /file/bot<token>/<path>, with Telegram's
answer envelope, token check, fault injection and a log of every call."""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from . import commands, methods, updates  # noqa: F401  (importing registers the methods)
from .files import inert_response
from .params import METHODS, BotApiError, Params
from .state import SandboxState

log = logging.getLogger(__name__)

# Telegram adds a description to a few successful answers.
OK_DESCRIPTIONS = {"setwebhook": "Webhook was set", "deletewebhook": "Webhook was deleted"}
VIA_ANSWER = "webhook answer"  # how the call log marks a call made in an answer to a webhook delivery


def _state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": code, "description": description},
                        status_code=code)


async def _injected(state: SandboxState, name: str, params: dict[str, Any], *,
                    via: str = "request") -> Response | None:
    """The fault planned for this call, if any (a pure delay returns None after sleeping)."""
    rule = state.faults.take(name)
    if rule is None:
        return None
    if rule.delay:
        await asyncio.sleep(rule.delay)
    if rule.status == 200:
        return None
    status, body = rule.body()
    desc = body if isinstance(body, str) else body["description"]
    state.faults.record(name, status, False, desc[:200], fault=True, params=params, via=via)
    if isinstance(body, str):
        return HTMLResponse(body, status_code=status)
    return JSONResponse(body, status_code=status)


async def bot_method(request: Request) -> Response:
    """Any Bot API method: POST (JSON, urlencoded or multipart) or GET with a query string."""
    state = _state(request)
    token = request.path_params["token"]
    name = request.path_params["method"]
    if state.token is not None and token != state.token:
        state.faults.record(name, 401, False, "Unauthorized")
        return _error(401, "Unauthorized")
    return await _perform(state, name, lambda: Params.from_request(request))


async def run_webhook_answer(state: SandboxState, answer: dict[str, Any]) -> None:
    """A method the bot put in its answer to a webhook delivery, run as Telegram runs it: as a
    call (logged, open to planned faults), whose result, or failure, never reaches the bot."""
    async def params() -> Params:
        return Params({key: value for key, value in answer.items() if key != "method"})

    await _perform(state, str(answer.get("method")), params, via=VIA_ANSWER)


async def _perform(state: SandboxState, name: str, read_params: Callable[[], Awaitable[Params]], *,
                   via: str = "request") -> Response:
    """Run one Bot API method and log it; Telegram's answer to it (the envelope, or the error)."""
    impl = METHODS.get(name.lower())
    if impl is None:
        state.faults.record(name, 404, False, "Not Found", via=via)
        return _error(404, "Not Found")
    params = Params({})
    try:
        params = await read_params()
        injected = await _injected(state, name, params.loggable(), via=via)
        if injected is not None:
            return injected
        result = await impl(state, params)
    except BotApiError as exc:
        state.faults.record(name, exc.code, False, exc.description, params=params.loggable(), via=via)
        return JSONResponse(exc.body(), status_code=exc.code)
    except Exception as exc:  # a sandbox bug must still look like a server error to the bot
        log.exception("sandbox: %s failed (%s)", name, via)
        state.faults.record(name, 500, False, f"sandbox error: {exc!r}", via=via)
        return _error(500, f"Internal Server Error: sandbox error: {exc!r}")
    state.faults.record(name, 200, True, params=params.loggable(), via=via)
    body: dict[str, Any] = {"ok": True, "result": result}
    if name.lower() in OK_DESCRIPTIONS:
        body["description"] = OK_DESCRIPTIONS[name.lower()]
    return JSONResponse(body)


async def download_file(request: Request) -> Response:
    """File download by the file_path getFile returned, as on api.telegram.org/file/."""
    state = _state(request)
    if state.token is not None and request.path_params["token"] != state.token:
        return _error(401, "Unauthorized")
    path = request.path_params["file_path"]
    injected = await _injected(state, "file", {"file_path": path})
    if injected is not None:
        return injected
    stored = state.files.by_path.get(path)
    if stored is None:
        state.faults.record("file", 404, False, "Not Found", params={"file_path": path})
        return _error(404, "Not Found")
    state.faults.record("file", 200, True, params={"file_path": path})
    media_type = (stored.mime_type or mimetypes.guess_type(path)[0]
                  or "application/octet-stream")
    return inert_response(stored.data, media_type)


routes = [
    Route("/bot{token}/{method}", bot_method, methods=["GET", "POST"]),
    Route("/file/bot{token}/{file_path:path}", download_file, methods=["GET"]),
]
