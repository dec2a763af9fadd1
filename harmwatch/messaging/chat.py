"""The messages of a reporter's private chat with the bot, by Telegram message id: recorded as
they come and go, so the bot can delete the conversation from the reporter's phone (after Send,
if they agree, and on /forget) and keep one live question on screen. Only the message ids and
when they were sent are kept, under the reporter row: never the text, never the Telegram id."""

from __future__ import annotations

import functools
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.database import utcnow
from harmwatch.messaging.models import ChatMessage
from harmwatch.reporters.models import Reporter


async def record(session: AsyncSession, reporter_id: int, message_id: int, *, from_bot: bool,
                 question: bool = False, sent_at: datetime | None = None, unless_forgotten: bool = False) -> None:
    """Note one message of the chat; a new live question retires the older ones. With
    `unless_forgotten`, nothing is noted if the reporter has used /forget meanwhile. Statements
    built once: this runs for every message, in and out."""
    if question:
        await session.execute(_retire_questions(), {"reporter": reporter_id})
    row = {"reporter_id": reporter_id, "message_id": message_id, "from_bot": from_bot, "question": question,
           "sent_at": sent_at or utcnow()}
    await session.execute(_note(unless_forgotten), row)


@functools.cache
def _retire_questions() -> sa.Update:
    table = ChatMessage.__table__
    return (sa.update(table).where(table.c.reporter_id == sa.bindparam("reporter"), table.c.question.is_(True))
            .values(question=False))


@functools.cache
def _note(unless_forgotten: bool) -> sa.Insert:
    table = ChatMessage.__table__
    names = ("reporter_id", "message_id", "from_bot", "question", "sent_at")
    if not unless_forgotten:
        return sa.insert(table)
    known = sa.select(*(sa.bindparam(name, type_=table.c[name].type) for name in names)).where(
        sa.exists().where(Reporter.id == sa.bindparam("reporter_id"), Reporter.forgotten.is_(False)))
    return sa.insert(table).from_select(list(names), known)


async def live_question(session: AsyncSession, reporter_id: int) -> ChatMessage | None:
    """The bot's question message now on the reporter's screen, if it was recorded."""
    return (await session.scalars(_live_question(), {"reporter": reporter_id})).first()


@functools.cache
def _live_question() -> sa.Select:
    return (sa.select(ChatMessage).where(ChatMessage.reporter_id == sa.bindparam("reporter"),
                                         ChatMessage.question.is_(True))
            .order_by(ChatMessage.id.desc()).limit(1))


async def forget_message(session: AsyncSession, reporter_id: int, message_id: int) -> None:
    """The message was deleted (a question's older copy): nothing is left to delete later."""
    await session.execute(sa.delete(ChatMessage).where(ChatMessage.reporter_id == reporter_id,
                                                       ChatMessage.message_id == message_id))


async def take_all(session: AsyncSession, reporter_id: int) -> list[list[int]]:
    """Every recorded message of the chat as [message_id, unix time sent], oldest first, and the
    records gone: the clean-up that deletes them holds the only copy of the ids."""
    rows = (await session.scalars(sa.select(ChatMessage).where(ChatMessage.reporter_id == reporter_id)
                                  .order_by(ChatMessage.id))).all()
    await session.execute(sa.delete(ChatMessage).where(ChatMessage.reporter_id == reporter_id))
    return [[row.message_id, int(_aware(row.sent_at).timestamp())] for row in rows]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)


async def settle(session: AsyncSession, reporter_id: int) -> None:
    """No question is live any more (the report was sent or discarded)."""
    await session.execute(sa.update(ChatMessage).where(ChatMessage.reporter_id == reporter_id,
                                                       ChatMessage.question.is_(True)).values(question=False))
