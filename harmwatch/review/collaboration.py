"""Monitors working together: assigning a report, internal comments with @mentions, and the
notices that tell a monitor that a reporter answered their question or that something was
handed to them. Internal only: never exported, never sent to a reporter."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.login import DESK_ROLES
from harmwatch.accounts.models import User
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.errors import DomainError
from harmwatch.reports.models import Report, ReportMessage
from harmwatch.review.models import Comment, Notice

MAX_COMMENT_LENGTH = 4000
MENTION = re.compile(r"(?<![\w@])@([\w.-]{1,64})")


class CollaborationError(DomainError):
    """An assignment or a comment that cannot be made."""


def _actor(user: User) -> str:
    return f"user:{user.name}"


async def _notify(session: AsyncSession, *, user_id: int, kind: str, by: User | None = None,
                  report_id: int | None = None, incident_id: int | None = None) -> None:
    if by is not None and by.id == user_id:
        return  # nobody needs telling what they did themselves
    session.add(Notice(user_id=user_id, kind=kind, report_id=report_id, incident_id=incident_id,
                       by_user_id=by.id if by else None))


async def assign(session: AsyncSession, report: Report, *, assignee: User | None, by: User) -> Report:
    """Hand the report to a monitor (or take the assignment away); they get a notice."""
    if assignee is not None and (not assignee.active or assignee.role not in DESK_ROLES):
        raise CollaborationError("bad_assignee")
    before = report.assigned_to_id
    report.assigned_to_id = assignee.id if assignee else None
    if assignee is not None and assignee.id != before:
        await _notify(session, user_id=assignee.id, kind="assigned", by=by, report_id=report.id)
    await session.flush()
    await record(session, actor=_actor(by), action="report.assigned", object_type="report", object_id=report.id,
                 before={"assigned_to_id": before}, after={"assigned_to_id": report.assigned_to_id})
    return report


async def assignees(session: AsyncSession) -> list[User]:
    """Who a report can be handed to: active desk accounts, by name."""
    query = select(User).where(User.active.is_(True), User.role.in_(DESK_ROLES)).order_by(User.name)
    return list((await session.scalars(query)).all())


async def comment(session: AsyncSession, *, user: User, body: str, report: Report | None = None,
                  incident_id: int | None = None) -> Comment:
    """An internal comment; each @name of a desk account gets a notice."""
    body = body.strip()
    if not body:
        raise CollaborationError("empty_comment")
    if len(body) > MAX_COMMENT_LENGTH:
        raise CollaborationError("comment_too_long")
    note = Comment(report_id=report.id if report else None, incident_id=incident_id, user_id=user.id, body=body)
    session.add(note)
    names = {name.lower() for name in MENTION.findall(body)}
    if names:
        mentioned = await session.scalars(select(User).where(sa.func.lower(User.name).in_(names),
                                                             User.active.is_(True), User.role.in_(DESK_ROLES)))
        for person in mentioned.all():
            await _notify(session, user_id=person.id, kind="mentioned", by=user,
                          report_id=report.id if report else None, incident_id=incident_id)
    await session.flush()
    await record(session, actor=_actor(user), action="comment.added",
                 object_type="report" if report else "incident",
                 object_id=report.id if report else incident_id, after={"comment_id": note.id})
    return note


async def comments_on(session: AsyncSession, *, report_id: int | None = None,
                      incident_id: int | None = None) -> list[tuple[Comment, str]]:
    """The comments, oldest first, each with its author's name."""
    where = Comment.report_id == report_id if report_id is not None else Comment.incident_id == incident_id
    rows = await session.execute(select(Comment, User.name).outerjoin(User, User.id == Comment.user_id)
                                 .where(where).order_by(Comment.id))
    return [(c, name or "") for c, name in rows.all()]


async def reporter_answered(session: AsyncSession, report: Report) -> None:
    """Tell the monitor who last asked this reporter a question that the answer is in."""
    asker = await session.scalar(
        select(ReportMessage.user_id).where(ReportMessage.report_id == report.id,
                                            ReportMessage.direction == "to_reporter",
                                            ReportMessage.user_id.is_not(None))
        .order_by(ReportMessage.id.desc()).limit(1))
    if asker is not None:
        await _notify(session, user_id=asker, kind="reporter_answered", report_id=report.id)


async def unread_count(session: AsyncSession, user_id: int) -> int:
    return await session.scalar(select(sa.func.count()).select_from(Notice)
                                .where(Notice.user_id == user_id, Notice.read_at.is_(None))) or 0


async def notices(session: AsyncSession, user_id: int, *, limit: int = 100) -> list[Notice]:
    """The newest notices, unread first."""
    query = (select(Notice).where(Notice.user_id == user_id)
             .order_by(Notice.read_at.is_not(None), Notice.id.desc()).limit(limit))
    return list((await session.scalars(query)).all())


async def mark_read(session: AsyncSession, user_id: int, *, report_id: int | None = None,
                    incident_id: int | None = None) -> None:
    """Opening the report (or incident) reads its notices; with neither, every notice is read."""
    where = [Notice.user_id == user_id, Notice.read_at.is_(None)]
    if report_id is not None:
        where.append(Notice.report_id == report_id)
    if incident_id is not None:
        where.append(Notice.incident_id == incident_id)
    await session.execute(sa.update(Notice).where(*where).values(read_at=utcnow()))
