"""Assembles the sandbox: one Starlette app serving the Bot API (/bot<token>/…, /file/bot<token>/…),
the control API (/control/…) and the web chat (/). Mount it under /sandbox or run it alone."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from . import botapi, control, webchat
from .state import SandboxState


class LocalClientsOnly:
    """Refuses every client but this machine: the sandbox has no authentication, and behind a
    reverse proxy on the same machine the client is the one the proxy names (X-Forwarded-For)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _is_local(scope.get("client")):
            await PlainTextResponse("The sandbox answers this machine only.", status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _is_local(client: tuple[str, int] | None) -> bool:
    try:
        return client is not None and ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False


def create_sandbox_app(state: SandboxState | None = None, *, local_only: bool = False) -> Starlette:
    """A Starlette app over `state` (a fresh SandboxState when None), kept in app.state.sandbox.
    `local_only`: answer clients on this machine only (LocalClientsOnly).

    Mounted in another app, Starlette does not run this app's lifespan: the host should call
    `await app.state.sandbox.aclose()` when it starts shutting down, to stop webhook delivery and
    long polls (`background.PromptShutdownServer` does it before uvicorn waits for open requests).
    """
    sandbox = state if state is not None else SandboxState()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await sandbox.aclose()

    app = Starlette(routes=[*botapi.routes, *control.routes, *webchat.routes], lifespan=lifespan,
                    middleware=[Middleware(LocalClientsOnly)] if local_only else [])
    app.state.sandbox = sandbox
    return app
