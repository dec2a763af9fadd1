"""What a reporter did, read off a Telegram update: the conversation never sees the update."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import Button


@dataclass(frozen=True)
class Command:
    name: str


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Shared:
    """A location shared with Telegram's attachment menu."""

    lat: float
    lon: float


@dataclass(frozen=True)
class File:
    """A photo or document, already stored; `media_id` None when it was refused (too large)."""

    media_id: int | None
    too_large: bool = False


@dataclass(frozen=True)
class Pressed:
    button: Button | None
    message_id: int


@dataclass(frozen=True)
class Unsupported:
    """A sticker, voice note, video, poll...: we ask for text, a photo or a location."""


@dataclass(frozen=True)
class Edited:
    """An earlier message changed: answers are never rewritten behind the reporter's back."""


Gesture = Command | Typed | Shared | File | Pressed | Unsupported | Edited
