"""Incidents over HTTP: edit ranges and place, merge, publish, all audited."""

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report


async def verified_incident(database, monitor, **fields) -> Incident:
    async with database.transaction() as session:
        report = await make_report(session, **fields)
        await review.claim(session, report, user=monitor)
        return await review.verify(session, report, user=monitor, grade="fair")


FORM = {"time_precision": "1", "export_decimals": "2", "occurred_on": "2026-11-20", "adm1_pcode": "SY02",
        "adm2_pcode": "SY0200"}


async def test_edit_ranges_place_summary_and_precision(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    page = await as_monitor.get(f"/incidents/{incident.id}")
    assert "suggested by the reports" in page.text
    await post(as_monitor, f"/incidents/{incident.id}", {**FORM, "killed_min": "3", "killed_max": "6",
                                                         "injured_min": "", "lat": "36.2", "lon": "37.1",
                                                         "export_decimals": "1", "summary_public": "Market hit."})
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert (stored.killed_min, stored.killed_max, stored.injured_min) == (3, 6, None)
        assert (stored.lat, stored.export_decimals, stored.summary_public) == (36.2, 1, "Market hit.")
        event = await session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "incident.updated"))
        assert event.before["killed_min"] == 2 and event.after["killed_min"] == 3


async def test_minimum_above_maximum_is_refused(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    await post(as_monitor, f"/incidents/{incident.id}", {**FORM, "killed_min": "9", "killed_max": "2"})
    assert "A minimum cannot be above its maximum." in (await as_monitor.get(f"/incidents/{incident.id}")).text
    await post(as_monitor, f"/incidents/{incident.id}", {**FORM, "killed_min": "-1"})
    assert "Killed, minimum: enter a whole number" in (await as_monitor.get(f"/incidents/{incident.id}")).text
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).killed_min == 2


async def test_merge_two_incidents(as_monitor, database, monitor):
    first = await verified_incident(database, monitor, killed_min=1, killed_max=2)
    second = await verified_incident(database, monitor, killed_min=4, killed_max=7)
    await post(as_monitor, f"/incidents/{first.id}/merge", {"others": f"{second.id}"})
    page = (await as_monitor.get(f"/incidents/{first.id}")).text
    assert "Incidents merged." in page
    async with database.transaction() as session:
        assert await session.get(Incident, second.id) is None
        merged = await session.get(Incident, first.id)
        assert (merged.killed_min, merged.killed_max) == (4, 7)
        ids = (await session.scalars(sa.select(Report.incident_id))).all()
    assert set(ids) == {first.id}
    assert (await as_monitor.get(f"/incidents/{second.id}")).status_code == 404
    await post(as_monitor, f"/incidents/{first.id}/merge", {"others": f"{first.id}"})
    assert "cannot be merged into itself" in (await as_monitor.get(f"/incidents/{first.id}")).text
    await post(as_monitor, f"/incidents/{first.id}/merge", {"others": "x, y"})
    assert "enter incident numbers" in (await as_monitor.get(f"/incidents/{first.id}")).text


async def test_publish_and_unpublish(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    await post(as_monitor, f"/incidents/{incident.id}/publish")
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).state == "published"
    page = (await as_monitor.get("/incidents?published=yes")).text
    assert f"#{incident.id}" in page
    await post(as_monitor, f"/incidents/{incident.id}/unpublish")
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).state == "unpublished"
        query = sa.select(AuditEvent.action).where(AuditEvent.object_type == "incident")
        actions = (await session.scalars(query)).all()
    assert "incident.published" in actions and "incident.unpublished" in actions
