"""An incident's states and the moves between them (IncidentState):

  unpublished ──publish──▶ published ──withdraw(reason)──▶ withdrawn ──reopen──▶ unpublished
       └─────────────withdraw(reason)────────────────────────▲
  any but merged ──merge into B──▶ merged (merged_into_id = B; see merging.py)

Publishing needs at least one verified report. When the last verified report leaves (its
decision reopened), the incident is withdrawn with NO_VERIFIED_REPORT: what NGOs were served is
taken back, visibly, and never served as verified again until a monitor re-verifies and
republishes. Every move is an audit event and moves `updated_at`."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.models import Incident
from harmwatch.incidents import provenance
from harmwatch.incidents.assessed import FRAME_FIELDS, PLACE_DETAIL, assessed_values
from harmwatch.incidents.service import IncidentError, codes_of, locality, reports_of, snapshot
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import COUNT_NAMES, Report

S = IncidentState
# withdrawn_reason of an incident withdrawn because no verified report is left (the desk
# translates it; a monitor's own reason is stored as typed).
NO_VERIFIED_REPORT = "no_verified_report"
MAX_REASON_LENGTH = 1000
COUNT_FIELDS = tuple(f"{name}_{end}" for name in COUNT_NAMES for end in ("min", "max"))
MAX_CHAIN = 50  # merged → merged → …: a longer chain would be a loop


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise IncidentError("reason_required")
    if len(reason) > MAX_REASON_LENGTH:
        raise IncidentError("reason_too_long")
    return reason


def require_live(incident: Incident) -> None:
    """Merged incidents are tombstones: nothing changes them any more."""
    if incident.state == S.MERGED:
        raise IncidentError("merged")


async def verified_reports(session: AsyncSession, incident: Incident) -> list[Report]:
    return [r for r in await reports_of(session, incident) if r.status == ReportStatus.VERIFIED]


async def _move(session: AsyncSession, incident: Incident, to: S, *, actor: str, action: str,
                **after: Any) -> Incident:
    before = {"state": incident.state, "withdrawn_reason": incident.withdrawn_reason}
    incident.state = to.value
    incident.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor, action=action, object_type="incident", object_id=incident.id,
                 before=before, after={"state": incident.state, **after})
    return incident


async def publish(session: AsyncSession, incident: Incident, *, actor: str,
                  require_verified: bool = True) -> Incident:
    """Share the incident with NGOs: it needs a verified report behind it (`require_verified`
    is off only for service.set_published, which scripts and tests use)."""
    require_live(incident)
    if incident.state == S.PUBLISHED:
        return incident
    if require_verified and not await verified_reports(session, incident):
        raise IncidentError("no_verified_report")
    incident.withdrawn_reason = ""
    return await _move(session, incident, S.PUBLISHED, actor=actor, action="incident.published")


async def withdraw(session: AsyncSession, incident: Incident, *, actor: str, reason: str) -> Incident:
    """Take the incident back from NGOs (or mark an unpublished one as not to be published),
    with a reason; NGOs see a tombstone in the change feed."""
    require_live(incident)
    reason = reason if reason == NO_VERIFIED_REPORT else _reason(reason)
    if incident.state == S.WITHDRAWN:
        raise IncidentError("already_withdrawn")
    incident.withdrawn_reason = reason
    return await _move(session, incident, S.WITHDRAWN, actor=actor, action="incident.withdrawn", reason=reason)


async def reopen(session: AsyncSession, incident: Incident, *, actor: str) -> Incident:
    """A withdrawn incident becomes an unpublished one again, to be corrected and republished."""
    require_live(incident)
    if incident.state != S.WITHDRAWN:
        raise IncidentError("not_withdrawn")
    incident.withdrawn_reason = ""
    return await _move(session, incident, S.UNPUBLISHED, actor=actor, action="incident.reopened")


async def report_left(session: AsyncSession, incident: Incident, report: Report, *, actor: str,
                      reason: str) -> Incident:
    """A report was taken out of the incident (its decision reopened): what it brought is worked
    out again from the verified reports left (_recount), audited, and the incident is withdrawn
    when no verified report is left behind it."""
    before = snapshot(incident)
    left = await verified_reports(session, incident)
    recounted = await _recount(session, incident, report, left) if left and incident.state != S.MERGED else {}
    incident.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor, action="incident.report_removed", object_type="incident",
                 object_id=incident.id, before=before,
                 after={**snapshot(incident), "report_id": report.id, "reason": reason, "recounted_from": recounted})
    if incident.state != S.MERGED and incident.state != S.WITHDRAWN and not await verified_reports(session, incident):
        await withdraw(session, incident, actor=actor, reason=NO_VERIFIED_REPORT)
    return incident


async def _recount(session: AsyncSession, incident: Incident, leaving: Report, left: list[Report]) -> dict[str, int]:
    """The values that came from reports, worked out from the verified reports `left` (oldest
    first) as the monitor assessed them: each count as DOMAIN.md suggests it (the largest minimum,
    the largest maximum), and the frame and codes that came from `leaving` from the oldest report
    left. What a monitor set on the incident (an edit, a merge's choice) stays. Field → the
    report its new value came from (provenance reads it back)."""
    origins = await provenance.origins(session, incident, provenance.RECOMPUTED)
    creator = await provenance.creator(session, incident)
    recounted: dict[str, int] = {}
    assessed = [(r, assessed_values(r)) for r in left]
    for field in COUNT_FIELDS:
        if origins.get(field, ("report",))[0] != "report":
            continue
        values = [(value, r.id) for r, a in assessed if (value := a[field]) is not None]
        value, source = max(values, key=lambda v: v[0]) if values else (None, None)
        if getattr(incident, field) != value:
            setattr(incident, field, value)
            if source is not None:
                recounted[field] = source
    oldest, oldest_values = assessed[0]
    for field in (*FRAME_FIELDS[1:], *PLACE_DETAIL, "location", "codes"):
        kind, _, source = origins.get(field, ("report", None, creator))
        if kind != "report" or source != leaving.id:
            continue
        if field == "codes":
            value = codes_of(oldest.answers)
        elif field == "location":
            value = await locality(session, oldest_values)
        else:
            value = oldest_values[field]
        if getattr(incident, field) != value:
            setattr(incident, field, value)
            recounted[field] = oldest.id
    return recounted


async def survivor_id(session: AsyncSession, incident_id: int) -> int | None:
    """The incident a merged one now lives in (following merges of merges); None when
    `incident_id` is not a merged incident."""
    current, seen = incident_id, 0
    while seen < MAX_CHAIN:
        row = (await session.execute(select(Incident.state, Incident.merged_into_id)
                                     .where(Incident.id == current))).first()
        if row is None or row.state != S.MERGED or row.merged_into_id is None:
            return current if current != incident_id else None
        current, seen = row.merged_into_id, seen + 1
    return None
