"""What stays in the chat: every message the bot sends is protected from forwarding and saving,
and /privacy and /forget say what is kept where (the chat itself stays on the phone)."""


async def test_every_message_the_bot_sends_is_protected(chatter, sandbox):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    await chatter.say("/privacy")
    sends = await sandbox.client.calls("sendMessage")
    assert len(sends) >= 4
    assert all(c["params"].get("protect_content") in (True, "true") for c in sends)


async def test_privacy_says_what_is_kept_where(chatter):
    reply = await chatter.say("/privacy")
    for words in ("On your phone and on Telegram's servers", "auto-delete", "In Harmwatch", "does not delete this chat"):
        assert words in reply["text"]


async def test_forget_says_the_chat_is_untouched(chatter, sandbox):
    await chatter.say("/start")
    confirm = await chatter.say("/forget")
    await chatter.toggle("Yes, forget me")
    [edited] = [m for m in await sandbox.client.bot_messages(chatter.chat) if m["message_id"] == confirm["message_id"]]
    assert "This chat is still on your phone" in edited["text"]
