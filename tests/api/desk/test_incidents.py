"""Incidents over HTTP: edit ranges and place, merge, publish, all audited."""

import re

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


VERSION = re.compile(r'name="version" value="([0-9a-f]+)"')


async def edit(client, incident_id, data):
    """Post the incident form as a browser would after loading the incident page."""
    version = VERSION.search((await client.get(f"/incidents/{incident_id}")).text).group(1)
    return await post(client, f"/incidents/{incident_id}", {"version": version, **data})


FORM = {"time_precision": "1", "export_decimals": "2", "occurred_on": "2026-11-20", "adm1_pcode": "SY02",
        "adm2_pcode": "SY0200"}


async def test_edit_ranges_place_summary_and_precision(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    page = await as_monitor.get(f"/incidents/{incident.id}")
    assert "suggested by the reports" in page.text
    await edit(as_monitor, incident.id, {**FORM, "killed_min": "3", "killed_max": "6",
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
    await edit(as_monitor, incident.id, {**FORM, "killed_min": "9", "killed_max": "2"})
    assert "A minimum cannot be above its maximum." in (await as_monitor.get(f"/incidents/{incident.id}")).text
    await edit(as_monitor, incident.id, {**FORM, "killed_min": "-1"})
    assert "Killed, minimum: enter a whole number" in (await as_monitor.get(f"/incidents/{incident.id}")).text
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).killed_min == 2


async def test_merge_goes_through_a_preview(as_monitor, database, monitor):
    first = await verified_incident(database, monitor, killed_min=1, killed_max=2)
    second = await verified_incident(database, monitor, killed_min=4, killed_max=7)
    page = (await as_monitor.get(f"/incidents/{first.id}")).text
    assert f'action="/incidents/{first.id}/merge"' in page and 'method="get"' in page
    response = await as_monitor.get(f"/incidents/{first.id}/merge", params={"others": f"{second.id}"})
    assert response.status_code == 200 and 'id="merge-confirm"' in response.text
    async with database.transaction() as session:
        assert (await session.get(Incident, second.id)).state == "unpublished"  # the preview changes nothing
    for others, message in ((f"{first.id}", "cannot be merged into itself"), ("x, y", "enter incident numbers")):
        await as_monitor.get(f"/incidents/{first.id}/merge", params={"others": others})
        assert message in (await as_monitor.get(f"/incidents/{first.id}")).text


async def test_publish_and_withdraw(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    await post(as_monitor, f"/incidents/{incident.id}/publish")
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).state == "published"
    page = (await as_monitor.get("/incidents?published=yes")).text
    assert f"#{incident.id}" in page
    assert (await post(as_monitor, f"/incidents/{incident.id}/unpublish")).status_code == 404
    await post(as_monitor, f"/incidents/{incident.id}/withdraw", {"reason": "Counted twice."})
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert (stored.state, stored.withdrawn_reason) == ("withdrawn", "Counted twice.")
        query = sa.select(AuditEvent.action).where(AuditEvent.object_type == "incident")
        actions = (await session.scalars(query)).all()
    assert "incident.published" in actions and "incident.withdrawn" in actions
