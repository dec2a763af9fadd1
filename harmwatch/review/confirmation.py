"""Four eyes on verification (HARMWATCH_REQUIRE_SECOND_VERIFICATION): one monitor proposes
a verification, a different monitor confirms it (or sends it back). The proposal is its own
record (VerificationProposal), which the queue can filter on; the report stays in review,
unclaimed, until then."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.models import User
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from harmwatch.reports.enums import Corroboration, Grade, ReportStatus
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from harmwatch.review.models import VerificationProposal
from harmwatch.review.service import ReviewError, actor_of


async def proposal_of(session: AsyncSession, report: Report) -> VerificationProposal | None:
    """The verification waiting for a second monitor on this report, if one is."""
    return await session.scalar(select(VerificationProposal).where(VerificationProposal.report_id == report.id))


async def proposed_among(session: AsyncSession, reports: Iterable[Report]) -> set[int]:
    """Which of these reports wait for a second monitor's confirmation (one query for a queue page)."""
    ids = [r.id for r in reports]
    if not ids:
        return set()
    found = await session.scalars(select(VerificationProposal.report_id)
                                  .where(VerificationProposal.report_id.in_(ids)))
    return set(found.all())


def _described(proposal: VerificationProposal) -> dict[str, Any]:
    """The proposal as the audit log keeps it."""
    return {"by": proposal.proposed_by_id, "by_name": proposal.proposed_by_name, "grade": proposal.grade,
            "incident_id": proposal.incident_id, "corroboration": proposal.corroboration,
            "assessment": proposal.assessment, "at": proposal.proposed_at.isoformat()}


async def propose(session: AsyncSession, report: Report, *, user: User, grade: Grade | str,
                  incident: Incident | None = None, corroboration: dict[str, str] | None = None,
                  assessment: dict[str, Any] | None = None) -> VerificationProposal:
    """Propose to verify a report one has claimed; the claim ends and a second monitor decides."""
    grade = Grade(grade)
    review.check_verification(report, user=user, incident=incident, assessment=assessment)
    earlier = await proposal_of(session, report)
    if earlier is not None:  # proposed again after a claim: the newer proposal is the one to confirm
        await session.delete(earlier)
        await session.flush()
    proposal = VerificationProposal(
        report_id=report.id, proposed_by_id=user.id, proposed_by_name=user.name, grade=grade.value,
        incident_id=incident.id if incident else None,
        corroboration={k: Corroboration(v).value for k, v in (corroboration or {}).items()},
        assessment=assessment or {})
    session.add(proposal)
    report.claimed_by_id = report.claimed_until = None
    report.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor_of(user), action="report.verification_proposed", object_type="report",
                 object_id=report.id, before={"status": report.status},
                 after={"status": report.status, "grade": grade.value, "incident_id": proposal.incident_id})
    return proposal


async def _to_decide(session: AsyncSession, report: Report, user: User, *,
                     in_review: bool) -> VerificationProposal:
    """The proposal a second monitor decides on: refused when there is none (or, to confirm it,
    when the report has left review meanwhile), or when it is their own."""
    proposal = await proposal_of(session, report)
    if proposal is None or (in_review and report.status != ReportStatus.IN_REVIEW):
        raise ReviewError("no_proposal")
    if proposal.proposed_by_id == user.id:
        raise ReviewError("same_monitor")
    return proposal


async def confirm(session: AsyncSession, report: Report, *, user: User) -> Incident:
    """A second monitor confirms: the report is verified as proposed."""
    proposal = await _to_decide(session, report, user, in_review=True)
    incident = None
    if proposal.incident_id is not None:
        incident = await session.get(Incident, proposal.incident_id)
        if incident is None:
            raise ReviewError("incident_gone")
    await review.claim(session, report, user=user)
    report.assessment = {**report.assessment, "proposed_by": proposal.proposed_by_name, "confirmed_by": user.name}
    result = await review.verify(session, report, user=user, grade=proposal.grade, incident=incident,
                                 corroboration=proposal.corroboration, assessment=proposal.assessment)
    await record(session, actor=actor_of(user), action="report.verification_confirmed", object_type="report",
                 object_id=report.id, after={"proposed_by": proposal.proposed_by_name, "incident_id": result.id})
    return result


async def send_back(session: AsyncSession, report: Report, *, user: User) -> Report:
    """A second monitor does not confirm: the proposal is dropped and the report is open again."""
    proposal = await _to_decide(session, report, user, in_review=False)
    described = _described(proposal)
    await session.delete(proposal)
    await session.flush()
    await record(session, actor=actor_of(user), action="report.verification_sent_back", object_type="report",
                 object_id=report.id, before={"proposal": described})
    return report
