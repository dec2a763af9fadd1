"""Incidents: list, edit (casualty ranges suggested from the reports, place, date and
precision, public summary, export precision), merge, publish and unpublish."""

from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Request
from sqlmodel import select

from api.deps import SessionDep
from api.desk import validation as check
from api.desk.messages import FIELD_LABELS
from api.desk.deps import CsrfChecked, CurrentUser, DeskHTTPError, IncidentDep
from api.desk.refusals import refusals
from api.desk.templating import keep_typed, notice, places_of, render, see_other, typed_values
from harmwatch import taxonomy
from harmwatch.i18n import N_
from harmwatch.incidents import coherence, lifecycle, provenance
from harmwatch.forms import HARM_FORM
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


INCIDENT_FILTERS = ("type", "category", "place", "grade", "state", "from", "to", "published")


def _incident_conditions(request: Request, params) -> list:
    """The incident list's filters from its query string, each checked on its own: a bad value
    is reported and left out, the others still apply. Place is a P-code of the stored
    gazetteer, a governorate or a district."""
    categories = [str(c) for c in (*taxonomy.codes("event_type"), *taxonomy.codes("access_constraint"))]

    def place(raw):
        pcode = check.text(raw, N_("Place"), max_length=16)
        if not pcode:
            return None
        found = places_of(request).get(pcode)
        if found is None or found.level not in (1, 2):
            raise check.Invalid("choice", N_("Place"))
        return (Incident.adm1_pcode if found.level == 1 else Incident.adm2_pcode) == pcode

    def when(value, make):
        return None if value is None else make(value)

    shown = Incident.state == IncidentState.PUBLISHED.value
    filters = {
        "published": lambda v: {"yes": shown, "no": ~shown}.get(v or ""),  # the older filter, still understood
        "type": lambda v: when(check.code(v, N_("Type"), "report_type", required=False),
                               lambda c: Incident.report_type == c),
        "category": lambda v: when(check.choice(v, N_("Event or constraint"), categories, required=False),
                                   lambda c: sa.or_(Incident.event_type == c, Incident.access_constraint == c)),
        "place": place,
        "grade": lambda v: when(check.code(v, N_("Grade"), "grade", required=False), lambda c: Incident.grade == c),
        "state": lambda v: when(check.choice(v, N_("State"), [s.value for s in IncidentState], required=False),
                                lambda c: Incident.state == c),
        "from": lambda v: when(check.day(v, N_("From"), not_future=False), lambda d: Incident.occurred_on >= d),
        "to": lambda v: when(check.day(v, N_("To"), not_future=False), lambda d: Incident.occurred_on <= d),
    }
    where = []
    for name, condition in filters.items():
        found = None
        with refusals(request):  # a bad value is said and left out; the other filters still apply
            found = condition(params.get(name))
        if found is not None:
            where.append(found)
    return where


@router.get("/incidents")
async def incident_list(request: Request, session: SessionDep, user: CurrentUser, after: str | None = None):
    """Incidents, newest first, a keyset page at a time, filtered by type, event or constraint,
    place, grade, state and date of the event."""
    params = request.query_params
    query = select(Incident).where(*_incident_conditions(request, params))
    if after and after.isdigit():
        query = query.where(Incident.id < int(after))
    rows = list((await session.scalars(query.order_by(Incident.id.desc()).limit(PAGE_SIZE + 1))).all())
    kept = {k: params[k] for k in INCIDENT_FILTERS if params.get(k)}
    return render(request, "desk/incidents.html", {
        "incidents": rows[:PAGE_SIZE],
        "next_after": rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None,
        "params": kept,
        "filter_qs": urlencode(kept),
        "states": [s.value for s in IncidentState],
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
        "assessed": _shown_codes(incident, typed),
        "claims": reporters_claims(reports),
        "perpetrators": {o.code: o.label for o in HARM_FORM.question("attribution").options},
    })


def _shown_codes(incident: Incident, typed: dict | None) -> dict[str, list[str]]:
    """The monitor's codes as the form shows them: as typed into a refused form, else stored."""
    if typed and typed.get("codes_shown") == "1":
        return {key: [v for v in typed.get(key, "").split(",") if v] for key in ASSESSED_KEYS}
    return {key: [str(v) for v in coherence.listed((incident.codes or {}).get(key))] for key in ASSESSED_KEYS}


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
    changes = {k: v for k, v in changes.items() if getattr(incident, k) != v}
    codes = _assessed_codes(form, incident)
    if codes is not None:
        changes["codes"] = codes
    return changes


ASSESSED_KEYS = (*coherence.ASSESSED_CODES, coherence.PERPETRATOR)


def _assessed_codes(form, incident: Incident) -> dict | None:
    """The incident's codes with the monitor's weapon, objects hit and perpetrator from the form
    (harm incidents; the form says it showed them), or None when nothing changed. A value left
    as it was keeps its stored form (a lone code stays a lone code)."""
    if incident.report_type != "harm" or form.get("codes_shown") != "1":
        return None
    stored = dict(incident.codes or {})
    codes = dict(stored)
    for key in coherence.ASSESSED_CODES:
        chosen = list(dict.fromkeys(str(v) for v in form.getlist(key) if v))
        if chosen == coherence.listed(stored.get(key)):
            continue
        if chosen:
            codes[key] = chosen
        else:
            codes.pop(key, None)
    perpetrator = str(form.get(coherence.PERPETRATOR) or "").strip()
    if perpetrator:
        codes[coherence.PERPETRATOR] = perpetrator
    else:
        codes.pop(coherence.PERPETRATOR, None)
    return codes if codes != stored else None


def reporters_claims(reports) -> dict[str, list]:
    """What each report's reporter said about the weapon, what was hit and who did it, shown
    beside the monitor's fields and never mixed with them: (report, codes) for the first two,
    (report, answer, is_a_party_code) for the perpetrator."""
    parties = set(coherence.perpetrator_codes())
    claims: dict[str, list] = {"weapon": [], "objects_hit": [], "perpetrator": []}
    for report in reports:
        answers = report.answers or {}
        for key in coherence.ASSESSED_CODES:
            said = coherence.listed(answers.get(key))
            if said:
                claims[key].append((report, said))
        attribution = answers.get("attribution")
        if isinstance(attribution, str) and attribution.strip():
            claims["perpetrator"].append((report, attribution, attribution in parties))
    return claims


def _keep_typed_incident(request: Request, form) -> None:
    """What was typed into the refused form, the several-valued codes included."""
    keep_typed(request, "incident-form", form)
    typed = request.session["typed"][1]
    for key in coherence.ASSESSED_CODES:
        typed[key] = ",".join(str(v) for v in form.getlist(key))
    request.session["typed"] = ["incident-form", typed]


@router.post("/incidents/{incident_id}")
async def incident_save(request: Request, session: SessionDep, user: CurrentUser, incident: IncidentDep):
    """Save the monitor's edits (ranges checked: minimum ≤ maximum, none negative)."""
    form = await request.form()
    with refusals(request) as refusal:
        changes = _changes(form, incident)
        version = str(form.get("version") or "")
        if version != incidents.version_of(incident):
            raise IncidentError("stale")  # another monitor saved since this page was loaded
        if "codes" in changes:  # the monitor's weapon, objects hit and perpetrator: the form's codes only
            coherence.check_codes(changes["codes"], incident.event_type)
        if changes:
            await incidents.update(session, incident, actor=actor_of(user), changes=changes, version=version)
        notice(request, "incident_saved")
    if refusal and refusal.code != "stale":  # a stale form shows the current version instead
        _keep_typed_incident(request, form)
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
