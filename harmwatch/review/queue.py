"""The monitors' queue: reports by state with (capped) counts, filters, text search in the
answers, sorts and keyset pagination, so a deep page costs what the first one does."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.models import User
from harmwatch.reporters.models import Reporter
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import Report
from harmwatch.review.models import SavedFilter, VerificationProposal

PAGE_SIZE = 50
COUNT_CAP = 1000  # counting further only costs time: "1000+" says enough
NO_DATE = date(1, 1, 1)  # sorts reports without a date last (occurred sort)
SORTS = ("newest", "oldest", "occurred", "casualties")
NO_COUNT = -1  # sorts reports with no casualty figure last (casualties sort)


@dataclass(frozen=True)
class QueueFilter:
    """What the monitor narrowed the queue to. None means "any"."""

    status: str | None = ReportStatus.SUBMITTED.value
    report_type: str | None = None
    category: str | None = None  # an event type or an access constraint code
    adm1: str | None = None
    adm2: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    lang: str | None = None
    has_media: bool | None = None
    grade: str | None = None
    pseudonym: str | None = None
    text: str | None = None
    assigned_to: int | None = None  # a monitor's id: the reports handed to them
    awaiting_confirmation: bool = False  # only verifications proposed for a second monitor's confirmation
    sort: str = "newest"


@dataclass
class QueuePage:
    reports: list[Report]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text_condition(session: AsyncSession, text: str) -> sa.ColumnElement[bool]:
    """The text in any answer (or the reference code). PostgreSQL reads the JSONB as text;
    SQLite walks the JSON so that non-ASCII text, stored escaped, is compared decoded."""
    text = text.strip()
    pattern = _like_pattern(text)
    # Any part of a reference code ("TNC9" finds HW-7KQ2-TNC9), as monitors copy it from chats.
    by_code = sa.func.upper(Report.ref_code).like(_like_pattern(text.upper()), escape="\\")
    if session.bind.dialect.name == "postgresql":
        return sa.or_(by_code, sa.cast(Report.answers, sa.Text).ilike(pattern, escape="\\"))
    tree = sa.func.json_tree(Report.answers).table_valued("value", "type").alias("answer")
    found = (
        select(sa.literal(1))
        .select_from(tree)
        .where(tree.c.type == "text", tree.c.value.ilike(pattern, escape="\\"))
        .exists()
    )
    return sa.or_(by_code, found)


def conditions(session: AsyncSession, f: QueueFilter) -> list[sa.ColumnElement[bool]]:
    where: list[sa.ColumnElement[bool]] = []
    if f.status:
        where.append(Report.status == f.status)
    if f.report_type:
        where.append(Report.report_type == f.report_type)
    if f.category:
        where.append(sa.or_(Report.event_type == f.category, Report.access_constraint == f.category))
    if f.adm1:
        where.append(Report.adm1_pcode == f.adm1)
    if f.adm2:
        where.append(Report.adm2_pcode == f.adm2)
    if f.occurred_from:
        where.append(Report.occurred_on >= f.occurred_from)
    if f.occurred_to:
        where.append(Report.occurred_on <= f.occurred_to)
    if f.lang:
        where.append(Report.lang == f.lang)
    if f.has_media is not None:
        where.append(Report.has_media.is_(f.has_media))
    if f.grade:
        where.append(Report.grade == f.grade)
    if f.pseudonym:
        reporter = select(Reporter.id).where(Reporter.pseudonym == f.pseudonym.strip()).scalar_subquery()
        where.append(Report.reporter_id == reporter)
    if f.assigned_to is not None:
        where.append(Report.assigned_to_id == f.assigned_to)
    if f.awaiting_confirmation:
        where.append(sa.exists().where(VerificationProposal.report_id == Report.id))
    if f.text and f.text.strip():
        where.append(_text_condition(session, f.text))
    return where


def _sort_key(sort: str) -> tuple[sa.ColumnElement[Any], bool]:
    """The column to sort on and whether it is descending (the id breaks ties the same way)."""
    if sort == "casualties":  # the most killed first (by the upper figure), then the most injured
        return _casualties_key(), True
    if sort == "oldest":
        return Report.submitted_at, False
    if sort == "occurred":
        return sa.func.coalesce(Report.occurred_on, NO_DATE), True
    return Report.submitted_at, True


def _casualties_key() -> sa.ColumnElement[int]:
    killed = sa.cast(sa.func.coalesce(Report.killed_max, Report.killed_min, NO_COUNT), sa.BigInteger)
    injured = sa.cast(sa.func.coalesce(Report.injured_max, Report.injured_min, NO_COUNT), sa.BigInteger)
    # One number, so the keyset stays a row comparison: killed weigh above any injured count.
    return killed * 1_000_000 + (injured + 1)


def _casualties_value(report: Report) -> int:
    killed = next((v for v in (report.killed_max, report.killed_min) if v is not None), NO_COUNT)
    injured = next((v for v in (report.injured_max, report.injured_min) if v is not None), NO_COUNT)
    return killed * 1_000_000 + (injured + 1)


def _sort_value(sort: str, report: Report) -> Any:
    if sort == "occurred":
        return report.occurred_on or NO_DATE
    if sort == "casualties":
        return _casualties_value(report)
    return report.submitted_at


def encode_cursor(sort: str, report: Report) -> str:
    value = _sort_value(sort, report)
    raw = f"{value if isinstance(value, int) else value.isoformat()}|{report.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str | None) -> tuple[Any, int] | None:
    """The (value, id) a page starts after; None for a missing or garbled cursor."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, ident = raw.rsplit("|", 1)
        parsed = (date.fromisoformat(value) if sort == "occurred" else int(value) if sort == "casualties"
                  else datetime.fromisoformat(value))
        return parsed, int(ident)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


async def counts(session: AsyncSession) -> dict[str, int]:
    """How many reports each state has, counted up to COUNT_CAP + 1 ("1000+"). Counted over
    the whole queue, not the filters: an index-only count stays cheap at millions of rows,
    where a filtered one would read a row for each report counted."""
    result: dict[str, int] = {}
    for status in ReportStatus:
        capped = select(Report.id).where(Report.status == status.value).limit(COUNT_CAP + 1).subquery()
        result[status.value] = await session.scalar(select(sa.func.count()).select_from(capped)) or 0
    return result


async def page(session: AsyncSession, f: QueueFilter, *, cursor: str | None = None,
               size: int = PAGE_SIZE, with_counts: bool = True) -> QueuePage:
    sort = f.sort if f.sort in SORTS else "newest"
    column, descending = _sort_key(sort)
    query = select(Report).where(*conditions(session, f))
    after = decode_cursor(sort, cursor)
    if after is not None:
        value, ident = after
        # A row comparison, which PostgreSQL turns into an index range (an OR would scan).
        key, start = sa.tuple_(column, Report.id), sa.tuple_(value, ident)
        query = query.where(key < start if descending else key > start)
    order = (column.desc(), Report.id.desc()) if descending else (column.asc(), Report.id.asc())
    rows = list((await session.scalars(query.order_by(*order).limit(size + 1))).all())
    next_cursor = encode_cursor(sort, rows[size - 1]) if len(rows) > size else None
    return QueuePage(
        reports=rows[:size],
        next_cursor=next_cursor,
        counts=await counts(session) if with_counts else {},
    )


async def neighbours(session: AsyncSession, f: QueueFilter, report: Report) -> tuple[int | None, int | None]:
    """The ids before and after a report in the queue's order, for "previous" and "next"."""
    sort = f.sort if f.sort in SORTS else "newest"
    column, descending = _sort_key(sort)
    value = _sort_value(sort, report)
    where = conditions(session, f)
    key, here = sa.tuple_(column, Report.id), sa.tuple_(value, report.id)
    later, earlier = key < here, key > here
    if not descending:
        later, earlier = earlier, later
    ahead = (column.desc(), Report.id.desc()) if descending else (column.asc(), Report.id.asc())
    back = (column.asc(), Report.id.asc()) if descending else (column.desc(), Report.id.desc())
    following = await session.scalar(select(Report.id).where(*where, later).order_by(*ahead).limit(1))
    previous = await session.scalar(select(Report.id).where(*where, earlier).order_by(*back).limit(1))
    return previous, following


async def reviewer_names(session: AsyncSession, reports: list[Report]) -> dict[int, str]:
    """The names of the monitors holding or having decided these reports, by user id."""
    ids = {r.claimed_by_id for r in reports if r.claimed_by_id}
    ids |= {r.reviewed_by_id for r in reports if r.reviewed_by_id}
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return dict(rows.all())


async def saved_filters(session: AsyncSession, user_id: int) -> list[SavedFilter]:
    return list((await session.scalars(select(SavedFilter).where(SavedFilter.user_id == user_id)
                                       .order_by(SavedFilter.name))).all())


async def save_filter(session: AsyncSession, *, user_id: int, name: str, query: str) -> SavedFilter:
    """Save (or, under the same name, replace) a monitor's queue view."""
    found = await session.scalar(select(SavedFilter).where(SavedFilter.user_id == user_id, SavedFilter.name == name))
    if found is None:
        found = SavedFilter(user_id=user_id, name=name, query=query)
        session.add(found)
    found.query = query
    await session.flush()
    return found


async def delete_filter(session: AsyncSession, *, user_id: int, filter_id: int) -> None:
    await session.execute(sa.delete(SavedFilter).where(SavedFilter.id == filter_id, SavedFilter.user_id == user_id))
