"""Assembles the sandbox: one Starlette app serving the Bot API (/bot<token>/…, /file/bot<token>/…),
the control API (/control/…) and the web chat (/). Mount it under /sandbox or run it alone."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette

from . import botapi, control, webchat
from .state import SandboxState


def create_sandbox_app(state: SandboxState | None = None) -> Starlette:
    """A Starlette app over `state` (a fresh SandboxState when None), kept in app.state.sandbox.

    Mounted in another app, Starlette does not run this app's lifespan: the host should call
    `await app.state.sandbox.aclose()` when it starts shutting down, to stop webhook delivery and
    long polls (`background.PromptShutdownServer` does it before uvicorn waits for open requests).
    """
    sandbox = state if state is not None else SandboxState()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await sandbox.aclose()

    app = Starlette(routes=[*botapi.routes, *control.routes, *webchat.routes], lifespan=lifespan)
    app.state.sandbox = sandbox
    return app
