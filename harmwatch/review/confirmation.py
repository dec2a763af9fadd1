"""Four eyes on verification (HARMWATCH_REQUIRE_SECOND_VERIFICATION): one monitor proposes
a verification, a different monitor confirms it (or sends it back). The proposal lives in
the report's assessment until then; the report stays in review, unclaimed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.accounts.models import User
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from harmwatch.reports.enums import Corroboration, Grade, ReportStatus
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError, actor_of

PROPOSAL = "proposed_verification"


def proposal_of(report: Report) -> dict[str, Any] | None:
    return (report.assessment or {}).get(PROPOSAL)


async def propose(session: AsyncSession, report: Report, *, user: User, grade: Grade | str,
                  incident: Incident | None = None, corroboration: dict[str, str] | None = None,
                  assessment: dict[str, Any] | None = None) -> Report:
    grade = Grade(grade)
    review._require_claim(report, user, utcnow())
    review._check_incident(report, incident)
    review.check_assessment(report, assessment)
    proposal = {
        "by": user.id,
        "by_name": user.name,
        "grade": grade.value,
        "incident_id": incident.id if incident else None,
        "corroboration": {k: Corroboration(v).value for k, v in (corroboration or {}).items()},
        "assessment": assessment or {},
        "at": utcnow().isoformat(),
    }
    report.assessment = {**report.assessment, PROPOSAL: proposal}
    report.claimed_by_id = report.claimed_until = None
    report.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor_of(user), action="report.verification_proposed", object_type="report",
                 object_id=report.id, before={"status": report.status},
                 after={"status": report.status, "grade": grade.value, "incident_id": proposal["incident_id"]})
    return report


async def confirm(session: AsyncSession, report: Report, *, user: User) -> Incident:
    """A second monitor confirms: the report is verified as proposed."""
    proposal = proposal_of(report)
    if proposal is None or report.status != ReportStatus.IN_REVIEW:
        raise ReviewError("no_proposal")
    if proposal["by"] == user.id:
        raise ReviewError("same_monitor")
    incident = None
    if proposal["incident_id"] is not None:
        incident = await session.get(Incident, proposal["incident_id"])
        if incident is None:
            raise ReviewError("incident_gone")
    await review.claim(session, report, user=user)
    assessment = {k: v for k, v in report.assessment.items() if k != PROPOSAL}
    report.assessment = {**assessment, "proposed_by": proposal["by_name"], "confirmed_by": user.name}
    result = await review.verify(session, report, user=user, grade=proposal["grade"], incident=incident,
                                 corroboration=proposal["corroboration"], assessment=proposal["assessment"])
    await record(session, actor=actor_of(user), action="report.verification_confirmed", object_type="report",
                 object_id=report.id, after={"proposed_by": proposal["by_name"], "incident_id": result.id})
    return result


async def send_back(session: AsyncSession, report: Report, *, user: User) -> Report:
    """A second monitor does not confirm: the proposal is dropped and the report is open again."""
    proposal = proposal_of(report)
    if proposal is None:
        raise ReviewError("no_proposal")
    if proposal["by"] == user.id:
        raise ReviewError("same_monitor")
    report.assessment = {k: v for k, v in report.assessment.items() if k != PROPOSAL}
    await session.flush()
    await record(session, actor=actor_of(user), action="report.verification_sent_back", object_type="report",
                 object_id=report.id, before={"proposal": proposal})
    return report
