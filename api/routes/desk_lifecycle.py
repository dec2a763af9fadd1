"""The record's lifecycle in the desk: reopen a decided report (with a reason), take a report
out of an incident, withdraw (with a reason) and reopen an incident, and merge incidents through
a preview that shows the differences and needs a confirmation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from api.deps import SessionDep
from api.desk import validation as check
from api.desk.deps import CsrfChecked, CurrentUser, DeskHTTPError, IncidentDep, ReportDep
from api.desk.refusals import refusals
from api.desk.templating import notice, render, see_other
from harmwatch.exports.columns import LIST_CODES, SINGLE_CODES
from harmwatch.i18n import N_
from harmwatch.incidents import lifecycle, merging
from harmwatch.incidents.models import Incident
from harmwatch.review import service as review
from harmwatch.review.service import actor_of

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
# The taxonomy kind of each record field that holds codes, to show its labels.
VALUE_KINDS = {"event_type": "event_type", "access_constraint": "access_constraint", "grade": "grade",
               "geo_precision": "geo_precision", "time_precision": "time_precision", **LIST_CODES, **SINGLE_CODES}


def _reason(form) -> str:
    return check.text(form.get("reason"), N_("Reason"), required=True, max_length=lifecycle.MAX_REASON_LENGTH)


async def _with_reason(request: Request, change: Callable[[str], Awaitable[object]], done: str, back: str):
    """The reason from the form, the change made with it and said (or the refusal shown), then back."""
    with refusals(request):
        await change(_reason(await request.form()))
        notice(request, done)
    return see_other(back)


@router.post("/reports/{report_id}/reopen")
async def report_reopen(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Reopen a verified or rejected report, with a reason: it returns to review, claimed by you."""
    return await _with_reason(request, lambda reason: review.reopen(session, report, user=user, reason=reason),
                              "report_reopened", f"/reports/{report.id}")


@router.post("/incidents/{incident_id}/reports/{report_id}/remove")
async def report_remove(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep,
                        report: ReportDep):
    """Take a report out of this incident (its decision is reopened, with a reason)."""
    if report.incident_id != incident.id:
        raise DeskHTTPError(404)
    return await _with_reason(request, lambda reason: review.reopen(session, report, user=user, reason=reason),
                              "report_removed", f"/incidents/{incident.id}")


@router.post("/incidents/{incident_id}/withdraw")
async def incident_withdraw(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep):
    """Withdraw the incident from the NGO API, with a reason (NGOs see a tombstone)."""
    return await _with_reason(
        request, lambda reason: lifecycle.withdraw(session, incident, actor=actor_of(user), reason=reason),
        "withdrawn", f"/incidents/{incident.id}")


@router.post("/incidents/{incident_id}/reopen")
async def incident_reopen(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep):
    """Reopen a withdrawn incident, to correct it and publish it again."""
    with refusals(request):
        await lifecycle.reopen(session, incident, actor=actor_of(user))
        notice(request, "incident_reopened")
    return see_other(f"/incidents/{incident.id}")


async def _others(session, raw: str | None) -> list[Incident]:
    numbers = check.ids(raw, N_("Incidents to merge"))
    others = [await session.get(Incident, n) for n in dict.fromkeys(numbers)]
    if any(o is None for o in others):
        raise check.Invalid("ids", N_("Incidents to merge"))
    return others


@router.get("/incidents/{incident_id}/merge")
async def merge_preview(request: Request, session: SessionDep, user: CurrentUser, target: IncidentDep,
                        others: str | None = None, counts: str = merging.KEEP):
    """What merging the other incidents into this one would do, differences marked; nothing
    changes until the monitor confirms."""
    with refusals(request):
        plan = await merging.preview(session, target=target, others=await _others(session, others), counts=counts)
        return render(request, "desk/lifecycle/merge_preview.html", {
            "plan": plan, "others_text": ", ".join(str(o.id) for o in plan.others), "kinds": VALUE_KINDS})
    return see_other(f"/incidents/{target.id}")


@router.post("/incidents/{incident_id}/merge/confirm")
async def merge_confirm(request: Request, session: SessionDep, user: CurrentUser, target: IncidentDep):
    """Merge as previewed: refused when any of the incidents changed since the preview."""
    form = await request.form()
    counts = form.get("counts") or merging.KEEP
    with refusals(request) as refusal:
        others = await _others(session, form.get("others"))
        versions = {i.id: str(form.get(f"version_{i.id}") or "") for i in (target, *others)}
        await merging.merge(session, target=target, others=others, actor=actor_of(user), counts=counts,
                            versions=versions)
        notice(request, "merged")
    if refusal.code == "stale":  # back to a fresh preview of what merging would do now
        query = urlencode({"others": form.get("others") or "", "counts": counts})
        return see_other(f"/incidents/{target.id}/merge?{query}")
    return see_other(f"/incidents/{target.id}")
