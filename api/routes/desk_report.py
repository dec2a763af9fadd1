"""The report page: every answer labelled, the reporter's own words, media (stripped copies,
SHA-256), place and map link, pseudonym and track record, duplicates side by side, the thread."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from sqlmodel import select

from api.deps import SessionDep, SettingsDep
from api.desk import answers
from api.desk.deps import AdminUser, CsrfChecked, CurrentUser, DeskHTTPError, ReportDep, get_or_404
from api.desk.templating import environment, places_of, render, request_language, typed_values
from api.desk.flow import queue_filter
from harmwatch.accounts.models import User
from harmwatch.audit.models import AuditEvent
from harmwatch.audit.service import record
from harmwatch.i18n import N_, is_rtl, translator
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.models import Incident
from harmwatch.reporters.models import Reporter
from harmwatch.reporters.service import track_record
from harmwatch.reports.models import COUNT_NAMES, Media, Report, ReportMessage
from harmwatch.review import collaboration, confirmation, duplicates, queue
from harmwatch.review import media as review_media
from harmwatch.review import service as review
from harmwatch.review.service import actor_of

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
INCIDENT_WINDOW = timedelta(days=7)
HISTORY_LIMIT = 200
# Side by side: the frame fields compared between a report and a possible duplicate.
COMPARED = ("report_type", "event_type", "access_constraint", "occurred_on", "adm1_pcode", "adm2_pcode",
            "lat", "lon", *(f"{n}_{e}" for n in ("killed", "injured", "missing") for e in ("min", "max")))


# The counts a monitor may assess on the verify form, by report type (the form's own counts).
VERIFY_COUNTS = {"harm": ("killed", "children_killed", "injured", "children_injured", "missing"),
                 "access": ("aid_workers_killed", "aid_workers_injured", "aid_workers_abducted", "people_not_reached")}


async def incident_choices(session, report: Report) -> list[Incident]:
    """Incidents a report may join: same type, close in time, same governorate (or any place)."""
    query = select(Incident).where(Incident.report_type == report.report_type,
                                   Incident.state != IncidentState.MERGED.value)
    if report.occurred_on:
        query = query.where(Incident.occurred_on.between(report.occurred_on - INCIDENT_WINDOW,
                                                         report.occurred_on + INCIDENT_WINDOW))
    if report.adm1_pcode:
        query = query.where(Incident.adm1_pcode == report.adm1_pcode)
    query = query.order_by(Incident.occurred_on.desc(), Incident.id.desc()).limit(20)
    return list((await session.scalars(query)).all())


def map_link(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=15/{lat:.5f}/{lon:.5f}"


@router.get("/reports/{report_id}")
async def report_page(request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser,
                      report: ReportDep, queue_qs: str | None = None):
    """One report, with everything a monitor needs to decide."""
    lang = user.lang
    gazetteer = places_of(request)
    reporter = await session.get(Reporter, report.reporter_id) if report.reporter_id else None
    media = list((await session.scalars(select(Media).where(Media.report_id == report.id).order_by(Media.id))).all())
    thread = list((await session.scalars(
        select(ReportMessage).where(ReportMessage.report_id == report.id).order_by(ReportMessage.id))).all())
    candidates = await duplicates.candidates(session, report)
    previous = following = None
    if queue_qs is not None:
        previous, following = await queue.neighbours(session, queue_filter(request, queue_qs), report)
    mine = report.claimed_by_id == user.id and review.claim_is_live(report, review.utcnow())
    await collaboration.mark_read(session, user.id, report_id=report.id)
    authors = await queue.reviewer_names(session, [report])
    message_authors = {m.user_id for m in thread if m.user_id}
    if message_authors:
        rows = await session.execute(select(User.id, User.name).where(User.id.in_(message_authors)))
        authors.update(dict(rows.all()))
    return render(request, "desk/report.html", {
        "report": report,
        "answers": answers.rows(report.form_id, report.form_version, report.answers, lang,
                                lambda p: gazetteer.name(p, lang)),
        "reporter": reporter,
        "record": await track_record(session, reporter.id) if reporter else None,
        "media": media,
        "viewable": review_media.is_viewable,
        "thread": thread,
        "candidates": candidates,
        "compared": COMPARED,
        "incident": await session.get(Incident, report.incident_id) if report.incident_id else None,
        "duplicate_of": await session.get(Report, report.duplicate_of_id) if report.duplicate_of_id else None,
        "incident_choices": await incident_choices(session, report) if mine else [],
        "verify_typed": typed_values(request, "verify-form") or {},
        "verified_counts": VERIFY_COUNTS[report.report_type],
        "names": authors,
        "claim_live": review.claim_is_live(report, review.utcnow()),
        "claim_seconds": review.claim_seconds_left(report, review.utcnow()),
        "claim_ttl": int(review.CLAIM_TTL.total_seconds()),
        "mine": mine,
        "proposal": await confirmation.proposal_of(session, report),
        "second_verification": settings.require_second_verification,
        "map_link": map_link(report.lat, report.lon),
        "count_names": COUNT_NAMES,
        "previous": previous,
        "following": following,
        "queue_qs": queue_qs,
        "comments": await collaboration.comments_on(session, report_id=report.id),
        "history": list((await session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "report", AuditEvent.object_id == str(report.id))
            .order_by(AuditEvent.id).limit(HISTORY_LIMIT))).all()),
        "comments_action": f"/reports/{report.id}/comments",
        "assignees": await collaboration.assignees(session),
    })

# What the placeholder image says in place of a photo that cannot be shown.
PLACEHOLDERS = {
    "too_large": N_("This photo is too large to be shown safely. The original is kept unchanged: an admin "
                    "can download it."),
    "unreadable": N_("This photo cannot be shown: the file is damaged or not an image the desk can read. "
                     "The original is kept unchanged."),
    "missing": N_("This photo's file is missing from the media folder."),
}


def placeholder(request: Request, reason: str) -> Response:
    """An image that says, in the monitor's language, why the photo is not there."""
    lang = request_language(request)
    text = translator(lang).gettext(PLACEHOLDERS[reason])
    svg = environment(lang).get_template("desk/media_placeholder.svg").render(
        lines=textwrap.wrap(text, 46), rtl=is_rtl(lang))
    return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-store"})


async def _submitted_media(session, media_id: str) -> Media:
    """A file of a submitted report; a draft's file, or one left from a discarded draft, is not found."""
    media = await get_or_404(session, Media, media_id)
    if media.report_id is None:
        raise DeskHTTPError(404)
    return media


@router.get("/media/{media_id}")
async def media_view(request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser,
                     media_id: str):
    """A photo, from a copy without its location metadata; each view is an audit event."""
    media = await _submitted_media(session, media_id)
    try:
        copy = await review_media.view_copy(settings.media_dir, media)
    except review_media.MediaUnavailable as unavailable:
        if unavailable.reason not in PLACEHOLDERS:
            raise DeskHTTPError(404, "media_unavailable") from None
        await record(session, actor=actor_of(user), action="media.viewed", object_type="media",
                     object_id=media.id, after={"report_id": media.report_id, "sha256": media.sha256,
                                                "copy": "placeholder", "reason": unavailable.reason})
        return placeholder(request, unavailable.reason)
    await record(session, actor=actor_of(user), action="media.viewed", object_type="media", object_id=media.id,
                 after={"report_id": media.report_id, "sha256": media.sha256, "copy": "exif_stripped"})
    return FileResponse(copy.path, media_type=copy.mime_type, headers={"cache-control": "no-store"})


@router.get("/media/{media_id}/original")
async def media_original(request: Request, session: SessionDep, settings: SettingsDep, user: AdminUser,
                         media_id: str):
    """The untouched original (with any location metadata), for admins only, as a download."""
    media = await _submitted_media(session, media_id)
    path = review_media.original_path(settings.media_dir, media)
    if not path.is_file():
        raise DeskHTTPError(404, "media_unavailable")
    await record(session, actor=actor_of(user), action="media.original_downloaded", object_type="media",
                 object_id=media.id, after={"report_id": media.report_id, "sha256": media.sha256})
    return FileResponse(path, media_type="application/octet-stream", filename=f"{media.sha256}",
                        headers={"cache-control": "no-store"})
