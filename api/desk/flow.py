"""Where the desk goes after an action on a report. Every form on a report page carries the
queue's filters (`queue_qs`), so claiming keeps Previous/Next working and a decision opens the
next report of the same filtered queue, the way a monitor works through it."""

from __future__ import annotations

from urllib.parse import parse_qs, quote

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from api.desk.queue_filters import parse_filter
from api.desk.templating import notice
from harmwatch.accounts.models import User
from harmwatch.reports.models import Report
from harmwatch.review import queue
from harmwatch.review import service as review

MAX_QUEUE_QS = 2000


def queue_context(form) -> str | None:
    """The queue's query string a form carried, or None (the report was opened on its own)."""
    raw = form.get("queue_qs")
    if not isinstance(raw, str) or len(raw) > MAX_QUEUE_QS:
        return None
    return raw


def queue_filter(request: Request, queue_qs: str) -> queue.QueueFilter:
    return parse_filter(request, {k: v[0] for k, v in parse_qs(queue_qs).items()})


def report_url(report_id: int, queue_qs: str | None) -> str:
    return f"/reports/{report_id}" + (f"?queue_qs={quote(queue_qs, safe='')}" if queue_qs is not None else "")


def queue_url(queue_qs: str | None) -> str:
    return f"/?{queue_qs}" if queue_qs else "/"


def wants_claim_next(form) -> bool:
    """The decision form's "then claim the next report" box (ticked by default) was ticked."""
    return form.get("claim_next") == "1"


async def next_in_queue(request: Request, session: AsyncSession, report: Report, queue_qs: str, *,
                        claim_for: User | None = None) -> str:
    """The next report after this one in the monitor's queue, or the queue when it was the last.
    With `claim_for`, the next one that monitor may claim, claimed for them (said in a notice),
    so going on costs one page and no click; when none is left, the queue."""
    f = queue_filter(request, queue_qs)
    if claim_for is not None:
        claimed = await review.claim_next(session, f, report, user=claim_for)
        if claimed is None:
            notice(request, "none_to_claim")
            return queue_url(queue_qs)
        notice(request, "claimed_next", ref=claimed.ref_code)
        return report_url(claimed.id, queue_qs)
    _, following = await queue.neighbours(session, f, report)
    return report_url(following, queue_qs) if following else queue_url(queue_qs)
