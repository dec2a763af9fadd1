"""Right errors, right retries, right order: permanent refusals are not retried, a blocked bot
makes the reporter unreachable, a failed button answer stops nothing, one reporter's wait never
delays another's, the desk's outbox marks each message as it goes, one receiver at a time."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa

from bot.ordering import ChatTurns
from bot.outbox import deliver_once
from harmwatch.database import utcnow
from harmwatch.messaging import delivery
from harmwatch.messaging import service as messaging
from harmwatch.messaging.models import OutboxMessage, OutgoingReply, ProcessedUpdate
from harmwatch.reporters import service as reporters
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Draft
from tests.bot.chatting import Chatter
from tests.bot.conftest import TOKEN
from tests.factories import make_reporter
from tests.live import ROOT


@contextmanager
def statements(database, prefix: str) -> Iterator[list[str]]:
    """The SQL statements starting with `prefix` that the database runs inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith(prefix):
            seen.append(statement)

    sa.event.listen(database.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(database.engine.sync_engine, "before_cursor_execute", note)


async def _replies(database) -> list[OutgoingReply]:
    async with database.transaction() as session:
        return list((await session.scalars(sa.select(OutgoingReply).order_by(OutgoingReply.id))).all())


async def _settled(database, rounds: int = 200) -> list[OutgoingReply]:
    for _ in range(rounds):
        rows = await _replies(database)
        if rows and all(r.sent_at is not None for r in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError("replies never settled")


async def test_a_bad_request_is_not_retried(sandbox, chatter, database):
    await sandbox.client.inject_faults("sendMessage", count=1, status=400, description="Bad Request: chat not found")
    await sandbox.client.send_text(chatter.user, "/start")
    [reply] = await _settled(database)
    assert reply.outcome == "rejected" and reply.attempts == 1
    assert len(await sandbox.client.calls("sendMessage")) == 1


async def test_a_blocked_bot_makes_the_reporter_unreachable_and_stops_trying(sandbox, chatter, database):
    await sandbox.client.inject_faults("sendMessage", count=1, status=403,
                                       description="Forbidden: bot was blocked by the user")
    await sandbox.client.send_text(chatter.user, "/start")
    [reply] = await _settled(database)
    assert reply.outcome == "unreachable"
    async with database.transaction() as session:
        reporter = (await session.scalars(sa.select(Reporter))).one()
    assert reporter.unreachable_at is not None
    assert len(await sandbox.client.calls("sendMessage")) == 1


async def test_a_failed_button_answer_stops_neither_the_edit_nor_the_next_question(sandbox, chatter, database):
    await chatter.say("/start")
    await sandbox.client.inject_faults("answerCallbackQuery", count=10, status=500)
    reply = await chatter.tap("Civilians harmed")
    assert "What happened?" in reply["text"] or chatter.buttons(reply)
    assert [c["status"] for c in await sandbox.client.calls("answerCallbackQuery")] == [500]


async def test_an_updates_replies_are_leased_with_it_and_sent_with_no_transaction_between(chatter, database):
    """A tap owes two replies (the tapped question's edit, then the next question): both are
    leased in the update's own transaction, and the edit (harmless to send again) is marked
    with the question after both went out; the one lease after them finds nothing more."""
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    with statements(database, "UPDATE replies SET due_at") as leases:
        reply = await chatter.tap("Air or drone strike")
    assert chatter.buttons(reply)  # the next question
    edit, question = (await _settled(database))[-2:]
    assert edit.edit_message_id is not None and question.edit_message_id is None
    assert [edit.attempts, edit.outcome, question.attempts, question.outcome] == [1, "sent", 1, "sent"]
    assert len(leases) == 2  # the update's run, then the look for more (was one per reply, and one more)


async def test_a_question_failing_after_its_edit_went_out_marks_the_edit_and_waits(sandbox, chatter, database):
    """The edit went out, the next question met a 500: the edit is marked in the failure's own
    transaction (never sent again), the question waits and goes once, later."""
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await sandbox.client.inject_faults("sendMessage", count=1, status=500)
    reply = await chatter.tap("Air or drone strike")
    assert chatter.buttons(reply)
    edit, question = (await _settled(database))[-2:]
    assert [edit.attempts, edit.outcome, question.attempts, question.outcome] == [1, "sent", 2, "sent"]
    assert len(await sandbox.client.calls("editMessageText")) == 1
    assert [c["status"] for c in await sandbox.client.calls("sendMessage")][-2:] == [500, 200]


async def test_one_reporter_waiting_out_a_429_does_not_delay_another(sandbox, reporter_bot, database):
    waiting = await Chatter.create(sandbox.client)
    await sandbox.client.inject_faults("sendMessage", count=1, status=429, retry_after=60)
    await sandbox.client.send_text(waiting.user, "/start")
    for _ in range(200):  # the first reply met the 429 and waits in the outbox
        if any(r.attempts for r in await _replies(database)):
            break
        await asyncio.sleep(0.05)
    other = await Chatter.create(sandbox.client)
    reply = await other.say("/start")
    assert "What do you want to report?" in reply["text"]
    assert await sandbox.client.bot_messages(waiting.chat) == []
    [postponed] = [r for r in await _replies(database) if r.sent_at is None]
    assert postponed.attempts == 1


async def test_the_desk_outbox_marks_each_message_as_it_is_sent(sandbox, reporter_bot, database, settings):
    reporter_bot._tasks["replies"].cancel()  # this test drives the outbox itself
    chatter = await Chatter.create(sandbox.client)
    await chatter.say("/start")  # Telegram lets a bot write only to those who wrote first
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings, telegram_user_id=chatter.user["id"])
        for n in range(4):
            session.add(OutboxMessage(reporter_id=reporter.id, kind="outcome",
                                      params={"ref_code": f"HW-{n}", "status": "verified"}))
    sent_before = len(await sandbox.client.calls("sendMessage"))
    # The third message is refused for good: the first two stay sent, the fourth still goes.
    await sandbox.client.inject_faults("sendMessage", count=2, status=200)
    await sandbox.client.inject_faults("sendMessage", count=1, status=400)
    assert await deliver_once(reporter_bot) == 3
    async with database.transaction() as session:
        rows = list((await session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))).all())
    assert all(r.sent_at is not None for r in rows) and [r.attempts for r in rows] == [1, 1, 1, 1]
    assert await deliver_once(reporter_bot) == 0  # nothing is sent twice
    assert len(await sandbox.client.calls("sendMessage")) - sent_before == 4


async def test_updates_of_one_chat_take_turns_lowest_update_id_first():
    turns, applied = ChatTurns(), []
    gate = asyncio.Event()

    async def handle(update_id: int) -> None:
        async with turns.turn(1, update_id):
            if update_id == 10:
                await gate.wait()
            applied.append(update_id)

    first = asyncio.create_task(handle(10))
    await asyncio.sleep(0)
    later = [asyncio.create_task(handle(n)) for n in (13, 11, 12)]
    await asyncio.sleep(0)
    gate.set()
    await asyncio.gather(first, *later)
    assert applied == [10, 11, 12, 13]
    assert turns.in_flight == 0


async def test_the_flood_counter_loses_no_increment_between_concurrent_updates(database, settings):
    async with database.transaction() as session:
        await make_reporter(session, settings, telegram_user_id=4242)

    async def one_message() -> None:
        async with database.transaction() as session:
            reporter = await reporters.get_or_create_reporter(session, settings, telegram_user_id=4242, chat_id=4242,
                                                              lang="en")
            reporters.count_message(reporter)
            await asyncio.sleep(0.01)  # widen the window in which an unlocked read would be stale

    await asyncio.gather(*(one_message() for _ in range(8)))
    async with database.transaction() as session:
        assert (await session.scalars(sa.select(Reporter.flood_count))).one() == 8


def test_an_older_update_than_the_last_applied_is_refused():
    reporter = Reporter(pseudonym="R-TEST")
    assert reporters.note_update(reporter, 105)
    assert not reporters.note_update(reporter, 104)
    assert reporters.note_update(reporter, 106) and reporter.last_update_id == 106


async def test_the_reporters_lock_notes_the_update_in_the_same_statement(database, settings):
    """Taking the reporter's lock with the update's id notes it as their last (one statement,
    no second UPDATE at the flush), unless a newer one was noted: then note_update refuses it,
    as it would have by itself; older than a day, the order no longer counts."""
    async def locked(update_id: int) -> tuple[bool, int]:
        with statements(database, "UPDATE reporters") as updates:
            async with database.transaction() as session:
                reporter = await reporters.get_or_create_reporter(
                    session, settings, telegram_user_id=4343, chat_id=4343, lang="en", update_id=update_id)
                in_order = reporters.note_update(reporter, update_id)
        return in_order, len(updates)

    assert await locked(200) == (True, 1)  # a new reporter: the touch finds nobody, the row is inserted with it
    assert await locked(201) == (True, 1)  # the touch, and no UPDATE at the flush
    assert await locked(199) == (False, 1)  # older than the last applied
    async with database.transaction() as session:
        [(last_id, last_at)] = (await session.execute(sa.select(Reporter.last_update_id, Reporter.last_update_at)))
        assert last_id == 201
        await session.execute(sa.update(Reporter).values(last_update_at=utcnow() - timedelta(hours=25)))
    assert await locked(7) == (True, 1)  # ids may restart after a quiet week


async def test_a_message_older_than_one_applied_is_not_saved_and_the_reporter_is_told(chatter, database):
    """An update that reaches the bot after a newer one of the same reporter was applied (here:
    the reporter's last applied id set ahead, as a newer update would) answers a question that
    has moved on: it is not saved, and the reporter is told, with the open question again."""
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Air or drone strike")
    async with database.transaction() as session:
        await session.execute(sa.update(Reporter).values(last_update_id=Reporter.last_update_id + 100))
    reply = await chatter.say("Aleppo")
    assert "reached me late" in reply["text"]
    async with database.transaction() as session:
        [draft_answers] = (await session.scalars(sa.select(Draft.answers))).all()
    assert "Aleppo" not in str(draft_answers)
    assert "Jebel Saman" not in chatter.buttons(reply)  # the place question again, not the next one


async def test_ids_not_arrived_between_a_reporters_last_update_and_the_next_are_waited_for(database):
    """Update ids are consecutive: one missing between a reporter's last applied update (10)
    and the one at hand (14) may be theirs, still on its way. Given up on, the missing ids get
    placeholders (nobody waits for them again) that do not stop the real one being applied."""
    async with database.transaction() as session:
        for update_id in (10, 11, 13, 14):
            await messaging.arrive(session, update_id, reporter_key=f"k{update_id}")
    async with database.transaction() as session:
        assert await messaging.missing_before(session, 14, since=10)
        assert not await messaging.missing_before(session, 12, since=10)
        assert not await messaging.missing_before(session, 14, since=None)  # a reporter's first update
        assert await messaging.give_up_waiting(session, 14, since=10) == 1
    async with database.transaction() as session:
        assert not await messaging.missing_before(session, 14, since=10)
        assert not await messaging.earlier_in_flight(session, 14, reporter_key="k12")  # a placeholder is nobody's
        assert await messaging.arrive(session, 12, reporter_key="k12")  # the late one is still fresh
        assert await messaging.take_for_applying(session, 12)


async def test_old_update_ids_and_finished_replies_are_pruned_by_age(database, settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        old, recent = utcnow() - timedelta(hours=49), utcnow() - timedelta(hours=47)
        session.add_all([ProcessedUpdate(update_id=1, processed_at=old, applied_at=old),
                         ProcessedUpdate(update_id=2, processed_at=recent, applied_at=recent),
                         OutgoingReply(reporter_id=reporter.id, text="old", sent_at=old, outcome="sent"),
                         OutgoingReply(reporter_id=reporter.id, text="owed")])
    async with database.transaction() as session:
        assert await delivery.prune(session, older_than=timedelta(hours=48)) == 1
    async with database.transaction() as session:
        assert (await session.scalars(sa.select(ProcessedUpdate.update_id))).all() == [2]
        assert (await session.scalars(sa.select(OutgoingReply.text))).all() == ["owed"]


async def test_a_poller_that_loses_a_409_logs_one_line_not_a_traceback(sandbox, reporter_bot, caplog):
    caplog.set_level(logging.WARNING, logger="bot.polling")
    async with sandbox.bot() as intruder:
        for _ in range(3):  # each getUpdates of another process ends the bot's with 409
            await intruder.get_updates(timeout=0)
            await asyncio.sleep(0.3)
    conflicts = [r for r in caplog.records if "409" in r.getMessage()]
    assert conflicts and all(r.exc_info is None for r in conflicts)


def test_harmwatch_bot_refuses_to_poll_while_a_webhook_is_set(sandbox, tmp_path):
    asyncio.run(_set_webhook(sandbox))
    environment = {**os.environ, "HARMWATCH_TELEGRAM_TOKEN": TOKEN, "HARMWATCH_TELEGRAM_API_URL": sandbox.url,
                   "HARMWATCH_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
                   "HARMWATCH_SECRET_KEY": "test-secret-key-not-for-production", "HARMWATCH_DATA_DIR": str(tmp_path)}
    finished = subprocess.run([sys.executable, "-m", "harmwatch.cli", "bot"], cwd=ROOT, env=environment,
                              capture_output=True, text=True, timeout=60)
    assert finished.returncode == 3
    assert "a webhook receives this bot's updates" in finished.stderr and "--take-over" in finished.stderr
    assert sandbox.state.webhook.url == "https://harmwatch.example.org/telegram/webhook"


async def _set_webhook(sandbox) -> None:
    async with sandbox.bot() as bot:
        await bot.set_webhook("https://harmwatch.example.org/telegram/webhook")
