"""The review workflow refuses illegal moves, keeps monitors apart, and tells reporters."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from harmwatch.messaging.models import OutboxMessage
from harmwatch.messaging.service import ReporterUnreachable
from harmwatch.reporters.service import forget
from harmwatch.reports.models import ReportMessage
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError
from tests.factories import make_report, make_reporter, make_user


async def test_verify_requires_a_claim(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        with pytest.raises(ReviewError) as error:
            await review.verify(session, report, user=monitor, grade="fair")
    assert error.value.code == "not_in_review"


async def test_second_monitor_cannot_take_a_live_claim(database):
    async with database.transaction() as session:
        ana, ben = await make_user(session), await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=ana)
        with pytest.raises(ReviewError) as error:
            await review.claim(session, report, user=ben)
    assert error.value.code == "claimed_by_other"


async def test_expired_claim_can_be_taken_and_the_old_holder_cannot_decide(database):
    async with database.transaction() as session:
        ana, ben = await make_user(session), await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=ana, now=utcnow() - timedelta(hours=2))
        await review.claim(session, report, user=ben)
        assert report.claimed_by_id == ben.id
        with pytest.raises(ReviewError) as error:
            await review.verify(session, report, user=ana, grade="weak")
    assert error.value.code == "claim_lost"


async def test_verify_makes_an_incident_and_queues_the_outcome(database, settings):
    async with database.transaction() as session:
        monitor = await make_user(session)
        reporter = await make_reporter(session, settings, lang="ar")
        report = await make_report(session, reporter=reporter, killed_min=3, killed_max=5, injured_min=None)
        await review.claim(session, report, user=monitor)
        incident = await review.verify(session, report, user=monitor, grade="fair",
                                       corroboration={"witness": "confirms"})
        report_id = report.id
    async with database.transaction() as session:
        incident = await session.get(Incident, incident.id)
        assert (incident.killed_min, incident.killed_max, incident.injured_min) == (3, 5, None)
        assert incident.grade == "fair" and incident.state == "unpublished"
        outbox = (await session.scalars(sa.select(OutboxMessage))).all()
        assert [(m.kind, m.params["status"], m.report_id) for m in outbox] == [("outcome", "verified", report_id)]
        actions = (await session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert actions[-3:] == ["report.claimed", "incident.created", "report.verified"]


async def test_second_report_widens_the_incident_counts(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        first = await make_report(session, killed_min=2, killed_max=4)
        second = await make_report(session, killed_min=3, killed_max=3, injured_min=1, injured_max=6)
        await review.claim(session, first, user=monitor)
        incident = await review.verify(session, first, user=monitor, grade="weak")
        await review.claim(session, second, user=monitor)
        await review.verify(session, second, user=monitor, grade="fair", incident=incident)
        assert (incident.killed_min, incident.killed_max) == (3, 4)
        assert (incident.injured_min, incident.injured_max) == (1, 6)


async def test_illegal_transition_is_refused(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
        await review.reject(session, report, user=monitor, reason="spam")
        with pytest.raises(ReviewError) as error:
            await review.ask_reporter(session, report, user=monitor, question="Where?")
    assert error.value.code == "not_in_review"


async def test_duplicate_rejection_needs_the_original(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
        with pytest.raises(ReviewError):
            await review.reject(session, report, user=monitor, reason="duplicate")
        original = await make_report(session)
        await review.reject(session, report, user=monitor, reason="duplicate", duplicate_of=original)
        assert report.duplicate_of_id == original.id and report.status == "rejected"


async def test_question_round_trip_returns_the_report_to_review(database, settings):
    async with database.transaction() as session:
        monitor = await make_user(session)
        reporter = await make_reporter(session, settings)
        report = await make_report(session, reporter=reporter)
        await review.claim(session, report, user=monitor)
        await review.ask_reporter(session, report, user=monitor, question="Which street?")
        assert report.status == "needs_info" and reporter.awaiting_report_id == report.id
        await review.receive_answer(session, report, body="Near the bakery")
        assert report.status == "in_review"
        thread = (await session.scalars(sa.select(ReportMessage.direction).order_by(ReportMessage.id))).all()
    assert thread == ["to_reporter", "from_reporter"]


async def test_forgotten_reporter_cannot_be_asked(database, settings):
    async with database.transaction() as session:
        monitor = await make_user(session)
        reporter = await make_reporter(session, settings)
        report = await make_report(session, reporter=reporter)
        await forget(session, reporter)
        await session.refresh(report)
        assert report.reporter_id is None
        await review.claim(session, report, user=monitor)
        with pytest.raises(ReporterUnreachable):
            await review.ask_reporter(session, report, user=monitor, question="Which street?")
        assert report.status == "in_review"


async def test_overlong_question_is_refused(database, settings):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session, reporter=await make_reporter(session, settings))
        await review.claim(session, report, user=monitor)
        with pytest.raises(ReviewError) as error:
            await review.ask_reporter(session, report, user=monitor, question="x" * 5000)
    assert error.value.code == "question_too_long"
