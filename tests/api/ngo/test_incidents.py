"""GET /api/v1/incidents as JSON: published only, every filter, one incident, and a cursor that
neither skips nor repeats while incidents are added and edited between pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from tests.api.ngo.conftest import EARLIER, bearer, make_incident


async def ids(client, token, **params) -> list[int]:
    response = await client.get("/api/v1/incidents", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return [record["id"] for record in response.json()["data"]]


async def test_only_published_incidents_are_listed_and_shown(client, token, known):
    assert await ids(client, token) == [known["harm"], known["access"]]
    one = await client.get(f"/api/v1/incidents/{known['harm']}", headers=bearer(token))
    assert one.status_code == 200 and one.json()["killed_max"] == 4
    for missing in (known["hidden"], 999_999):
        response = await client.get(f"/api/v1/incidents/{missing}", headers=bearer(token))
        assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("params, expected", [
    ({"report_type": "access"}, ["access"]),
    ({"event_type": "shelling_artillery_missile"}, ["harm"]),
    ({"event_type": "air_drone_strike"}, []),
    ({"access_constraint": "movement_restriction"}, ["access"]),
    ({"adm1": "SY01"}, ["access"]),
    ({"adm2": "SY0200"}, ["harm"]),
    ({"occurred_from": "2026-11-01"}, ["harm"]),
    ({"occurred_to": "2026-10-02"}, ["access"]),
    ({"occurred_from": "2026-10-02", "occurred_to": "2026-11-20"}, ["harm", "access"]),
    ({"grade": "confirmed"}, ["access"]),
    ({"updated_since": "2026-11-21T09:31:00Z"}, ["access"]),
    ({"updated_since": "2026-11-21T11:31:00+02:00"}, ["access"]),  # an offset is honoured
    ({"report_type": "harm", "grade": "confirmed"}, []),
])
async def test_filters(client, token, known, params, expected):
    assert await ids(client, token, **params) == [known[name] for name in expected]


async def test_filters_work_on_streamed_formats_too(client, token, known):
    response = await client.get("/api/v1/incidents", params={"format": "csv", "report_type": "access"},
                                headers=bearer(token))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"{known['access']},access,")


async def page_through(client, token, *, limit: int, between=None, **params) -> list[tuple[int, str]]:
    """Every (id, updated_at) served, page by page; `between(n)` runs after page n."""
    served, cursor, number = [], None, 0
    while True:
        query_params = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/api/v1/incidents", params=query_params, headers=bearer(token))
        assert response.status_code == 200, response.text
        body = response.json()
        served += [(r["id"], r["updated_at"]) for r in body["data"]]
        number += 1
        if between:
            await between(number)
        cursor = body["next_cursor"]
        if cursor is None:
            return served


async def test_paging_neither_skips_nor_repeats_while_incidents_are_added_and_edited(client, token, database):
    async with database.transaction() as session:
        first = [(await make_incident(session, updated_at=EARLIER + timedelta(seconds=i))).id for i in range(20)]
    added, edited = [], {}

    async def meanwhile(page: int) -> None:
        async with database.transaction() as session:
            if page == 1:  # a new incident, an edit of one already served, an edit of one not yet served
                added.append((await make_incident(session, updated_at=utcnow())).id)
                for incident_id in (first[2], first[15]):
                    incident = await session.get(Incident, incident_id)
                    incident.killed_max, incident.updated_at = 50, utcnow()
                    edited[incident_id] = incident
            if page == 2:  # an incident whose change is only now committed, timestamped a while ago
                added.append((await make_incident(session, updated_at=utcnow() - timedelta(seconds=30))).id)

    served = await page_through(client, token, limit=6, between=meanwhile)
    served_ids = [incident_id for incident_id, _ in served]
    assert len(set(served)) == len(served)  # no version served twice
    assert set(served_ids) == set(first) | set(added)  # nothing skipped
    repeated = {i for i in served_ids if served_ids.count(i) > 1}
    assert repeated == {first[2]}  # only the one edited after it was served comes again, changed
    # The one edited before it was reached is served once, in its changed version.
    old_version = (EARLIER + timedelta(seconds=15)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [at for i, at in served if i == first[15]] != [old_version]
    assert served_ids.count(first[15]) == 1


async def test_a_change_is_served_by_the_very_next_call(client, token, database, known):
    async with database.transaction() as session:
        fresh = (await make_incident(session, updated_at=utcnow())).id
    assert fresh in await ids(client, token)  # committed is enough: no settling time to wait out


async def test_a_full_page_has_a_cursor_and_the_last_page_none(client, token, known):
    response = await client.get("/api/v1/incidents", params={"limit": 1}, headers=bearer(token))
    body = response.json()
    assert [r["id"] for r in body["data"]] == [known["harm"]] and body["next_cursor"]
    response = await client.get("/api/v1/incidents", params={"limit": 1, "cursor": body["next_cursor"]},
                                headers=bearer(token))
    assert [r["id"] for r in response.json()["data"]] == [known["access"]]
    assert response.json()["next_cursor"] is None


async def test_unpublishing_removes_an_incident_from_every_view(client, token, database, known):
    async with database.transaction() as session:
        await session.execute(sa.update(Incident).where(Incident.id == known["harm"]).values(state="unpublished"))
    assert await ids(client, token) == [known["access"]]
    assert (await client.get(f"/api/v1/incidents/{known['harm']}", headers=bearer(token))).status_code == 404


async def test_occurred_on_range_is_inclusive(client, token, database):
    async with database.transaction() as session:
        on_the_day = (await make_incident(session, occurred_on=date(2026, 3, 1))).id
    assert await ids(client, token, occurred_from="2026-03-01", occurred_to="2026-03-01") == [on_the_day]


async def test_a_negative_count_is_exported_as_unknown(client, token, database):
    async with database.transaction() as session:
        odd = (await make_incident(session, killed_min=-1, killed_max=3)).id
    record = (await client.get(f"/api/v1/incidents/{odd}", headers=bearer(token))).json()
    assert (record["killed_min"], record["killed_max"]) == (None, 3)
