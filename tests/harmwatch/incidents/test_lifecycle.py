"""An incident's lifecycle: unpublished, published, withdrawn (with a reason), merged; a decided
report is reopened only on purpose, with a reason; an incident left without a verified report is
withdrawn at once and never served as verified again. Every transition is an audit event."""

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.exports import changes, query
from harmwatch.exports.cursor import CursorSigner
from harmwatch.exports.query import IncidentFilter
from harmwatch.incidents import lifecycle
from harmwatch.incidents import service as incident_service
from harmwatch.accounts.models import User
from harmwatch.exports.records import utc
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
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


async def test_a_report_leaving_takes_its_counts_and_values_with_it_but_not_the_monitor_s_own(database):
    """Counts and values the leaving report brought are worked out again from the verified reports
    left (as the monitor assessed them); a figure a monitor set on the incident itself stays. The
    change is audited, moves updated_at and is in the change feed."""
    signer = CursorSigner(b"k" * 32, salt=changes.POSITION_SALT)
    async with database.transaction() as session:
        monitor = await make_user(session)
        first = await make_report(session, killed_min=2, killed_max=4, injured_min=1, injured_max=1, lat=None, lon=None)
        second = await make_report(session, killed_min=9, killed_max=12, injured_min=5, injured_max=6,
                                   missing_min=3, missing_max=3, event_type="air_drone_strike")
        incident = await published_incident(session, monitor, second)
        await review.claim(session, first, user=monitor)
        await review.verify(session, first, user=monitor, grade="fair", incident=incident,
                            assessment={"normalised": {"killed": {"min": 3, "max": 5}}})
        assert (incident.killed_min, incident.killed_max, incident.missing_max) == (9, 12, 3)
        await incident_service.update(session, incident, actor="user:m", changes={"injured_min": 4, "injured_max": 7})
        ids = (monitor.id, second.id, incident.id)
        edited_at = incident.updated_at
    async with database.transaction() as session:
        seen = await changes.changes(session, signer, IncidentFilter(), after=None, limit=100, lang="en")
        assert [c["killed_max"] for c in seen.changes] == [12]
    async with database.transaction() as session:
        monitor, second, incident = (await session.get(User, ids[0]), await session.get(Report, ids[1]),
                                     await session.get(Incident, ids[2]))
        await review.reopen(session, second, user=monitor, reason="Another day, another strike.")
        assert incident.state == "published"
        # From the first report as the monitor assessed it (3-5, not the reporter's 2-4).
        assert (incident.killed_min, incident.killed_max) == (3, 5)
        assert (incident.missing_min, incident.missing_max) == (None, None)
        assert (incident.injured_min, incident.injured_max) == (4, 7)  # the monitor's own figure stays
        # The frame came from the report that left: it now comes from the one left.
        assert incident.event_type == "shelling_artillery_missile"
        assert utc(incident.updated_at) > utc(edited_at)
        removed = await session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "incident.report_removed"))
        assert removed.before["killed_max"] == 12 and removed.after["killed_max"] == 5
        assert removed.after["report_id"] == second.id
    async with database.transaction() as session:
        later = await changes.changes(session, signer, IncidentFilter(), after=seen.next_position, limit=100, lang="en")
        assert [(c["id"], c["killed_min"], c["killed_max"], c["event_type"]) for c in later.changes] == [
            (ids[2], 3, 5, "shelling_artillery_missile")]
        record = await query.one(session, ids[2])
        assert (record.killed_min, record.killed_max, record.missing_min) == (3, 5, None)


async def test_a_rejected_report_reopened_after_verifying_lowers_the_counts_it_raised(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        first = await make_report(session, killed_min=1, killed_max=2)
        second = await make_report(session, killed_min=20, killed_max=30)
        incident = await published_incident(session, monitor, first, second)
        assert (incident.killed_min, incident.killed_max) == (20, 30)
        await review.reopen(session, second, user=monitor, reason="Counted twice.")
        await review.reject(session, second, user=monitor, reason="not_credible")
        assert (incident.killed_min, incident.killed_max) == (1, 2)
        assert incident.state == "published"
