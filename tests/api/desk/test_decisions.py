"""Decisions over HTTP: verify, reject, ask, second-monitor confirmation, lost claims."""

from datetime import timedelta

import httpx
import sqlalchemy as sa

from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from harmwatch.messaging.models import OutboxMessage
from harmwatch.reporters.service import forget
from harmwatch.reports.models import Report, ReportMessage
from harmwatch.review import confirmation
from harmwatch.review import service as review
from tests.api.desk.conftest import log_in, post
from tests.factories import make_report, make_reporter, make_user


async def claimed(client, database, settings, **fields):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings, lang="fa")
        report = await make_report(session, reporter=reporter, **fields)
    await post(client, f"/reports/{report.id}/claim")
    return report


async def outbox(database):
    async with database.transaction() as session:
        rows = await session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.kind, m.params) for m in rows.all()]


async def test_verify_into_a_new_incident_tells_the_reporter(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings, answers={"sources": ["witness", "local_media"]})
    response = await post(as_monitor, f"/reports/{report.id}/verify", {
        "grade": "fair", "incident": "new", "corroboration_witness": "confirms",
        "corroboration_local_media": "inconclusive", "killed_min": "3", "killed_max": "4", "note": "checked",
    })
    assert response.status_code == 303 and response.headers["location"].startswith("/incidents/")
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        assert stored.status == "verified" and stored.grade == "fair" and stored.incident_id
        assert stored.assessment["corroboration"] == {"witness": "confirms", "local_media": "inconclusive"}
        assert stored.assessment["normalised"]["killed"] == {"min": 3, "max": 4}
        assert (stored.killed_min, stored.killed_max) == (2, 4)  # the reporter's answer is kept
    assert await outbox(database) == [("outcome", {"ref_code": report.ref_code, "status": "verified"})]
    page = await as_monitor.get(response.headers["location"])
    assert report.ref_code in page.text and "Report verified." in page.text


async def test_verify_into_an_existing_incident(as_monitor, database, settings):
    first = await claimed(as_monitor, database, settings)
    await post(as_monitor, f"/reports/{first.id}/verify", {"grade": "weak"})
    async with database.transaction() as session:
        incident_id = (await session.get(Report, first.id)).incident_id
    second = await claimed(as_monitor, database, settings, killed_min=5, killed_max=9)
    page = await as_monitor.get(f"/reports/{second.id}")
    assert f'<option value="{incident_id}">#{incident_id}' in page.text
    await post(as_monitor, f"/reports/{second.id}/verify", {"grade": "fair", "incident": str(incident_id)})
    async with database.transaction() as session:
        incident = await session.get(Incident, incident_id)
        assert (incident.killed_min, incident.killed_max) == (5, 9)
        assert (await session.get(Report, second.id)).incident_id == incident_id


async def test_reject_with_a_reason(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings)
    await post(as_monitor, f"/reports/{report.id}/reject", {"reason": "not_credible"})
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
    assert (stored.status, stored.reject_reason) == ("rejected", "not_credible")
    assert await outbox(database) == [("outcome", {"ref_code": report.ref_code, "status": "rejected"})]


async def test_ask_the_reporter_and_see_the_answer_in_the_thread(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings)
    await post(as_monitor, f"/reports/{report.id}/ask", {"question": "Which street was it?"})
    assert await outbox(database) == [("question", {"ref_code": report.ref_code, "question": "Which street was it?"})]
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        assert stored.status == "needs_info"
        await review.receive_answer(session, stored, body="خیابان بازار")
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "Which street was it?" in page and '<p class="own-words" lang="en" dir="auto">خیابان بازار</p>' in page
    assert "In review" in page


async def test_asking_a_forgotten_reporter_says_so(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings)
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        from harmwatch.reporters.models import Reporter

        await forget(session, await session.get(Reporter, stored.reporter_id))
    await post(as_monitor, f"/reports/{report.id}/ask", {"question": "Still there?"})
    assert "cannot be reached" in (await as_monitor.get(f"/reports/{report.id}")).text
    async with database.transaction() as session:
        assert (await session.scalar(sa.select(sa.func.count()).select_from(ReportMessage))) == 0


async def test_expired_claim_gets_a_clear_message_not_an_overwrite(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings)
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        stored.claimed_until = utcnow() - timedelta(minutes=1)
        other = await make_user(session, name="omar")
        await review.claim(session, stored, user=other)
    await post(as_monitor, f"/reports/{report.id}/verify", {"grade": "fair"})
    assert "Your claim on this report has expired" in (await as_monitor.get(f"/reports/{report.id}")).text
    async with database.transaction() as session:
        assert (await session.get(Report, report.id)).status == "in_review"


async def test_report_decided_by_someone_else_is_not_overwritten(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings)
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        other = await make_user(session, name="omar")
        stored.claimed_until = utcnow() - timedelta(minutes=1)
        await review.claim(session, stored, user=other)
        await review.reject(session, stored, user=other, reason="spam")
    await post(as_monitor, f"/reports/{report.id}/verify", {"grade": "confirmed"})
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "is not in review any more" in page
    async with database.transaction() as session:
        assert (await session.get(Report, report.id)).status == "rejected"


async def test_second_monitor_must_confirm_when_required(app, client, database, settings):
    settings.require_second_verification = True
    async with database.transaction() as session:
        await make_user(session, name="mona")
        await make_user(session, name="omar")
    await log_in(client, "mona")
    report = await claimed(client, database, settings)
    await post(client, f"/reports/{report.id}/verify", {"grade": "fair"})
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        proposal = await confirmation.proposal_of(session, stored)
        assert stored.status == "in_review" and (proposal.grade, proposal.proposed_by_name) == ("fair", "mona")
        assert "proposed_verification" not in stored.assessment  # a record of its own, not hidden in the answers
    waiting = (await client.get("/?status=all&awaiting=confirmation")).text
    assert f'href="/reports/{report.id}' in waiting and "awaiting confirmation" in waiting
    await post(client, f"/reports/{report.id}/confirm")
    assert "A second monitor must confirm" in (await client.get(f"/reports/{report.id}")).text
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as omar:
        await log_in(omar, "omar")
        response = await post(omar, f"/reports/{report.id}/confirm")
        assert response.headers["location"].startswith("/incidents/")
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        assert stored.status == "verified" and stored.assessment["confirmed_by"] == "omar"
        assert await confirmation.proposal_of(session, stored) is None


async def test_assessment_is_shown_beside_the_reporters_answers(as_monitor, database, settings):
    report = await claimed(as_monitor, database, settings, answers={"sources": ["witness"]})
    await post(as_monitor, f"/reports/{report.id}/verify", {"grade": "fair", "corroboration_witness": "contradicts",
                                                           "killed_min": "1", "killed_max": "3", "note": "phoned"})
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assessment = page.split('id="assessment"')[1].split("</dl>")[0]
    assert "A witness told me" in assessment and "Contradicts" in assessment and "phoned" in assessment
    assert "1 to 3" in assessment
