"""Fixtures for the bot's tests and the Telegram sandbox: a real uvicorn server on a free port in a thread, a control
client, and real python-telegram-bot `Bot` objects pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from telegram import Bot

from bot.sandbox import SandboxState, create_sandbox_app
from bot.sandbox.background import serve_in_thread
from bot.sandbox.client import SandboxClient
from tests.bot.chatting import settle_with

TOKEN = "123456789:AAHsandbox-test-token_0123456789abcdef"


@dataclass
class RunningSandbox:
    url: str
    state: SandboxState
    client: SandboxClient

    def bot(self, token: str = TOKEN) -> Bot:
        """A real PTB Bot talking to this sandbox instead of api.telegram.org."""
        return Bot(token, base_url=f"{self.url}/bot", base_file_url=f"{self.url}/file/bot")


@pytest.fixture
def sandbox_state() -> SandboxState:
    # Short webhook back-off so retry tests take milliseconds, not seconds.
    return SandboxState(token=TOKEN, webhook_retry_delays=(0.05, 0.1, 0.2), seed=7)


@pytest.fixture
async def sandbox(sandbox_state: SandboxState) -> AsyncIterator[RunningSandbox]:
    with serve_in_thread(create_sandbox_app(sandbox_state)) as url:
        async with SandboxClient(url) as client:
            yield RunningSandbox(url, sandbox_state, client)
            await client.reset()  # ends long polls still waiting, so shutdown is quick


@pytest.fixture
async def bot(sandbox: RunningSandbox) -> AsyncIterator[Bot]:
    async with sandbox.bot() as tg_bot:
        yield tg_bot


@pytest.fixture
async def user(sandbox: RunningSandbox) -> dict:
    """A user who has already written to the bot (so the bot may message them)."""
    created = await sandbox.client.create_user("en", first_name="Amal")
    await sandbox.client.send_text(created, "/start")
    return created


@pytest.fixture
def serve_app():
    """serve_in_thread, for tests that need a second server (e.g. a webhook receiver)."""
    return serve_in_thread


@pytest.fixture
async def reporter_bot(sandbox: RunningSandbox, database, settings):
    """Harmwatch's real bot (python-telegram-bot Application, long polling) on the sandbox."""
    from bot.app import ReporterBot
    from harmwatch.places.gazetteer import builtin_gazetteer

    settings.outbox_interval = 0.2
    harmwatch_bot = ReporterBot(settings, database, builtin_gazetteer())
    harmwatch_bot.build(token=TOKEN, api_url=sandbox.url, polling=True)
    await harmwatch_bot.start(polling=True)

    async def settled() -> bool:  # every update taken and committed, every reply sent
        return harmwatch_bot.idle and not (await sandbox.client.pending_updates())

    settle_with(sandbox.client, settled)
    yield harmwatch_bot
    settle_with(sandbox.client, None)
    await harmwatch_bot.stop()


@pytest.fixture
async def chatter(sandbox: RunningSandbox, reporter_bot):
    """A fake Telegram user who writes to the bot, in English unless a test says otherwise."""
    from tests.bot.chatting import Chatter

    return await Chatter.create(sandbox.client, lang="en")
