"""What a reporter did, read off a Telegram update: the conversation never sees the update."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message

from bot.callbacks import Button


def replied_text(message: Message) -> str | None:
    """The text of the bot's message this one replies to (a monitor's question carries its
    report's code); None when it replies to nothing, or to something not from the bot."""
    target = message.reply_to_message
    if target is None or target.from_user is None or not target.from_user.is_bot:
        return None
    return target.text or target.caption


@dataclass(frozen=True)
class Command:
    name: str


@dataclass(frozen=True)
class Typed:
    text: str
    message_id: int = 0
    replied_to: str | None = None


@dataclass(frozen=True)
class Shared:
    """A location shared with Telegram's attachment menu."""

    lat: float
    lon: float


@dataclass(frozen=True)
class File:
    """A file, already stored; `media_id` None when it was not fetched (too large, not asked for)."""

    media_id: int | None
    too_large: bool = False
    replied_to: str | None = None


@dataclass(frozen=True)
class Pressed:
    button: Button | None
    message_id: int


@dataclass(frozen=True)
class Unsupported:
    """A sticker, poll, contact...: we ask for text, a photo or a location."""


@dataclass(frozen=True)
class Edited:
    """An earlier message changed: it updates the answer it gave, and the reporter is told."""

    message_id: int = 0
    text: str | None = None


Gesture = Command | Typed | Shared | File | Pressed | Unsupported | Edited
