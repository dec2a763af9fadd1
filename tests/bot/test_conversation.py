"""End to end: the real python-telegram-bot application against the sandbox, over HTTP, on
SQLite and PostgreSQL. Each answer must be in the database before the bot replies."""

from datetime import date, timedelta

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.i18n import translator
from harmwatch.reports.models import Draft, Report
from tests.conftest import one_database


async def _reports(database) -> list[Report]:
    async with database.transaction() as session:
        return list((await session.scalars(sa.select(Report).order_by(Report.id))).all())


async def _draft(database) -> Draft | None:
    async with database.transaction() as session:
        return await session.scalar(sa.select(Draft))


async def test_complete_harm_report_in_english(chatter, database):
    reply = await chatter.say("/start")
    assert {"Civilians harmed", "Aid blocked or attacked", "العربية"} <= set(chatter.buttons(reply))
    reply = await chatter.tap("Civilians harmed")
    assert "What happened?" in reply["text"]
    reply = await chatter.tap("Shelling, artillery or missile attack")
    assert "Where did it happen?" in reply["text"] and "Aleppo" in chatter.buttons(reply)
    reply = await chatter.say("Al Bab")
    assert "share the exact spot" in reply["text"]
    reply = await chatter.tap("Skip")
    assert "On what day" in reply["text"]
    reply = await chatter.tap("Yesterday")
    assert "How sure" in reply["text"]
    reply = await chatter.tap("That exact day")
    reply = await chatter.tap("Morning")
    assert "killed" in reply["text"]
    reply = await chatter.say("3-5")
    assert "children" in reply["text"]
    reply = await chatter.say("1")
    assert "injured" in reply["text"]
    reply = await chatter.tap("I don't know")
    assert "injured were children" in reply["text"]  # unknown may be more than zero: asked
    reply = await chatter.tap("I don't know")
    assert "missing" in reply["text"]
    reply = await chatter.tap("None")
    assert "weapon" in reply["text"]
    reply = await chatter.tap("I don't know")
    assert "What was hit?" in reply["text"]
    await chatter.toggle("Home")
    await chatter.toggle("Market or shop")
    reply = await chatter.tap("Done")
    assert "Who do you think" in reply["text"]
    reply = await chatter.say("<b>Government</b> forces & allies")
    assert "How do you know" in reply["text"]
    await chatter.toggle("I saw it myself")
    reply = await chatter.tap("Done")
    reply = await chatter.say("The market was hit at 9 in the morning.")
    assert "photos" in reply["text"]
    reply = await chatter.tap("No files")
    assert "Please check your report" in reply["text"]
    # The reporter's words come back escaped: shown as text, never as markup.
    assert "&lt;b&gt;Government&lt;/b&gt; forces &amp; allies" in reply["raw_text"]
    assert "<b>Government</b> forces & allies" in reply["text"]
    reply = await chatter.tap("Send the report")
    assert "reference code is HW-" in reply["text"]

    [report] = await _reports(database)
    assert report.ref_code in reply["text"]
    assert (report.report_type, report.event_type, report.adm1_pcode, report.adm2_pcode) == \
        ("harm", "shelling_artillery_missile", "SY02", "SY0202")
    assert report.occurred_on == date.today() - timedelta(days=1) and report.time_precision == 1
    assert (report.killed_min, report.killed_max) == (3, 5)
    assert (report.children_killed_min, report.children_killed_max) == (1, 1)
    assert report.injured_min is None and report.injured_max is None  # unknown is not zero
    assert (report.missing_min, report.missing_max) == (0, 0)
    assert report.answers["objects_hit"] == ["home", "market"]
    assert report.answers["attribution"] == "<b>Government</b> forces & allies"
    assert report.status == "submitted" and report.lang == "en" and report.channel == "telegram"
    assert await _draft(database) is None
    async with database.transaction() as session:
        actions = (await session.scalars(sa.select(AuditEvent.action))).all()
    assert "report.submitted" in actions


async def test_each_answer_is_stored_before_the_reply(chatter, database):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    reply = await chatter.tap("Armed clash")
    draft = await _draft(database)
    assert draft.answers["event_type"] == "armed_clash" and draft.current == "place"
    assert "Where did it happen?" in reply["text"]


async def test_bad_answers_get_a_clear_message_and_change_nothing(chatter, database):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Idleb")  # the governorate and its district of the same name: no district question
    await chatter.tap("Skip")  # location
    before = (await _draft(database)).answers
    future = (date.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    reply = await chatter.say(future)
    assert "future" in reply["text"] and "On what day" in reply["text"]
    assert (await _draft(database)).answers == before
    await chatter.tap("Today")
    await chatter.tap("That exact day")
    await chatter.tap("Skip")
    reply = await chatter.say("-3")
    assert (await _draft(database)).answers.get("killed") is None
    assert "killed" in reply["text"] and reply["text"] != "How many people were killed?"
    reply = await chatter.say("x" * 5000)
    assert "killed" in reply["text"]
    assert "killed" not in (await _draft(database)).answers


@one_database
async def test_a_typed_answer_takes_the_buttons_off_its_question(chatter, sandbox):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    place_question = await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    [edited] = [m for m in await sandbox.client.bot_messages(chatter.chat)
                if m["message_id"] == place_question["message_id"]]
    assert "✓" in edited["text"] and not edited["reply_markup"]


async def test_stale_button_changes_nothing(chatter, database, sandbox):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    place_question = await chatter.tap("Armed clash")
    # Telegram refuses the edit that would take the buttons off: they stay on screen.
    await sandbox.client.inject_faults("editMessageText", count=1, status=400,
                                       description="Bad Request: message can't be edited")
    await chatter.say("Al Bab")
    answers = (await _draft(database)).answers
    aleppo = next(b["callback_data"] for row in place_question["reply_markup"]["inline_keyboard"] for b in row
                  if b["text"] == "Aleppo")
    pressed = await sandbox.client.press(chatter.user, place_question, aleppo)
    answer = await sandbox.client.callback_answer(pressed)
    assert answer["text"] == "This question was already answered."
    assert (await _draft(database)).answers == answers
    assert answers["place"]["adm2"] == "SY0202"


async def test_same_update_delivered_twice_gets_one_answer(chatter, sandbox):
    sent = await chatter.client.send_text(chatter.user, "/start")
    await chatter.reply_after(sent["message"]["message_id"])
    await sandbox.client.redeliver(sent["update"])
    # A later message is answered only after the redelivered one was dealt with (in order).
    await chatter.say("/help")
    welcomes = [m for m in await sandbox.client.bot_messages(chatter.chat) if "What do you want to report?" in m["text"]]
    assert len(welcomes) == 1


async def test_injected_429_and_500_still_deliver_exactly_one_reply(chatter, sandbox):
    await sandbox.client.inject_faults("sendMessage", count=1, status=429, retry_after=1)
    await sandbox.client.inject_faults("sendMessage", count=2, status=500)
    reply = await chatter.say("/help")
    assert "/status" in reply["text"]
    helps = [m for m in await sandbox.client.bot_messages(chatter.chat) if "/status" in m["text"]]
    assert len(helps) == 1
    statuses = [c["status"] for c in await sandbox.client.calls("sendMessage")]
    assert statuses[-4:] == [429, 500, 500, 200]


async def test_group_chats_are_refused_and_nothing_is_stored(sandbox, reporter_bot, database):
    user = await sandbox.client.create_user("en")
    group = await sandbox.client.create_chat("group", members=[user])
    sent = await sandbox.client.send_text(user, "/start", chat=group)
    reply = await sandbox.client.wait_for_bot_message(group, after=sent["message"]["message_id"], timeout=10)
    assert "private chat" in reply["text"]
    async with database.transaction() as session:
        assert (await session.scalar(sa.select(sa.func.count()).select_from(Draft))) == 0
        from harmwatch.reporters.models import Reporter

        assert (await session.scalar(sa.select(sa.func.count()).select_from(Reporter))) == 0


@one_database
async def test_stickers_get_a_polite_request(chatter):
    await chatter.say("/start")
    sent = await chatter.client.send_other(chatter.user, "sticker", emoji="😀")
    reply = await chatter.reply_after(sent["message"]["message_id"])
    assert reply["text"] == "Please send text, a photo or a location."


async def test_commands_are_set_in_every_language(reporter_bot, sandbox):
    calls = await sandbox.client.calls("setMyCommands")
    languages = {c["params"].get("language_code") for c in calls}
    assert {"ar", "fr", "es", "uk", "ru", "fa", "en"} <= languages


async def test_no_telegram_identity_in_logs_or_rows(chatter, database, caplog):
    import logging

    caplog.set_level(logging.INFO)
    await chatter.client.inject_faults("sendMessage", count=1, status=500)  # something worth logging
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("-5")
    user = chatter.user
    identity = {str(user["id"]), user["first_name"], *([user["username"]] if user.get("username") else [])}
    # httpx is silenced to WARNING by `harmwatch` (its lines carry URLs); the sandbox is Telegram's side.
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "bot.sandbox")))
    assert ours, "the bot logged nothing at all: the check would be empty"
    assert not [piece for piece in identity if piece in ours]
    async with database.transaction() as session:
        from harmwatch.reporters.models import Reporter

        rows = [r.model_dump() for r in (await session.scalars(sa.select(Reporter))).all()]
        drafts = [d.model_dump() for d in (await session.scalars(sa.select(Draft))).all()]
    assert not [piece for piece in identity if piece in repr(rows) + repr(drafts)]


async def test_flood_is_answered_once_politely(chatter, sandbox):
    import asyncio

    for n in range(23):
        await sandbox.client.send_text(chatter.user, f"/help {n}")
    for _ in range(100):
        replies = await sandbox.client.bot_messages(chatter.chat)
        if len(replies) >= 21:
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # time for any reply that should not come
    replies = await sandbox.client.bot_messages(chatter.chat)
    warnings = [m for m in replies if "sending messages very fast" in m["text"]]
    assert len(warnings) == 1 and len(replies) == 21  # 20 answers, one warning, then silence
