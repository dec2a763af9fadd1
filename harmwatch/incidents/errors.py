"""The incidents' typed error (re-exported by service.py, where callers import it from)."""

from __future__ import annotations

from typing import Any


class IncidentError(Exception):
    """A change that cannot be made; `code` names why, `field` the field at fault (if one),
    `details` the rest, for the desk to translate."""

    def __init__(self, code: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(code)
        self.code, self.field, self.details = code, field, details
