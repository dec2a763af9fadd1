"""One live question on screen: a bad typed answer brings the question back with the error above
it and deletes its older copy, so the chat never piles up copies; a good typed answer edits the
question to show it, as a tapped one does."""


async def _to_the_date_question(chatter) -> dict:
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    return await chatter.tap("Skip")  # the exact spot


async def _copies(sandbox, chatter, label: str) -> list[dict]:
    shown = await sandbox.client.bot_messages(chatter.chat, include_deleted=False)
    return [m for m in shown if label in m["text"]]


async def test_three_bad_answers_leave_one_copy_of_the_question(chatter, sandbox):
    question = await _to_the_date_question(chatter)
    label = "On what day did it happen?"
    assert label in question["text"]
    for bad in ("banana", "32/13/2026", "next blue moon"):
        reply = await chatter.say(bad)
        assert label in reply["text"] and "Back" in chatter.buttons(reply)
    [live] = await _copies(sandbox, chatter, label)
    assert live["message_id"] == reply["message_id"]
    assert reply["text"].index(label) > 0  # the error is above the question
    deleted = await sandbox.client.calls("deleteMessage")
    assert len(deleted) == 3 and all(c["ok"] for c in deleted)


async def test_a_typed_answer_edits_the_question_to_show_it(chatter, sandbox):
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    question = await chatter.tap("Armed clash")
    await chatter.say("Al Bab")
    [edited] = [m for m in await sandbox.client.bot_messages(chatter.chat) if m["message_id"] == question["message_id"]]
    assert "✓" in edited["text"] and "Al Bab" in edited["text"] and not chatter.buttons(edited)
