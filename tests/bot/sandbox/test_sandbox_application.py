"""A real python-telegram-bot `Application` polling the sandbox: the round trips Harmwatch's bot
relies on, and the faults it must survive."""

from __future__ import annotations

import asyncio
import datetime as dtm
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


def _seconds(retry_after: int | dtm.timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dtm.timedelta) else retry_after


async def _with_retry(send):
    """What a careful bot does with flood control: wait retry_after, try again."""
    for _ in range(3):
        try:
            return await send()
        except RetryAfter as exc:
            await asyncio.sleep(_seconds(exc.retry_after))
    return await send()


def build_echo_app(url: str, token: str, seen: list[int]) -> Application:
    """A tiny bot: echoes text, offers a menu of buttons, reports photo hashes."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say the text back."""
        seen.append(update.update_id)
        await _with_retry(lambda: update.message.reply_text(update.message.text))

    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Offer two choices."""
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Shelling", callback_data="kind:shell"),
                                          InlineKeyboardButton("Blocked aid", callback_data="kind:aid")]])
        await update.message.reply_text("What happened?", reply_markup=keyboard)

    async def choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Acknowledge the press and show the choice in place of the question."""
        query = update.callback_query
        await query.answer("Noted")
        await query.edit_message_text(f"You chose: <b>{query.data}</b>", parse_mode="HTML")

    async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Download the largest size and answer its SHA-256."""
        tg_file = await update.message.photo[-1].get_file()
        data = await tg_file.download_as_bytearray()
        await update.message.reply_text(hashlib.sha256(data).hexdigest())

    app = (ApplicationBuilder().token(token).base_url(f"{url}/bot")
           .base_file_url(f"{url}/file/bot").build())
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(choice))
    app.add_handler(MessageHandler(filters.PHOTO, photo))
    return app


@asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:
    """initialize/start/start_polling, then the reverse, as run_polling does without owning the loop."""
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=dtm.timedelta(seconds=2))
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.fixture
async def echo_bot(sandbox) -> AsyncIterator[list[int]]:
    seen: list[int] = []
    async with running(build_echo_app(sandbox.url, sandbox.state.token, seen)):
        yield seen


async def test_echo_bot_answers_the_user(sandbox, echo_bot):
    user = await sandbox.client.create_user("es")
    sent = await sandbox.client.send_text(user, "hola")
    reply = await sandbox.client.wait_for_bot_message(user, after=sent["message"])
    assert reply["text"] == "hola"
    assert reply["from_bot"] and reply["message_id"] == sent["message"]["message_id"] + 1


async def test_inline_button_round_trip(sandbox, echo_bot):
    user = await sandbox.client.create_user("uk")
    await sandbox.client.send_text(user, "/menu")
    question = await sandbox.client.wait_for_bot_message(user)
    pressed = await sandbox.client.press(user, question, "kind:aid")
    assert (await sandbox.client.callback_answer(pressed))["text"] == "Noted"
    for _ in range(50):  # the edit lands right after the answer
        [view] = await sandbox.client.bot_messages(user)
        if view["edits"]:
            break
        await asyncio.sleep(0.05)
    assert view["text"] == "You chose: kind:aid" and view["reply_markup"] is None
    assert view["entities"] == [{"offset": 11, "length": 8, "type": "bold"}]


async def test_flood_control_is_retried_and_delivered_once(sandbox, echo_bot):
    user = await sandbox.client.create_user()
    await sandbox.client.inject_faults("sendMessage", count=1, status=429, retry_after=1)
    await sandbox.client.send_text(user, "once")
    reply = await sandbox.client.wait_for_bot_message(user, timeout=5)
    assert reply["text"] == "once"
    calls = await sandbox.client.calls("sendMessage")
    assert [(c["status"], c["fault"]) for c in calls] == [(429, True), (200, False)]
    assert calls[1]["time"] - calls[0]["time"] >= 0.9
    assert calls[0]["params"]["text"] == calls[1]["params"]["text"] == "once"
    assert len(await sandbox.client.bot_messages(user)) == 1


async def test_photo_bytes_reach_the_bot_unchanged(sandbox, echo_bot):
    user = await sandbox.client.create_user()
    data = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    await sandbox.client.send_photo(user, data)
    reply = await sandbox.client.wait_for_bot_message(user)
    assert reply["text"] == hashlib.sha256(data).hexdigest()


async def test_redelivered_update_reaches_the_bot_twice(sandbox, echo_bot):
    user = await sandbox.client.create_user()
    sent = await sandbox.client.send_text(user, "dup")
    first = await sandbox.client.wait_for_bot_message(user)
    await sandbox.client.redeliver(sent["update"])
    second = await sandbox.client.wait_for_bot_message(user, after=first)
    assert second["text"] == "dup"
    assert echo_bot == [sent["update"]["update_id"]] * 2


async def test_rate_limit_answer_raises_retry_after(sandbox, bot, user):
    await sandbox.client.inject_faults(None, count=1, status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user["id"], "x")
    assert _seconds(caught.value.retry_after) == 3
    [call] = await sandbox.client.calls("sendMessage")
    assert call["status"] == 429 and call["description"] == "Too Many Requests: retry after 3"


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_surface_as_network_errors(sandbox, bot, user, status):
    await sandbox.client.inject_faults("sendMessage", count=1, status=status)
    with pytest.raises(NetworkError):
        await bot.send_message(user["id"], "x")
    assert (await bot.send_message(user["id"], "x")).text == "x"
    assert [c["status"] for c in await sandbox.client.calls("sendMessage")] == [status, 200]


async def test_slow_answer_times_the_client_out(sandbox, bot, user):
    await sandbox.client.inject_faults("sendMessage", status=200, delay=0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(user["id"], "slow", read_timeout=0.1)


async def test_download_fault(sandbox, bot, user):
    uploaded = await bot.send_document(user["id"], b"abc", filename="a.txt")
    tg_file = await bot.get_file(uploaded.document.file_id)
    await sandbox.client.inject_faults("file", status=502)
    with pytest.raises(NetworkError):
        await tg_file.download_as_bytearray()
    assert bytes(await tg_file.download_as_bytearray()) == b"abc"
