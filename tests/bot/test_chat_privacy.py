"""What stays in the chat: every message the bot sends is protected from forwarding and saving,
and /privacy and /forget say what is kept where (the chat itself stays on the phone)."""

from tests.conftest import one_database


@one_database
async def test_every_message_the_bot_sends_is_protected(chatter, sandbox):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    await chatter.say("/privacy")
    sends = await sandbox.client.calls("sendMessage")
    assert len(sends) >= 4
    assert all(c["params"].get("protect_content") in (True, "true") for c in sends)


@one_database
async def test_privacy_says_what_is_kept_where(chatter):
    reply = await chatter.say("/privacy")
    for words in ("On your phone", "On Telegram's servers", "In Harmwatch", "auto-delete timer", "48 hours"):
        assert words in reply["text"]


@one_database
async def test_forget_says_what_stays_in_the_chat(chatter):
    await chatter.say("/start")
    await chatter.say("/forget")
    report = await chatter.tap("Yes, forget me")
    assert "This last message stays: delete the chat to remove it." in report["text"]
