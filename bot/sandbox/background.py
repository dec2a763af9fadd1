"""Run an ASGI app (the sandbox, a webhook receiver) under uvicorn in a background thread, on a
free 127.0.0.1 port: for tests and tools that need a real HTTP server next to their own loop; and
the uvicorn server that ends long polls first when it is asked to stop."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp


class PromptShutdownServer(uvicorn.Server):
    """A uvicorn server that runs `before_shutdown` as soon as it is asked to stop.

    uvicorn waits for open requests before it runs the app's lifespan shutdown, and a long poll
    is an open request for up to its timeout: it would be cut off after the graceful timeout
    with an ERROR and tracebacks. Ending the long polls first makes stopping prompt and clean.
    """

    def __init__(self, config: uvicorn.Config, before_shutdown: Callable[[], Awaitable[None]]) -> None:
        super().__init__(config)
        self.before_shutdown = before_shutdown

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await self.before_shutdown()
        finally:
            await super().shutdown(sockets)


def end_long_polls(app: ASGIApp) -> Callable[[], Awaitable[None]]:
    """`before_shutdown` for an app that may hold a sandbox (app.state.sandbox): close it."""

    async def close() -> None:
        sandbox = getattr(getattr(app, "state", None), "sandbox", None)
        if sandbox is not None:
            await sandbox.aclose()

    return close


def bound_socket(host: str = "127.0.0.1") -> socket.socket:
    """A socket on a free port, bound now so that no other process can take the port before the
    server listens on it (an app that must know its own port is built in between).
    IPPROTO_TCP, not the default 0: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    connections accepted from such a socket; without it every response written in two parts
    waits ~40 ms for the client's delayed ACK."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    return sock


@contextmanager
def serve_in_thread(app: ASGIApp, *, host: str = "127.0.0.1", sock: socket.socket | None = None,
                    before_shutdown: Callable[[], Awaitable[None]] | None = None,
                    startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` until the block ends; yield its base URL, e.g. "http://127.0.0.1:40123".
    `sock`: from bound_socket(); `before_shutdown`: what ends the app's long polls (by default,
    closing the sandbox the app holds, if any)."""
    sock = sock or bound_socket(host)
    host, port = sock.getsockname()[:2]
    # Connections are kept open longer than httpx keeps them idle (5 s): with both at 5 s, a
    # client reusing a connection the server is just closing gets a ReadError it cannot tell
    # from a lost request.
    server = PromptShutdownServer(uvicorn.Config(app, log_level="warning", lifespan="on",
                                                 timeout_graceful_shutdown=2, timeout_keep_alive=30),
                                  before_shutdown or end_long_polls(app))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"uvicorn-{port}")
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:  # uvicorn offers no event another thread could wait on
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError(f"the server on port {port} did not start")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
