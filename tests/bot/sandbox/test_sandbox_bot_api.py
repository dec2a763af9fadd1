"""The sandbox answers the real python-telegram-bot `Bot` the way the Telegram Bot API does."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden, InvalidToken



async def test_get_me_answers_the_bot_identity(bot):
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456789 and me.username == "harmwatch_sandbox_bot"


async def test_wrong_token_is_unauthorized(sandbox):
    with pytest.raises(InvalidToken):
        async with sandbox.bot("42:not-the-token"):
            pass


async def test_unknown_method_is_404_like_telegram(sandbox, bot):
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})
    r = httpx.post(f"{sandbox.url}/bot{sandbox.state.token}/sendTelepathy")
    assert r.status_code == 404
    assert r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_method_names_are_case_insensitive_and_json_bodies_work(sandbox, user):
    r = httpx.post(f"{sandbox.url}/bot{sandbox.state.token}/SENDMESSAGE",
                   json={"chat_id": user["id"], "text": "<b>hi</b>", "parse_mode": "HTML",
                         "reply_markup": {"inline_keyboard": [[{"text": "Go",
                                                                "callback_data": "go"}]]}})
    body = r.json()
    assert body["ok"] is True
    assert body["result"]["text"] == "hi"
    assert body["result"]["entities"] == [{"offset": 0, "length": 2, "type": "bold"}]
    assert body["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "go"
    got = httpx.get(f"{sandbox.url}/bot{sandbox.state.token}/getMe").json()
    assert got["ok"] and got["result"]["is_bot"]


async def test_bot_cannot_write_first_to_a_user(sandbox, bot):
    stranger = await sandbox.client.create_user("fr")
    with pytest.raises(Forbidden, match="(?i)can't initiate conversation"):
        await bot.send_message(stranger["id"], "hello")


async def test_user_text_arrives_as_update_with_command_entities(sandbox, bot):
    amal = await sandbox.client.create_user("ar", first_name="Amal")
    await sandbox.client.send_text(amal, "/start report")
    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 1
    message = updates[0].message
    assert message.text == "/start report"
    assert message.from_user.language_code == "ar"
    assert message.chat.id == amal["id"] and message.chat.type == "private"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]


async def test_offset_confirms_updates(sandbox, bot, user):
    first = await bot.get_updates(timeout=0)
    assert len(first) == 1
    await sandbox.client.send_text(user, "second")
    again = await bot.get_updates(timeout=0)  # nothing confirmed yet: both come back
    assert [u.update_id for u in again][:1] == [first[0].update_id] and len(again) == 2
    rest = await bot.get_updates(offset=again[-1].update_id + 1, timeout=0)
    assert rest == ()


async def test_long_poll_waits_for_the_next_update(sandbox, bot):
    amal = await sandbox.client.create_user()

    async def later():
        await asyncio.sleep(0.3)
        await sandbox.client.send_text(amal, "late")

    started = time.monotonic()
    task = asyncio.create_task(later())
    updates = await bot.get_updates(timeout=5)
    await task
    assert updates[0].message.text == "late"
    assert 0.25 < time.monotonic() - started < 2


async def test_html_is_shown_as_telegram_displays_it(sandbox, bot, user):
    sent = await bot.send_message(user["id"], "<b>Report</b> &lt;HW-7&gt; <i>saved</i>",
                                  parse_mode=ParseMode.HTML)
    assert sent.text == "Report <HW-7> saved"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 6),
                                                                    ("italic", 14, 5)]
    view = (await sandbox.client.bot_messages(user))[-1]
    assert view["raw_text"] == "<b>Report</b> &lt;HW-7&gt; <i>saved</i>"
    assert view["parse_mode"] == "HTML" and view["text"] == "Report <HW-7> saved"


@pytest.mark.parametrize("html", ["line<br>break", "<b>unclosed", "a < b", "<b><i>x</b></i>",
                                  "<script>alert(1)</script>"])
async def test_malformed_html_is_refused(bot, user, html):
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(user["id"], html, parse_mode=ParseMode.HTML)


async def test_too_long_and_empty_messages_are_refused(bot, user):
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(user["id"], "x" * 4097)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(user["id"], "<b> </b>", parse_mode=ParseMode.HTML)


async def test_edit_and_delete_are_visible_to_the_user(sandbox, bot, user):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
    sent = await bot.send_message(user["id"], "Killed?", reply_markup=keyboard)
    edited = await bot.edit_message_text("Killed: <b>yes</b>", chat_id=user["id"],
                                         message_id=sent.message_id, parse_mode="HTML")
    assert edited.edit_date is not None and edited.reply_markup is None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("Killed: <b>yes</b>", chat_id=user["id"],
                                    message_id=sent.message_id, parse_mode="HTML")
    await bot.edit_message_reply_markup(user["id"], sent.message_id, reply_markup=keyboard)
    view = (await sandbox.client.bot_messages(user))[-1]
    assert view["text"] == "Killed: yes" and view["edits"] == 2
    assert view["reply_markup"]["inline_keyboard"][0][0]["text"] == "Yes"
    assert await bot.delete_message(user["id"], sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(user["id"], sent.message_id)
    assert (await sandbox.client.bot_messages(user))[-1]["deleted"] is True
    assert await sandbox.client.bot_messages(user, include_deleted=False) == []


async def test_callback_query_round_trip(sandbox, bot, user):
    await bot.get_updates(timeout=0)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Submit", callback_data="submit"),
                                      InlineKeyboardButton("Help", url="https://example.org")]])
    sent = await bot.send_message(user["id"], "Ready?", reply_markup=keyboard)
    pressed = await sandbox.client.press_button(user, "Submit")
    updates = await bot.get_updates(offset=-1, timeout=0)
    query = updates[-1].callback_query
    assert query.data == "submit" and query.message.message_id == sent.message_id
    assert query.chat_instance and query.from_user.id == user["id"]
    assert pressed["callback_query"]["id"] == query.id
    await query.answer("Sent!", show_alert=True)
    answer = await sandbox.client.callback_answer(pressed)
    assert answer["text"] == "Sent!" and answer["show_alert"] is True
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer("again")
    link = await sandbox.client.press_button(user, "Help")
    assert link["url"] == "https://example.org"


async def test_photo_round_trip_keeps_bytes_and_unique_id(sandbox, bot):
    amal = await sandbox.client.create_user()
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (1600).to_bytes(4, "big")
           + (1200).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00" + bytes(range(256)) * 4)
    await sandbox.client.send_photo(amal, png, caption="checkpoint")
    await sandbox.client.send_photo(amal, png)
    await sandbox.client.send_photo(amal, png + b"other")
    updates = await bot.get_updates(timeout=0)
    photos = [u.message.photo for u in updates]
    largest = photos[0][-1]
    assert (largest.width, largest.height) == (1600, 1200) and len(photos[0]) == 5
    assert photos[0][0].width == 90 and updates[0].message.caption == "checkpoint"
    assert largest.file_unique_id == photos[1][-1].file_unique_id
    assert largest.file_id != photos[1][-1].file_id
    assert largest.file_unique_id != photos[2][-1].file_unique_id
    tg_file = await bot.get_file(largest.file_id)
    assert tg_file.file_size == len(png) and tg_file.file_path
    assert bytes(await tg_file.download_as_bytearray()) == png


async def test_document_and_sending_files_back(sandbox, bot, user):
    await sandbox.client.send_document(user, b"%PDF-1.4 test", file_name="list.pdf",
                                       mime_type="application/pdf")
    updates = await bot.get_updates(timeout=0)
    doc = updates[-1].message.document
    assert (doc.file_name, doc.mime_type, doc.file_size) == ("list.pdf", "application/pdf", 13)
    again = await bot.send_document(user["id"], doc.file_id, caption="yours")
    assert again.document.file_unique_id == doc.file_unique_id
    uploaded = await bot.send_document(user["id"], b"a,b\n1,2\n", filename="x.csv")
    data = await (await bot.get_file(uploaded.document.file_id)).download_as_bytearray()
    assert bytes(data) == b"a,b\n1,2\n"
    photo = await bot.send_photo(user["id"], b"GIF89a\x10\x00\x08\x00" + b"\x00" * 20)
    assert photo.photo[-1].width == 16
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_photo(user["id"], "AgACnot-a-file")
    with pytest.raises(BadRequest, match="(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_commands_are_stored_per_language(sandbox, bot, user):
    await bot.set_my_commands([("start", "Start"), ("report", "New report")])
    await bot.set_my_commands([("start", "ابدأ")], language_code="ar")
    assert [c.command for c in await bot.get_my_commands()] == ["start", "report"]
    assert [c.description for c in await bot.get_my_commands(language_code="ar")] == ["ابدأ"]
    await sandbox.client.set_language(user, "ar")
    chat = await sandbox.client.chat(user)
    assert chat["rtl"] is True and chat["commands"][0]["description"] == "ابدأ"
    with pytest.raises(BadRequest):
        await bot.set_my_commands([("Bad Command", "x")])


async def test_reply_keyboard_chat_action_and_one_time_keyboard(sandbox, bot, user):
    await bot.send_chat_action(user["id"], "typing")
    assert (await sandbox.client.chat(user))["action"]["action"] == "typing"
    markup = ReplyKeyboardMarkup([[KeyboardButton("Share location", request_location=True)],
                                  ["Skip"]], one_time_keyboard=True)
    sent = await bot.send_message(user["id"], "Where?", reply_markup=markup)
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    chat = await sandbox.client.chat(user)
    assert chat["keyboard"]["keyboard"][1][0]["text"] == "Skip" and chat["action"] is None
    await sandbox.client.send_text(user, "Skip")
    assert (await sandbox.client.chat(user))["keyboard"] is None


async def test_other_kinds_of_messages_parse_as_telegram_updates(sandbox, bot, user):
    await bot.get_updates(timeout=0)
    client = sandbox.client
    await client.send_location(user, 36.2, 37.15)
    for kind in ("sticker", "voice", "video", "contact"):
        await client.send_other(user, kind)
    await client.send_other(user, "poll", question="Safe?", options=["yes", "no"])
    sent = await client.send_text(user, "first try")
    await client.edit(user, sent["message"], "second try")
    updates = (await bot.get_updates(offset=-8, timeout=0))
    m = [u.effective_message for u in updates]
    assert (m[0].location.latitude, m[0].location.longitude) == (36.2, 37.15)
    assert m[1].sticker.emoji and m[2].voice.duration and m[3].video.width
    assert m[4].contact.phone_number and m[5].poll.question == "Safe?"
    assert updates[-1].edited_message.text == "second try"
    assert updates[-1].edited_message.message_id == sent["message"]["message_id"]


async def test_group_and_channel_messages_carry_their_chat(sandbox, bot, user):
    group = await sandbox.client.create_chat("supergroup", "Aid workers", members=[user])
    channel = await sandbox.client.create_chat("channel", "News")
    await sandbox.client.send_text(user, "hello group", chat=group)
    await sandbox.client.send_text(user, "post", chat=channel)
    updates = await bot.get_updates(offset=-2, timeout=0)
    assert updates[0].message.chat.type == "supergroup" and group["id"] < -10**12
    assert updates[1].channel_post.sender_chat.id == channel["id"]
    await bot.send_message(group["id"], "Please write to me in private.")


async def test_blocking_the_bot_makes_sends_forbidden(sandbox, bot, user):
    await sandbox.client.block(user)
    with pytest.raises(Forbidden, match="(?i)blocked by the user"):
        await bot.send_message(user["id"], "still there?")
    updates = await bot.get_updates(offset=-1, timeout=0)
    assert updates[0].my_chat_member.new_chat_member.status == "kicked"


async def test_redelivered_update_keeps_its_update_id(sandbox, bot, user):
    first = await bot.get_updates(timeout=0)
    confirmed = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert confirmed == ()
    await sandbox.client.redeliver(first[-1].update_id)
    again = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.update_id for u in again] == [first[-1].update_id]
    assert again[0].message.text == "/start"


async def test_second_poller_ends_the_first_with_conflict(sandbox, bot):
    waiting = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    async with sandbox.bot() as other:
        await other.get_updates(timeout=0)
    with pytest.raises(Conflict, match="(?i)terminated by other getUpdates"):
        await waiting


async def test_updates_parse_with_ptb_de_json(sandbox, bot, user):
    raw = (await sandbox.client.updates())["updates"][0]
    update = Update.de_json(raw, bot)
    assert update.message.text == "/start" and update.message.api_kwargs == {}


async def test_delete_follows_telegrams_rules_in_a_private_chat(sandbox, bot, user):
    """The bot deletes its own messages and the user's, for 48 hours; later, and for ids it does not
    know, Telegram refuses with its own words; every call is in the call log."""
    mine = await bot.send_message(user["id"], "question")
    theirs = (await sandbox.client.send_text(user, "an answer"))["message"]["message_id"]
    old = await bot.send_message(user["id"], "an old one")
    await sandbox.client.age_messages(user, 49, [old.message_id])
    assert await bot.delete_message(user["id"], mine.message_id)
    assert await bot.delete_message(user["id"], theirs)
    with pytest.raises(BadRequest, match="(?i)can't be deleted for everyone"):
        await bot.delete_message(user["id"], old.message_id)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(user["id"], 9999)
    shown = {m["message_id"] for m in await sandbox.client.messages(user, include_deleted=False)}
    assert mine.message_id not in shown and theirs not in shown and old.message_id in shown
    calls = await sandbox.client.calls("deleteMessage")
    assert [c["ok"] for c in calls] == [True, True, False, False]


async def test_delete_messages_skips_what_it_cannot_delete(sandbox, bot, user):
    first = await bot.send_message(user["id"], "one")
    second = await bot.send_message(user["id"], "two")
    await sandbox.client.age_messages(user, 50, [second.message_id])
    assert await bot.delete_messages(user["id"], [first.message_id, second.message_id, 777])
    shown = {m["message_id"] for m in await sandbox.client.bot_messages(user, include_deleted=False)}
    assert first.message_id not in shown and second.message_id in shown
    with pytest.raises(BadRequest, match="(?i)too many"):
        await bot.delete_messages(user["id"], list(range(1, 102)))
