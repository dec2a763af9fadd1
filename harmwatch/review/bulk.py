"""Decisions on many reports at once, from the queue: reject as spam, release my claims, assign.
Each report goes through the same single-report move (claim, audit, outcome to the reporter);
one that cannot move (decided already, another monitor reviewing it) is skipped and counted."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.models import User
from harmwatch.reports.enums import RejectReason, ReportStatus
from harmwatch.reports.models import Report
from harmwatch.review import collaboration
from harmwatch.review import service as review

MAX_BULK = 100  # a page of the queue is 50: more than two pages at once is a slip, not a plan
ACTIONS = ("reject_spam", "release", "assign")
OPEN = frozenset({ReportStatus.SUBMITTED, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_INFO})


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)  # reference codes
    skipped: list[str] = field(default_factory=list)


async def reports_by_id(session: AsyncSession, ids: list[int]) -> list[Report]:
    if not ids:
        return []
    rows = await session.scalars(select(Report).where(Report.id.in_(ids[:MAX_BULK])).order_by(Report.id))
    return list(rows.all())


async def apply(session: AsyncSession, reports: list[Report], *, action: str, user: User,
                assignee: User | None = None) -> BulkResult:
    """Apply one action to each report, as the monitor would one by one."""
    result = BulkResult()
    for report in reports:
        try:
            if action == "reject_spam":
                if ReportStatus(report.status) not in OPEN:
                    raise review.ReviewError("illegal_transition")
                if report.status != ReportStatus.NEEDS_INFO:
                    await review.claim(session, report, user=user)
                await review.reject(session, report, user=user, reason=RejectReason.SPAM)
            elif action == "release":
                await review.release(session, report, user=user)
            elif action == "assign":
                await collaboration.assign(session, report, assignee=assignee, by=user)
            else:
                raise ValueError(action)
        except (review.ReviewError, collaboration.CollaborationError):
            result.skipped.append(report.ref_code)
        else:
            result.done.append(report.ref_code)
    return result
