"""Getting each reply to Telegram exactly once: wait out 429s as told (`retry_after`) and
retry 5xx answers with back-off. Timeouts are not retried: the message may have arrived."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)


class PatientDelivery(BaseRateLimiter[int]):
    """PTB's hook around every Bot API call (getUpdates excepted)."""

    def __init__(self, *, max_attempts: int = 6, base_delay: float = 0.5, max_delay: float = 30.0) -> None:
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay

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
        for attempt in range(1, self.max_attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_attempts:
                    raise
                delay = error.retry_after.total_seconds() if hasattr(error.retry_after, "total_seconds") \
                    else float(error.retry_after)
                log.warning("Telegram asked to wait %.1f s before %s (attempt %d)", delay, endpoint, attempt)
                await asyncio.sleep(delay)
            except TimedOut:
                raise
            except NetworkError as error:
                if attempt == self.max_attempts:
                    raise
                delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
                log.warning("Telegram failed on %s (%s); retrying in %.1f s", endpoint, error, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
