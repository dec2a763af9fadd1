"""How the bot talks HTTP to the Bot API: python-telegram-bot's request interface over aiohttp.

python-telegram-bot's own HTTPXRequest costs about 1.5 ms of CPU per call in httpx and httpcore
(measured against the sandbox: 1.6-1.9 ms a sendMessage, PTB included, against 0.3 ms here).
A harm-form update makes three calls (the callback answer, the edit, the next question), so on a
busy bot that was a quarter of its CPU. PTB documents BaseRequest as the place to plug in
another HTTP library; this follows its HTTPXRequest's meaning of each timeout and error, so
bot/delivery.py classifies failures the same way: a timeout is `TimedOut`, any other transport
failure `NetworkError`, and Telegram's own answers (4xx, 5xx, 429) are read by PTB as before."""

from __future__ import annotations

import asyncio

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Under the 5 s that uvicorn and many proxies keep an idle connection: a connection the server
# is closing just then is never reused (a request on it would fail with nothing sent).
KEEPALIVE = 4.0


class AiohttpRequest(BaseRequest):
    """One connection pool per request object; the session is made in `initialize`, inside the
    running event loop, and made again after a `shutdown` (PTB initialises a bot again after a
    restart)."""

    __slots__ = ("_media_write_timeout", "_pool_size", "_session", "_timeouts")

    def __init__(self, *, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = connection_pool_size
        self._media_write_timeout = media_write_timeout
        self._timeouts = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout,
                          "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, keepalive_timeout=KEEPALIVE)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        given = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout, "pool": pool_timeout}
        limits = {name: self._timeouts[name] if value is BaseRequest.DEFAULT_NONE else value
                  for name, value in given.items()}
        if write_timeout is BaseRequest.DEFAULT_NONE and request_data is not None and request_data.contains_files:
            limits["write"] = self._media_write_timeout
        try:
            async with self._session.request(method, url, data=_body(request_data),
                                             timeout=_client_timeout(limits)) as response:
                return response.status, await response.read()
        except asyncio.TimeoutError as error:
            raise TimedOut() from error
        except aiohttp.ClientError as error:
            # The class only: aiohttp's wording of some errors holds the URL, and so the bot token.
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error


def _client_timeout(limits: dict[str, float | None]) -> aiohttp.ClientTimeout:
    """aiohttp has no write timeout: the whole call is bounded by the sum of the four, as each
    phase is by its own with httpx. `None` is no limit, as in PTB."""
    parts = list(limits.values())
    total = None if any(part is None for part in parts) else sum(parts)
    pool, connect = limits["pool"], limits["connect"]
    return aiohttp.ClientTimeout(total=total, sock_read=limits["read"], sock_connect=connect,
                                 connect=None if pool is None or connect is None else pool + connect)


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form fields as PTB encodes them (JSON values); a multipart form when files go up."""
    if request_data is None:
        return None
    if not request_data.multipart_data:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
