"""The reply outbox: every reply an update produces is written in the update's own transaction
(`owe`), then sent after the commit by a drain task per reporter, one leased row at a time, each
marked in its own short transaction. A reply that fails waits in the database (429: as long as
Telegram says; 5xx: backing off) and any worker's sweeper takes it up again, also after a crash
or a restart, so an outage longer than any retry budget loses nothing. One reporter waiting on
Telegram never holds up another: each drains alone."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.delivery import ONCE, classify
from bot.render import Reply, cleaned, localised
from harmwatch import metrics
from harmwatch.database import utcnow
from harmwatch.messaging import chat, delivery
from harmwatch.messaging.models import OutgoingReply
from harmwatch.privacy import ChatIdCipher
from harmwatch.reporters.models import Reporter

if TYPE_CHECKING:
    from bot.app import ReporterBot

log = logging.getLogger(__name__)
MAX_AGE = timedelta(hours=24)  # a question nobody could deliver for a day is dropped
PRUNE_EVERY = 3600.0
KEEP_RECORDS = timedelta(hours=48)
SENDS_AT_ONCE = 12  # see bot.app.UPDATES_AT_ONCE
CLEANUPS = ("clean", "forget")
# Telegram deletes a private chat's messages for everyone for 48 hours; a little less is asked,
# so that a message is not counted as deleted when the call would land just past the limit.
DELETE_WINDOW = 48 * 3600 - 300


async def owe(session, cipher: ChatIdCipher, *, reporter_id: int, chat_id: int, update_id: int | None,
              replies: list[Reply], lang: str = "en") -> list[int]:
    """Record the replies of one update, in the caller's transaction, in the reporter's digits;
    returns their ids, in order."""
    chat_id_enc = cipher.encrypt(chat_id) if replies else None
    rows = []
    for reply in map(lambda r: localised(r, lang), replies):
        replaced = [[reply.replaces, 0]] if reply.replaces and reply.replaces != reply.edit_message_id else None
        rows.append(OutgoingReply(
            reporter_id=reporter_id, update_id=update_id, chat_id_enc=chat_id_enc, text=reply.text,
            keyboard=reply.keyboard.to_dict() if reply.keyboard is not None else None,
            edit_message_id=reply.edit_message_id,
            kind=reply.cleanup or ("question" if reply.question else None),
            delete_ids=reply.delete_ids if reply.cleanup else replaced,
            tally={"deleted": 0, "too_old": 0, "gone": 0} if reply.cleanup else None,
        ))
    session.add_all(rows)
    await session.flush()
    return [row.id for row in rows]


class ReplySender:
    """Drains each reporter's replies in order; sweeps for due ones; prunes old records."""

    def __init__(self, bot: ReporterBot) -> None:
        self.bot = bot
        self.cipher = ChatIdCipher(bot.settings)
        self.lease = timedelta(seconds=bot.settings.reply_lease)
        self._drains: dict[int, asyncio.Task] = {}
        self._again: set[int] = set()
        # A reporter's replies, leased in the transaction that wrote them (see `lease_with`).
        self._handed: dict[int, list[sa.Row]] = {}
        self._stopping = asyncio.Event()
        self._slots = asyncio.Semaphore(SENDS_AT_ONCE)

    async def lease_with(self, session, reporter_id: int, written: list[int]) -> list[sa.Row] | None:
        """In the transaction that wrote a reporter's replies (`written`, their ids): lease them,
        to be handed to `kick` after the commit, so that their sends need no transaction before
        them. Only when no drain of this reporter is running (it would find the rows leased and
        stop) and no older reply of theirs is unsent; a lease that never reaches a drain (a
        crash) runs out, and any worker takes the rows again."""
        if not written or reporter_id in self._drains or reporter_id in self._handed:
            return None
        return await delivery.lease_written(session, reporter_id, written[0], written[-1], lease=self.lease) or None

    def kick(self, reporter_id: int, *, leased: list[sa.Row] | None = None) -> None:
        """Send what this reporter is owed, now, in the background (starting with `leased`,
        already leased by the caller's committed transaction)."""
        if leased:
            self._handed[reporter_id] = list(leased)
        if reporter_id in self._drains:
            self._again.add(reporter_id)  # rows written while draining: look once more
            return
        task = asyncio.create_task(self._drain(reporter_id), name=f"replies-{reporter_id}")
        self._drains[reporter_id] = task
        task.add_done_callback(lambda _: self._done(reporter_id))

    def _done(self, reporter_id: int) -> None:
        self._drains.pop(reporter_id, None)
        if reporter_id in self._again:
            self._again.discard(reporter_id)
            self.kick(reporter_id)

    async def settled(self, reporter_id: int, timeout: float) -> None:
        """Wait (up to `timeout`) until the reporter's replies in flight have been sent."""
        task = self._drains.get(reporter_id)
        if task is not None:
            await asyncio.wait({task}, timeout=timeout)

    @property
    def active(self) -> int:
        return len(self._drains)

    async def _drain(self, reporter_id: int) -> None:
        sent: list[Sent] = []  # replies sent, their marks not committed yet (see _send_next)
        try:
            while True:
                async with self._slots:
                    step = await self._send_next(reporter_id, sent)
                sent = step if isinstance(step, list) else []
                if step is False:
                    break
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the database went away: the sweeper tries again later
            self._handed.pop(reporter_id, None)  # leased: taken again once their lease runs out
            log.warning("Replies of reporter %s wait: %s", reporter_id, type(error).__name__)
        finally:
            for done in sent:  # stopped between a send and its mark
                await done.mark_patiently(self.bot.db)

    async def _send_next(self, reporter_id: int, sent: list[Sent]) -> bool | list[Sent]:
        """Send the reporter's next reply: the next one handed over with its lease, or else the
        oldest, leased here. `sent` are the replies sent before it whose marks are not committed
        yet: they are marked in the transaction that leases the next row (one round trip per
        reply, not two), and always before the next Bot API call, except when all of them are
        edits: an edit sent again after a crash changes nothing (Telegram answers "not
        modified"), so the edit of the tapped question and the next question go out with no
        transaction between them. Returns False when there is nothing to send now, True when
        the replies so far are settled, or the replies sent and not yet marked."""
        db = self.bot.db
        row = self._next_handed(reporter_id)
        chat_id, dropped = self._destination(row) if row is not None else (None, None)
        must_mark = any(not done.repeatable for done in sent) or (row is not None and row.kind in CLEANUPS)
        if row is None or dropped or (sent and must_mark):
            async with db.transaction() as session:
                for done in sent:
                    await done.mark(session)
                if row is None:
                    row = await delivery.lease_next(session, OutgoingReply, reporter_id=reporter_id,
                                                    lease=self.lease)
                    if row is None:
                        return False
                    chat_id, dropped = self._destination(row)
                if dropped:
                    await delivery.finish(session, OutgoingReply, row.id, outcome=dropped)
                    metrics.reply_failed(dropped)
                    return True
            sent = []
        if row.kind in CLEANUPS:
            return await self._clean(row, chat_id)
        try:
            message = await self._call(row, chat_id)
            outcome = "sent"
        except TelegramError as error:
            failure = classify(error, row.attempts)
            async with db.transaction() as session:
                for done in sent:
                    await done.mark(session)
                if failure.unreachable:
                    log.info("Reporter %s blocked the bot; their replies are dropped", reporter_id)
                    self._handed.pop(reporter_id, None)
                    await delivery.give_up_on_reporter(session, reporter_id)
                    metrics.reply_failed("unreachable")
                    return False
                if failure.retry_in is not None:
                    log.warning("Reply %s not sent (%s, attempt %d); again in %.1f s", row.id,
                                type(error).__name__, row.attempts, failure.retry_in)
                    await delivery.postpone(session, OutgoingReply, row.id, seconds=failure.retry_in)
                    # The rest waits behind it (only the oldest unsent row is ever leased).
                    await delivery.release(session, OutgoingReply,
                                           [later.id for later in self._handed.pop(reporter_id, [])])
                    metrics.reply_failed("retry")
                    return False
                if row.edit_message_id and isinstance(error, BadRequest):
                    outcome = "not_modified"  # the message already shows it, or is gone
                else:
                    log.warning("Reply %s refused by Telegram: %s", row.id, type(error).__name__)
                    outcome = "rejected"
                    metrics.reply_failed("rejected")
                await delivery.finish(session, OutgoingReply, row.id, outcome=outcome)
            return True
        noted = None if row.edit_message_id else message  # an edit makes no new message
        done = Sent(row.id, outcome, row.reporter_id, noted, question=row.kind == "question",
                    repeatable=bool(row.edit_message_id))
        if noted is not None and row.delete_ids:  # the older copy goes once this one is marked
            for marked in (*sent, done):
                await marked.mark_patiently(db)
            await self._retire(row, chat_id)
            return True
        return [*sent, done]

    def _next_handed(self, reporter_id: int) -> sa.Row | None:
        handed = self._handed.get(reporter_id)
        if not handed:
            return None
        row = handed.pop(0)
        if not handed:
            del self._handed[reporter_id]
        return row

    def _destination(self, row: sa.Row) -> tuple[int | None, str | None]:
        """The chat a reply goes to, and why it is dropped instead: "unreachable" (nobody to
        send to), "expired" (nobody could deliver it for a day), or None."""
        chat_id = self.cipher.decrypt(row.chat_id_enc) if row.chat_id_enc else None
        if chat_id is None:
            return None, "unreachable"
        return chat_id, "expired" if utcnow() - _aware(row.created_at) > MAX_AGE else None

    async def _call(self, row: sa.Row, chat_id: int) -> Message | None:
        bot = self.bot.application.bot
        keyboard = InlineKeyboardMarkup.de_json(row.keyboard, bot) if row.keyboard else None
        if row.edit_message_id:
            await bot.edit_message_text(row.text, chat_id=chat_id, message_id=row.edit_message_id,
                                        parse_mode=ParseMode.HTML, reply_markup=keyboard, rate_limit_args=ONCE)
            return None
        return await bot.send_message(chat_id, row.text, parse_mode=ParseMode.HTML, reply_markup=keyboard,
                                      protect_content=True, rate_limit_args=ONCE)  # no forwarding or saving

    async def _retire(self, row: sa.Row, chat_id: int) -> None:
        """The question's older copy goes once the new one is on screen (never before: a crash
        in between leaves two copies, not none). Best effort: a copy that stays is only clutter."""
        for message_id, _sent in row.delete_ids:
            try:
                await self.bot.application.bot.delete_message(chat_id, message_id, rate_limit_args=ONCE)
            except TelegramError as error:
                log.info("Older copy of a question not deleted: %s", type(error).__name__)
                if not isinstance(error, BadRequest):
                    continue  # it may still be there: its record stays for a clean-up
            async with self.bot.db.transaction() as session:
                await chat.forget_message(session, row.reporter_id, message_id)

    async def _clean(self, row: sa.Row, chat_id: int) -> bool:
        """Delete the chat's messages one by one (each answer says whether that one went), saving
        the progress after each, so a crash or an outage resumes where it stopped; then tell the
        reporter what could not be deleted. Refusals (too old, already gone) are final."""
        bot, db = self.bot.application.bot, self.bot.db
        pending, tally = list(row.delete_ids or []), dict(row.tally or {})
        while pending:
            message_id, sent_at = pending[0]
            if sent_at and time.time() - sent_at > DELETE_WINDOW:
                verdict = "too_old"  # Telegram would refuse: not asked
            else:
                try:
                    await bot.delete_message(chat_id, message_id, rate_limit_args=ONCE)
                    verdict = "deleted"
                except BadRequest as error:
                    verdict = "too_old" if "can't be deleted" in str(error).lower() else "gone"
                except TelegramError as error:
                    failure = classify(error, row.attempts)
                    async with db.transaction() as session:
                        if failure.unreachable:
                            await delivery.give_up_on_reporter(session, row.reporter_id)
                        else:
                            log.warning("Clean-up %s waits (%s)", row.id, type(error).__name__)
                            await delivery.postpone(session, OutgoingReply, row.id, seconds=failure.retry_in or 5.0)
                            await _save_progress(session, row.id, pending, tally)
                    metrics.reply_failed("unreachable" if failure.unreachable else "retry")
                    return False
            pending.pop(0)
            tally[verdict] = tally.get(verdict, 0) + 1
            async with db.transaction() as session:
                await _save_progress(session, row.id, pending, tally, lease=self.lease)
        async with db.transaction() as session:
            reporter = await session.get(Reporter, row.reporter_id)
            report = cleaned(reporter.lang if reporter else "en", row.kind, tally)
            session.add(OutgoingReply(reporter_id=row.reporter_id, chat_id_enc=row.chat_id_enc, text=report.text))
            await delivery.finish(session, OutgoingReply, row.id, outcome="sent")
        return True

    async def sweep_once(self) -> int:
        """Kick every reporter with a reply due (after a failure, a crash, a restart)."""
        async with self.bot.db.transaction() as session:
            due = await delivery.due_reporters(session, OutgoingReply)
        for reporter_id in due:
            self.kick(reporter_id)
        return len(due)

    async def run_forever(self) -> None:
        from bot import outbox

        settings = self.bot.settings
        loop = asyncio.get_running_loop()
        next_outbox = next_prune = loop.time()
        while not self._stopping.is_set():
            try:
                await self.sweep_once()
                if loop.time() >= next_outbox:
                    next_outbox = loop.time() + settings.outbox_interval
                    await outbox.deliver_once(self.bot)
                if loop.time() >= next_prune:
                    next_prune = loop.time() + PRUNE_EVERY
                    async with self.bot.db.transaction() as session:
                        await delivery.prune(session, older_than=KEEP_RECORDS)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is away: look again on the next round
                log.warning("Reply sweep failed: %s", type(error).__name__)
            try:
                await asyncio.wait_for(self._stopping.wait(), settings.reply_retry_interval)
            except TimeoutError:
                pass

    def stop(self) -> None:
        """End the sweeps after the current one (never cut a transaction off half-way)."""
        self._stopping.set()

    async def drain(self, timeout: float) -> None:
        """On shutdown: let the replies being sent finish, for up to `timeout` seconds."""
        tasks = list(self._drains.values())
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


@dataclass(frozen=True)
class Sent:
    """A reply Telegram took, still to be marked: its outcome, and the message it made (recorded
    for a later clean-up)."""

    row_id: int
    outcome: str
    reporter_id: int
    message: Message | None
    question: bool = False
    repeatable: bool = False  # an edit: sending it again changes nothing

    async def mark(self, session) -> None:
        await delivery.finish(session, OutgoingReply, self.row_id, outcome=self.outcome)
        await note_sent(session, self.reporter_id, self.message, question=self.question)

    async def mark_patiently(self, db) -> None:
        await finish_patiently(db, OutgoingReply, self.row_id, outcome=self.outcome,
                               then=lambda session: note_sent(session, self.reporter_id, self.message,
                                                              question=self.question))


async def note_sent(session, reporter_id: int, message: Message | None, *, question: bool = False) -> None:
    """Record a message the bot sent, for a later clean-up; not for a reporter who left."""
    if message is None:
        return
    await chat.record(session, reporter_id, message.message_id, from_bot=True, question=question,
                      sent_at=message.date, unless_forgotten=True)


async def _save_progress(session, row_id: int, pending: list, tally: dict, *,
                         lease: timedelta | None = None) -> None:
    values = {"delete_ids": pending, "tally": tally}
    if lease is not None:  # a long clean-up keeps its lease while it works
        values["due_at"] = utcnow() + lease
    await session.execute(sa.update(OutgoingReply).where(OutgoingReply.id == row_id).values(**values))


async def finish_patiently(db, model, row_id: int, *, outcome: str, attempts: int = 30, then=None) -> None:
    """Mark a message sent, waiting out a database blip (a restart takes a second or two): a
    mark that is lost would send the message a second time once its lease ran out."""
    for attempt in range(attempts):
        try:
            async with db.transaction() as session:
                await delivery.finish(session, model, row_id, outcome=outcome)
                if then is not None:
                    await then(session)
            return
        except Exception as error:
            if attempt == attempts - 1:
                raise
            log.warning("Marking message %s sent failed (%s); trying again", row_id, type(error).__name__)
            await asyncio.sleep(0.5)


def _aware(moment):
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=utcnow().tzinfo)
