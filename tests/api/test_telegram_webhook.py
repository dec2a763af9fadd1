"""The app with the bot inside, as `harmwatch serve` runs it: webhook mode against a sandbox
standing in for Telegram, a forged webhook refused, and the built-in sandbox used from a browser."""

import asyncio

import httpx
import pytest
import sqlalchemy as sa

from bot.sandbox import SandboxClient, SandboxState, create_sandbox_app
from bot.sandbox.background import bound_socket, serve_in_thread
from harmwatch.database import Database
from harmwatch.messaging.models import ProcessedUpdate
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report
from tests.bot.chatting import Chatter
from tests.live import serve_here

TOKEN = "123456789:AAHwebhook-test-token_0123456789abcdef"


async def _count(url: str, model) -> int:
    db = Database(url)
    try:
        async with db.transaction() as session:
            return await session.scalar(sa.select(sa.func.count()).select_from(model))
    finally:
        await db.dispose()


@pytest.fixture
def telegram():
    """A stand-in for Telegram on its own port, as a self-hosted telegram-bot-api would be."""
    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN, webhook_retry_delays=(0.1, 0.3, 1)))) as url:
        yield url


@pytest.fixture
def webhook_server(telegram, database, settings):
    sock = bound_socket()
    settings.telegram_token, settings.telegram_api_url = TOKEN, telegram
    settings.telegram_webhook_url = f"http://127.0.0.1:{sock.getsockname()[1]}/telegram/webhook"
    with serve_here(settings, sock=sock) as base:
        yield base


async def test_webhook_mode_answers_through_telegram(telegram, webhook_server, database_url):
    async with SandboxClient(telegram) as client:
        for _ in range(100):  # the server sets its webhook once it has started
            if (await client.webhook()).get("url"):
                break
            await asyncio.sleep(0.1)
        chatter = await Chatter.create(client)
        reply = await chatter.say("/start")
        assert "What do you want to report?" in reply["text"]
        sent = await client.send_text(chatter.user, "/help")
        await chatter.reply_after(sent["message"]["message_id"])
        await client.redeliver(sent["update"])  # Telegram retries: one answer all the same
        await chatter.say("/status")
        helps = [m for m in await client.bot_messages(chatter.chat) if "/forget" in m["text"]]
        assert len(helps) == 1
    assert await _count(database_url, ProcessedUpdate) == 3


async def test_a_button_press_is_answered_in_the_webhook_response(telegram, webhook_server):
    """In webhook mode the answer to a button press rides on the webhook's response: the spinner
    stops, and the bot makes no answerCallbackQuery request of its own."""
    async with SandboxClient(telegram) as client:
        for _ in range(100):
            if (await client.webhook()).get("url"):
                break
            await asyncio.sleep(0.1)
        chatter = await Chatter.create(client)
        await chatter.say("/start")
        pressed = await client.press_button(chatter.user, "Civilians harmed")
        assert await client.callback_answer(pressed) is not None
        answers = await client.calls("answerCallbackQuery")
    assert [(c["status"], c["via"]) for c in answers] == [(200, "webhook answer")]


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
async def test_forged_webhook_gets_401_and_stores_nothing(webhook_server, database_url, secret):
    update = {"update_id": 999001, "message": {"message_id": 1, "date": 1700000000, "text": "/start",
              "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": False, "first_name": "X"}}}
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{webhook_server}/telegram/webhook", json=update, headers=headers)
    assert response.status_code == 401
    assert await _count(database_url, ProcessedUpdate) == 0
    assert await _count(database_url, Reporter) == 0


async def test_built_in_sandbox_web_chat_completes_a_report(live_server, database_url, chromium):
    """`make run`'s path: no token, the sandbox at /sandbox, a person in a browser."""
    page = await (await chromium.new_context(viewport={"width": 390, "height": 844})).new_page()
    page.set_default_timeout(15000)
    from playwright.async_api import expect

    await page.goto(f"{live_server}/sandbox/")
    await page.get_by_test_id("new-user-name").fill("Amal")
    await page.get_by_test_id("new-user-lang").select_option("en")
    await page.get_by_test_id("create-user").click()
    # Creating the user is a round trip; a message typed before it is done has no sender.
    await expect(page.get_by_test_id("user-select")).to_contain_text("Amal", timeout=15000)

    async def send(text: str) -> None:
        await page.get_by_test_id("composer-input").fill(text)
        await page.get_by_test_id("send-button").click()

    async def press(label: str) -> None:
        button = page.get_by_test_id("inline-button").filter(has_text=label).last
        await button.click()

    last_bot = page.locator('[data-testid="message"][data-from="bot"]').last

    async def bot_says(text: str) -> None:
        # As long as the page's own timeout: expect()'s default (5 s) is shorter than the
        # bot's first answer on a busy machine.
        await expect(last_bot).to_contain_text(text, timeout=15000)
    await send("/start")
    await bot_says("What do you want to report?")
    await press("Civilians harmed")
    await bot_says("What happened?")
    await press("Grenade")
    await bot_says("Where did it happen?")
    await press("Homs")
    await bot_says("Which district?")
    await press("I don't know")
    await bot_says("exact spot")
    await page.get_by_test_id("location-toggle").click()
    await page.get_by_test_id("location-lat").fill("34.73")
    await page.get_by_test_id("location-lon").fill("36.71")
    await page.get_by_test_id("location-send").click()
    await bot_says("How close")
    await press("Near")
    await bot_says("On what day")
    await press("Today")
    await press("That exact day")
    await bot_says("time of day")
    await press("Skip")
    await bot_says("killed")
    await send("2")
    await bot_says("children")
    await press("None")
    await bot_says("injured")
    await send("at least 4")
    await bot_says("injured were children")
    await press("I don't know")
    await bot_says("missing")
    await press("None")
    await bot_says("What was hit?")
    await press("Market or shop")
    await press("Done")
    await bot_says("Who do you think")
    await press("I don't know")
    await bot_says("How do you know")
    await press("I saw it myself")
    await press("Done")
    await bot_says("anything else")
    await press("Skip")
    await bot_says("photos")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    await page.get_by_test_id("photo-input").set_input_files(
        files=[{"name": "p.png", "mimeType": "image/png", "buffer": png}])
    await bot_says("1 file received")
    await press("Done")
    await bot_says("Please check your report")
    await page.screenshot(path=str(live_server_artifact("sandbox-summary.png")), full_page=False)
    await press("Send the report")
    await bot_says("reference code is HW-")
    assert await _count(database_url, Report) == 1


def live_server_artifact(name: str):
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder / name
