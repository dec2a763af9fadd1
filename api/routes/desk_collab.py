"""Monitors working together in the desk: assign a report, internal comments with @mentions,
and the notices page (a reporter answered, something was assigned to you, you were mentioned)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlmodel import select

from api.deps import SessionDep
from api.desk.deps import CsrfChecked, CurrentUser, IncidentDep, ReportDep, ident
from api.desk.flow import queue_context, report_url
from api.desk.refusals import refusals
from api.desk.templating import notice, render, see_other
from harmwatch.accounts.models import User
from harmwatch.reports.models import Report
from harmwatch.review import collaboration
from harmwatch.review.collaboration import CollaborationError

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])


@router.post("/reports/{report_id}/assign")
async def assign(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Hand the report to a monitor (or to nobody); they are told in their notices."""
    form = await request.form()
    raw = str(form.get("assignee") or "")
    assignee = await session.get(User, ident(raw)) if raw else None
    with refusals(request):
        if raw and assignee is None:
            raise CollaborationError("bad_assignee")
        await collaboration.assign(session, report, assignee=assignee, by=user)
        notice(request, "assigned" if assignee else "unassigned", name=assignee.name if assignee else "")
    return see_other(report_url(report.id, queue_context(form)))


async def _comment(request: Request, session, user, back: str, **on) -> RedirectResponse:
    """Add the form's comment to what `on` names (report= or incident_id=), then back to its comments."""
    form = await request.form()
    with refusals(request):
        await collaboration.comment(session, user=user, body=str(form.get("body") or ""), **on)
        notice(request, "commented")
    return see_other(back + "#comments")


@router.post("/reports/{report_id}/comments")
async def comment_on_report(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """An internal comment on the report (never exported, never sent to the reporter)."""
    back = report_url(report.id, queue_context(await request.form()))
    return await _comment(request, session, user, back, report=report)


@router.post("/incidents/{incident_id}/comments")
async def comment_on_incident(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep):
    """An internal comment on the incident (never exported)."""
    return await _comment(request, session, user, f"/incidents/{incident.id}", incident_id=incident.id)


@router.get("/notices")
async def notices_page(request: Request, session: SessionDep, user: CurrentUser):
    """What happened that concerns you: answers to your questions, assignments, mentions."""
    items = await collaboration.notices(session, user.id)
    refs = {}
    report_ids = {n.report_id for n in items if n.report_id}
    if report_ids:
        refs = dict((await session.execute(select(Report.id, Report.ref_code).where(Report.id.in_(report_ids)))).all())
    by_ids = {n.by_user_id for n in items if n.by_user_id}
    names = dict((await session.execute(select(User.id, User.name).where(User.id.in_(by_ids))))
                 .all()) if by_ids else {}
    return render(request, "desk/notices.html", {"notices": items, "refs": refs, "names": names})


@router.post("/notices/read")
async def notices_read(request: Request, session: SessionDep, user: CurrentUser):
    """Mark every notice read."""
    await collaboration.mark_read(session, user.id)
    return see_other("/notices")
