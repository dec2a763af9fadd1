"""Long polling that confirms nothing before it is in the database. python-telegram-bot's
Updater confirms a batch with the next getUpdates before its updates are processed, so a crash
loses them; here each batch is handled (committed) first, and the next getUpdates' offset
confirms only the updates below the first one that failed. Those come again; the ones already
committed are recognised by their update_id and not applied twice."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter

from bot.delivery import backoff, retry_after_seconds

if TYPE_CHECKING:
    from bot.app import ReporterBot

log = logging.getLogger(__name__)
POLL_TIMEOUT = 10


class Poller:
    def __init__(self, bot: ReporterBot, allowed_updates: list[str]) -> None:
        self.bot = bot
        self.allowed_updates = allowed_updates
        self._stopping = asyncio.Event()
        self._failures = 0

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        offset: int | None = None
        while not self._stopping.is_set():
            try:
                updates = await self._poll(offset)
            except asyncio.CancelledError:
                raise
            except Conflict:
                # Another process polls this bot, or a webhook was set: one line, not a traceback.
                log.warning("Telegram refused getUpdates (409 Conflict): another process receives this bot's "
                            "updates")
                await self._pause(backoff(self._failure(), base=1.0))
                continue
            except RetryAfter as error:
                await self._pause(retry_after_seconds(error))
                continue
            except InvalidToken:
                raise
            except NetworkError as error:
                log.warning("getUpdates failed (%s)", type(error).__name__)
                await self._pause(backoff(self._failure(), base=1.0))
                continue
            if updates is None:  # stopping while waiting: the batch was not taken
                return
            if not updates:
                continue
            offset = await self._handle(updates)

    async def _poll(self, offset: int | None):
        poll = asyncio.ensure_future(self.bot.application.bot.get_updates(
            offset=offset, timeout=POLL_TIMEOUT, allowed_updates=self.allowed_updates))
        stopping = asyncio.ensure_future(self._stopping.wait())
        done, _ = await asyncio.wait({poll, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if poll not in done:
            poll.cancel()
            await asyncio.gather(poll, return_exceptions=True)
            return None
        stopping.cancel()
        self._failures = 0
        return poll.result()

    async def _handle(self, updates) -> int:
        """Handle a batch, reporters in parallel, each one's updates in order and none after one
        that failed (it must be applied first); returns the offset that confirms the batch."""
        by_chat: dict[object, list] = {}
        for update in sorted(updates, key=lambda u: u.update_id):
            chat = update.effective_chat.id if update.effective_chat else update.update_id
            by_chat.setdefault(chat, []).append(update)
        failed = [f for f in await asyncio.gather(*(self._in_order(chat) for chat in by_chat.values())) if f]
        if not failed:
            return max(u.update_id for u in updates) + 1
        log.warning("Updates of %d chats not committed; they will be fetched again", len(failed))
        await self._pause(backoff(self._failure(), base=0.5, cap=10.0))
        return min(failed)

    async def _in_order(self, updates) -> int | None:
        """The id of the first update that failed, or None."""
        for update in updates:
            try:
                await self.bot.process(update)
            except Exception as error:  # logged without the update: it holds names and ids
                log.warning("Update %s not committed: %s", update.update_id, type(error).__name__)
                return update.update_id
        return None

    def _failure(self) -> int:
        self._failures += 1
        return self._failures

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            pass
