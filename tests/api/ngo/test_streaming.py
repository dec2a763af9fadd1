"""Exports stream from a server-side cursor through a real `harmwatch serve`: the body arrives in
chunks as it is written, and a client that hangs up mid-way gives the connection back."""

from __future__ import annotations

import asyncio
import socket
import time

import asyncpg
import httpx
import pytest

from bot.sandbox.background import bound_socket
from tests.api.ngo.conftest import bearer, bulk_incidents
from tests.conftest import PG_SERVER
from tests.live import serve_here

ROWS = 6_000  # about 2 MB of CSV: 30 chunks, and far more than the small socket buffers below hold
BUFFER = 4096  # bytes of SO_SNDBUF (server) and SO_RCVBUF (client); Linux doubles it, and it stops autotuning


@pytest.fixture
def small_buffer_server(database, settings):
    """tests.conftest's live server, its connections with small send buffers: the server is still
    mid-stream when a client hangs up, whatever the machine's default buffer sizes (a body of
    60,000 rows did that before, at ten times the time)."""
    sock = bound_socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUFFER)  # accepted connections inherit it
    with serve_here(settings, sock=sock) as base_url:
        yield base_url


def client(timeout: float) -> httpx.AsyncClient:
    """An HTTP client whose connections receive into small buffers."""
    transport = httpx.AsyncHTTPTransport(socket_options=[(socket.SOL_SOCKET, socket.SO_RCVBUF, BUFFER)])
    return httpx.AsyncClient(timeout=timeout, transport=transport)


async def test_a_large_export_streams_in_chunks_without_a_length(live_server, database, token):
    await bulk_incidents(database, ROWS)
    chunks, lines = 0, 0
    async with httpx.AsyncClient(timeout=120) as http:
        async with http.stream("GET", f"{live_server}/api/v1/incidents", params={"format": "csv"},
                               headers=bearer(token)) as response:
            assert response.status_code == 200
            assert "content-length" not in response.headers
            assert response.headers.get("transfer-encoding") == "chunked"
            async for chunk in response.aiter_raw():
                chunks += 1
                lines += chunk.count(b"\n")
    assert lines == ROWS + 1 and chunks > 10


async def _lingering_exports(database_url: str) -> list[str]:
    """States of other connections to the test database still running or holding a transaction."""
    name = database_url.rsplit("/", 1)[-1]
    conn = await asyncpg.connect(f"{PG_SERVER}/postgres")
    try:
        rows = await conn.fetch(
            "SELECT state, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() "
            "AND (state = 'active' OR state LIKE 'idle in transaction%')", name)
    finally:
        await conn.close()
    return [f"{r['state']}: {r['query'][:80]}" for r in rows]


async def test_clients_that_hang_up_mid_stream_release_their_connections(small_buffer_server, database,
                                                                          database_url, token):
    live_server = small_buffer_server
    await bulk_incidents(database, ROWS)
    # More abandoned exports than the server's pool holds (25 + 5 overflow on PostgreSQL, 5 + 10 on
    # SQLite): if any one kept its connection, the request after them would wait for a free one.
    for _ in range(35):
        async with client(30) as http:
            async with http.stream("GET", f"{live_server}/api/v1/incidents", params={"format": "geojson"},
                                   headers=bearer(token)) as response:
                assert response.status_code == 200
                async for _chunk in response.aiter_raw():
                    break  # hang up after the first chunk
    started = time.monotonic()
    response = httpx.get(f"{live_server}/api/v1/incidents", params={"limit": 1}, headers=bearer(token), timeout=20)
    assert response.status_code == 200 and time.monotonic() - started < 10
    if not database.is_sqlite:
        deadline = time.monotonic() + 10
        while (lingering := await _lingering_exports(database_url)) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        assert lingering == []
