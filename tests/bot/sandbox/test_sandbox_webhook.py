"""Webhook mode: the sandbox POSTs updates to the bot like Telegram does, with the secret header,
retries on failure, keeps each chat's order and respects max_connections, and runs a Bot API
call the bot puts in its answer."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram.error import Conflict


class Receiver:
    """A bot-side webhook endpoint that records what it gets and answers a scripted status."""

    def __init__(self, statuses: list[int] | None = None, delay: float = 0.0,
                 answers: list[dict] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.answers = list(answers or [])  # JSON bodies to answer with, in turn
        self.delay = delay
        self.received: list[tuple[dict, dict]] = []  # (headers, update)
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()

    async def hook(self, request: Request) -> Response:
        """Record the update; answer the next scripted status (200 when none is left)."""
        update = await request.json()
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        await asyncio.sleep(self.delay)
        with self._lock:
            self.in_flight -= 1
            self.received.append((dict(request.headers), update))
            status = self.statuses.pop(0) if self.statuses else 200
            answer = self.answers.pop(0) if self.answers else None
        if answer is not None:
            return JSONResponse(answer, status_code=status)
        return Response(status_code=status)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hook", self.hook, methods=["POST"])])


async def eventually(check, timeout: float = 5.0) -> None:
    """Wait until check() is true; the receiver runs in another thread, so we look again."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_webhook_sends_secret_and_retries_after_500(sandbox, bot, serve_app):
    receiver = Receiver(statuses=[500])
    with serve_app(receiver.app()) as hook_url:
        assert await bot.set_webhook(f"{hook_url}/hook", secret_token="s3cret-Token_1")
        user = await sandbox.client.create_user("fa")
        sent = await sandbox.client.send_text(user, "salam")
        await eventually(lambda: len(receiver.received) == 2)
        # The receiver records the update before its 200 reaches the sandbox: ask until the
        # sandbox has the answer (a timeout fails the test).
        deadline = time.monotonic() + 5
        while (info := await bot.get_webhook_info()).pending_update_count and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
    (h1, u1), (h2, u2) = receiver.received
    assert h1["x-telegram-bot-api-secret-token"] == h2["x-telegram-bot-api-secret-token"] == "s3cret-Token_1"
    assert u1 == u2 == sent["update"]
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    deliveries = (await sandbox.client.webhook())["deliveries"]
    assert [d["error"] is None for d in deliveries] == [False, True]
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)


async def test_webhook_keeps_chat_order_within_max_connections(sandbox, bot, serve_app):
    receiver = Receiver(delay=0.05)
    with serve_app(receiver.app()) as hook_url:
        await bot.set_webhook(f"{hook_url}/hook", max_connections=2)
        users = [await sandbox.client.create_user() for _ in range(3)]
        for n in range(3):
            for user in users:
                await sandbox.client.send_text(user, f"message {n}")
        await eventually(lambda: len(receiver.received) == 9)
    assert receiver.max_in_flight == 2  # parallel across chats, never above the limit
    for user in users:
        texts = [u["message"]["text"] for _, u in receiver.received
                 if u["message"]["chat"]["id"] == user["id"]]
        assert texts == ["message 0", "message 1", "message 2"]


async def test_unreachable_webhook_keeps_updates_for_get_updates(sandbox, bot, serve_app):
    with serve_app(Receiver().app()) as hook_url:
        pass  # the server is gone: its port now refuses connections
    await bot.set_webhook(f"{hook_url}/hook")
    user = await sandbox.client.create_user()
    await sandbox.client.send_text(user, "anyone?")
    await eventually(lambda: len(sandbox.state.webhook.deliveries) >= 2)
    assert sandbox.state.webhook.deliveries[0]["error"] == "Connection refused"
    await bot.delete_webhook()
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates] == ["anyone?"]


async def test_redelivery_in_webhook_mode_posts_the_same_update_again(sandbox, bot, serve_app):
    receiver = Receiver()
    with serve_app(receiver.app()) as hook_url:
        await bot.set_webhook(f"{hook_url}/hook")
        user = await sandbox.client.create_user()
        sent = await sandbox.client.send_text(user, "once")
        await eventually(lambda: len(receiver.received) == 1)
        await sandbox.client.redeliver(sent["update"])
        await eventually(lambda: len(receiver.received) == 2)
    assert receiver.received[0][1] == receiver.received[1][1]


async def test_drop_pending_updates(sandbox, bot):
    user = await sandbox.client.create_user()
    await sandbox.client.send_text(user, "old")
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_a_call_in_the_webhook_answer_is_run_as_telegram_runs_it(sandbox, bot, serve_app):
    """A Bot API call in the bot's answer to a delivery is run and logged as such; one Telegram
    refuses is logged with its error, nothing reaches the bot, and both updates count delivered.
    An answer that is not a call ({"ok": true}) is only an answer."""
    user = await sandbox.client.create_user()
    receiver = Receiver(answers=[{"method": "sendMessage", "chat_id": user["id"], "text": "answered in the response"},
                                 {"method": "sendMessage", "chat_id": user["id"]},  # no text: refused
                                 {"ok": True}])
    with serve_app(receiver.app()) as hook_url:
        await bot.set_webhook(f"{hook_url}/hook")
        for text in ("one", "two", "three"):
            await sandbox.client.send_text(user, text)
        await eventually(lambda: len(sandbox.state.webhook.deliveries) == 3 and not sandbox.state.pending)
    calls = await sandbox.client.calls("sendMessage")
    assert [(c["status"], c["via"]) for c in calls] == [(200, "webhook answer"), (400, "webhook answer")]
    assert [m["text"] for m in await sandbox.client.bot_messages(user["id"])] == ["answered in the response"]
    assert [d["error"] for d in sandbox.state.webhook.deliveries] == [None, None, None]
