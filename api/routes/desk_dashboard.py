"""The dashboard: reports and incidents per week, by governorate and type, killed and injured
(minimum–maximum) per month, and the queue's age, as server-rendered SVG."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from api.deps import SessionDep
from api.desk import charts
from api.desk.deps import CsrfChecked, CurrentUser
from api.desk.templating import places_of, render
from harmwatch import dashboard, taxonomy
from harmwatch.i18n import N_, is_rtl, translator

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
AGE_LABELS = {
    "day": N_("under a day"),
    "three_days": N_("1–3 days"),
    "week": N_("3–7 days"),
    "month": N_("1–4 weeks"),
    "older": N_("older"),
}


def _queue(**filters: str | None) -> str:
    """The queue (every state) narrowed to what a bar counts."""
    return "/?" + urlencode({"status": "all", **{k: v for k, v in filters.items() if v}})


@router.get("/dashboard")
async def dashboard_page(request: Request, session: SessionDep, user: CurrentUser):
    """Charts of what came in and what was found, in the monitor's language and direction."""
    lang, rtl = user.lang, is_rtl(user.lang)
    _ = translator(lang).gettext
    places = places_of(request)

    def label(kind: str, code) -> str:
        try:
            return _(taxonomy.label(kind, code))
        except KeyError:
            return str(code)

    weeks = await dashboard.reports_per_week(session)
    incident_weeks = await dashboard.incidents_per_week(session)
    governorates = await dashboard.reports_by_governorate(session)
    types = await dashboard.reports_by_type(session)
    months = await dashboard.casualties_per_month(session)
    ages = await dashboard.queue_age(session)
    unknown = _("Unknown")
    figures = {
        "reports_per_week": charts.columns([(w.strftime("%d.%m"), n) for w, n in weeks],
                                           title=_("Reports per week"), rtl=rtl),
        "incidents_per_week": charts.columns([(w.strftime("%d.%m"), n) for w, n in incident_weeks],
                                             title=_("Incidents per week"), rtl=rtl),
        "by_governorate": charts.bars([(places.name(c, lang) if c else unknown, n) for c, n in governorates],
                                      title=_("Reports by %(adm1_level)s"), rtl=rtl,
                                      links=[_queue(adm1=c) if c else None for c, _n in governorates]),
        "by_type": charts.bars(
            [(label("event_type" if t == "harm" else "access_constraint", c) if c else label("report_type", t), n)
             for t, c, n in types[:15]],
            title=_("Reports by type"), rtl=rtl,
            links=[_queue(type=t, category=c) for t, c, _n in types[:15]]),
        "killed": charts.ranges([(m.month.strftime("%m.%Y"), m.killed_min, m.killed_max) for m in months],
                                title=_("Killed per month (minimum–maximum)"), rtl=rtl),
        "injured": charts.ranges([(m.month.strftime("%m.%Y"), m.injured_min, m.injured_max) for m in months],
                                 title=_("Injured per month (minimum–maximum)"), rtl=rtl),
        "queue_age": charts.bars([(_(AGE_LABELS[name]), n) for name, n in ages],
                                 title=_("Open reports by waiting time"), rtl=rtl),
    }
    return render(request, "desk/dashboard.html", {"figures": figures, "months": months})
