"""The duplicates panel tells corroboration from duplication: each candidate shows its state
and incident; a report can join the candidate's incident, be marked its duplicate, or be
called not related (remembered); reports of another event type are set apart."""

from __future__ import annotations

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report


def panel(page: str) -> str:
    return page.split('class="duplicates"')[1]


async def test_another_event_type_is_set_apart_and_cannot_be_marked_a_duplicate(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, event_type="abduction_forced_disappearance", lat=36.20, lon=37.13)
        shelling = await make_report(session, event_type="shelling_artillery_missile", lat=36.21, lon=37.14)
    await post(as_monitor, f"/reports/{report.id}/claim")
    section = panel((await as_monitor.get(f"/reports/{report.id}")).text)
    proposed, apart = section.split('id="other-kind"')
    assert shelling.ref_code not in proposed and shelling.ref_code in apart
    assert "1 report of another kind nearby, not proposed as a duplicate" in apart
    assert f"duplicate of {shelling.ref_code}" not in apart  # no one-click duplicate across kinds


async def test_a_candidate_shows_its_incident_and_the_report_can_join_it(as_monitor, monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, lat=36.20, lon=37.13)
        verified = await make_report(session, lat=36.21, lon=37.14)
        await review.claim(session, verified, user=monitor)
        incident = await review.verify(session, verified, user=monitor, grade="fair")
    await post(as_monitor, f"/reports/{report.id}/claim")
    section = panel((await as_monitor.get(f"/reports/{report.id}")).text)
    assert f'<a href="/incidents/{incident.id}">in incident #{incident.id}</a>' in section
    assert f"Verify into incident #{incident.id} (corroborates it)" in section

    response = await post(as_monitor, f"/reports/{report.id}/verify", {"incident": str(incident.id), "grade": "fair"},
                          page=f"/reports/{report.id}")
    assert response.status_code == 303
    async with database.transaction() as session:
        joined = await session.get(Report, report.id)
        assert (joined.status, joined.incident_id) == ("verified", incident.id)


async def test_not_related_is_remembered_and_audited(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, lat=36.20, lon=37.13)
        other = await make_report(session, lat=36.21, lon=37.14)
    assert other.ref_code in panel((await as_monitor.get(f"/reports/{report.id}")).text)
    for _ in range(2):  # twice: kept once
        response = await post(as_monitor, f"/reports/{report.id}/not-related", {"other": str(other.id)},
                              page=f"/reports/{report.id}")
        assert response.status_code == 303
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert other.ref_code not in panel(page)
    assert report.ref_code not in panel((await as_monitor.get(f"/reports/{other.id}")).text)  # both ways
    async with database.transaction() as session:
        events = (await session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "report.not_related"))).all()
    assert [(e.object_id, e.after) for e in events] == [(str(report.id), {"other_report_id": other.id})]


async def test_not_related_to_a_missing_report_is_404(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
    response = await post(as_monitor, f"/reports/{report.id}/not-related", {"other": "999999"})
    assert response.status_code == 404
