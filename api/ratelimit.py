"""Per-key token buckets for the NGO API: a steady rate with room for a burst. Kept in the
database (`harmwatch.ratelimits`), so N workers behind a load balancer allow the rate once,
not N times. Each request takes its token in a short transaction of its own: a long export
never holds another request of the same token waiting on the bucket's row."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from harmwatch import ratelimits
from harmwatch.database import Database

CLEAN_EVERY = 1000  # about one request in this many also drops buckets that are full again


class RateLimiter:
    def __init__(self, *, per_minute: float = 300, burst: int = 60,
                 clock: Callable[[], float] = time.time) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock

    async def acquire(self, db: Database, key: str) -> float:
        """Take one request from `key`'s bucket: 0 if allowed, else the seconds until one is."""
        now = self._clock()
        async with db.engine.begin() as connection:
            wait = await ratelimits.take(connection, key=key, now=now, rate=self.rate, burst=self.burst)
            if random.randrange(CLEAN_EVERY) == 0:
                await ratelimits.forget_full(connection, now=now, rate=self.rate, burst=self.burst)
        return wait
