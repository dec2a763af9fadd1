"""A form a frightened person can finish: Back on every question, where they are in it, a
summary in their own terms, /status that knows the report in progress, and questions that fit
what happened."""

import sqlalchemy as sa

from harmwatch.reports.models import Draft
from tests.conftest import one_database
from tests.bot.chatting import to_media_question
from tests.walks import to_first_count


async def _draft(database) -> Draft:
    async with database.transaction() as session:
        return (await session.scalars(sa.select(Draft))).one()


async def test_back_goes_to_the_question_before_and_progress_is_shown(chatter, database):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    reply = await chatter.tap("Armed clash")
    assert "2 / " in reply["text"] and "Back" in chatter.buttons(reply)
    reply = await chatter.say("Al Bab")
    assert "3 / " in reply["text"]
    reply = await chatter.tap("Back")
    assert "Where did it happen?" in reply["text"] and "2 / " in reply["text"]
    reply = await chatter.tap("Back")
    assert "What happened?" in reply["text"] and "Back" not in chatter.buttons(reply)  # the first question
    reply = await chatter.tap("Attack on civilians (shooting, beating)")
    assert "share the exact spot" in reply["text"]  # on to the first question not answered yet
    assert (await _draft(database)).answers["event_type"] == "attack_on_civilians"


@one_database
async def test_the_summary_says_what_the_reporter_did(chatter):
    await to_media_question(chatter)
    reply = await chatter.tap("No files")
    assert "Files: No files" in reply["text"]
    assert "Exact spot: Skipped for safety" in reply["text"]


@one_database
async def test_status_shows_the_report_in_progress(chatter):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    reply = await chatter.say("/status")
    assert "in progress" in reply["text"] and "/cancel" in reply["text"]


async def test_detention_and_abduction_ask_how_many_people(chatter, database):
    reply = await to_first_count(chatter, "Arrest or detention")
    assert "How many people were detained?" in reply["text"]
    await chatter.say("4")
    assert (await _draft(database)).answers["detained"] == {"min": 4, "max": 4}


@one_database
async def test_sexual_violence_is_asked_about_with_care(chatter):
    reply = await to_first_count(chatter, "Sexual violence")
    assert "survivors" in reply["text"] and "only what you are comfortable" in reply["text"]
    assert "killed" not in reply["text"]
