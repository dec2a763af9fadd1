"""Inline-button payloads. Telegram allows 64 bytes, so they are short: an action letter, the
draft step the button was drawn for (older steps are stale), and an argument."""

from __future__ import annotations

from dataclasses import dataclass

# Actions
TYPE = "t"  # start a report of a type
ANSWER = "a"  # a choice
TOGGLE = "m"  # a multi-choice toggle
DONE = "d"  # end a multi-choice or files question
UNKNOWN = "u"  # "I don't know"
SKIP = "k"  # skip an optional question
PLACE = "p"  # a place button
KEEP_WORDS = "w"  # keep the typed place words
OTHER_DAY = "o"  # "another day": ask to type a date
EDIT = "e"  # change one answer from the summary
CHANGE = "c"  # show which answers can be changed
SUBMIT = "s"  # send the report
LANGUAGE = "l"  # choose a language
CANCEL_YES, CANCEL_NO = "cy", "cn"
FORGET_YES, FORGET_NO = "fy", "fn"
HELD_REVIEW, HELD_FORM = "hr", "hf"  # a held message: for the monitor's question, or for the form
BACK = "b"  # the question before this one
CLEAN_YES, CLEAN_NO = "xy", "xn"  # delete the conversation from the chat after Send, or keep it
JOINED = "j"  # the pieces of a long text received so far are the whole answer

NO_STEP = -1  # buttons that do not belong to a question


@dataclass(frozen=True)
class Button:
    action: str
    step: int
    arg: str = ""


def pack(action: str, step: int = NO_STEP, arg: str = "") -> str:
    data = f"{action}:{step}:{arg}"
    if len(data.encode()) > 64:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def unpack(data: str | None) -> Button | None:
    """None for anything that is not ours (a forged or garbled payload changes nothing)."""
    if not data:
        return None
    parts = data.split(":", 2)
    if len(parts) != 3:
        return None
    action, step, arg = parts
    try:
        return Button(action, int(step), arg)
    except ValueError:
        return None
