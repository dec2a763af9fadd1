"""Webhook delivery as Telegram does it: POST each pending update to the bot's URL with the secret
header, retry with back-off until a 2xx, one update at a time per chat, at most max_connections."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import aiohttp

from .state import PendingUpdate, SandboxState, update_chat_id

log = logging.getLogger(__name__)


class WebhookDispatcher:
    """Background delivery loop; lives in the sandbox's event loop, started on first need."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._inflight: dict[int, asyncio.Task[None]] = {}  # PendingUpdate.seq -> delivery
        self._busy_chats: set[int] = set()
        self._client: aiohttp.ClientSession | None = None

    def kick(self) -> None:
        """Something changed (new update, new URL): (re)start the loop and let it look."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._wake.set()

    def stop(self) -> None:
        """Cancel delivery now (reset, webhook removed); undelivered updates stay pending."""
        for task in list(self._inflight.values()):
            task.cancel()
        if self._task is not None:
            self._task.cancel()
        self._inflight.clear()
        self._busy_chats.clear()

    async def aclose(self) -> None:
        tasks = [t for t in (self._task, *self._inflight.values()) if t is not None]
        self.stop()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _run(self) -> None:
        # aiohttp, not httpx: a push costs an eighth of the CPU (py-spy), and on a test machine
        # Telegram's side shares the cores with the bot it serves (Telegram's own is not the bot's).
        timeout = aiohttp.ClientTimeout(total=self.state.webhook_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as client:
            self._client = client
            try:
                while self.state.webhook.url:
                    self._wake.clear()
                    self._schedule()
                    await self._wake.wait()
            finally:
                for task in list(self._inflight.values()):
                    task.cancel()
                self._client = None

    def _schedule(self) -> None:
        """Start deliveries for pending updates whose chat has nothing in flight."""
        limit = max(1, self.state.webhook.max_connections)
        for entry in list(self.state.pending):
            if len(self._inflight) >= limit:
                break
            chat = update_chat_id(entry.update)
            if entry.seq in self._inflight or (chat is not None and chat in self._busy_chats):
                continue
            if chat is not None:
                self._busy_chats.add(chat)
            self._inflight[entry.seq] = asyncio.get_running_loop().create_task(
                self._deliver(entry, chat))

    async def _deliver(self, entry: PendingUpdate, chat: int | None) -> None:
        state = self.state
        attempt = 0
        try:
            while state.webhook.url and self._client is not None:
                error, answer = await self._post(entry.update)
                state.webhook.deliveries.append({
                    "update_id": entry.update_id, "attempt": attempt + 1, "time": state.now(),
                    "url": state.webhook.url, "error": error,
                })
                if error is None:
                    state.drop_delivered(entry)
                    if answer is not None:
                        from .botapi import run_webhook_answer  # botapi imports this module

                        await run_webhook_answer(state, answer)
                    return
                state.webhook.last_error_date = state.now()
                state.webhook.last_error_message = error
                state.notify()
                delays = state.webhook_retry_delays
                await asyncio.sleep(delays[min(attempt, len(delays) - 1)])
                attempt += 1
        finally:
            self._inflight.pop(entry.seq, None)
            if chat is not None:
                self._busy_chats.discard(chat)
            self._wake.set()

    async def _post(self, update: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
        """One delivery attempt: None on success, else Telegram's wording of the failure; and
        the Bot API call the bot put in a successful answer, if any (a JSON object with
        "method", which Telegram runs as if the bot had called it)."""
        headers = {}
        if self.state.webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.state.webhook.secret_token
        assert self._client is not None
        try:
            async with self._client.post(self.state.webhook.url, json=update, headers=headers) as response:
                status, reason = response.status, response.reason
                body = await response.read()
                json_answer = response.content_type == "application/json"
        except asyncio.TimeoutError:
            return "Read timeout expired", None
        except aiohttp.ClientConnectorError:
            return "Connection refused", None
        except aiohttp.ClientError as exc:
            return f"Connection error: {exc.__class__.__name__}", None
        if not 200 <= status < 300:
            return f"Wrong response from the webhook: {status} {reason}", None
        answer = None
        if json_answer and body:
            with contextlib.suppress(ValueError):
                answer = json.loads(body)
        return None, answer if isinstance(answer, dict) and "method" in answer else None


def dispatcher_for(state: SandboxState) -> WebhookDispatcher:
    """The state's dispatcher, created in the running loop on first use."""
    if state.dispatcher is None:
        state.dispatcher = WebhookDispatcher(state)
    return state.dispatcher
