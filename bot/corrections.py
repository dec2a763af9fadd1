"""What the chat does to answers besides answering: a long text Telegram split into pieces is
joined into one answer, and an edited message updates the answer it gave."""

from __future__ import annotations

from typing import Any

from harmwatch.reports.models import Draft

# Telegram splits a text longer than 4096 characters into pieces of 4096: a piece this long is
# most likely one of them, with more to come.
SPLIT_AT = 4000
KEEP_ANSWERED = 60  # messages remembered per draft, for edits


def _chat(draft: Draft) -> dict[str, Any]:
    return dict(draft.chat or {})


def remember_answer(draft: Draft, message_id: int, question_id: str) -> None:
    """Which question a message answered (a new dict: JSON columns see only reassignment)."""
    chat = _chat(draft)
    answered = dict(chat.get("answered") or {})
    answered[str(message_id)] = question_id
    chat["answered"] = dict(list(answered.items())[-KEEP_ANSWERED:])
    draft.chat = chat


def answered_by(draft: Draft | None, message_id: int) -> str | None:
    if draft is None or not message_id:
        return None
    return (draft.chat or {}).get("answered", {}).get(str(message_id))


def fragments(draft: Draft) -> list[str]:
    return list((draft.chat or {}).get("fragments") or [])


def add_fragment(draft: Draft, text: str) -> int:
    """Keep one piece of a long text; returns how many pieces are waiting."""
    chat = _chat(draft)
    chat["fragments"] = [*fragments(draft), text]
    draft.chat = chat
    return len(chat["fragments"])


def take_fragments(draft: Draft) -> list[str]:
    pieces = fragments(draft)
    if pieces:
        chat = _chat(draft)
        chat.pop("fragments", None)
        draft.chat = chat
    return pieces


def fit(text: str, max_length: int | None) -> tuple[str, bool]:
    """The text cut to the question's cap (at a word if one is near); whether it was cut."""
    if max_length is None or len(text) <= max_length:
        return text, False
    cut = text[:max_length]
    space = cut.rfind(" ", max_length - 80)
    return (cut[:space] if space > 0 else cut).rstrip(), True
