"""Updates from different reporters are handled at the same time; one reporter's updates are
handled one after another: `ChatTurns` (the bot's own) in update-id order, whatever order they
arrived in; `PerChatOrder` (python-telegram-bot's hook, kept for the echo benchmark) in
arrival order. Across processes the reporter's row lock takes over (bot/app.py)."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 32) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        key = chat.id
        lock = self._locks.setdefault(key, asyncio.Lock())  # asyncio.Lock wakes waiters in order
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class ChatTurns:
    """`async with turns.turn(chat_id, update_id):` one holder per chat; when it leaves, the
    waiting update with the lowest id goes next."""

    def __init__(self) -> None:
        self._busy: set[int] = set()
        self._waiting: dict[int, list[tuple[int, int, asyncio.Future]]] = {}
        self._arrivals = 0

    @property
    def in_flight(self) -> int:
        return len(self._busy) + sum(len(w) for w in self._waiting.values())

    @asynccontextmanager
    async def turn(self, chat_id: int, update_id: int) -> AsyncIterator[None]:
        if chat_id in self._busy:
            ready = asyncio.get_running_loop().create_future()
            self._arrivals += 1
            heapq.heappush(self._waiting.setdefault(chat_id, []), (update_id, self._arrivals, ready))
            try:
                await ready
            except asyncio.CancelledError:
                if ready.done() and not ready.cancelled():
                    self._release(chat_id)  # our turn came as we were cancelled: pass it on
                else:
                    self._waiting[chat_id] = [w for w in self._waiting[chat_id] if w[2] is not ready]
                    heapq.heapify(self._waiting[chat_id])
                raise
        else:
            self._busy.add(chat_id)
        try:
            yield
        finally:
            self._release(chat_id)

    def _release(self, chat_id: int) -> None:
        waiting = self._waiting.get(chat_id)
        while waiting:
            _, _, ready = heapq.heappop(waiting)
            if not ready.done():
                ready.set_result(None)  # the chat stays busy: handed over
                return
        self._waiting.pop(chat_id, None)
        self._busy.discard(chat_id)
