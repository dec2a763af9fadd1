"""The web chat page, driven in a real browser (Playwright) against a real `Bot` on the other side."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup



@pytest.fixture
async def page(sandbox, chromium) -> AsyncIterator:
    """A phone-sized Chromium page on the sandbox's web chat."""
    context = await chromium.new_context(viewport={"width": 390, "height": 844})
    tab = await context.new_page()
    tab.set_default_timeout(5000)
    yield tab
    await context.close()


async def next_update(bot, seen: list[int]):
    """The next update the bot has not seen yet (long poll), confirming earlier ones."""
    offset = seen[-1] + 1 if seen else None
    updates = await bot.get_updates(offset=offset, timeout=5)
    seen.append(updates[0].update_id)
    return updates[0]


async def test_page_serves_under_the_sandbox_root(sandbox):
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{sandbox.url}/")
        assert "nothing here goes to Telegram" in response.text
        assert (await client.get(f"{sandbox.url}/static/chat.js")).status_code == 200


async def test_web_chat_conversation(sandbox, bot, page):
    from playwright.async_api import expect
    seen: list[int] = []
    await page.goto(sandbox.url + "/")
    await expect(page.get_by_test_id("sandbox-note")).to_contain_text("nothing here goes to Telegram")
    # No user yet: the page offers to create one.
    await page.get_by_test_id("new-user-name").fill("Amal")
    await page.get_by_test_id("new-user-lang").select_option("ar")
    await page.get_by_test_id("create-user").click()
    await expect(page.get_by_test_id("conversation")).to_have_attribute("dir", "rtl")

    await page.get_by_test_id("composer-input").fill("/start")
    await page.get_by_test_id("send-button").click()
    update = await next_update(bot, seen)
    assert update.message.text == "/start" and update.message.from_user.language_code == "ar"
    chat_id = update.message.chat.id

    # Bot HTML is rendered from entities: tags become elements, text stays text.
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Confirm", callback_data="ok")]])
    sent = await bot.send_message(chat_id, "<b>Hello</b> &lt;img src=x onerror=alert(1)&gt;",
                                  parse_mode="HTML", reply_markup=keyboard)
    bubble = page.locator('[data-testid="message"][data-from="bot"]').last
    await expect(bubble.get_by_test_id("message-text")).to_have_text("Hello <img src=x onerror=alert(1)>")
    await expect(bubble.locator("b")).to_have_text("Hello")
    assert await bubble.locator("img").count() == 0

    await bubble.get_by_test_id("inline-button").click()
    update = await next_update(bot, seen)
    assert update.callback_query.data == "ok"
    await update.callback_query.answer("Saved")
    await expect(page.get_by_test_id("toast")).to_have_text("Saved")

    await bot.edit_message_text("Thanks", chat_id=chat_id, message_id=sent.message_id)
    await expect(bubble.get_by_test_id("message-text")).to_have_text("Thanks")
    await expect(bubble.get_by_test_id("message-edited")).to_be_visible()
    assert await bubble.get_by_test_id("inline-button").count() == 0

    # Reply keyboard and location.
    await bot.send_message(chat_id, "Where?", reply_markup=ReplyKeyboardMarkup([["Skip"]]))
    await page.get_by_test_id("reply-button").filter(has_text="Skip").click()
    assert (await next_update(bot, seen)).message.text == "Skip"
    await page.get_by_test_id("location-toggle").click()
    await page.get_by_test_id("location-preset").filter(has_text="Aleppo").click()
    await page.get_by_test_id("location-send").click()
    location = (await next_update(bot, seen)).message.location
    assert (location.latitude, location.longitude) == (36.2021, 37.1343)

    # Photo upload reaches the bot byte for byte.
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00"
    await page.get_by_test_id("photo-input").set_input_files(
        files=[{"name": "p.png", "mimeType": "image/png", "buffer": png}])
    photo = (await next_update(bot, seen)).message.photo[-1]
    assert bytes(await (await photo.get_file()).download_as_bytearray()) == png
    await expect(page.get_by_test_id("message-photo")).to_have_count(1)
