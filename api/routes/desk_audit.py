"""The audit page: the hash-chained log with filters, newest first, and "verify chain"."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import SessionDep
from api.desk import validation as check
from api.desk.deps import CsrfChecked, CurrentUser
from api.desk.messages import NOTICES
from api.desk.refusals import refusals
from api.desk.templating import flash, notice, render, see_other
from harmwatch.audit.models import AuditEvent
from harmwatch.audit.service import record, verify_chain
from harmwatch.i18n import N_
from harmwatch.review.service import actor_of

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
PAGE_SIZE = 100
FILTERS = ("actor", "action", "object_type", "object_id", "from", "to")


@router.get("/audit")
async def audit_page(request: Request, session: SessionDep, user: CurrentUser, before: str | None = None):
    """Audit events, filtered by who, what, which object and when."""
    params = request.query_params
    query = select(AuditEvent)
    for name in ("actor", "object_type", "object_id"):
        if params.get(name):
            query = query.where(getattr(AuditEvent, name) == params[name][:64])
    if params.get("action"):
        query = query.where(AuditEvent.action.startswith(params["action"][:64], autoescape=True))
    with refusals(request) as refusal:
        start = check.day(params.get("from"), N_("From"), not_future=False)
        end = check.day(params.get("to"), N_("To"), not_future=False)
    if refusal:
        start = end = None
    if start:
        query = query.where(AuditEvent.at >= datetime.combine(start, time.min, tzinfo=UTC))
    if end:
        query = query.where(AuditEvent.at < datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC))
    if before and before.isdigit():
        query = query.where(AuditEvent.id < int(before))
    rows = list((await session.scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1))).all())
    kept = {k: params[k] for k in FILTERS if params.get(k)}
    return render(request, "desk/audit.html", {
        "events": rows[:PAGE_SIZE],
        "filters": kept,
        "next_qs": urlencode({**kept, "before": rows[PAGE_SIZE - 1].id}) if len(rows) > PAGE_SIZE else None,
    })


@router.post("/audit/verify")
async def audit_verify(request: Request, session: SessionDep, user: CurrentUser):
    """Walk the whole chain and say whether it holds (and where it breaks)."""
    result = await verify_chain(session)
    await record(session, actor=actor_of(user), action="audit.chain_verified",
                 after={"ok": result.ok, "checked": result.checked, "first_bad_id": result.first_bad_id})
    if result.ok:
        notice(request, "chain_ok", count=result.checked)
    else:
        flash(request, "error", NOTICES["chain_broken"], id=result.first_bad_id, reason=result.reason)
    return see_other("/audit")
