"""Decisions on a report: verify (with a grade and per-source corroboration, into a new or an
existing incident; proposed and confirmed by two monitors when the setting asks), reject,
mark as a duplicate, ask the reporter a question."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import SessionDep, SettingsDep
from api.desk import validation as check
from api.desk.messages import FIELD_LABELS
from api.desk.deps import CsrfChecked, CurrentUser, ReportDep, get_or_404
from api.desk.flow import next_in_queue, queue_context, report_url
from api.desk.refusals import refusals
from api.desk.templating import notice, see_other
from harmwatch import taxonomy
from harmwatch.i18n import N_
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.review import confirmation, duplicates
from harmwatch.review import service as review

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
NORMALISED_COUNTS = ("killed", "injured", "missing", "children_killed", "children_injured", "aid_workers_killed",
                     "aid_workers_injured", "aid_workers_abducted", "people_not_reached")


async def _onwards(request: Request, session, report: Report, queue_qs: str | None):
    """After a decision: the next report of the monitor's queue, or this report when it was
    opened on its own."""
    if queue_qs is None:
        return see_other(report_url(report.id, None))
    return see_other(await next_in_queue(request, session, report, queue_qs))


async def _verify_fields(session, report: Report, form) -> dict:
    """The verify form, checked: grade, incident, corroboration by source, normalised values."""
    grade = check.code(form.get("grade"), N_("Grade"), "grade")
    target = (form.get("incident") or "new").strip()
    incident = None
    if target != "new":
        number = check.integer(target, N_("Incident"), low=1, high=10**12, required=True)
        incident = await session.get(Incident, number)
        if incident is None:
            raise check.Invalid("choice", N_("Incident"))
    corroboration = {}
    for source in report.answers.get("sources") or []:
        value = check.code(form.get(f"corroboration_{source}"), N_("Corroboration"), "corroboration",
                           required=False)
        if value:
            corroboration[str(source)] = value
    normalised: dict = {}
    category_kind = "event_type" if report.report_type == "harm" else "access_constraint"
    category = check.code(form.get("normalised_category"), N_("Event or constraint"), category_kind,
                          required=False)
    if category:
        normalised[category_kind] = category
    for name in NORMALISED_COUNTS:
        low = check.integer(form.get(f"{name}_min"), FIELD_LABELS[f"{name}_min"], high=100_000)
        high = check.integer(form.get(f"{name}_max"), FIELD_LABELS[f"{name}_max"], high=100_000)
        if low is not None and high is not None and low > high:
            raise check.Invalid("integer", FIELD_LABELS[f"{name}_min"], min=0, max=high)
        if (low, high) == (getattr(report, f"{name}_min"), getattr(report, f"{name}_max")):
            continue  # as reported: the form shows the report's own values

        if low is not None or high is not None:
            normalised[name] = {"min": low, "max": high}
    note = check.text(form.get("note"), N_("Note"), max_length=2000)
    assessment = {"normalised": normalised, **({"note": note} if note else {})}
    return {"grade": grade, "incident": incident, "corroboration": corroboration, "assessment": assessment}


@router.post("/reports/{report_id}/verify")
async def verify(request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser,
                 report: ReportDep):
    """Verify the report (or propose it for a second monitor's confirmation)."""
    form = await request.form()
    queue_qs = queue_context(form)
    with refusals(request, keep=("verify-form", form)):
        fields = await _verify_fields(session, report, form)
        if settings.require_second_verification:
            await confirmation.propose(session, report, user=user, **fields)
            notice(request, "proposed")
        else:
            incident = await review.verify(session, report, user=user, **fields)
            notice(request, "verified")
            if queue_qs is None:
                return see_other(f"/incidents/{incident.id}")
        return await _onwards(request, session, report, queue_qs)
    return see_other(report_url(report.id, queue_qs))


@router.post("/reports/{report_id}/confirm")
async def confirm(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """A second monitor confirms a proposed verification."""
    with refusals(request):
        incident = await confirmation.confirm(session, report, user=user)
        notice(request, "confirmed")
        return see_other(f"/incidents/{incident.id}")
    return see_other(f"/reports/{report.id}")


@router.post("/reports/{report_id}/send-back")
async def send_back(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """A second monitor does not confirm; the report is open for review again."""
    with refusals(request):
        await confirmation.send_back(session, report, user=user)
        notice(request, "sent_back")
    return see_other(f"/reports/{report.id}")


@router.post("/reports/{report_id}/reject")
async def reject(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Reject with a reason (the reporter hears the outcome, never the reason)."""
    form = await request.form()
    reasons = [c for c in taxonomy.codes("reject_reason") if c != "duplicate"]
    queue_qs = queue_context(form)
    with refusals(request):
        reason = check.choice(form.get("reason"), N_("Reason"), reasons)
        await review.reject(session, report, user=user, reason=reason)
        notice(request, "rejected")
        return await _onwards(request, session, report, queue_qs)
    return see_other(report_url(report.id, queue_qs))


@router.post("/reports/{report_id}/duplicate")
async def mark_duplicate(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Reject as a duplicate of another report (by number or reference code)."""
    form = await request.form()
    with refusals(request):
        raw = check.text(form.get("duplicate_of"), N_("Duplicate of"), required=True, max_length=32)
        if raw.upper().startswith("HW-"):
            original = await session.scalar(select(Report).where(Report.ref_code == raw.upper()))
        else:
            original = await session.get(Report, check.integer(raw.lstrip("#"), N_("Duplicate of"), low=1,
                                                               high=10**12, required=True))
        if original is None:
            raise check.Invalid("choice", N_("Duplicate of"))
        await review.reject(session, report, user=user, reason="duplicate", duplicate_of=original)
        notice(request, "duplicate")
        return await _onwards(request, session, report, queue_context(form))
    return see_other(report_url(report.id, queue_context(form)))


@router.post("/reports/{report_id}/ask")
async def ask(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Send the reporter a question through the bot; the report waits for the answer."""
    form = await request.form()
    with refusals(request):
        question = check.text(form.get("question"), N_("Question"), required=True,
                              max_length=review.MAX_QUESTION_LENGTH)
        await review.ask_reporter(session, report, user=user, question=question)
        notice(request, "asked")
        return await _onwards(request, session, report, queue_context(form))
    return see_other(report_url(report.id, queue_context(form)))


@router.post("/reports/{report_id}/not-related")
async def not_related(request: Request, session: SessionDep, user: CurrentUser, report: ReportDep):
    """Say that a proposed duplicate is about another event: it is not proposed again."""
    form = await request.form()
    other = await get_or_404(session, Report, str(form.get("other") or ""))
    if other.id != report.id:
        await duplicates.mark_not_related(session, report, other, user_id=user.id, actor=review.actor_of(user))
        notice(request, "not_related", ref=other.ref_code)
    return see_other(report_url(report.id, queue_context(form)))
