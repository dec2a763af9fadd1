"""Finding 6: appends to the audit log from concurrent requests never collide, and the chain
stays whole (SQLite used to fail with `UNIQUE constraint failed: audit_events.prev_hash`)."""

import asyncio

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.audit.service import verify_chain
from tests.api.desk.test_report_page import add_media, photo_with_location
from tests.factories import make_report

VIEWS = 8


async def test_concurrent_media_views_all_succeed_and_keep_the_chain(as_monitor, database, settings):
    async with database.transaction() as session:
        report = await make_report(session)
        media = await add_media(session, settings, report, photo_with_location())
    assert (await as_monitor.get(f"/media/{media.id}")).status_code == 200  # the copy exists now
    responses = await asyncio.gather(*(as_monitor.get(f"/media/{media.id}") for _ in range(VIEWS)))
    assert [r.status_code for r in responses] == [200] * VIEWS
    async with database.transaction() as session:
        viewed = await session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "media.viewed"))
        check = await verify_chain(session)
    assert viewed == VIEWS + 1
    assert check.ok, check


async def test_concurrent_exports_all_complete_and_keep_the_chain(client, database):
    from tests.api.ngo.conftest import bearer, bulk_incidents, make_token

    token = await make_token(database)
    await bulk_incidents(database, 300)
    exports = [client.get("/api/v1/incidents", params={"format": f}, headers=bearer(token))
               for f in ("csv", "hxl", "geojson", "csv", "hxl", "geojson")]
    responses = await asyncio.gather(*exports)
    assert [r.status_code for r in responses] == [200] * len(exports)
    assert all(r.content.count(b"air_drone_strike") >= 300 for r in responses)
    async with database.transaction() as session:
        exported = await session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "incidents.exported"))
        check = await verify_chain(session)
    assert exported == len(exports) and check.ok
