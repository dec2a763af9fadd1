"""A real `harmwatch serve` process starts and answers its health check."""

import httpx


def test_serve_answers_healthz(live_server):
    response = httpx.get(f"{live_server}/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
