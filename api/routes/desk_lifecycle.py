"""The record's lifecycle in the desk: reopen a decided report (with a reason), take a report
out of an incident, withdraw (with a reason) and reopen an incident, and merge incidents through
a preview that shows the differences and needs a confirmation."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from api.deps import SessionDep
from api.desk import validation as check
from api.desk.deps import CsrfChecked, CurrentUser, DeskHTTPError, get_or_404
from api.desk.templating import error, invalid, notice, render, see_other
from harmwatch.exports.columns import LIST_CODES, SINGLE_CODES
from harmwatch.i18n import N_
from harmwatch.incidents import lifecycle, merging
from harmwatch.incidents.models import Incident
from harmwatch.incidents.service import IncidentError
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError, actor_of

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
# The taxonomy kind of each record field that holds codes, to show its labels.
VALUE_KINDS = {"event_type": "event_type", "access_constraint": "access_constraint", "grade": "grade",
               "geo_precision": "geo_precision", "time_precision": "time_precision", **LIST_CODES, **SINGLE_CODES}


def _reason(form) -> str:
    return check.text(form.get("reason"), N_("Reason"), required=True, max_length=lifecycle.MAX_REASON_LENGTH)


@router.post("/reports/{report_id}/reopen")
async def report_reopen(request: Request, session: SessionDep, user: CurrentUser, report_id: str):
    """Reopen a verified or rejected report, with a reason: it returns to review, claimed by you."""
    report = await get_or_404(session, Report, report_id)
    try:
        await review.reopen(session, report, user=user, reason=_reason(await request.form()))
        notice(request, "report_reopened")
    except check.Invalid as problem:
        invalid(request, problem)
    except ReviewError as problem:
        error(request, problem.code)
    return see_other(f"/reports/{report.id}")


@router.post("/incidents/{incident_id}/reports/{report_id}/remove")
async def report_remove(request: Request, session: SessionDep, user: CurrentUser, incident_id: str,
                        report_id: str):
    """Take a report out of this incident (its decision is reopened, with a reason)."""
    incident = await get_or_404(session, Incident, incident_id)
    report = await get_or_404(session, Report, report_id)
    if report.incident_id != incident.id:
        raise DeskHTTPError(404)
    try:
        await review.reopen(session, report, user=user, reason=_reason(await request.form()))
        notice(request, "report_removed")
    except check.Invalid as problem:
        invalid(request, problem)
    except ReviewError as problem:
        error(request, problem.code)
    return see_other(f"/incidents/{incident.id}")


@router.post("/incidents/{incident_id}/withdraw")
async def incident_withdraw(request: Request, session: SessionDep, user: CurrentUser, incident_id: str):
    """Withdraw the incident from the NGO API, with a reason (NGOs see a tombstone)."""
    incident = await get_or_404(session, Incident, incident_id)
    try:
        await lifecycle.withdraw(session, incident, actor=actor_of(user), reason=_reason(await request.form()))
        notice(request, "withdrawn")
    except check.Invalid as problem:
        invalid(request, problem)
    except IncidentError as problem:
        error(request, problem.code)
    return see_other(f"/incidents/{incident.id}")


@router.post("/incidents/{incident_id}/reopen")
async def incident_reopen(request: Request, session: SessionDep, user: CurrentUser, incident_id: str):
    """Reopen a withdrawn incident, to correct it and publish it again."""
    incident = await get_or_404(session, Incident, incident_id)
    try:
        await lifecycle.reopen(session, incident, actor=actor_of(user))
        notice(request, "incident_reopened")
    except IncidentError as problem:
        error(request, problem.code)
    return see_other(f"/incidents/{incident.id}")


async def _others(session, raw: str | None) -> list[Incident]:
    numbers = check.ids(raw, N_("Incidents to merge"))
    others = [await session.get(Incident, n) for n in dict.fromkeys(numbers)]
    if any(o is None for o in others):
        raise check.Invalid("ids", N_("Incidents to merge"))
    return others


@router.get("/incidents/{incident_id}/merge")
async def merge_preview(request: Request, session: SessionDep, user: CurrentUser, incident_id: str,
                        others: str | None = None, counts: str = merging.KEEP):
    """What merging the other incidents into this one would do, differences marked; nothing
    changes until the monitor confirms."""
    target = await get_or_404(session, Incident, incident_id)
    try:
        plan = await merging.preview(session, target=target, others=await _others(session, others), counts=counts)
    except check.Invalid as problem:
        invalid(request, problem)
        return see_other(f"/incidents/{target.id}")
    except IncidentError as problem:
        error(request, problem.code)
        return see_other(f"/incidents/{target.id}")
    return render(request, "desk/lifecycle/merge_preview.html", {
        "plan": plan, "others_text": ", ".join(str(o.id) for o in plan.others), "kinds": VALUE_KINDS})


@router.post("/incidents/{incident_id}/merge/confirm")
async def merge_confirm(request: Request, session: SessionDep, user: CurrentUser, incident_id: str):
    """Merge as previewed: refused when any of the incidents changed since the preview."""
    target = await get_or_404(session, Incident, incident_id)
    form = await request.form()
    counts = form.get("counts") or merging.KEEP
    try:
        others = await _others(session, form.get("others"))
        versions = {i.id: str(form.get(f"version_{i.id}") or "") for i in (target, *others)}
        await merging.merge(session, target=target, others=others, actor=actor_of(user), counts=counts,
                            versions=versions)
        notice(request, "merged")
    except check.Invalid as problem:
        invalid(request, problem)
    except IncidentError as problem:
        error(request, problem.code)
        if problem.code == "stale":
            query = urlencode({"others": form.get("others") or "", "counts": counts})
            return see_other(f"/incidents/{target.id}/merge?{query}")
    return see_other(f"/incidents/{target.id}")
