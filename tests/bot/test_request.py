"""The bot's HTTP client (bot/request.py) over real HTTP: what it sends, and which of
python-telegram-bot's errors each failure becomes (bot/delivery.py retries by them)."""

from __future__ import annotations

import asyncio
import logging
import warnings

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBUserWarning

from bot.delivery import retry_after_seconds
from bot.request import AiohttpRequest
from bot.sandbox.background import bound_socket, serve_in_thread

TOKEN = "123456:secret-token-never-in-an-error"


async def _echo(request: Request) -> JSONResponse:
    """Answers as the Bot API does; what it was sent comes back in `result`."""
    method = request.path_params["method"]
    if method == "slow":
        await asyncio.sleep(3)
    if method == "flood":
        return JSONResponse({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 7",
                             "parameters": {"retry_after": 7}}, status_code=429)
    if method == "refuse":
        return JSONResponse({"ok": False, "error_code": 400, "description": "Bad Request: message is not modified"},
                            status_code=400)
    if method == "getMe":
        return JSONResponse({"ok": True, "result": {"id": 123456, "is_bot": True, "first_name": "Harm",
                                                    "username": "harm_bot"}})
    form = await request.form()
    fields = {}
    for name, value in form.multi_items():
        if hasattr(value, "filename"):
            fields[name] = {"filename": value.filename, "type": value.content_type,
                            "bytes": (await value.read()).decode()}
        else:
            fields[name] = value
    return JSONResponse({"ok": True, "result": {"fields": fields, "agent": request.headers.get("user-agent")}})


@pytest.fixture
def api():
    app = Starlette(routes=[Route("/bot{token}/{method}", _echo, methods=["POST", "GET"])])
    with serve_in_thread(app) as url:
        yield url


def _call(url: str, method: str, request: AiohttpRequest | None = None, read_timeout=None, **api_kwargs):
    """One Bot API call through a python-telegram-bot Bot that uses the request object."""
    async def run():
        bot = Bot(TOKEN, base_url=f"{url}/bot", request=request or AiohttpRequest(),
                  get_updates_request=AiohttpRequest())
        await bot.request.initialize()  # not bot.initialize(): that would call getMe first
        try:
            extra = {} if read_timeout is None else {"read_timeout": read_timeout}
            with warnings.catch_warnings():  # "use Bot.send_message": the raw answer is what is tested
                warnings.simplefilter("ignore", PTBUserWarning)
                return await bot.do_api_request(method, api_kwargs=api_kwargs, **extra)
        finally:
            await bot.request.shutdown()
    return asyncio.run(run())


def test_fields_go_as_telegram_reads_them(api):
    result = _call(api, "sendMessage", chat_id=42, text="نص <b>x</b>", reply_markup={"inline_keyboard": []})
    assert result["fields"] == {"chat_id": "42", "text": "نص <b>x</b>", "reply_markup": '{"inline_keyboard": []}'}
    assert "python-telegram-bot" in result["agent"]


def test_a_file_goes_up_as_multipart(api):
    upload = InputFile(b"evidence bytes", filename="photo.jpg")
    fields = _call(api, "sendDocument", chat_id=7, document=upload)["fields"]
    assert fields["chat_id"] == "7"
    assert fields["document"] == {"filename": "photo.jpg", "type": "image/jpeg", "bytes": "evidence bytes"}


def test_telegram_refusals_are_read_as_ptb_reads_them(api):
    with pytest.raises(RetryAfter) as flood:
        _call(api, "flood")
    assert retry_after_seconds(flood.value) == 7
    with pytest.raises(BadRequest, match="not modified"):
        _call(api, "refuse")


def test_an_answer_slower_than_the_read_timeout_is_timed_out(api):
    with pytest.raises(TimedOut):
        _call(api, "slow", AiohttpRequest(read_timeout=0.5))
    # A longer timeout for this one call (as getUpdates asks for its long poll) waits it out.
    assert _call(api, "slow", AiohttpRequest(read_timeout=0.5), read_timeout=10)["fields"] == {}


def test_a_refused_connection_is_a_network_error_without_the_token(caplog):
    with bound_socket() as sock:  # a port nobody listens on
        port = sock.getsockname()[1]
    caplog.set_level(logging.DEBUG)
    with pytest.raises(NetworkError) as refused:
        _call(f"http://127.0.0.1:{port}", "getMe")
    assert not isinstance(refused.value, TimedOut)
    assert TOKEN not in str(refused.value)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("aiohttp", "bot"))]
    assert not any(TOKEN in line for line in ours)


def test_a_bot_on_it_starts_again_after_a_shutdown(api):
    async def run():
        bot = Bot(TOKEN, base_url=f"{api}/bot", request=AiohttpRequest(), get_updates_request=AiohttpRequest())
        for _ in range(2):  # initialize, shutdown, initialize: a restart in the same process
            async with bot:
                assert bot.username == "harm_bot"  # getMe, made by initialize
                assert (await bot.do_api_request("echo", api_kwargs={"n": 1}))["fields"] == {"n": "1"}
    asyncio.run(run())

