"""Incidents: made from a verified report, merged from several, counts suggested from them."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.forms import exported_answers
from harmwatch.incidents.assessed import FRAME_FIELDS, PLACE_DETAIL, assessed_values, suggested_counts
from harmwatch.incidents import coherence
from harmwatch.incidents.enums import IncidentState
from harmwatch.incidents.errors import IncidentError
from harmwatch.incidents.models import Incident
from harmwatch.places.models import Place
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import COUNT_NAMES, Report

# Answers carried onto the incident's `codes`, question id → key, as the forms declare them
# (Question.export): codes only, never free text, which is private.
CODE_ANSWERS = exported_answers()
EDITABLE = frozenset(
    {*FRAME_FIELDS, *PLACE_DETAIL, "location", "export_decimals", "grade", "summary_public", "notes_private", "codes"}
    | {f"{name}_{end}" for name in COUNT_NAMES for end in ("min", "max")}
)


UNPUBLISHED = "unpublished"  # withdrawn_reason of an incident taken back without a stated reason


def codes_of(answers: dict[str, Any]) -> dict[str, Any]:
    """A report's answers as an incident's codes, under their exported keys."""
    keys = exported_answers()  # read now: the forms are the one declaration (Question.export)
    return {key: answers[qid] for qid, key in keys.items() if answers.get(qid) not in (None, [], "")}


def snapshot(incident: Incident) -> dict[str, Any]:
    return incident.model_dump(mode="json", exclude={"notes_private"})


def version_of(incident: Incident) -> str:
    """A short fingerprint of everything stored on the incident: a form or a merge preview made
    from one version is refused once the incident has changed ("stale")."""
    body = json.dumps(incident.model_dump(mode="json"), sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


async def create_from_report(session: AsyncSession, report: Report, *, actor: str, grade: str | None) -> Incident:
    """A new incident from a verified report, with the monitor's assessed values."""
    values = assessed_values(report)
    incident = Incident(
        **values,
        location=await locality(session, values),
        grade=grade,
        codes=codes_of(report.answers),
    )
    session.add(incident)
    await session.flush()
    await record(session, actor=actor, action="incident.created", object_type="incident", object_id=incident.id,
                 after={**snapshot(incident), "report_id": report.id})
    return incident


async def locality(session: AsyncSession, values: dict[str, Any]) -> str | None:
    """The published name of the place below the district (the town or village, else the
    sub-district) that the values name, from the stored gazetteer; None above the district."""
    for field in ("adm4_pcode", "adm3_pcode"):
        if values.get(field) and (place := await session.get(Place, values[field])) is not None:
            return place.name
    return None


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
    """Merge without a preview, keeping the survivor's counts (scripts, tests): see merging.py."""
    from harmwatch.incidents import merging

    return await merging.merge(session, target=target, others=others, actor=actor)


async def update(session: AsyncSession, incident: Incident, *, actor: str, changes: dict[str, Any],
                 version: str | None = None) -> Incident:
    """Apply a monitor's edits, made on `version` of the incident (refused as "stale" once it has
    changed since), when the result is coherent (coherence.py); nothing changes otherwise."""
    if incident.state == IncidentState.MERGED:
        raise IncidentError("merged")
    if version is not None and version != version_of(incident):
        raise IncidentError("stale")
    unknown = set(changes) - EDITABLE
    if unknown:
        raise IncidentError("not_editable")
    await coherence.check(session, {**snapshot(incident), **changes})
    before = snapshot(incident)
    for field, value in changes.items():
        setattr(incident, field, value)
    incident.updated_at = utcnow()
    await session.flush()
    await record(session, actor=actor, action="incident.updated", object_type="incident", object_id=incident.id,
                 before=before, after=snapshot(incident))
    return incident


async def set_published(session: AsyncSession, incident: Incident, *, actor: str, published: bool) -> Incident:
    """For scripts and tests: publish (without lifecycle.publish's verified-report check), or take
    a published incident back (a withdrawal, so NGOs see a tombstone). The desk uses lifecycle."""
    from harmwatch.incidents import lifecycle

    if published:
        await lifecycle.publish(session, incident, actor=actor, require_verified=False)
    elif incident.state == IncidentState.PUBLISHED:
        await lifecycle.withdraw(session, incident, actor=actor, reason=UNPUBLISHED)
    return incident
