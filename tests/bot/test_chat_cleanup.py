"""A chat that cleans itself: after Send, and on /forget, the bot deletes this conversation's
messages on both sides of the chat (the sandbox's call log shows each deleteMessage), says what
Telegram would not let it delete, and never tries a refused one again."""

import asyncio
from collections import Counter

import sqlalchemy as sa

from harmwatch.messaging.models import ChatMessage, OutgoingReply
from tests.bot.chatting import send_report


async def _shown(sandbox, chatter) -> list[dict]:
    return await sandbox.client.messages(chatter.chat, include_deleted=False)


async def _deleted_ids(sandbox) -> Counter:
    return Counter(int(c["params"]["message_id"]) for c in await sandbox.client.calls("deleteMessage"))


async def _cleanup_replies(database) -> list[OutgoingReply]:
    async with database.transaction() as session:
        return list((await session.scalars(sa.select(OutgoingReply).where(
            OutgoingReply.kind.in_(("clean", "forget"))))).all())


async def _report_then_clean(sandbox, chatter) -> tuple[set[int], dict]:
    sent = await send_report(chatter)
    assert "Delete this conversation" in chatter.buttons(sent)
    before = {m["message_id"] for m in await _shown(sandbox, chatter)}
    report = await chatter.tap("Delete this conversation")
    return before, report


async def test_after_send_the_conversation_is_deleted_on_both_sides(chatter, sandbox, database):
    before, report = await _report_then_clean(sandbox, chatter)
    messages = await sandbox.client.messages(chatter.chat)
    theirs = {m["message_id"] for m in messages if not m["from_bot"] and m["message_id"] in before}
    assert theirs, "the reporter's own messages are part of the conversation"
    deleted = await _deleted_ids(sandbox)
    assert set(deleted) == before and set(deleted.values()) == {1}  # each one, once
    assert [m["message_id"] for m in await _shown(sandbox, chatter)] == [report["message_id"]]
    assert f"I deleted {len(before)} messages" in report["text"]
    [job] = await _cleanup_replies(database)
    assert job.outcome == "sent" and job.delete_ids is None and job.chat_id_enc is None


async def test_messages_too_old_to_delete_are_named_and_not_tried_again(chatter, sandbox, database):
    sent = await send_report(chatter)
    first_two = [m["message_id"] for m in await _shown(sandbox, chatter)][:2]
    await sandbox.client.age_messages(chatter.chat, 49, first_two)
    assert sent["message_id"] not in first_two
    report = await chatter.tap("Delete this conversation")
    assert "2 messages are older than 48 hours" in report["text"]
    await asyncio.sleep(1.5)  # a sweep or two of the reply sender: nothing is tried again
    deleted = await _deleted_ids(sandbox)
    assert all(deleted[i] == 1 for i in first_two)
    assert {m["message_id"] for m in await _shown(sandbox, chatter)} == {*first_two, report["message_id"]}
    [job] = await _cleanup_replies(database)
    assert job.sent_at is not None


async def test_a_clean_up_cut_off_by_telegram_carries_on_later(chatter, sandbox, database):
    sent = await send_report(chatter)
    before = {m["message_id"] for m in await _shown(sandbox, chatter)}
    await sandbox.client.inject_faults("deleteMessage", count=2, status=502)
    await sandbox.client.press_button(chatter.user, "Delete this conversation")
    report = await sandbox.client.wait_for_bot_message(chatter.chat, after=sent["message_id"], timeout=15)
    assert f"I deleted {len(before)} messages" in report["text"]
    assert [m["message_id"] for m in await _shown(sandbox, chatter)] == [report["message_id"]]


async def test_keep_it_deletes_nothing(chatter, sandbox):
    await send_report(chatter)
    toast = await chatter.toggle("Keep it")
    assert "stays" in toast["text"]
    assert await sandbox.client.calls("deleteMessage") == []


async def test_forget_deletes_the_chat_and_its_records(chatter, sandbox, database):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    before = {m["message_id"] for m in await _shown(sandbox, chatter)}
    confirm = await chatter.say("/forget")
    report = await chatter.tap("Yes, forget me")
    assert "no longer linked to you" in report["text"]
    assert f"I deleted {len(before) + 2} messages" in report["text"]  # with /forget and its question
    assert set(await _deleted_ids(sandbox)) == before | {confirm["message_id"], confirm["message_id"] - 1}
    assert [m["message_id"] for m in await _shown(sandbox, chatter)] == [report["message_id"]]
    async with database.transaction() as session:
        assert (await session.scalar(sa.select(sa.func.count()).select_from(ChatMessage))) == 0


async def test_chat_message_ids_are_kept_seven_days_at_most(database, settings):
    from datetime import timedelta

    from harmwatch.database import utcnow
    from harmwatch.messaging import chat, delivery
    from tests.factories import make_reporter

    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        await chat.record(session, reporter.id, 1, from_bot=True, sent_at=utcnow() - timedelta(days=8))
        await chat.record(session, reporter.id, 2, from_bot=False, sent_at=utcnow() - timedelta(days=3))
    async with database.transaction() as session:
        await delivery.prune(session, older_than=timedelta(hours=48))
        assert [m[0] for m in await chat.take_all(session, reporter.id)] == [2]
