"""Positions in the change feed, and the opaque tokens that carry them: the position of the last
change served and a fingerprint of the filters, signed with a key derived from the secret, so a
client can neither forge nor edit one. The incidents cursor expires; a feed position does not."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from harmwatch.errors import DomainError

CURSOR_MAX_AGE_SECONDS = 24 * 3600


class CursorError(DomainError):
    """A cursor or position that cannot be used; `code` is invalid, expired, other_filters or future."""


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """Where a change sits in the feed, compared as the feed is ordered: the transaction that made
    it (PostgreSQL's 64-bit transaction id; on SQLite, whose one writer at a time makes commit
    order the order, the change number again), then the change's number."""

    xid: int
    seq: int


START = Position(0, 0)  # before every change


def fingerprint(filters: dict[str, Any]) -> str:
    """A short digest of the filters a cursor was made for."""
    text = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class CursorSigner:
    """Signs positions for one use (`salt`): a cursor of the incidents list is no feed position."""

    def __init__(self, key: bytes, *, salt: str = "incidents-cursor") -> None:
        self._serializer = URLSafeTimedSerializer(key, salt=salt)

    def dump(self, position: Position, filters: dict[str, Any]) -> str:
        return self._serializer.dumps([position.xid, position.seq, fingerprint(filters)])

    def load(self, token: str, filters: dict[str, Any], *, max_age: int | None = CURSOR_MAX_AGE_SECONDS) -> Position:
        """The position in `token`; max_age None: it never expires."""
        try:
            xid, seq, digest = self._serializer.loads(token, max_age=max_age)
        except SignatureExpired:
            raise CursorError("expired") from None
        except (BadSignature, ValueError, TypeError):
            raise CursorError("invalid") from None
        if digest != fingerprint(filters):
            raise CursorError("other_filters")
        if not (isinstance(xid, int) and isinstance(seq, int)) or min(xid, seq) < 0:
            raise CursorError("invalid")
        return Position(xid, seq)
