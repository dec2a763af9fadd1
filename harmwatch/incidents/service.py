"""Incidents: made from a verified report, merged from several, counts suggested from them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.models import Incident
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import COUNT_NAMES, Report

FRAME_FIELDS = (
    "report_type",
    "event_type",
    "access_constraint",
    "occurred_on",
    "time_precision",
    "adm1_pcode",
    "adm2_pcode",
    "lat",
    "lon",
    "geo_precision",
)
# Multi-valued answers carried onto the incident's `codes` (never free text: that is private).
CODE_ANSWERS = ("weapon", "objects_hit", "sectors", "actor_types", "sources", "duration", "resolved", "time_of_day")
EDITABLE = frozenset(
    {*FRAME_FIELDS, "export_decimals", "grade", "summary_public", "notes_private", "codes"}
    | {f"{name}_{end}" for name in COUNT_NAMES for end in ("min", "max")}
)


class IncidentError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def suggested_counts(reports: Iterable[Report]) -> dict[str, int | None]:
    """DOMAIN.md: minimum = the largest verified minimum, maximum = the largest verified maximum;
    unknown stays unknown."""
    reports = list(reports)
    counts: dict[str, int | None] = {}
    for name in COUNT_NAMES:
        for end in ("min", "max"):
            values = [getattr(r, f"{name}_{end}") for r in reports if getattr(r, f"{name}_{end}") is not None]
            counts[f"{name}_{end}"] = max(values) if values else None
    return counts


def _codes(report: Report) -> dict[str, Any]:
    return {key: report.answers[key] for key in CODE_ANSWERS if report.answers.get(key) not in (None, [], "")}


def snapshot(incident: Incident) -> dict[str, Any]:
    return incident.model_dump(mode="json", exclude={"notes_private"})


async def create_from_report(session: AsyncSession, report: Report, *, actor: str, grade: str | None) -> Incident:
    incident = Incident(
        **{field: getattr(report, field) for field in FRAME_FIELDS},
        **suggested_counts([report]),
        grade=grade,
        codes=_codes(report),
    )
    session.add(incident)
    await session.flush()
    await record(session, actor=actor, action="incident.created", object_type="incident", object_id=incident.id,
                 after=snapshot(incident))
    return incident


async def reports_of(session: AsyncSession, incident: Incident) -> list[Report]:
    return list((await session.scalars(select(Report).where(Report.incident_id == incident.id).order_by(Report.id))).all())


async def _widen_counts(session: AsyncSession, incident: Incident) -> None:
    """Raise the counts to what the verified reports now suggest; never lower a monitor's figure."""
    await session.flush()
    verified = [r for r in await reports_of(session, incident) if r.status == ReportStatus.VERIFIED]
    for field, value in suggested_counts(verified).items():
        if value is not None and (getattr(incident, field) is None or value > getattr(incident, field)):
            setattr(incident, field, value)
    incident.updated_at = utcnow()
    await session.flush()


async def add_report(session: AsyncSession, incident: Incident, report: Report, *, actor: str) -> Incident:
    """A newly verified report joins an existing incident."""
    before = snapshot(incident)
    report.incident_id = incident.id
    await _widen_counts(session, incident)
    await record(session, actor=actor, action="incident.report_added", object_type="incident",
                 object_id=incident.id, before=before, after={**snapshot(incident), "report_id": report.id})
    return incident


async def merge(session: AsyncSession, *, target: Incident, others: list[Incident], actor: str) -> Incident:
    """Move every report of `others` onto `target`, delete the others, and widen the counts."""
    for other in others:
        if other.id == target.id:
            raise IncidentError("merge_into_itself")
        if other.report_type != target.report_type:
            raise IncidentError("different_types")
    before = snapshot(target)
    for other in others:
        for report in await reports_of(session, other):
            report.incident_id = target.id
        await session.flush()
        await session.delete(other)
    await _widen_counts(session, target)
    await record(session, actor=actor, action="incident.merged", object_type="incident", object_id=target.id,
                 before=before, after={**snapshot(target), "merged": [o.id for o in others]})
    return target


async def update(session: AsyncSession, incident: Incident, *, actor: str, changes: dict[str, Any]) -> Incident:
    """Apply a monitor's edits; counts must stay ranges (min <= max, none negative)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise IncidentError("not_editable")
    merged = {**snapshot(incident), **changes}
    for name in COUNT_NAMES:
        low, high = merged.get(f"{name}_min"), merged.get(f"{name}_max")
        if (low is not None and low < 0) or (high is not None and high < 0):
            raise IncidentError("negative_count")
        if low is not None and high is not None and low > high:
            raise IncidentError("min_above_max")
    before = snapshot(incident)
    for field, value in changes.items():
        setattr(incident, field, value)
    incident.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor, action="incident.updated", object_type="incident", object_id=incident.id,
                 before=before, after=snapshot(incident))
    return incident


async def set_published(session: AsyncSession, incident: Incident, *, actor: str, published: bool) -> Incident:
    incident.state = (IncidentState.PUBLISHED if published else IncidentState.UNPUBLISHED).value
    incident.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor, action="incident.published" if published else "incident.unpublished",
                 object_type="incident", object_id=incident.id)
    return incident
