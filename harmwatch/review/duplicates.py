"""Possible duplicates (DOMAIN.md): reports of the same type within a few days and a few
kilometres (or in the same district when there is no point), or with identical media. Reports
of another event type are set apart (near, but not proposed as duplicates), and pairs a
monitor called "not related" are not proposed again."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.audit.service import record
from harmwatch.places.gazetteer import haversine_km
from harmwatch.reports.models import Media, Report
from harmwatch.review.models import NotRelated

WINDOW_DAYS = 3
RADIUS_KM = 5.0
LIMIT = 10
SCAN_LIMIT = 500  # candidates weighed per query; only the best LIMIT are loaded in full


@dataclass
class Candidate:
    report: Report
    reasons: list[str] = field(default_factory=list)  # "near", "same_district", "same_media"
    distance_km: float | None = None
    days_apart: int | None = None
    # Another event type or access constraint: shown apart, never offered as a duplicate
    # (identical media is always offered: the same photo is the same event).
    other_kind: bool = False


@dataclass
class _Found:
    """A candidate before its full row is loaded: only what ranking needs."""

    id: int
    occurred_on: date | None
    reasons: list[str] = field(default_factory=list)
    distance_km: float | None = None


_KEY_COLUMNS = (Report.id, Report.lat, Report.lon, Report.adm2_pcode, Report.occurred_on)


def _near_or_same_district(report: Report, row: Any) -> tuple[str | None, float | None]:
    if None not in (report.lat, report.lon, row.lat, row.lon):
        distance = haversine_km(report.lat, report.lon, row.lat, row.lon)
        return ("near" if distance <= RADIUS_KM else None), distance
    if report.adm2_pcode and report.adm2_pcode == row.adm2_pcode:
        return "same_district", None
    return None, None


async def _same_place_and_time(session: AsyncSession, report: Report) -> list[Any]:
    """Two queries rather than one OR, so that each can use its own index: same district,
    and within a box of RADIUS_KM around the point (refined to a true distance afterwards)."""
    if report.occurred_on is None:
        return []
    window = timedelta(days=WINDOW_DAYS)
    common = (
        Report.report_type == report.report_type,
        Report.occurred_on.between(report.occurred_on - window, report.occurred_on + window),
        Report.id != report.id,
    )
    rows: dict[int, Any] = {}
    if report.adm2_pcode:
        query = select(*_KEY_COLUMNS).where(*common, Report.adm2_pcode == report.adm2_pcode).limit(SCAN_LIMIT)
        rows.update((row.id, row) for row in (await session.execute(query)).all())
    if report.lat is not None and report.lon is not None:
        dlat = RADIUS_KM / 111.0
        dlon = RADIUS_KM / (111.0 * max(0.1, math.cos(math.radians(report.lat))))
        query = select(*_KEY_COLUMNS).where(
            *common,
            Report.lat.between(report.lat - dlat, report.lat + dlat),
            Report.lon.between(report.lon - dlon, report.lon + dlon),
        ).limit(SCAN_LIMIT)
        rows.update((row.id, row) for row in (await session.execute(query)).all())
    return list(rows.values())


async def _same_media(session: AsyncSession, report: Report) -> list[Any]:
    if not report.has_media:
        return []
    hashes = select(Media.sha256).where(Media.report_id == report.id).scalar_subquery()
    ids = select(Media.report_id).where(Media.sha256.in_(hashes), Media.report_id != report.id).distinct()
    query = select(Report.id, Report.occurred_on).where(Report.id.in_(ids)).limit(LIMIT)
    return list((await session.execute(query)).all())


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _days_apart(report: Report, found: _Found) -> int | None:
    if report.occurred_on and found.occurred_on:
        return abs((found.occurred_on - report.occurred_on).days)
    return None


def _other_kind(report: Report, other: Report, reasons: list[str]) -> bool:
    if "same_media" in reasons:
        return False
    mine = report.event_type or report.access_constraint
    theirs = other.event_type or other.access_constraint
    return bool(mine and theirs and mine != theirs)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


async def _not_related(session: AsyncSession, report: Report) -> set[int]:
    rows = await session.execute(select(NotRelated.report_id, NotRelated.other_id).where(
        sa.or_(NotRelated.report_id == report.id, NotRelated.other_id == report.id)))
    return {b if a == report.id else a for a, b in rows.all()}


async def mark_not_related(session: AsyncSession, report: Report, other: Report, *, user_id: int,
                           actor: str) -> None:
    """Remember that two reports are about different events (audited; asked twice, kept once)."""
    low, high = _pair(report.id, other.id)
    exists = await session.scalar(select(NotRelated.id).where(NotRelated.report_id == low,
                                                              NotRelated.other_id == high))
    if exists is None:
        session.add(NotRelated(report_id=low, other_id=high, decided_by_id=user_id))
        await session.flush()
        await record(session, actor=actor, action="report.not_related", object_type="report", object_id=report.id,
                     after={"other_report_id": other.id})


async def candidates(session: AsyncSession, report: Report, *, limit: int = LIMIT) -> list[Candidate]:
    """The likeliest duplicates first: same media, then nearest in time and place."""
    found: dict[int, _Found] = {}
    for row in await _same_media(session, report):
        found[row.id] = _Found(row.id, row.occurred_on, ["same_media"])
    for row in await _same_place_and_time(session, report):
        reason, distance = _near_or_same_district(report, row)
        if reason is None:
            continue
        entry = found.setdefault(row.id, _Found(row.id, row.occurred_on))
        entry.reasons.append(reason)
        entry.distance_km = distance
    for other_id in await _not_related(session, report):
        found.pop(other_id, None)
    ranked = sorted(
        found.values(),
        key=lambda f: ("same_media" not in f.reasons, _or(_days_apart(report, f), 99),
                       _or(f.distance_km, RADIUS_KM), f.id),
    )[:limit]
    if not ranked:
        return []
    rows = await session.scalars(select(Report).where(Report.id.in_([f.id for f in ranked])))
    loaded = {r.id: r for r in rows.all()}
    return [Candidate(loaded[f.id], f.reasons, f.distance_km, _days_apart(report, f),
                      _other_kind(report, loaded[f.id], f.reasons)) for f in ranked if f.id in loaded]
