"""Incidents: list, edit (casualty ranges suggested from the reports, place, date and
precision, public summary, export precision), merge, publish and unpublish."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import SessionDep
from api.desk import validation as check
from api.desk.messages import FIELD_LABELS
from api.desk.deps import CsrfChecked, CurrentUser, DeskHTTPError, IncidentDep
from api.desk.refusals import refusals
from api.desk.templating import keep_typed, notice, render, see_other, typed_values
from harmwatch.i18n import N_
from harmwatch.incidents import lifecycle, provenance
from harmwatch.incidents import service as incidents
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.models import Incident
from harmwatch.incidents.service import IncidentError
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import COUNT_NAMES
from harmwatch.review.service import actor_of

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
PAGE_SIZE = 50
# Decimal places kept in exports, and about how precise each is.
EXPORT_DECIMALS = {0: "~100 km", 1: "~10 km", 2: "~1 km", 3: "~100 m", 4: "~10 m"}


@router.get("/incidents")
async def incident_list(request: Request, session: SessionDep, user: CurrentUser, published: str | None = None,
                        type: str | None = None, after: str | None = None):
    """Incidents, newest first, a page at a time."""
    query = select(Incident)
    if published in ("yes", "no"):
        shown = Incident.state == IncidentState.PUBLISHED.value
        query = query.where(shown if published == "yes" else ~shown)
    if type in ("harm", "access"):
        query = query.where(Incident.report_type == type)
    if after and after.isdigit():
        query = query.where(Incident.id < int(after))
    rows = list((await session.scalars(query.order_by(Incident.id.desc()).limit(PAGE_SIZE + 1))).all())
    return render(request, "desk/incidents.html", {
        "incidents": rows[:PAGE_SIZE],
        "next_after": rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        "published": published,
        "type": type,
    })


@router.get("/incidents/{incident_id}")
async def incident_page(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep):
    """One incident with its reports and the counts they suggest."""
    if incident.state == IncidentState.MERGED:
        survivor = await lifecycle.survivor_id(session, incident.id)
        if survivor is not None:
            notice(request, "merged_away", id=incident.id)
            return see_other(f"/incidents/{survivor}")
    reports = await incidents.reports_of(session, incident)
    verified = [r for r in reports if r.status == ReportStatus.VERIFIED]
    typed = typed_values(request, "incident-form")
    return render(request, "desk/incident.html", {
        # A refused edit comes back with what the monitor typed, not the stored values.
        "incident": {**incident.model_dump(), **typed} if typed else incident,
        "version": incidents.version_of(incident),
        "sources": await provenance.sources(session, incident),
        "reports": reports,
        "suggested": incidents.suggested_counts(verified),
        "count_names": COUNT_NAMES,
        "export_decimals": EXPORT_DECIMALS,
    })


def _changes(form, incident: Incident) -> dict:
    changes: dict = {}
    for name in COUNT_NAMES:
        for end in ("min", "max"):
            field = f"{name}_{end}"
            changes[field] = check.integer(form.get(field), FIELD_LABELS[field], high=1_000_000)
    changes["occurred_on"] = check.day(form.get("occurred_on"), N_("Date"))
    changes["time_precision"] = int(check.code(form.get("time_precision"), N_("Date precision"), "time_precision"))
    changes["adm1_pcode"] = check.text(form.get("adm1_pcode"), N_("Governorate"), max_length=16) or None
    changes["adm2_pcode"] = check.text(form.get("adm2_pcode"), N_("District"), max_length=16) or None
    changes["lat"] = check.number(form.get("lat"), N_("Latitude"), low=-90, high=90)
    changes["lon"] = check.number(form.get("lon"), N_("Longitude"), low=-180, high=180)
    changes["geo_precision"] = check.code(form.get("geo_precision"), N_("Place precision"), "geo_precision",
                                          required=False)
    changes["export_decimals"] = int(check.choice(form.get("export_decimals"), N_("Export precision"),
                                                  [str(k) for k in EXPORT_DECIMALS]))
    changes["grade"] = check.code(form.get("grade"), N_("Grade"), "grade", required=False)
    changes["summary_public"] = check.text(form.get("summary_public"), N_("Public summary"), max_length=4000)
    changes["notes_private"] = check.text(form.get("notes_private"), N_("Private notes"), max_length=8000)
    return {k: v for k, v in changes.items() if getattr(incident, k) != v}


@router.post("/incidents/{incident_id}")
async def incident_save(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep):
    """Save the monitor's edits (ranges checked: minimum ≤ maximum, none negative)."""
    form = await request.form()
    with refusals(request) as refusal:
        changes = _changes(form, incident)
        version = str(form.get("version") or "")
        if version != incidents.version_of(incident):
            raise IncidentError("stale")  # another monitor saved since this page was loaded
        if changes:
            await incidents.update(session, incident, actor=actor_of(user), changes=changes, version=version)
        notice(request, "incident_saved")
    if refusal and refusal.code != "stale":  # a stale form shows the current version instead
        keep_typed(request, "incident-form", form)
    return see_other(f"/incidents/{incident.id}")


@router.post("/incidents/{incident_id}/{action}")
async def incident_publish(request: Request, session: SessionDep, user: CurrentUser, action: str,
                           incident: IncidentDep):
    """Publish the incident for the NGO API (withdrawing is desk_lifecycle's, with a reason)."""
    if action != "publish":
        raise DeskHTTPError(404)
    with refusals(request):
        await lifecycle.publish(session, incident, actor=actor_of(user))
        notice(request, "published")
    return see_other(f"/incidents/{incident.id}")
