"""The one scripted walk through a whole harm form, for every test and benchmark that needs a
complete report: as form-engine steps, and the same answers as a reporter gives them in the bot."""

from __future__ import annotations

from datetime import date
from typing import Any

from harmwatch.forms import (
    HARM_FORM,
    NONE,
    UNKNOWN,
    Choice,
    Done,
    Form,
    Location,
    MediaAdded,
    PlaceCode,
    RawAnswer,
    Text,
    Toggle,
    answer,
)

TODAY = date(2026, 11, 20)

# (question id, what a front-end sends), in the order the harm form asks.
HARM_STEPS: list[tuple[str, RawAnswer]] = [
    ("event_type", Choice("air_drone_strike")), ("place", PlaceCode("SY02")), ("district", Text("Al Bab")),
    ("location", Location(36.371, 37.516)), ("geo_precision", Choice("near")), ("occurred_on", Text("18/11/2026")),
    ("time_precision", Choice("2")), ("time_of_day", Choice("night")), ("killed", Text("3-5")),
    ("children_killed", Text("at least 1")), ("injured", Choice(UNKNOWN)), ("children_injured", Choice(UNKNOWN)),
    ("missing", Choice(NONE)), ("weapon", Choice("barrel_bomb")), ("objects_hit", Toggle("home")),
    ("objects_hit", Done()), ("attribution", Text("The air force")), ("sources", Toggle("witness")),
    ("sources", Done()), ("description", Text("Two houses <b>destroyed</b>.")), ("media", MediaAdded(4)),
    ("media", Done()),
]


def answer_all(form: Form, steps, places, *, answers=None, today: date = TODAY, lang: str = "en") -> dict:
    """Apply (question_id, raw) steps in order, as a front-end would."""
    answers = dict(answers or {})
    for question_id, raw in steps:
        answers = answer(form, answers, question_id, raw, today=today, places=places, lang=lang)
    return answers


def harm_answers(places, *, form: Form = HARM_FORM, today: date = TODAY) -> dict[str, Any]:
    """The answers of HARM_STEPS: a complete harm report, ready for a draft."""
    return answer_all(form, HARM_STEPS, places, today=today)


# A harm report in the bot, in English: ("say", text), ("tap", a button that brings a new
# message) or ("toggle", a button that only changes its own message).
HARM_CHAT: list[tuple[str, str]] = [
    ("say", "/start"), ("tap", "Civilians harmed"), ("tap", "Air or drone strike"), ("say", "Aleppo"),
    ("tap", "Jebel Saman"), ("tap", "Skip"), ("say", "20/11/2026"), ("tap", "That exact day"), ("tap", "Night"),
    ("say", "3-5"), ("say", "2"), ("say", "10"), ("tap", "I don't know"), ("tap", "None"),
    ("tap", "Guided bomb or missile"), ("toggle", "Home"), ("tap", "Done"), ("tap", "I don't know"),
    ("toggle", "A witness told me"), ("tap", "Done"), ("say", "A night strike on the <b>market</b> street"),
    ("tap", "No files"), ("tap", "Send the report"),
]


async def to_first_count(chatter, event: str) -> dict[str, Any]:
    """In the bot, a harm report of `event` (a button label) in Duma, today, no exact spot and
    no time of day: the bot's first question on the people it happened to (killed, detained,
    survivors, ... as the event asks)."""
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap(event)
    await chatter.say("Duma")
    await chatter.tap("Skip")  # the exact spot
    await chatter.tap("Today")
    await chatter.tap("That exact day")
    return await chatter.tap("Skip")  # the time of day


async def report_harm_in_the_bot(chatter) -> dict[str, Any]:
    """Walk HARM_CHAT as `chatter` (tests.bot.chatting.Chatter); the bot's last reply, which
    carries the reference code."""
    reply: dict[str, Any] = {}
    for gesture, what in HARM_CHAT:
        if gesture == "toggle":
            await chatter.toggle(what)
        else:
            reply = await (chatter.say(what) if gesture == "say" else chatter.tap(what))
    return reply
