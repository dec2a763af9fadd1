"""The back-channel to reporters, without their identity: the desk puts a message in the
outbox by report; the bot, which alone can decrypt the chat id, renders and sends it."""

from __future__ import annotations

import functools
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.database import utcnow
from harmwatch.errors import DomainError
from harmwatch.messaging.models import OutboxMessage, ProcessedUpdate
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report, ReportMessage


class ReporterUnreachable(DomainError):
    """The reporter used /forget (or the report has no reporter): nobody can be messaged."""

    def __init__(self) -> None:
        super().__init__("reporter_unreachable")


async def _reporter(session: AsyncSession, report: Report) -> Reporter | None:
    if report.reporter_id is None:
        return None
    reporter = await session.get(Reporter, report.reporter_id)
    if reporter is None or reporter.forgotten or reporter.chat_id_enc is None:
        return None
    return reporter


async def ensure_reachable(session: AsyncSession, report: Report) -> Reporter:
    reporter = await _reporter(session, report)
    if reporter is None:
        raise ReporterUnreachable()
    return reporter


async def send_question(session: AsyncSession, report: Report, message: ReportMessage) -> OutboxMessage:
    reporter = await ensure_reachable(session, report)
    reporter.awaiting_report_id = report.id
    outgoing = OutboxMessage(
        reporter_id=reporter.id,
        report_id=report.id,
        kind="question",
        params={"ref_code": report.ref_code, "question": message.body},
    )
    session.add(outgoing)
    await session.flush()
    return outgoing


async def notify_outcome(session: AsyncSession, report: Report) -> OutboxMessage | None:
    """Tell the reporter their report was verified or not, without the monitor's reasons."""
    reporter = await _reporter(session, report)
    if reporter is None:
        return None
    if reporter.awaiting_report_id == report.id:
        reporter.awaiting_report_id = None
    outgoing = OutboxMessage(
        reporter_id=reporter.id,
        report_id=report.id,
        kind="outcome",
        params={"ref_code": report.ref_code, "status": report.status},
    )
    session.add(outgoing)
    await session.flush()
    return outgoing


async def mark_sent(session: AsyncSession, message: OutboxMessage) -> None:
    message.sent_at = utcnow()
    await session.flush()


def _insert(session: AsyncSession):
    return _dialect_insert(session.bind.dialect.name)(ProcessedUpdate)


def _dialect_insert(dialect: str):
    """The INSERT that knows ON CONFLICT DO NOTHING on this database."""
    return postgresql_insert if dialect == "postgresql" else sqlite_insert


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """Record a Telegram update as processed; False when it was already (a redelivery, or
    another worker has it). Inside the caller's transaction, so it counts only if it commits."""
    now = utcnow()
    result = await session.execute(
        _insert(session).values(update_id=update_id, processed_at=now, applied_at=now).on_conflict_do_nothing()
    )
    return result.rowcount == 1


# A reporter's update is handled in two steps, so that workers can see each other's: `arrive`
# (committed at once) says "update N of this reporter is here"; `take_for_applying`, in the
# transaction that applies it, makes sure it is applied once. A worker holding update N+1 waits
# while an earlier arrival of the same reporter is still being applied elsewhere.

async def arrive(session: AsyncSession, update_id: int, *, reporter_key: str) -> bool:
    """Note an update's arrival; False when it was applied already (a redelivery)."""
    inserted = await session.execute(_arrival(session.bind.dialect.name),
                                     {"update_id": update_id, "processed_at": utcnow(), "reporter_key": reporter_key})
    if inserted.first() is not None:
        return True  # the first arrival: nothing applied it yet
    applied = await session.scalar(select(ProcessedUpdate.applied_at).where(ProcessedUpdate.update_id == update_id))
    return applied is None


async def take_for_applying(session: AsyncSession, update_id: int) -> bool:
    """Mark the update applied, in the transaction that applies it; False when another worker
    did (the row lock makes a second worker wait for the first one's commit, then see it).
    The reporter key is only needed while the update is in flight: it is dropped here, so that
    no row outlives its use with something that leads to a person (/forget)."""
    result = await session.execute(_applying(), {"update": update_id, "now": utcnow()})
    return result.rowcount == 1


IN_FLIGHT = timedelta(seconds=30)


async def earlier_in_flight(session: AsyncSession, update_id: int, *, reporter_key: str) -> bool:
    """Whether an earlier update of this reporter arrived lately and is not applied yet (one
    left by a crashed worker stops counting after IN_FLIGHT: Telegram delivers it again)."""
    found = await session.scalar(_earlier(), {"key": reporter_key, "update": update_id,
                                              "since": utcnow() - IN_FLIGHT})
    return found is not None


# Built once, with bound parameters: these run for every update (see messaging/delivery.py).

@functools.cache
def _arrival(dialect: str) -> sa.Insert:
    table = ProcessedUpdate.__table__
    return _dialect_insert(dialect)(table).on_conflict_do_nothing().returning(table.c.update_id)


@functools.cache
def _applying() -> sa.Update:
    table = ProcessedUpdate.__table__
    return (sa.update(table).where(table.c.update_id == sa.bindparam("update"), table.c.applied_at.is_(None))
            .values(applied_at=sa.bindparam("now", type_=table.c.applied_at.type), reporter_key=None))


@functools.cache
def _earlier() -> sa.Select:
    table = ProcessedUpdate.__table__
    return sa.select(table.c.update_id).where(
        table.c.reporter_key == sa.bindparam("key"), table.c.update_id < sa.bindparam("update"),
        table.c.applied_at.is_(None), table.c.processed_at > sa.bindparam("since", type_=table.c.processed_at.type),
    ).limit(1)


# Telegram numbers a bot's updates one after another ("to restore the correct update sequence,
# should they get out of order", says the Bot API). A worker holding update N of a reporter
# whose last applied update is L therefore knows that every id between L and N was made before
# N: one of them not arrived yet may be this reporter's older update, still on its way (behind a
# slow or retrying proxy, or another worker's queue). It waits for them to arrive, a bounded
# time; ids that never come (an update Telegram gave up on, a body that was not an update) are
# then filled with placeholder rows, so that nobody waits for them twice. A placeholder is a
# row with neither reporter key nor applied_at: the real update, should it come after all, is
# still fresh and is applied (as a late one, see bot/app.py).
GAP_WINDOW = 5000  # ids looked back at most; past that the reporter's turn is long over


def _gap_range(update_id: int, since: int | None) -> tuple[int, int] | None:
    if since is None or since >= update_id - 1:
        return None
    return max(since, update_id - GAP_WINDOW), update_id


async def missing_before(session: AsyncSession, update_id: int, *, since: int | None) -> bool:
    """Whether an id between `since` (the reporter's last applied update) and this one has not
    arrived (one range count on the primary key)."""
    bounds = _gap_range(update_id, since)
    if bounds is None:
        return False
    low, high = bounds
    arrived = await session.scalar(select(sa.func.count()).select_from(ProcessedUpdate).where(
        ProcessedUpdate.update_id > low, ProcessedUpdate.update_id < high))
    return arrived < high - low - 1


async def give_up_waiting(session: AsyncSession, update_id: int, *, since: int | None) -> int:
    """Fill the ids still missing before this one with placeholders; how many were missing."""
    bounds = _gap_range(update_id, since)
    if bounds is None:
        return 0
    low, high = bounds
    present = set((await session.scalars(select(ProcessedUpdate.update_id).where(
        ProcessedUpdate.update_id > low, ProcessedUpdate.update_id < high))).all())
    missing = [i for i in range(low + 1, high) if i not in present]
    if missing:
        now = utcnow()
        await session.execute(_insert(session).values([{"update_id": i, "processed_at": now} for i in missing])
                              .on_conflict_do_nothing())
    return len(missing)
