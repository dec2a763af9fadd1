"""The review workflow of DOMAIN.md: claim, verify into an incident, reject, ask the reporter.
Illegal moves raise `ReviewError`; every move is an audit event; reporters hear the outcome
through the outbox (the bot renders it in their language)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.accounts.models import User
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.errors import DomainError
from harmwatch.incidents import coherence, lifecycle
from harmwatch.incidents.assessed import assessed_values
from harmwatch.incidents.errors import IncidentError
from harmwatch.incidents import service as incidents
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.models import Incident
from harmwatch.messaging import service as messaging
from harmwatch.review import collaboration
from harmwatch.reports.enums import Corroboration, Grade, RejectReason, ReportStatus
from harmwatch.reports.models import Report, ReportMessage
from harmwatch.review.models import VerificationProposal
from harmwatch.review.states import ALLOWED, DECIDED

S = ReportStatus
CLAIM_TTL = timedelta(minutes=30)
MAX_QUESTION_LENGTH = 1000
MAX_REASON_LENGTH = 1000


class ReviewError(DomainError):
    """A decision on a report that cannot be made."""


def actor_of(user: User) -> str:
    return f"user:{user.name}"


def _move(report: Report, to: S) -> S:
    current = S(report.status)
    if to not in ALLOWED[current]:
        raise ReviewError("illegal_transition", current=current.value, to=to.value)
    report.status = to.value
    report.updated_at = utcnow()
    return current


async def _log(session: AsyncSession, report: Report, user: User | None, action: str, before: S, **after: Any) -> None:
    await record(
        session,
        actor=actor_of(user) if user else "reporter",
        action=action,
        object_type="report",
        object_id=report.id,
        before={"status": before.value},
        after={"status": report.status, **after},
    )


def _check_incident(report: Report, incident: Incident | None) -> None:
    """An existing incident a report may be verified into."""
    if incident is None:
        return
    if incident.report_type != report.report_type:
        raise ReviewError("incident_type_mismatch")
    if incident.state == IncidentState.MERGED:
        raise ReviewError("incident_merged", merged_into=incident.merged_into_id)


def check_assessment(report: Report, assessment: dict[str, Any] | None) -> None:
    """The values the monitor assessed, over the report's own, must be coherent counts (each
    part within its total, min ≤ max)."""
    assessed = Report(**{**report.model_dump(), "assessment": {**report.assessment, **(assessment or {})}})
    try:
        coherence.check_counts(assessed_values(assessed))
    except IncidentError as problem:
        raise ReviewError(problem.code, **problem.params) from None


def claim_is_live(report: Report, now: datetime) -> bool:
    return report.claimed_by_id is not None and report.claimed_until is not None and report.claimed_until > now


def claim_seconds_left(report: Report, now: datetime) -> int:
    """Whole seconds until the claim ends (0 when there is none, or it has ended)."""
    if not claim_is_live(report, now):
        return 0
    return int((report.claimed_until - now).total_seconds())


def check_verification(report: Report, *, user: User, incident: Incident | None = None,
                       assessment: dict[str, Any] | None = None, now: datetime | None = None) -> None:
    """What verifying needs, checked before anything changes (by `verify`, and by the four-eyes
    proposal): the user's live claim, an incident the report may join, coherent assessed counts."""
    _require_claim(report, user, now or utcnow())
    _check_incident(report, incident)
    check_assessment(report, assessment)


async def _drop_proposal(session: AsyncSession, report: Report) -> None:
    """A decided report waits for no confirmation any more (confirmation.py's record)."""
    await session.execute(sa.delete(VerificationProposal).where(VerificationProposal.report_id == report.id))


def _require_claim(report: Report, user: User, now: datetime) -> None:
    if report.status != S.IN_REVIEW:
        raise ReviewError("not_in_review", status=report.status)
    if report.claimed_by_id != user.id or not claim_is_live(report, now):
        raise ReviewError("claim_lost")


async def claim(session: AsyncSession, report: Report, *, user: User, now: datetime | None = None) -> Report:
    """Take a report for review so no other monitor works on it; a claim lapses after CLAIM_TTL."""
    now = now or utcnow()
    if report.status in DECIDED:
        # Changing a decision is `reopen`, with a reason: never a side effect of a claim.
        raise ReviewError("decided", status=report.status)
    if report.status == S.IN_REVIEW and claim_is_live(report, now) and report.claimed_by_id != user.id:
        raise ReviewError("claimed_by_other")
    before = S(report.status)
    if before != S.IN_REVIEW:
        _move(report, S.IN_REVIEW)
    report.claimed_by_id = user.id
    report.claimed_until = now + CLAIM_TTL
    await session.flush()
    await _log(session, report, user, "report.claimed", before)
    return report


async def release(session: AsyncSession, report: Report, *, user: User) -> Report:
    _require_claim(report, user, utcnow())
    before = _move(report, S.SUBMITTED)
    report.claimed_by_id = report.claimed_until = None
    await session.flush()
    await _log(session, report, user, "report.released", before)
    return report


async def verify(
    session: AsyncSession,
    report: Report,
    *,
    user: User,
    grade: Grade | str,
    incident: Incident | None = None,
    corroboration: dict[str, Corroboration | str] | None = None,
    assessment: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Incident:
    """Verify a claimed report with a grade, into `incident` or a new one made from it."""
    grade = Grade(grade)
    check_verification(report, user=user, incident=incident, assessment=assessment, now=now)
    before = _move(report, S.VERIFIED)
    report.grade = grade.value
    report.reviewed_by_id, report.reviewed_at = user.id, utcnow()
    report.claimed_by_id = report.claimed_until = None
    report.assessment = {
        **report.assessment,
        **(assessment or {}),
        "corroboration": {k: Corroboration(v).value for k, v in (corroboration or {}).items()},
    }
    if incident is None:
        incident = await incidents.create_from_report(session, report, actor=actor_of(user), grade=grade.value)
        report.incident_id = incident.id
    else:
        await incidents.add_report(session, incident, report, actor=actor_of(user))
    await _drop_proposal(session, report)
    await _log(session, report, user, "report.verified", before, grade=grade.value, incident_id=incident.id)
    await messaging.notify_outcome(session, report)
    return incident


async def reject(
    session: AsyncSession,
    report: Report,
    *,
    user: User,
    reason: RejectReason | str,
    duplicate_of: Report | None = None,
    now: datetime | None = None,
) -> Report:
    reason = RejectReason(reason)
    if reason == RejectReason.DUPLICATE and (duplicate_of is None or duplicate_of.id == report.id):
        raise ReviewError("duplicate_needs_original")
    if report.status != S.NEEDS_INFO:
        _require_claim(report, user, now or utcnow())
    before = _move(report, S.REJECTED)
    report.reject_reason = reason.value
    report.duplicate_of_id = duplicate_of.id if duplicate_of else None
    report.reviewed_by_id, report.reviewed_at = user.id, utcnow()
    report.claimed_by_id = report.claimed_until = None
    await _drop_proposal(session, report)
    await session.flush()
    await _log(session, report, user, "report.rejected", before, reason=reason.value,
               duplicate_of=report.duplicate_of_id)
    await messaging.notify_outcome(session, report)
    return report


async def reopen(session: AsyncSession, report: Report, *, user: User, reason: str,
                 now: datetime | None = None) -> Report:
    """Reopen a decided (verified or rejected) report, on purpose and with a reason: it returns to
    review, claimed by `user`. A verified report leaves its incident, which is withdrawn when no
    verified report is left behind it (incidents.lifecycle.report_left)."""
    reason = (reason or "").strip()
    if report.status not in DECIDED:
        raise ReviewError("not_decided", status=report.status)
    if not reason:
        raise ReviewError("reason_required")
    if len(reason) > MAX_REASON_LENGTH:
        raise ReviewError("reason_too_long", max=MAX_REASON_LENGTH)
    now = now or utcnow()
    decided = {"grade": report.grade, "reject_reason": report.reject_reason, "duplicate_of": report.duplicate_of_id,
               "incident_id": report.incident_id}
    before = _move(report, S.IN_REVIEW)
    incident = await session.get(Incident, report.incident_id) if report.incident_id else None
    report.grade = report.reject_reason = report.duplicate_of_id = report.incident_id = None
    report.claimed_by_id, report.claimed_until = user.id, now + CLAIM_TTL
    await session.flush()
    await record(session, actor=actor_of(user), action="report.reopened", object_type="report",
                 object_id=report.id, before={"status": before.value, **decided},
                 after={"status": report.status, "reason": reason,
                        "left_incident": incident.id if incident else None})
    if incident is not None:
        await lifecycle.report_left(session, incident, report, actor=actor_of(user), reason=reason)
    return report


async def ask_reporter(
    session: AsyncSession, report: Report, *, user: User, question: str, now: datetime | None = None
) -> ReportMessage:
    """Send the reporter a question through the bot; the report waits in `needs_info`."""
    question = question.strip()
    if not question:
        raise ReviewError("empty_question")
    if len(question) > MAX_QUESTION_LENGTH:
        raise ReviewError("question_too_long", max=MAX_QUESTION_LENGTH)
    _require_claim(report, user, now or utcnow())
    await messaging.ensure_reachable(session, report)
    before = _move(report, S.NEEDS_INFO)
    message = ReportMessage(report_id=report.id, direction="to_reporter", user_id=user.id, body=question)
    session.add(message)
    await session.flush()
    await messaging.send_question(session, report, message)
    await _log(session, report, user, "report.question_sent", before, message_id=message.id)
    return message


async def receive_answer(
    session: AsyncSession, report: Report, *, body: str, media_id: int | None = None
) -> ReportMessage:
    """The reporter's reply to a question: added to the thread; the report returns to review."""
    message = ReportMessage(report_id=report.id, direction="from_reporter", body=body, media_id=media_id)
    session.add(message)
    before = S(report.status)
    if before == S.NEEDS_INFO:
        _move(report, S.IN_REVIEW)
    await collaboration.reporter_answered(session, report)
    await session.flush()
    await _log(session, report, None, "report.answer_received", before, message_id=message.id)
    return message
