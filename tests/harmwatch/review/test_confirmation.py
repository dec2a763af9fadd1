"""Four eyes: a verification proposed by one monitor is confirmed by another."""

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.incidents.models import Incident
from harmwatch.review import confirmation, queue
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError
from tests.factories import make_report, make_user


async def _proposed(session, grade: str = "fair", **proposal):
    """Two monitors and a report the first (ana) claimed and proposed to verify."""
    ana, ben = await make_user(session), await make_user(session)
    report = await make_report(session)
    await review.claim(session, report, user=ana)
    await confirmation.propose(session, report, user=ana, grade=grade, **proposal)
    return ana, ben, report


async def test_proposal_then_confirmation_by_another_monitor(database):
    async with database.transaction() as session:
        ana, ben, report = await _proposed(session, "confirmed", corroboration={"witness": "confirms"})
        assert report.status == "in_review" and report.claimed_by_id is None
        with pytest.raises(ReviewError, match="same_monitor"):
            await confirmation.confirm(session, report, user=ana)
        incident = await confirmation.confirm(session, report, user=ben)
        assert report.status == "verified" and report.grade == "confirmed" and report.incident_id == incident.id
        assert report.assessment["corroboration"] == {"witness": "confirms"}
        actions = (await session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id))).all()
    assert "report.verification_proposed" in actions and actions[-1] == "report.verification_confirmed"


async def test_sent_back_proposal_leaves_the_report_open(database):
    async with database.transaction() as session:
        ana, ben, report = await _proposed(session, "weak")
        await confirmation.send_back(session, report, user=ben)
        assert await confirmation.proposal_of(session, report) is None and report.status == "in_review"
        with pytest.raises(ReviewError, match="no_proposal"):
            await confirmation.confirm(session, report, user=ben)


async def test_proposal_into_a_merged_away_incident_must_be_redone(database):
    async with database.transaction() as session:
        ana, ben = await make_user(session), await make_user(session)
        first = await make_report(session)
        await review.claim(session, first, user=ana)
        incident = await review.verify(session, first, user=ana, grade="fair")
        report = await make_report(session)
        await review.claim(session, report, user=ana)
        await confirmation.propose(session, report, user=ana, grade="fair", incident=incident)
        await session.delete(await session.get(Incident, incident.id))
        await session.flush()
        with pytest.raises(ReviewError, match="incident_gone"):
            await confirmation.confirm(session, report, user=ben)


async def test_the_queue_filters_the_reports_awaiting_confirmation(database):
    async with database.transaction() as session:
        ana, ben, proposed = await _proposed(session)
        other = await make_report(session)
        await review.claim(session, other, user=ben)
        waiting = queue.QueueFilter(status=None, awaiting_confirmation=True)
        assert [r.id for r in (await queue.page(session, waiting)).reports] == [proposed.id]
        assert await confirmation.proposed_among(session, [proposed, other]) == {proposed.id}
        await confirmation.confirm(session, proposed, user=ben)
        assert (await queue.page(session, waiting)).reports == []


async def test_a_decision_without_the_second_monitor_drops_the_proposal(database):
    async with database.transaction() as session:
        ana, ben, report = await _proposed(session)
        await review.claim(session, report, user=ben)
        await review.reject(session, report, user=ben, reason="spam")
        assert await confirmation.proposal_of(session, report) is None
        await review.reopen(session, report, user=ben, reason="wrong report")
        with pytest.raises(ReviewError, match="no_proposal"):  # the old proposal does not come back
            await confirmation.confirm(session, report, user=ana)


async def test_proposing_needs_the_proposers_live_claim(database):
    async with database.transaction() as session:
        ana, ben = await make_user(session), await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=ana)
        with pytest.raises(ReviewError, match="claim_lost"):
            await confirmation.propose(session, report, user=ben, grade="fair")
        assert await confirmation.proposal_of(session, report) is None
