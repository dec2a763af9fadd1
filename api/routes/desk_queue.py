"""The queue: reports by state with counts, filters, text search, sorts and keyset pages;
claiming and releasing a report."""

from __future__ import annotations


from fastapi import APIRouter, Request

from api.deps import SessionDep
from api.desk.flow import queue_context, queue_url, report_url
from api.desk.queue_filters import parse_filter, query_string
from api.desk.deps import CsrfChecked, CurrentUser, ReportDep, ident
from api.desk import validation as check
from api.desk.refusals import refusals
from api.desk.templating import error, flash, notice, render, see_other
from harmwatch.i18n import N_
from harmwatch.reporters.service import track_records
from harmwatch.reports.enums import ReportStatus
from harmwatch.accounts.models import User
from harmwatch.review import bulk, collaboration, confirmation, queue
from harmwatch.review import service as review

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
@router.get("/")
async def queue_page(request: Request, session: SessionDep, user: CurrentUser, after: str | None = None):
    """The queue of reports, filtered and sorted, one keyset page at a time."""
    f = parse_filter(request, request.query_params)
    page = await queue.page(session, f, cursor=after)
    return render(request, "desk/queue.html", {
        "f": f,
        "page": page,
        "names": await queue.reviewer_names(session, page.reports),
        "records": await track_records(session, (r.reporter_id for r in page.reports)),
        "proposed": await confirmation.proposed_among(session, page.reports),
        "params": request.query_params,
        "query_string": lambda **c: query_string(request.query_params, **c),
        "statuses": [s.value for s in ReportStatus],
        "count_cap": queue.COUNT_CAP,
        "now": review.utcnow(),
        "claim_is_live": review.claim_is_live,
        "queue_qs": query_string(request.query_params),
        "assignees": await collaboration.assignees(session),
        "saved": await queue.saved_filters(session, user.id),
    })


@router.post("/reports/{report_id}/claim")
async def claim(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Take the report for review (30 minutes, renewed by claiming again)."""
    queue_qs = queue_context(await request.form())
    with refusals(request):
        await review.claim(session, report, user=user)
        notice(request, "claimed")
    return see_other(report_url(report.id, queue_qs))


@router.post("/reports/{report_id}/release")
async def release(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Give the report back to the queue."""
    queue_qs = queue_context(await request.form())
    with refusals(request):
        await review.release(session, report, user=user)
        notice(request, "released")
        return see_other(queue_url(queue_qs))
    return see_other(report_url(report.id, queue_qs))


async def _bulk_form(request: Request, session) -> tuple[list, str, User | None, str | None] | None:
    """The selected reports, the action and (for "assign") the assignee, from the queue's form;
    None (with a message) when nothing usable was chosen."""
    form = await request.form()
    ids = []
    for raw in form.getlist("ids")[: bulk.MAX_BULK]:
        try:
            ids.append(ident(str(raw)))
        except Exception:  # a forged id is left out, like a row that vanished meanwhile
            continue
    action = str(form.get("action") or "")
    assignee = None
    if action.startswith("assign:"):
        action, raw = "assign", action.split(":", 1)[1]
        assignee = await session.get(User, ident(raw)) if raw.isdigit() else None
    reports = await bulk.reports_by_id(session, ids)
    if not reports or action not in bulk.ACTIONS or (action == "assign" and assignee is None):
        error(request, "bulk_nothing")
        return None
    return reports, action, assignee, queue_context(form)


@router.post("/reports/bulk")
async def bulk_confirm(request: Request, session: SessionDep, user: CurrentUser):
    """Say what the chosen action will do to the selected reports, and ask for a yes."""
    chosen = await _bulk_form(request, session)
    if chosen is None:
        return see_other(queue_url(queue_context(await request.form())))
    reports, action, assignee, queue_qs = chosen
    return render(request, "desk/bulk_confirm.html", {"reports": reports, "action": action, "assignee": assignee,
                                                      "queue_qs": queue_qs})


@router.post("/reports/bulk/apply")
async def bulk_apply(request: Request, session: SessionDep, user: CurrentUser):
    """Apply the confirmed action to each report; the ones that cannot move are counted apart."""
    chosen = await _bulk_form(request, session)
    if chosen is None:
        return see_other(queue_url(queue_context(await request.form())))
    reports, action, assignee, queue_qs = chosen
    result = await bulk.apply(session, reports, action=action, user=user, assignee=assignee)
    flash(request, "notice", N_("Done for %(done)s of %(total)s selected reports."), done=len(result.done),
          total=len(reports))
    if result.skipped:
        flash(request, "error", N_("Left as they were (decided already, or another monitor is on them): %(refs)s"),
              refs=", ".join(result.skipped))
    return see_other(queue_url(queue_qs))


@router.post("/filters")
async def filter_save(request: Request, session: SessionDep, user: CurrentUser):
    """Save the queue's current filters under a name (the same name replaces them)."""
    form = await request.form()
    queue_qs = queue_context(form) or ""
    with refusals(request):
        name = check.text(form.get("name"), N_("Name"), required=True, max_length=64)
        await queue.save_filter(session, user_id=user.id, name=name, query=queue_qs)
        notice(request, "filter_saved", name=name)
    return see_other(queue_url(queue_qs))


@router.post("/filters/{filter_id}/delete")
async def filter_delete(request: Request, session: SessionDep, user: CurrentUser, filter_id: str):
    """Forget a saved view (only one's own)."""
    await queue.delete_filter(session, user_id=user.id, filter_id=ident(filter_id))
    notice(request, "filter_deleted")
    return see_other(queue_url(queue_context(await request.form())))
