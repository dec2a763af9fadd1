"""The opaque page cursor: the (updated_at, id) of the last row served and a fingerprint of the
filters, signed with a key derived from the secret, so a client can neither forge nor edit it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from harmwatch.exports.records import utc

CURSOR_MAX_AGE_SECONDS = 24 * 3600


class CursorError(Exception):
    """A cursor that cannot be used; `code` is invalid, expired or other_filters."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Position:
    """Where the last page ended, in the feed's order."""

    updated_at: datetime
    id: int


def fingerprint(filters: dict[str, Any]) -> str:
    """A short digest of the filters a cursor was made for."""
    text = json.dumps(filters, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class CursorSigner:
    def __init__(self, key: bytes) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="incidents-cursor")

    def dump(self, position: Position, filters: dict[str, Any]) -> str:
        # utc(), not astimezone(): SQLite's naive datetimes are UTC, not the server's local time.
        moment = utc(position.updated_at).isoformat(timespec="microseconds")
        return self._serializer.dumps([moment, position.id, fingerprint(filters)])

    def load(self, cursor: str, filters: dict[str, Any], *, max_age: int = CURSOR_MAX_AGE_SECONDS) -> Position:
        try:
            moment, id_, digest = self._serializer.loads(cursor, max_age=max_age)
        except SignatureExpired:
            raise CursorError("expired") from None
        except (BadSignature, ValueError, TypeError):
            raise CursorError("invalid") from None
        if digest != fingerprint(filters):
            raise CursorError("other_filters")
        try:
            return Position(datetime.fromisoformat(moment).astimezone(UTC), int(id_))
        except (TypeError, ValueError):
            raise CursorError("invalid") from None
