"""What a failed Bot API call means, and short retries for the calls made at start (set the
webhook, the command menus, downloads). Replies are not retried here: they wait in the outbox
(bot/replies.py) so that no request and no other reporter waits for them.

Permanent refusals are never retried: `BadRequest` ("message is not modified", "query is too
old") is a subclass of `NetworkError` in python-telegram-bot, and `Forbidden` means the user
blocked the bot."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)
ONCE = 1  # rate_limit_args for a call the caller retries itself


@dataclass(frozen=True)
class Failure:
    """How to treat a failed call: `retry_in` seconds (None: never), or the reporter is gone."""

    retry_in: float | None
    unreachable: bool = False


def retry_after_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def backoff(attempt: int, *, base: float = 0.5, cap: float = 30.0) -> float:
    return min(cap, base * 2 ** max(attempt - 1, 0)) * random.uniform(0.8, 1.2)


def classify(error: TelegramError, attempt: int) -> Failure:
    if isinstance(error, Forbidden):
        return Failure(None, unreachable=True)
    if isinstance(error, (BadRequest, InvalidToken)):
        return Failure(None)
    if isinstance(error, RetryAfter):
        return Failure(retry_after_seconds(error))
    # 5xx, 502 pages, refused connections and timeouts: temporary. A timeout may hide a message
    # that arrived; it is sent again all the same (see README, "Guarantees").
    return Failure(backoff(attempt))


class PatientDelivery(BaseRateLimiter[int]):
    """PTB's hook around every Bot API call (getUpdates excepted): a few retries of temporary
    failures, none of permanent ones; `rate_limit_args=ONCE` turns retrying off for a call."""

    def __init__(self, *, max_attempts: int = 4) -> None:
        self.max_attempts = max_attempts

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        attempts = rate_limit_args or self.max_attempts
        for attempt in range(1, attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except (NetworkError, RetryAfter) as error:
                failure = classify(error, attempt)
                if failure.retry_in is None or attempt == attempts:
                    raise
                log.warning("Telegram failed on %s (%s); retrying in %.1f s", endpoint, type(error).__name__,
                            failure.retry_in)
                await asyncio.sleep(failure.retry_in)
        raise AssertionError("unreachable")
