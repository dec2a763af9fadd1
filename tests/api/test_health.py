"""A real `harmwatch serve` process starts and answers its health check."""

import httpx


def test_serve_answers_healthz(live_server):
    response = httpx.get(f"{live_server}/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_serve_answers_readyz_with_the_database_bot_and_reply_backlog(live_server):
    for _ in range(300):  # the bot starts once the server listens (it talks to its own sandbox)
        response = httpx.get(f"{live_server}/readyz")
        if response.status_code == 200:
            break
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ready" and body["database"] == "ok"
    assert body["bot"]["running"] is True and body["bot"]["receives_updates"] is True
    assert body["replies"] == {"pending": 0, "oldest_seconds": 0.0}
