"""The lifecycle in the desk and the API: reopening on purpose, taking a report out, withdraw
and reopen, merge through a preview, and a merged incident resolved to its survivor."""

import re

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.incidents import lifecycle
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.api.ngo.conftest import bearer, make_token
from tests.factories import make_report


async def published(database, monitor, *, incident_id=None, **fields):
    async with database.transaction() as session:
        report = await make_report(session, **fields)
        await review.claim(session, report, user=monitor)
        incident = await session.get(Incident, incident_id) if incident_id else None
        incident = await review.verify(session, report, user=monitor, grade="fair", incident=incident)
        await lifecycle.publish(session, incident, actor="user:m")
        return report, incident


async def test_claim_does_not_reopen_reopen_needs_a_reason_and_withdraws_the_incident(as_monitor, database, monitor):
    report, incident = await published(database, monitor)
    token = await make_token(database)
    assert (await as_monitor.get(f"/api/v1/incidents/{incident.id}", headers=bearer(token))).status_code == 200
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert 'id="claim-form"' not in page and 'id="reopen-form"' in page
    await post(as_monitor, f"/reports/{report.id}/claim")
    assert "To change the decision, reopen it with a reason." in (await as_monitor.get(f"/reports/{report.id}")).text
    await post(as_monitor, f"/reports/{report.id}/reopen", {"reason": " "})
    assert "Reason: this is required." in (await as_monitor.get(f"/reports/{report.id}")).text
    async with database.transaction() as session:
        assert (await session.get(Report, report.id)).status == "verified"
    await post(as_monitor, f"/reports/{report.id}/reopen", {"reason": "The photo is older."})
    await post(as_monitor, f"/reports/{report.id}/reject", {"reason": "not_credible"})
    async with database.transaction() as session:
        assert (await session.get(Report, report.id)).status == "rejected"
        stored = await session.get(Incident, incident.id)
        assert (stored.state, stored.withdrawn_reason) == ("withdrawn", "no_verified_report")
    assert (await as_monitor.get(f"/api/v1/incidents/{incident.id}", headers=bearer(token))).status_code == 404
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert "Withdrawn" in page and "no verified report is left behind it" in page
    await post(as_monitor, f"/incidents/{incident.id}/publish")
    assert "verify a report into it before publishing" in (await as_monitor.get(f"/incidents/{incident.id}")).text


async def test_take_a_report_out_of_an_incident(as_monitor, database, monitor):
    first, incident = await published(database, monitor)
    second, _ = await published(database, monitor, incident_id=incident.id)
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert f'action="/incidents/{incident.id}/reports/{second.id}/remove"' in page
    await post(as_monitor, f"/incidents/{incident.id}/reports/{second.id}/remove", {"reason": "Another street."})
    assert "taken out of this incident" in (await as_monitor.get(f"/incidents/{incident.id}")).text
    async with database.transaction() as session:
        taken = await session.get(Report, second.id)
        assert (taken.status, taken.incident_id) == ("in_review", None)
        assert (await session.get(Incident, incident.id)).state == "published"  # the first still stands
        event = await session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "incident.report_removed"))
        assert event.after["report_id"] == second.id and event.after["reason"] == "Another street."


async def test_withdraw_with_a_reason_then_reopen_and_publish_again(as_monitor, database, monitor):
    _, incident = await published(database, monitor)
    await post(as_monitor, f"/incidents/{incident.id}/withdraw", {"reason": ""})
    assert "Reason: this is required." in (await as_monitor.get(f"/incidents/{incident.id}")).text
    await post(as_monitor, f"/incidents/{incident.id}/withdraw", {"reason": "Under investigation."})
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert "Under investigation." in page and 'id="incident-reopen-form"' in page
    await post(as_monitor, f"/incidents/{incident.id}/reopen")
    await post(as_monitor, f"/incidents/{incident.id}/publish")
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).state == "published"


async def test_merge_preview_confirm_and_the_tombstone_resolves_to_the_survivor(as_monitor, database, monitor):
    _, b = await published(database, monitor, killed_min=1, killed_max=2)
    _, a = await published(database, monitor, killed_min=4, killed_max=7)
    preview = await as_monitor.get(f"/incidents/{b.id}/merge", params={"others": str(a.id)})
    assert '<tr class="differs" data-field="killed_max">' in preview.text
    assert '<tr class="" data-field="occurred_on">' in preview.text
    version = dict(re.findall(r'name="(version_\d+)" value="([0-9a-f]+)"', preview.text))
    assert set(version) == {f"version_{b.id}", f"version_{a.id}"}
    await post(as_monitor, f"/incidents/{b.id}/merge/confirm", {"others": str(a.id), "counts": "keep", **version})
    async with database.transaction() as session:
        tomb, survivor = await session.get(Incident, a.id), await session.get(Incident, b.id)
        assert (tomb.state, tomb.merged_into_id) == ("merged", b.id)
        assert (survivor.killed_min, survivor.killed_max) == (1, 2)
    response = await as_monitor.get(f"/incidents/{a.id}")
    assert response.status_code == 303 and response.headers["location"] == f"/incidents/{b.id}"
    assert f"Incident #{a.id} was merged into this one." in (await as_monitor.get(f"/incidents/{b.id}")).text
    token = await make_token(database)
    pointer = await as_monitor.get(f"/api/v1/incidents/{a.id}", headers=bearer(token))
    assert pointer.status_code == 301 and pointer.headers["location"] == f"/api/v1/incidents/{b.id}"
    assert pointer.json()["status"] == "merged" and pointer.json()["merged_into"] == b.id


async def test_a_merge_confirmed_after_a_change_is_refused(as_monitor, database, monitor):
    _, b = await published(database, monitor)
    _, a = await published(database, monitor)
    preview = await as_monitor.get(f"/incidents/{b.id}/merge", params={"others": str(a.id)})
    version = dict(re.findall(r'name="(version_\d+)" value="([0-9a-f]+)"', preview.text))
    async with database.transaction() as session:
        edited = await session.get(Incident, a.id)
        edited.summary_public = "changed meanwhile"
    response = await post(as_monitor, f"/incidents/{b.id}/merge/confirm", {"others": str(a.id), **version})
    assert response.headers["location"].startswith(f"/incidents/{b.id}/merge?")
    assert "changed by someone else" in (await as_monitor.get(response.headers["location"])).text
    async with database.transaction() as session:
        assert (await session.get(Incident, a.id)).state == "published"
