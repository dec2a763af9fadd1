"""Aggregates for the desk's dashboard: reports and incidents per week, by governorate and
type, casualty ranges per month, and how long open reports have waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import Report

WEEKS = 26
MONTHS = 12
OPEN = (ReportStatus.SUBMITTED.value, ReportStatus.IN_REVIEW.value, ReportStatus.NEEDS_INFO.value)
AGE_BUCKETS = (("day", timedelta(days=1)), ("three_days", timedelta(days=3)), ("week", timedelta(days=7)),
               ("month", timedelta(days=30)))


@dataclass(frozen=True)
class CasualtyMonth:
    month: date
    killed_min: int
    killed_max: int
    injured_min: int
    injured_max: int


def _is_pg(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "postgresql"


def _week_of(session: AsyncSession, column: Any) -> Any:
    if _is_pg(session):
        return sa.cast(sa.func.date_trunc("week", column), sa.Date)
    return sa.func.date(column, "-6 days", "weekday 1")


def _month_of(session: AsyncSession, column: Any) -> Any:
    if _is_pg(session):
        return sa.cast(sa.func.date_trunc("month", column), sa.Date)
    return sa.func.strftime("%Y-%m-01", column)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _fill_weeks(found: dict[date, int], start: date, weeks: int) -> list[tuple[date, int]]:
    return [(start + timedelta(weeks=i), found.get(start + timedelta(weeks=i), 0)) for i in range(weeks)]


async def per_week(session: AsyncSession, model: Any, column: Any, *, weeks: int = WEEKS,
                   today: date | None = None) -> list[tuple[date, int]]:
    start = monday(today or utcnow().date()) - timedelta(weeks=weeks - 1)
    since = datetime.combine(start, datetime.min.time(), tzinfo=utcnow().tzinfo)
    week = _week_of(session, column).label("week")
    rows = await session.execute(select(week, sa.func.count()).select_from(model).where(column >= since).group_by(week))
    return _fill_weeks({_as_date(w): n for w, n in rows.all() if w is not None}, start, weeks)


async def reports_per_week(session: AsyncSession, **kw: Any) -> list[tuple[date, int]]:
    return await per_week(session, Report, Report.submitted_at, **kw)


async def incidents_per_week(session: AsyncSession, **kw: Any) -> list[tuple[date, int]]:
    return await per_week(session, Incident, Incident.created_at, **kw)


def _since(weeks: int) -> datetime:
    return utcnow() - timedelta(weeks=weeks)


async def reports_by_governorate(session: AsyncSession, *, weeks: int = WEEKS) -> list[tuple[str | None, int]]:
    rows = await session.execute(
        select(Report.adm1_pcode, sa.func.count()).where(Report.submitted_at >= _since(weeks))
        .group_by(Report.adm1_pcode).order_by(sa.func.count().desc())
    )
    return [(code, n) for code, n in rows.all()]


async def reports_by_type(session: AsyncSession, *, weeks: int = WEEKS) -> list[tuple[str, str | None, int]]:
    """(report type, event type or access constraint, count), largest first."""
    category = sa.func.coalesce(Report.event_type, Report.access_constraint).label("category")
    rows = await session.execute(
        select(Report.report_type, category, sa.func.count()).where(Report.submitted_at >= _since(weeks))
        .group_by(Report.report_type, category).order_by(sa.func.count().desc())
    )
    return [(t, c, n) for t, c, n in rows.all()]


async def casualties_per_month(session: AsyncSession, *, months: int = MONTHS,
                               today: date | None = None) -> list[CasualtyMonth]:
    """Sums of the verified incidents' minimums and maximums by month of occurrence; unknown
    counts add nothing (they are not zero, they are left out)."""
    today = today or utcnow().date()
    first = date(today.year, today.month, 1)
    starts = []
    for _ in range(months):
        starts.insert(0, first)
        first = (first - timedelta(days=1)).replace(day=1)
    month = _month_of(session, Incident.occurred_on).label("month")
    sums = [sa.func.coalesce(sa.func.sum(getattr(Incident, f)), 0)
            for f in ("killed_min", "killed_max", "injured_min", "injured_max")]
    rows = await session.execute(
        select(month, *sums).where(Incident.occurred_on >= starts[0]).group_by(month)
    )
    found = {_as_date(m): values for m, *values in rows.all() if m is not None}
    return [CasualtyMonth(s, *[int(v) for v in found.get(s, (0, 0, 0, 0))]) for s in starts]


async def queue_age(session: AsyncSession, *, now: datetime | None = None) -> list[tuple[str, int]]:
    """Open reports by how long ago they came in: under a day, 1-3 days, 3-7, 7-30, older."""
    now = now or utcnow()
    cases = [(Report.submitted_at > now - age, name) for name, age in AGE_BUCKETS]
    bucket = sa.case(*cases, else_="older").label("bucket")
    rows = await session.execute(
        select(bucket, sa.func.count()).where(Report.status.in_(OPEN)).group_by(bucket)
    )
    found = dict(rows.all())
    return [(name, found.get(name, 0)) for name, _ in AGE_BUCKETS] + [("older", found.get("older", 0))]
