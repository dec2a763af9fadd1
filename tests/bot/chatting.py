"""A fake reporter for the bot's end-to-end tests: writes, taps buttons, and waits for the
bot's replies through the sandbox's control API."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.client import SandboxClient
from tests.walks import to_first_count

# How a test knows the bot has finished with a gesture: the sandbox holds no unconfirmed update
# and the bot in this process has nothing in hand (tests/bot/conftest.py registers it). Without
# one (a bot in another process), a gesture is over when the bot has been silent for QUIET s.
_SETTLED: weakref.WeakKeyDictionary[SandboxClient, Callable[[], Awaitable[bool]]] = weakref.WeakKeyDictionary()
QUIET = 0.4


def settle_with(client: SandboxClient, settled: Callable[[], Awaitable[bool]] | None) -> None:
    if settled is None:
        _SETTLED.pop(client, None)
    else:
        _SETTLED[client] = settled


class Chatter:
    def __init__(self, client: SandboxClient, user: dict[str, Any]) -> None:
        self.client = client
        self.user = user
        self.chat = user["id"]

    @classmethod
    async def create(cls, client: SandboxClient, *, lang: str = "en") -> Chatter:
        return cls(client, await client.create_user(lang))

    async def _last_id(self) -> int:
        messages = await self.client.messages(self.chat)
        return max((m["message_id"] for m in messages), default=0)

    async def reply_after(self, message_id: int, timeout: float = 10.0) -> dict[str, Any]:
        """The bot's last new message after `message_id`: waiting for the first, then until the
        bot is done (a gesture may bring two messages: a note, then the next question)."""
        first = await self.client.wait_for_bot_message(self.chat, after=message_id, timeout=timeout)
        settled = _SETTLED.get(self.client)
        if settled is None:
            latest = first
            while True:
                try:
                    latest = await self.client.wait_for_bot_message(
                        self.chat, after=latest["message_id"], timeout=QUIET)
                except TimeoutError:
                    return latest
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not await settled():
            if loop.time() > deadline:
                raise TimeoutError(f"the bot was still busy {timeout} s after message {message_id}")
            await asyncio.sleep(0.01)
        messages = await self.client.bot_messages(self.chat, after=first["message_id"] - 1)
        return max(messages, key=lambda m: m["message_id"])

    async def say(self, text: str) -> dict[str, Any]:
        sent = await self.client.send_text(self.user, text)
        return await self.reply_after(sent["message"]["message_id"])

    async def tap(self, label_or_data: str) -> dict[str, Any]:
        """Press a button on the latest bot message carrying it; the bot's next new message."""
        before = await self._last_id()
        await self.client.press_button(self.user, label_or_data)
        return await self.reply_after(before)

    async def toggle(self, label_or_data: str) -> dict[str, Any] | None:
        """Press a button that only changes its own message; returns the toast."""
        pressed = await self.client.press_button(self.user, label_or_data)
        return await self.client.callback_answer(pressed)

    async def share_location(self, lat: float, lon: float) -> dict[str, Any]:
        sent = await self.client.send_location(self.user, lat, lon)
        return await self.reply_after(sent["message"]["message_id"])

    async def send_photo(self, data: bytes) -> dict[str, Any]:
        sent = await self.client.send_photo(self.user, data)
        return await self.reply_after(sent["message"]["message_id"])

    @staticmethod
    def buttons(message: dict[str, Any]) -> list[str]:
        markup = message.get("reply_markup") or {}
        return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


async def to_media_question(chatter: Chatter, event: str = "Abduction or forced disappearance") -> dict[str, Any]:
    """A harm report answered up to its files question, the shortest way (nobody detained or hurt)."""
    await to_first_count(chatter, event)
    await chatter.tap("I don't know")  # how many were taken
    for _ in range(3):
        await chatter.tap("None")
    await chatter.tap("I don't know")  # attribution
    await chatter.toggle("A relative of a victim")
    await chatter.tap("Done")
    return await chatter.tap("Skip")  # description


async def send_report(chatter: Chatter) -> dict[str, Any]:
    """A whole report, sent: the bot's message with its reference code."""
    await to_media_question(chatter)
    await chatter.tap("No files")
    return await chatter.tap("Send the report")
