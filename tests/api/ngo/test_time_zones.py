"""Time is UTC whatever the server's time zone: a real `harmwatch serve` started with
TZ=America/Bogota (UTC-5) or TZ=Asia/Damascus (UTC+3) pages through the incidents, on SQLite
(which stores naive datetimes) and on PostgreSQL, serving each incident exactly once."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.api.ngo.conftest import EARLIER, bearer, make_incident, make_token
from tests.live import serve

ZONES = ["America/Bogota", "Asia/Damascus"]


def page_through(base: str, token: str, path: str, *, limit: int, cursor_name: str, next_name: str) -> list[dict]:
    served, cursor = [], None
    with httpx.Client(base_url=base, headers=bearer(token), timeout=30) as http:
        for _ in range(50):  # a cursor that never ends is a failure, not a hang
            params = {"limit": limit, **({cursor_name: cursor} if cursor else {})}
            response = http.get(path, params=params)
            assert response.status_code == 200, response.text
            body = response.json()
            served += body["data"]
            cursor = body[next_name]
            if not body.get("more", cursor is not None):  # the feed says `more`; the list, a null cursor
                return served
    raise AssertionError("paging did not end")


@pytest.fixture
async def twenty(database) -> list[int]:
    """Twenty published incidents a minute apart: a cursor that treats UTC as local time
    lands hours away from them, past all of them or before all of them."""
    async with database.transaction() as session:
        return [(await make_incident(session, updated_at=EARLIER + timedelta(minutes=i))).id for i in range(20)]


@pytest.mark.parametrize("zone", ZONES)
async def test_paging_and_the_feed_neither_skip_nor_repeat_in_any_server_time_zone(
        database, database_url, tmp_path, monkeypatch, twenty, zone):
    token = await make_token(database)
    monkeypatch.setenv("TZ", zone)
    with serve(database_url, tmp_path) as base:
        listed = page_through(base, token, "/api/v1/incidents", limit=6, cursor_name="cursor",
                              next_name="next_cursor")
        fed = page_through(base, token, "/api/v1/changes", limit=6, cursor_name="after", next_name="next_position")
        since = httpx.get(f"{base}/api/v1/incidents", headers=bearer(token),
                          params={"updated_since": (EARLIER + timedelta(minutes=15)).isoformat()}).json()["data"]
    assert [record["id"] for record in listed] == [record["id"] for record in fed] == twenty
    assert [record["updated_at"] for record in fed] == [
        (EARLIER + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(20)]
    assert [record["id"] for record in since] == twenty[15:]
