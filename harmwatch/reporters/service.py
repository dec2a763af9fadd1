"""Reporters: found by a keyed lookup key, shown by a random pseudonym; /forget unlinks them
from their reports and destroys what led from a Telegram id to them."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.messaging.models import ChatMessage, OutboxMessage, ProcessedUpdate
from harmwatch.privacy import ChatIdCipher, lookup_key, random_pseudonym
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report
from harmwatch.reports.service import discard_draft
from harmwatch.settings import Settings

FLOOD_WINDOW = timedelta(minutes=1)
FLOOD_LIMIT = 20


async def find_reporter(session: AsyncSession, settings: Settings, *, telegram_user_id: int) -> Reporter | None:
    key = lookup_key(settings, telegram_user_id)
    return await session.scalar(select(Reporter).where(Reporter.lookup_key == key))


UPDATE_ORDER_WINDOW = timedelta(hours=24)


async def get_or_create_reporter(
    session: AsyncSession, settings: Settings, *, telegram_user_id: int, chat_id: int, lang: str,
    update_id: int | None = None,
) -> Reporter:
    """The reporter behind a Telegram user, locked until the caller's transaction ends: the row
    is written first (a row lock on PostgreSQL, the write lock on SQLite) and only then read, so
    two workers handling one reporter take turns and neither loses the other's changes (the
    flood counter, the draft). After /forget the old row has lost its lookup key, so someone who
    writes again starts afresh, under a new pseudonym, unlinked from before. With `update_id`,
    the same statement notes the update as the reporter's last, unless a newer one was (see
    note_update, which then only reads what it wrote): one statement per update, not two."""
    key = lookup_key(settings, telegram_user_id)
    now = utcnow()
    values = {"key": key, "now": now}
    if update_id is not None:
        values |= {"update": update_id, "window_start": now - UPDATE_ORDER_WINDOW}
    touched = (await session.scalars(_touch(update_id is not None), values,
                                     execution_options={"populate_existing": True})).first()
    if touched is not None:
        return touched
    reporter = Reporter(pseudonym=random_pseudonym(), lookup_key=key, lang=lang,
                        chat_id_enc=ChatIdCipher(settings).encrypt(chat_id))
    if update_id is not None:
        reporter.last_update_id, reporter.last_update_at = update_id, now
    try:
        async with session.begin_nested():
            session.add(reporter)
    except IntegrityError:  # another worker created them a moment ago: wait for its turn
        if reporter in session:
            session.expunge(reporter)
        return await get_or_create_reporter(session, settings, telegram_user_id=telegram_user_id,
                                            chat_id=chat_id, lang=lang, update_id=update_id)
    return reporter


@functools.cache
def _touch(noting_update: bool) -> sa.Update:
    """Built once, with bound parameters: it runs for every update (see messaging/delivery.py)."""
    table = Reporter.__table__
    moment = table.c.last_seen_at.type
    values = {"last_seen_at": sa.bindparam("now", type_=moment), "unreachable_at": None}
    if noting_update:  # the rule of note_update, in SQL
        newer = sa.or_(table.c.last_update_id.is_(None), table.c.last_update_at.is_(None),
                       sa.bindparam("update", type_=table.c.last_update_id.type) >= table.c.last_update_id,
                       table.c.last_update_at <= sa.bindparam("window_start", type_=moment))
        values |= {"last_update_id": sa.case((newer, sa.bindparam("update")), else_=table.c.last_update_id),
                   "last_update_at": sa.case((newer, sa.bindparam("now")), else_=table.c.last_update_at)}
    return sa.update(Reporter).where(Reporter.lookup_key == sa.bindparam("key")).values(**values).returning(Reporter)



def ordering_applies(reporter: Reporter) -> bool:
    """Whether the reporter's last applied update id still orders the next ones (see note_update)."""
    last_at = reporter.last_update_at
    if reporter.last_update_id is None or last_at is None:
        return False
    now = utcnow()
    if last_at.tzinfo is None:
        last_at = last_at.replace(tzinfo=now.tzinfo)
    return now - last_at < UPDATE_ORDER_WINDOW


def note_update(reporter: Reporter, update_id: int) -> bool:
    """Record that this update is being applied; False (and nothing recorded) when a newer one of
    this reporter was applied already, so updates never apply out of order. Older than a day the
    comparison stops: Telegram's ids restart at random after a week without updates."""
    if reporter.last_update_id == update_id:  # noted already (get_or_create_reporter)
        return True
    now = utcnow()
    last_at = reporter.last_update_at
    if last_at is not None and last_at.tzinfo is None:
        last_at = last_at.replace(tzinfo=now.tzinfo)
    if (reporter.last_update_id is not None and update_id < reporter.last_update_id
            and last_at is not None and now - last_at < UPDATE_ORDER_WINDOW):
        return False
    reporter.last_update_id, reporter.last_update_at = update_id, now
    return True


def count_message(reporter: Reporter) -> str:
    """Count one message against the flood limit: 'ok', 'warn' (first over the limit) or 'drop'."""
    now = utcnow()
    if reporter.flood_window_start is None or now - reporter.flood_window_start > FLOOD_WINDOW:
        reporter.flood_window_start, reporter.flood_count = now, 0
    reporter.flood_count += 1
    if reporter.flood_count <= FLOOD_LIMIT:
        return "ok"
    return "warn" if reporter.flood_count == FLOOD_LIMIT + 1 else "drop"


def flooded(reporter: Reporter) -> bool:
    """Whether the reporter's next message would be over the flood limit (nothing is fetched then)."""
    window = reporter.flood_window_start
    return window is not None and utcnow() - window <= FLOOD_WINDOW and reporter.flood_count >= FLOOD_LIMIT


async def forget(session: AsyncSession, reporter: Reporter, *, media_dir: Path | None = None) -> int:
    """Unlink the reporter from every report and destroy what leads to them: the lookup key, the
    chat id, the pseudonym, their draft, messages waiting for them. The reports stay, anonymous.
    Returns how many reports were unlinked."""
    result = await session.execute(
        sa.update(Report).where(Report.reporter_id == reporter.id).values(reporter_id=None)
    )
    await discard_draft(session, reporter, media_dir=media_dir)
    await session.execute(sa.delete(OutboxMessage).where(OutboxMessage.reporter_id == reporter.id))
    await session.execute(sa.delete(ChatMessage).where(ChatMessage.reporter_id == reporter.id))
    if reporter.lookup_key:  # updates still in flight: their key would lead back to the person
        await session.execute(sa.update(ProcessedUpdate).where(ProcessedUpdate.reporter_key == reporter.lookup_key)
                              .values(reporter_key=None))
    reporter.chat_id_enc = None
    reporter.forgotten = True
    reporter.awaiting_report_id = None
    reporter.lookup_key = None  # the next message makes a new row: nothing leads back here
    reporter.pseudonym = random_pseudonym()  # a monitor's note of the old one leads nowhere
    reporter.created_at = reporter.last_seen_at = utcnow()
    reporter.flood_window_start, reporter.flood_count = None, 0
    await session.flush()
    # No reporter id in the log: the event says that someone left, not who.
    await record(session, actor="reporter", action="reporter.forgotten",
                 after={"reports_unlinked": result.rowcount})
    return result.rowcount


async def reports_of(session: AsyncSession, reporter: Reporter, *, limit: int = 20) -> list[Report]:
    rows = await session.scalars(
        select(Report).where(Report.reporter_id == reporter.id).order_by(Report.submitted_at.desc()).limit(limit)
    )
    return list(rows.all())


async def track_records(session: AsyncSession, reporter_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Reports sent, verified and rejected by each pseudonym, in one query: what a monitor may
    know of them (the queue shows a page of reporters at once)."""
    ids = {i for i in reporter_ids if i is not None}
    records = {i: {"sent": 0, "verified": 0, "rejected": 0} for i in ids}
    if not ids:
        return records
    rows = await session.execute(
        select(Report.reporter_id, Report.status, sa.func.count())
        .where(Report.reporter_id.in_(ids)).group_by(Report.reporter_id, Report.status)
    )
    for reporter_id, status, count in rows.all():
        records[reporter_id]["sent"] += count
        if status in ("verified", "rejected"):
            records[reporter_id][status] += count
    return records


async def track_record(session: AsyncSession, reporter_id: int) -> dict[str, int]:
    """One pseudonym's record (see `track_records`)."""
    return (await track_records(session, [reporter_id]))[reporter_id]
