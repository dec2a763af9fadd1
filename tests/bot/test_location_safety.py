"""Location safety: the warning comes on the first screen that mentions sharing a location, the
bot asks for the pin where it happened and says in words which area it matched, and no button
ever sends the reporter's position in one tap."""

import json

from tests.conftest import one_database


@one_database
async def test_the_first_place_question_warns_before_a_location_is_shared(chatter):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    reply = await chatter.tap("Armed clash")
    assert "share a location" in reply["text"]  # the first screen that mentions it...
    assert "can show where you are" in reply["text"]  # ...carries the warning
    assert "where it happened, not where you are" in reply["text"]


@one_database
async def test_the_matched_area_is_confirmed_in_words(chatter):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    reply = await chatter.share_location(36.2, 37.16)  # Aleppo city
    assert "That point is in Jebel Saman, Aleppo" in reply["text"]
    assert "How close is that point" in reply["text"]


@one_database
async def test_a_point_outside_every_known_area_is_said_plainly(chatter):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    reply = await chatter.share_location(48.85, 2.35)  # Paris: no Syrian area near
    assert "not in any area I know" in reply["text"]


@one_database
async def test_no_keyboard_ever_asks_for_the_position_in_one_tap(chatter, sandbox):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    await chatter.tap("Skip")
    sends = await sandbox.client.calls("sendMessage") + await sandbox.client.calls("editMessageText")
    assert len(sends) >= 5
    assert not [c for c in sends if "request_location" in json.dumps(c["params"])]
