"""Leasing messages to senders, one row at a time, for the reply outbox and the desk's outbox
alike. A sender leases a row (a short transaction that commits), talks to Telegram with no
transaction open, then marks the row in another short transaction. A worker that dies holding
a lease loses it when `due_at` passes, and any worker takes the row again.

Only the oldest unsent row of a reporter can be leased, so one reporter's messages go out in
the order they were written while other reporters' go out in parallel."""

from __future__ import annotations

import functools
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from harmwatch.database import utcnow
from harmwatch.messaging.models import ChatMessage, OutboxMessage, OutgoingReply, ProcessedUpdate
from harmwatch.reporters.models import Reporter

Outgoing = type[OutgoingReply] | type[OutboxMessage]
LEASE = timedelta(seconds=30)  # longer than one Bot API call with its timeouts
CANDIDATES = 5
CHAT_IDS_KEPT = timedelta(days=7)


def _heads(model: Outgoing, now):
    """Unsent rows that are due and have no older unsent row of the same reporter before them."""
    earlier = aliased(model)
    older_unsent = sa.exists().where(earlier.reporter_id == model.reporter_id, earlier.sent_at.is_(None),
                                     earlier.id < model.id)
    return sa.and_(model.sent_at.is_(None), sa.or_(model.due_at.is_(None), model.due_at <= now), ~older_unsent)


async def lease_next(session: AsyncSession, model: Outgoing, *, reporter_id: int | None = None,
                     lease: timedelta = LEASE):
    """Lease one due row (of one reporter, or of anyone) and return it, or None. The claim is a
    conditional UPDATE, so two workers (or two processes on SQLite) never both win one row."""
    now = utcnow()
    if reporter_id is not None:
        return await _lease_head(session, model, reporter_id, now, lease)
    query = sa.select(model.id).where(_heads(model, now)).order_by(model.id).limit(CANDIDATES)
    for row_id in (await session.scalars(query)).all():
        claimed = await session.execute(
            sa.update(model)
            .where(model.id == row_id, model.sent_at.is_(None), sa.or_(model.due_at.is_(None), model.due_at <= now))
            .values(due_at=now + lease, attempts=model.attempts + 1)
        )
        if claimed.rowcount == 1:
            return await session.get(model, row_id, populate_existing=True)
    return None


async def _lease_head(session: AsyncSession, model: Outgoing, reporter_id: int, now, lease: timedelta):
    """The reporter's oldest unsent row, if it is due, leased and read in one statement (the
    reply sender drains one reporter at a time, several times per update). A worker that loses
    the race finds the row leased (its WHERE is checked again on the row it waited for) and
    gets None; the winner goes on with the reporter's next row."""
    claimed = await session.execute(_lease_head_statement(model.__table__),
                                    {"reporter": reporter_id, "now": now, "until": now + lease})
    return claimed.first()


async def lease_written(session: AsyncSession, reporter_id: int, first: int, last: int, *,
                        lease: timedelta = LEASE) -> list:
    """In the transaction that wrote a reporter's replies `first`..`last`: lease them all, in
    one statement, unless an older reply of the reporter is still unsent (then it goes first and
    these wait their turn: none is leased). Nobody else can lease rows not yet committed, so the
    sender holds the whole run and sends it with no transaction before each call."""
    now = utcnow()
    leased = await session.execute(_lease_written_statement(), {"reporter": reporter_id, "first": first,
                                                                 "last": last, "until": now + lease})
    return sorted(leased.all(), key=lambda row: row.id)


async def release(session: AsyncSession, model: Outgoing, row_ids: list[int]) -> None:
    """Give leased rows back (due now): a sender stopped before it reached them."""
    if row_ids:
        table = model.__table__
        await session.execute(sa.update(table).where(table.c.id.in_(row_ids), table.c.sent_at.is_(None))
                              .values(due_at=None))


# The statements a busy bot runs several times per update are built once, with bound
# parameters: building one costs more CPU than PostgreSQL spends running it (py-spy).

@functools.cache
def _lease_written_statement() -> sa.Update:
    table = OutgoingReply.__table__
    earlier = table.alias("earlier")
    older_unsent = sa.exists().where(earlier.c.reporter_id == sa.bindparam("reporter"), earlier.c.sent_at.is_(None),
                                     earlier.c.id < sa.bindparam("first"))
    return (sa.update(table)
            .where(table.c.reporter_id == sa.bindparam("reporter"), table.c.id.between(sa.bindparam("first"),
                                                                                        sa.bindparam("last")),
                   table.c.sent_at.is_(None), ~older_unsent)
            .values(due_at=sa.bindparam("until", type_=table.c.due_at.type), attempts=table.c.attempts + 1)
            .returning(*table.c))


@functools.cache
def _lease_head_statement(table: sa.Table) -> sa.Update:
    oldest = (sa.select(sa.func.min(table.c.id))
              .where(table.c.reporter_id == sa.bindparam("reporter"), table.c.sent_at.is_(None)).scalar_subquery())
    moment = table.c.due_at.type
    return (sa.update(table)
            .where(table.c.id == oldest, table.c.sent_at.is_(None),
                   sa.or_(table.c.due_at.is_(None), table.c.due_at <= sa.bindparam("now", type_=moment)))
            .values(due_at=sa.bindparam("until", type_=moment), attempts=table.c.attempts + 1)
            .returning(*table.c))


@functools.cache
def _finish_statement(table: sa.Table) -> sa.Update:
    values = {"sent_at": sa.bindparam("at", type_=table.c.sent_at.type)}
    if table is OutgoingReply.__table__:  # what the reply held to reach the reporter goes with it
        values |= {"outcome": sa.bindparam("done_as"), "chat_id_enc": None, "delete_ids": None}
    return sa.update(table).where(table.c.id == sa.bindparam("row")).values(**values)


async def due_reporters(session: AsyncSession, model: Outgoing, *, limit: int = 200) -> list[int]:
    """Reporters who have a row due now (after a failure, a crash, a restart)."""
    query = sa.select(model.reporter_id).where(_heads(model, utcnow())).distinct().limit(limit)
    return list((await session.scalars(query)).all())


async def finish(session: AsyncSession, model: Outgoing, row_id: int, *, outcome: str) -> None:
    """Mark a row sent (a Core statement: no ORM object is loaded to keep in step)."""
    await session.execute(_finish_statement(model.__table__), {"row": row_id, "at": utcnow(), "done_as": outcome})


async def postpone(session: AsyncSession, model: Outgoing, row_id: int, *, seconds: float) -> None:
    table = model.__table__
    await session.execute(sa.update(table).where(table.c.id == row_id)
                          .values(due_at=utcnow() + timedelta(seconds=seconds)))


async def give_up_on_reporter(session: AsyncSession, reporter_id: int) -> None:
    """The reporter blocked the bot: nothing more is attempted until they write again."""
    now = utcnow()
    await session.execute(sa.update(Reporter).where(Reporter.id == reporter_id).values(unreachable_at=now))
    for model in (OutgoingReply, OutboxMessage):
        values = {"sent_at": now, **({"outcome": "unreachable", "chat_id_enc": None} if model is OutgoingReply else {})}
        await session.execute(sa.update(model).where(model.reporter_id == reporter_id, model.sent_at.is_(None))
                              .values(**values))


async def backlog(session: AsyncSession) -> dict[str, float | int]:
    """Replies not sent yet and the age of the oldest, for /readyz."""
    count, oldest = (await session.execute(
        sa.select(sa.func.count(), sa.func.min(OutgoingReply.created_at)).where(OutgoingReply.sent_at.is_(None))
    )).one()
    age = 0.0
    if oldest is not None:
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=utcnow().tzinfo)
        age = round((utcnow() - oldest).total_seconds(), 1)
    return {"pending": count, "oldest_seconds": age}


async def prune(session: AsyncSession, *, older_than: timedelta) -> int:
    """Forget processed update ids and finished replies older than `older_than`.

    Why an age, and which: Telegram keeps an undelivered update for 24 hours, so a redelivery
    never comes later than that and a record kept 48 hours always catches it. And Telegram's
    update ids restart at a random value after a week without updates, so records older than
    that must be gone or they would swallow new updates as duplicates. Finished replies hold
    what the reporter answered; they are kept no longer than needed either."""
    cutoff = utcnow() - older_than
    updates = await session.execute(sa.delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
    # A chat message is deletable for 48 hours; its id is kept a while longer only so that a
    # clean-up can still say how many old messages the reporter must delete by hand.
    await session.execute(sa.delete(ChatMessage).where(ChatMessage.sent_at < utcnow() - CHAT_IDS_KEPT))
    await session.execute(sa.delete(OutgoingReply).where(OutgoingReply.sent_at.is_not(None),
                                                         OutgoingReply.sent_at < cutoff))
    return updates.rowcount
