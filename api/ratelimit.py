"""Per-key token buckets: a steady rate with room for a burst. Kept in this process's memory, so
behind a load balancer each worker allows the rate on its own (N workers: up to N times it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

MAX_KEYS = 10_000  # past this, buckets that have refilled completely are forgotten


class RateLimiter:
    def __init__(self, *, per_minute: float = 300, burst: int = 60,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}

    def acquire(self, key: Hashable) -> float:
        """Take one request from `key`'s bucket: 0 if allowed, else the seconds until one is."""
        now = self._clock()
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            if len(self._buckets) > MAX_KEYS:
                self._forget_full(now)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full = [k for k, (tokens, then) in self._buckets.items()
                if tokens + (now - then) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]
