"""Desk sessions in a signed cookie (HttpOnly, SameSite=Lax, Secure over HTTPS), plus the
security headers every desk page carries. Paths of the API, webhook and sandbox are left alone."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "hw_desk"
ABSOLUTE_LIFETIME = 12 * 3600  # a log-in lasts a working day at most
IDLE_LIFETIME = 2 * 3600  # and ends after two idle hours
TOUCH_EVERY = 300  # re-sign the cookie at most this often to slide the idle limit
NOT_DESK = ("/api/", "/telegram/", "/sandbox", "/healthz")
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class DeskSession(dict):
    """The session's values; remembers whether it changed, so that only then is it re-sent."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.modified = False

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)

    def pop(self, key: str, *default: Any) -> Any:
        if key in self:
            self.modified = True
        return super().pop(key, *default)

    def clear(self) -> None:
        self.modified = True
        super().clear()

    def csrf_token(self) -> str:
        if "csrf" not in self:
            self["csrf"] = secrets.token_urlsafe(32)
        return self["csrf"]

    def start(self, **values: Any) -> None:
        """A fresh session (after log-in): new CSRF token, nothing carried over."""
        self.clear()
        self.update(values, csrf=secrets.token_urlsafe(32), started=int(time.time()), seen=int(time.time()))
        self.modified = True


def is_desk_path(path: str) -> bool:
    return not path.startswith(NOT_DESK)


class DeskSessionMiddleware:
    """Pure ASGI, so that streaming responses and other areas are untouched."""

    def __init__(self, app: ASGIApp, secret: Callable[[], bytes]) -> None:
        self.app = app
        self._secret = secret
        self._serializer: URLSafeTimedSerializer | None = None

    def serializer(self) -> URLSafeTimedSerializer:
        if self._serializer is None:
            self._serializer = URLSafeTimedSerializer(self._secret(), salt="harmwatch-desk-session",
                                                      serializer=json)
        return self._serializer

    def _load(self, scope: Scope) -> DeskSession:
        cookie = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:  # a malformed Cookie header is treated as no session
                    return DeskSession()
        if COOKIE not in cookie:
            return DeskSession()
        try:
            data = self.serializer().loads(cookie[COOKIE].value, max_age=ABSOLUTE_LIFETIME)
        except BadSignature:
            return DeskSession()
        return DeskSession(data if isinstance(data, dict) else {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_desk_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        session = self._load(scope)
        scope["session"] = session
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if session.modified:
                    headers.append("set-cookie", self._cookie(session, secure))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, session: DeskSession, secure: bool) -> str:
        flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        if not session:
            return f"{COOKIE}=; Max-Age=0{flags}"
        value = self.serializer().dumps(dict(session))
        return f"{COOKIE}={value}; Max-Age={ABSOLUTE_LIFETIME}{flags}"
