"""Form fields of the desk, checked one by one: each problem is a translated message naming
the field, never a stack trace or a silent default."""

from __future__ import annotations

from datetime import date
from typing import Any

from harmwatch import taxonomy
from harmwatch.database import utcnow
from harmwatch.i18n import to_ascii_digits


class Invalid(Exception):
    """`key` is one of messages.FIELDS; `field` the field's label msgid; `params` the rest."""

    def __init__(self, key: str, field: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.field, self.params = key, field, params


def text(value: str | None, field: str, *, required: bool = False, max_length: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid("required", field)
    if len(value) > max_length:
        raise Invalid("too_long", field, max=max_length)
    return value


def choice(value: str | None, field: str, allowed: tuple[Any, ...] | list[Any], *, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise Invalid("required", field)
        return None
    if value not in {str(a) for a in allowed}:
        raise Invalid("choice", field)
    return value


def code(value: str | None, field: str, kind: str, *, required: bool = True) -> str | None:
    """A taxonomy code of `kind`."""
    return choice(value, field, [str(c) for c in taxonomy.codes(kind)], required=required)


def integer(value: str | None, field: str, *, low: int = 0, high: int = 1_000_000,
            required: bool = False) -> int | None:
    raw = to_ascii_digits((value or "").strip())
    if not raw:
        if required:
            raise Invalid("required", field)
        return None  # unknown stays unknown, never 0
    try:
        number = int(raw)
    except ValueError:
        raise Invalid("integer", field, min=low, max=high) from None
    if not low <= number <= high:
        raise Invalid("integer", field, min=low, max=high)
    return number


def number(value: str | None, field: str, *, low: float, high: float) -> float | None:
    raw = to_ascii_digits((value or "").strip())
    if not raw:
        return None
    try:
        parsed = float(raw)
    except ValueError:
        raise Invalid("number", field, min=low, max=high) from None
    if not low <= parsed <= high or parsed != parsed:
        raise Invalid("number", field, min=low, max=high)
    return parsed


def day(value: str | None, field: str, *, required: bool = False, not_future: bool = True) -> date | None:
    raw = (value or "").strip()
    if not raw:
        if required:
            raise Invalid("required", field)
        return None
    try:
        parsed = date.fromisoformat(raw)
    except ValueError:
        raise Invalid("date", field) from None
    if not_future and parsed > utcnow().date():
        raise Invalid("future_date", field)
    return parsed


def ids(value: str | None, field: str) -> list[int]:
    raw = (value or "").replace(" ", "")
    if not raw:
        raise Invalid("required", field)
    try:
        numbers = [int(part.lstrip("#")) for part in raw.split(",") if part]
    except ValueError:
        raise Invalid("ids", field) from None
    if not numbers or any(n <= 0 for n in numbers):
        raise Invalid("ids", field)
    return numbers
