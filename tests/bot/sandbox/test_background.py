"""serve_in_thread's server sends each response at once: its connections have TCP_NODELAY.

asyncio turns Nagle's algorithm off only on connections accepted from a socket made with
proto=IPPROTO_TCP; on one made with proto 0 a response written in two parts (head, then body)
waits for the client's delayed ACK, about 40 ms a request on Linux."""

from __future__ import annotations

import os
import socket
import sys

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.sandbox.background import bound_socket, serve_in_thread


def _accepted(port: int, peer_port: int) -> socket.socket:
    """This process's end of the connection from `peer_port` to our server on `port`."""
    for fd in map(int, os.listdir("/proc/self/fd")):
        try:
            candidate = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        try:
            if candidate.family == socket.AF_INET and candidate.getsockname()[1] == port and candidate.getpeername()[1] == peer_port:
                return candidate
        except OSError:
            pass
        candidate.close()
    raise LookupError(f"no accepted connection from port {peer_port}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")
async def test_the_connections_of_a_thread_server_send_without_delay():
    async def peer(request):
        return PlainTextResponse(str(request.client.port))

    sock = bound_socket()
    port = sock.getsockname()[1]
    with serve_in_thread(Starlette(routes=[Route("/peer", peer)]), sock=sock) as url:
        async with httpx.AsyncClient() as client:
            peer_port = int((await client.get(f"{url}/peer")).text)
            with _accepted(port, peer_port) as accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
