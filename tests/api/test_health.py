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
