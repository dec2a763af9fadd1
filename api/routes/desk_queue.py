"""The queue: reports by state with counts, filters, text search, sorts and keyset pages;
claiming and releasing a report."""

from __future__ import annotations


from fastapi import APIRouter, Request

from api.deps import SessionDep
from api.desk.flow import queue_context, queue_url, report_url
from api.desk.queue_filters import parse_filter, query_string
from api.desk.deps import CsrfChecked, CurrentUser, get_or_404
from api.desk.templating import error, notice, render, see_other
from harmwatch.reporters.service import track_records
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import Report
from harmwatch.review import queue
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError

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
        "params": request.query_params,
        "query_string": lambda **c: query_string(request.query_params, **c),
        "statuses": [s.value for s in ReportStatus],
        "count_cap": queue.COUNT_CAP,
        "now": review.utcnow(),
        "claim_is_live": review.claim_is_live,
        "queue_qs": query_string(request.query_params),
    })


@router.post("/reports/{report_id}/claim")
async def claim(request: Request, session: SessionDep, user: CurrentUser, report_id: str):
    """Take the report for review (30 minutes, renewed by claiming again)."""
    report = await get_or_404(session, Report, report_id)
    queue_qs = queue_context(await request.form())
    try:
        await review.claim(session, report, user=user)
    except ReviewError as problem:
        error(request, problem.code)
    else:
        notice(request, "claimed")
    return see_other(report_url(report.id, queue_qs))


@router.post("/reports/{report_id}/release")
async def release(request: Request, session: SessionDep, user: CurrentUser, report_id: str):
    """Give the report back to the queue."""
    report = await get_or_404(session, Report, report_id)
    queue_qs = queue_context(await request.form())
    try:
        await review.release(session, report, user=user)
    except ReviewError as problem:
        error(request, problem.code)
        return see_other(report_url(report.id, queue_qs))
    notice(request, "released")
    return see_other(queue_url(queue_qs))
