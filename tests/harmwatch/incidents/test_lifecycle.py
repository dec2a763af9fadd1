"""An incident's lifecycle: unpublished, published, withdrawn (with a reason), merged; a decided
report is reopened only on purpose, with a reason; an incident left without a verified report is
withdrawn at once and never served as verified again. Every transition is an audit event."""

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.exports import query
from harmwatch.incidents import lifecycle
from harmwatch.incidents.models import Incident
from harmwatch.incidents.service import IncidentError
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError
from tests.factories import make_report, make_user


async def published_incident(session, monitor, *reports):
    reports = reports or (await make_report(session),)
    incident = None
    for report in reports:
        await review.claim(session, report, user=monitor)
        incident = await review.verify(session, report, user=monitor, grade="fair", incident=incident)
    await lifecycle.publish(session, incident, actor="user:m")
    return incident


async def actions(session, object_type, object_id):
    rows = await session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id)).order_by(AuditEvent.id))
    return list(rows.all())


async def test_claiming_a_decided_report_is_refused_and_changes_nothing(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        incident = await published_incident(session, monitor, report)
        with pytest.raises(ReviewError) as error:
            await review.claim(session, report, user=monitor)
        assert error.value.code == "decided"
        assert (report.status, report.incident_id, incident.state) == ("verified", incident.id, "published")


async def test_reopened_then_rejected_report_withdraws_its_incident(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        incident = await published_incident(session, monitor, report)
        published_at = incident.updated_at
        await review.reopen(session, report, user=monitor, reason="The video is from 2019.")
        assert (report.status, report.incident_id, report.claimed_by_id) == ("in_review", None, monitor.id)
        assert incident.state == "withdrawn" and incident.withdrawn_reason == lifecycle.NO_VERIFIED_REPORT
        assert incident.updated_at > published_at
        await review.reject(session, report, user=monitor, reason="not_credible")
        assert incident.state == "withdrawn"
        assert await query.one(session, incident.id) is None  # never served as verified again
        assert "report.reopened" in await actions(session, "report", report.id)
        assert await actions(session, "incident", incident.id) == [
            "incident.created", "incident.published", "incident.report_removed", "incident.withdrawn"]
        reopened = await session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report.reopened"))
        assert reopened.after["reason"] == "The video is from 2019." and reopened.before["status"] == "verified"
        assert reopened.after["left_incident"] == incident.id


async def test_reopening_needs_a_reason_and_a_decided_report(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        with pytest.raises(ReviewError) as error:
            await review.reopen(session, report, user=monitor, reason="why not")
        assert error.value.code == "not_decided"
        await published_incident(session, monitor, report)
        with pytest.raises(ReviewError) as error:
            await review.reopen(session, report, user=monitor, reason="   ")
        assert error.value.code == "reason_required" and report.status == "verified"


async def test_a_report_taken_out_leaves_the_incident_published_when_another_is_verified(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        first, second = await make_report(session), await make_report(session)
        incident = await published_incident(session, monitor, first, second)
        await review.reopen(session, second, user=monitor, reason="A different street.")
        assert incident.state == "published" and second.incident_id is None
        assert (await actions(session, "incident", incident.id))[-1] == "incident.report_removed"


async def test_a_rejected_report_can_be_reopened_and_verified_again(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
        await review.reject(session, report, user=monitor, reason="not_credible")
        await review.reopen(session, report, user=monitor, reason="The reporter sent proof.")
        assert (report.status, report.reject_reason) == ("in_review", None)
        incident = await review.verify(session, report, user=monitor, grade="weak")
        assert incident.state == "unpublished"


async def test_withdraw_needs_a_reason_reopen_makes_it_publishable_again(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        incident = await published_incident(session, monitor)
        with pytest.raises(IncidentError) as error:
            await lifecycle.withdraw(session, incident, actor="user:m", reason="")
        assert error.value.code == "reason_required" and incident.state == "published"
        await lifecycle.withdraw(session, incident, actor="user:m", reason="Double counted with #3.")
        assert (incident.state, incident.withdrawn_reason) == ("withdrawn", "Double counted with #3.")
        await lifecycle.reopen(session, incident, actor="user:m")
        assert (incident.state, incident.withdrawn_reason) == ("unpublished", "")
        await lifecycle.publish(session, incident, actor="user:m")
        assert incident.state == "published"
        assert (await actions(session, "incident", incident.id))[-3:] == [
            "incident.withdrawn", "incident.reopened", "incident.published"]


async def test_an_incident_without_a_verified_report_cannot_be_published(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        incident = await published_incident(session, monitor, report)
        await review.reopen(session, report, user=monitor, reason="Wrong place.")
        await lifecycle.reopen(session, incident, actor="user:m")
        with pytest.raises(IncidentError) as error:
            await lifecycle.publish(session, incident, actor="user:m")
        assert error.value.code == "no_verified_report" and incident.state == "unpublished"
        bare = Incident(report_type="harm")
        session.add(bare)
        await session.flush()
        with pytest.raises(IncidentError):
            await lifecycle.publish(session, bare, actor="user:m")
