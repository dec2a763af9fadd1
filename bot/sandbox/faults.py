"""Fault injection and the call log: make the next N Bot API calls fail like Telegram does under
load (429 flood control, 500, nginx's 502) or answer slowly, and record every call answered."""

from __future__ import annotations

import itertools
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

# What Telegram's front nginx answers when the backend is down: HTML, not JSON. PTB must cope.
BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass
class FaultRule:
    """Answer the next `count` calls of `method` (None: any method) with `status`.

    status 429 -> flood control with `retry_after`; 500 -> JSON error; 502 -> nginx HTML page;
    status 200 with `delay` > 0 -> a slow but successful answer (to exercise client timeouts).
    Method "file" matches file downloads.
    """

    id: int
    method: str | None
    count: int
    status: int = 429
    retry_after: int = 1
    delay: float = 0.0
    description: str | None = None
    used: int = 0

    def matches(self, method: str) -> bool:
        return self.used < self.count and (self.method is None or self.method == method.lower())

    def body(self) -> tuple[int, dict[str, Any] | str]:
        """HTTP status and body (JSON dict, or HTML text for 502) of the injected answer."""
        if self.status == 429:
            return 429, {
                "ok": False, "error_code": 429,
                "description": (self.description
                                or f"Too Many Requests: retry after {self.retry_after}"),
                "parameters": {"retry_after": self.retry_after},
            }
        if self.status == 502:
            return 502, BAD_GATEWAY_HTML
        phrase = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
                  409: "Conflict", 500: "Internal Server Error"}.get(self.status, "Error")
        return self.status, {"ok": False, "error_code": self.status,
                             "description": self.description or phrase}


@dataclass
class CallRecord:
    """One Bot API call as received and answered."""

    seq: int
    time: float
    method: str
    status: int
    ok: bool
    description: str | None = None
    fault: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    via: str = "request"  # or "webhook answer": a call the bot made in its answer to a webhook delivery


class FaultPlan:
    """Pending fault rules, consumed in order, and the log of every call answered."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        # Bounded: a `make run` sandbox answers getUpdates all day long.
        self.calls: deque[CallRecord] = deque(maxlen=10_000)
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)

    def add(self, method: str | None, count: int = 1, status: int = 429, retry_after: int = 1,
            delay: float = 0.0, description: str | None = None) -> FaultRule:
        rule = FaultRule(next(self._ids), method.lower() if method else None, count, status,
                         retry_after, delay, description)
        self.rules.append(rule)
        return rule

    def take(self, method: str) -> FaultRule | None:
        """The rule that applies to this call (using it up by one), or None."""
        for rule in self.rules:
            if rule.matches(method):
                rule.used += 1
                return rule
        return None

    def clear(self) -> None:
        self.rules.clear()

    def record(self, method: str, status: int, ok: bool, description: str | None = None,
               fault: bool = False, params: dict[str, Any] | None = None, via: str = "request") -> CallRecord:
        rec = CallRecord(next(self._seq), time.time(), method, status, ok, description, fault,
                         _summarise(params or {}), via)
        self.calls.append(rec)
        return rec

    def rules_view(self) -> list[dict[str, Any]]:
        return [asdict(r) | {"remaining": r.count - r.used} for r in self.rules]

    def calls_view(self, method: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        return [asdict(c) for c in self.calls
                if c.seq > since and (method is None or c.method.lower() == method.lower())]


def _summarise(params: dict[str, Any]) -> dict[str, Any]:
    """Keep the call log small and JSON-safe: long strings cut, uploaded bytes as their size."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, bytes | bytearray):
            out[key] = f"<{len(value)} bytes>"
        elif isinstance(value, tuple):  # an upload: (filename, bytes, content type)
            out[key] = f"<upload {value[0]!r}, {len(value[1])} bytes>"
        elif isinstance(value, str) and len(value) > 2000:
            out[key] = value[:2000] + "…"
        else:
            out[key] = value
    return out
