"""A real `harmwatch serve` process starts on each database, answers its health check, and stops
cleanly when asked to."""

import signal

import httpx

from tests.live import running


def test_serve_answers_healthz_and_stops_cleanly(database_url, tmp_path):
    with running(database_url, tmp_path) as served:
        response = httpx.get(f"{served.url}/healthz")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        status = served.stop()
    log = served.log()
    assert status == -signal.SIGTERM and "Finished server process" in log, log
    assert "Traceback" not in log and "ERROR" not in log, log


def test_serve_answers_readyz_with_the_database_bot_and_reply_backlog(live_server):
    for _ in range(300):  # the bot starts once the server listens (it talks to its own sandbox)
        response = httpx.get(f"{live_server}/readyz")
        if response.status_code == 200:
            break
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ready" and body["database"] == "ok"
    assert body["bot"]["running"] is True and body["bot"]["receives_updates"] is True
    assert body["replies"] == {"pending": 0, "oldest_seconds": 0.0}
