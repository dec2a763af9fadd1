"""No answer lost, none misfiled: the monitor's question gets only what replies to it (or what
the reporter says is for it); a testimony Telegram split is joined; an edited answer is updated."""

import sqlalchemy as sa

from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Draft, ReportMessage
from harmwatch.review import service as review
from tests.conftest import one_database
from tests.factories import make_report, make_user


async def _draft(database) -> Draft:
    async with database.transaction() as session:
        return (await session.scalars(sa.select(Draft))).one()


async def _thread(database) -> list[ReportMessage]:
    async with database.transaction() as session:
        return list((await session.scalars(sa.select(ReportMessage).order_by(ReportMessage.id))).all())


async def _asked(chatter, database, sandbox):
    """A monitor's question about an earlier report reaches the reporter; its message."""
    async with database.transaction() as session:
        reporter = (await session.scalars(sa.select(Reporter))).one()
        report = await make_report(session, reporter=reporter)
        monitor = await make_user(session)
        await review.claim(session, report, user=monitor)
        await review.ask_reporter(session, report, user=monitor, question="Which street?")
    last = (await sandbox.client.bot_messages(chatter.chat))[-1]
    question = await chatter.reply_after(last["message_id"])
    assert report.ref_code in question["text"] and "Reply to this message" in question["text"]
    return report, question


async def _to_date_question(chatter):
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    return await chatter.tap("Skip")


async def test_a_form_answer_is_not_taken_for_the_monitors_question(chatter, database, sandbox):
    await chatter.say("/start")
    reply = await _to_date_question(chatter)
    assert "On what day" in reply["text"]
    report, question = await _asked(chatter, database, sandbox)  # arrives while the reporter is in a form
    reply = await chatter.say("20/11/2026")  # an answer to the form, not a reply to the monitor
    assert "review team" in reply["text"] and report.ref_code in reply["text"]
    reply = await chatter.tap("No, it is for my report")
    assert "How sure" in reply["text"]
    assert "2026-11-20" in str((await _draft(database)).answers["occurred_on"])
    assert [m.direction for m in await _thread(database)] == ["to_reporter"]
    # A reply to the question goes onto the thread at once, and the form is untouched.
    answers = (await _draft(database)).answers
    sent = await chatter.client.send_text(chatter.user, "Rue des Boulangers", reply_to=question)
    reply = await chatter.reply_after(sent["message"]["message_id"])
    after = await sandbox.client.bot_messages(chatter.chat, after=sent["message"]["message_id"])
    assert report.ref_code in after[0]["text"] and "How sure" in reply["text"]
    thread = await _thread(database)
    assert [m.direction for m in thread] == ["to_reporter", "from_reporter"]
    assert thread[1].body == "Rue des Boulangers" and (await _draft(database)).answers == answers


async def test_a_message_confirmed_for_the_review_team_lands_on_the_report(chatter, database, sandbox):
    await chatter.say("/start")
    report, _question = await _asked(chatter, database, sandbox)
    confirm = await chatter.say("It was the street by the bakery")
    await chatter.toggle("Yes, for the review team")
    [thanked] = [m for m in await sandbox.client.bot_messages(chatter.chat) if m["message_id"] == confirm["message_id"]]
    assert report.ref_code in thanked["text"] and "Thank you" in thanked["text"]
    thread = await _thread(database)
    assert [m.body for m in thread][1:] == ["It was the street by the bakery"]


async def test_a_testimony_split_by_telegram_is_joined_into_one_answer(chatter, database):
    from tests.bot.chatting import to_media_question

    await to_media_question(chatter)
    await chatter.say("/cancel")
    await chatter.tap("No, keep it")
    draft = await _draft(database)
    assert draft.current == "media"
    await chatter.tap("No files")  # the summary
    await chatter.toggle("Change an answer")
    reply = await chatter.tap("Your description")
    assert "Describe what happened" in reply["text"]
    testimony = ("The shelling began at dawn. " * 400)[:10_000]
    parts = [testimony[:4096], testimony[4096:8192], testimony[8192:]]  # as Telegram splits it
    for part in parts[:-1]:
        sent = await chatter.client.send_text(chatter.user, part)
        await chatter.reply_after(sent["message"]["message_id"])
    reply = await chatter.say(parts[-1])
    assert (await _draft(database)).answers["description"] == testimony.strip()
    joined = (await chatter.client.bot_messages(chatter.chat, after=sent["message"]["message_id"]))
    assert [m for m in joined if "joined your 3 messages into one answer of 9999 characters" in m["text"]]
    assert "Please check your report" in reply["text"] and len(reply["text"]) < 4096


async def test_editing_the_previous_answer_updates_it(chatter, database, sandbox):
    await chatter.say("/start")
    await _to_date_question(chatter)
    await chatter.tap("Today")
    await chatter.tap("That exact day")
    await chatter.tap("Skip")
    sent = await chatter.client.send_text(chatter.user, "3")  # how many killed
    reply = await chatter.reply_after(sent["message"]["message_id"])
    assert "children" in reply["text"]
    edit = await sandbox.client.edit(chatter.user, sent["message"], "5")
    reply = await chatter.reply_after(reply["message_id"])
    draft = await _draft(database)
    assert draft.answers["killed"] == {"min": 5, "max": 5} and draft.current == "children_killed"
    assert "changed" in reply["text"] and "5" in reply["text"] and "children" in reply["text"]
    assert edit


@one_database
async def test_an_edit_that_is_no_answer_is_explained(chatter, sandbox):
    sent = await chatter.client.send_text(chatter.user, "/help")
    await chatter.reply_after(sent["message"]["message_id"])
    last = (await sandbox.client.bot_messages(chatter.chat))[-1]
    await sandbox.client.edit(chatter.user, sent["message"], "/status")
    reply = await chatter.reply_after(last["message_id"])
    assert "not an answer" in reply["text"]
