"""Where each value of an incident came from: the report (and the monitor who verified it,
and whether the monitor assessed the value or kept the reporter's), a monitor's edit, or a
merge. Read back from the audit log, which records every change with its before and after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.models import User
from harmwatch.audit.models import AuditEvent
from harmwatch.incidents.assessed import ASSESSED_CODES, FRAME_FIELDS, PLACE_DETAIL, assessed_count, normalised_of
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import COUNT_NAMES, Report

TRACKED = (*FRAME_FIELDS[1:], "grade", *(f"{n}_{e}" for n in COUNT_NAMES for e in ("min", "max")))


@dataclass(frozen=True)
class Source:
    kind: str  # "report", "edit" or "merge"
    monitor: str | None  # who verified the report, edited or merged
    at: datetime
    report_id: int | None = None
    ref_code: str | None = None
    assessed: bool = False  # a report's value as the monitor assessed it, not as reported


def _monitor(actor: str) -> str | None:
    return actor.split(":", 1)[1] if actor.startswith("user:") else None


def _was_assessed(report: Report, field: str) -> bool:
    if field in ASSESSED_CODES:
        return bool(normalised_of(report).get(field))
    name = field.rsplit("_", 1)[0]
    return name in COUNT_NAMES and assessed_count(report, name)[2]


# What a report leaving its incident recomputes (incidents.lifecycle.report_left).
RECOMPUTED = (*TRACKED, *PLACE_DETAIL, "location", "codes")


async def origins(session: AsyncSession, incident: Incident,
                  names: tuple[str, ...] = TRACKED) -> dict[str, tuple[str, AuditEvent, int | None]]:
    """Field → (kind, the audit event, the report id) of the last change to it, from the audit log:
    kind "report" (the report that created the incident or widened a count, or a recount when a
    report left), "edit" (a monitor's own value) or "merge". Fields never set are left out."""
    events = (await session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident.id)).order_by(AuditEvent.id))).all()
    found: dict[str, tuple[str, AuditEvent, int | None]] = {}
    first_report: int | None = None
    for event in events:
        before, after = event.before or {}, event.after or {}
        if event.action == "incident.created":
            if first_report is None:
                first_report = after.get("report_id") or await _oldest_report(session, incident)
            for name in names:
                if after.get(name) not in (None, {}, []):
                    found[name] = ("report", event, first_report)
        elif event.action in ("incident.report_added", "incident.updated", "incident.merged",
                              "incident.report_removed"):
            kind = {"incident.updated": "edit", "incident.merged": "merge"}.get(event.action, "report")
            for name in names:
                if name in after and before.get(name) != after.get(name):
                    # A recount after a report left: the value is that of the verified reports left.
                    source = after.get("recounted_from", {}).get(name) if event.action == "incident.report_removed" \
                        else after.get("report_id")
                    found[name] = (kind, event, source)
    return found


async def creator(session: AsyncSession, incident: Incident) -> int | None:
    """The report the incident was made from."""
    created = await session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "incident", AuditEvent.object_id == str(incident.id),
        AuditEvent.action == "incident.created").order_by(AuditEvent.id).limit(1))
    return (created.after or {}).get("report_id") if created is not None else None


async def _oldest_report(session: AsyncSession, incident: Incident) -> int | None:
    return await session.scalar(select(Report.id).where(Report.incident_id == incident.id).order_by(Report.id).limit(1))


async def sources(session: AsyncSession, incident: Incident) -> dict[str, Source]:
    """Field → where its current value came from (fields without a value are left out)."""
    reports = {r.id: r for r in (await session.scalars(select(Report).where(Report.incident_id == incident.id))).all()}
    found = await origins(session, incident)
    names = await _reviewers(session, [r for r in reports.values() if r.reviewed_by_id])
    result: dict[str, Source] = {}
    for name, (kind, event, report_id) in found.items():
        if getattr(incident, name) is None:
            continue
        report = reports.get(report_id) if report_id else None
        if kind == "report" and report is not None:
            result[name] = Source("report", names.get(report.reviewed_by_id), event.at, report.id, report.ref_code,
                                  _was_assessed(report, name))
        else:
            result[name] = Source(kind, _monitor(event.actor), event.at, report_id)
    return result


async def _reviewers(session: AsyncSession, reports: list[Report]) -> dict[int, str]:
    ids = {r.reviewed_by_id for r in reports}
    if not ids:
        return {}
    return dict((await session.execute(select(User.id, User.name).where(User.id.in_(ids)))).all())
