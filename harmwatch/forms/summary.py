"""The summary a reporter checks before sending: each visible question with its answer as a
display-ready structure (pieces to translate, the reporter's own words, dates, place codes),
and `display` to render one in a language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date

from harmwatch.forms.engine import Places, settle
from harmwatch.forms.model import Form, Kind, Question
from harmwatch.i18n import N_, gettext, normalise_language

# Month names as reporters say them: Syrians use the Levantine months (تشرين الثاني, not نوفمبر).
DATE_LOCALES = {"ar": "ar_SY"}


@dataclass(frozen=True)
class Msg:
    """An N_() msgid to translate, then fill with params."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verbatim:
    """The reporter's own words or a number: shown as they are (escaping is the renderer's)."""

    text: str


@dataclass(frozen=True)
class Day:
    iso: str


@dataclass(frozen=True)
class PlaceName:
    pcode: str


Piece = Msg | Verbatim | Day | PlaceName


@dataclass(frozen=True)
class SummaryLine:
    question: Question
    value: Any
    answered: bool
    pieces: tuple[Piece, ...]


NOT_KNOWN = Msg(N_("Not known"))
NOT_ANSWERED = Msg(N_("Not answered yet"))


def summary(form: Form, answers: Mapping[str, Any]) -> list[SummaryLine]:
    """One line per visible question, in order, answered or not."""
    visible, kept = settle(form, answers)
    return [SummaryLine(q, kept.get(q.id), q.id in kept,
                        describe(q, kept[q.id]) if q.id in kept else (NOT_ANSWERED,))
            for q in visible]


def describe(question: Question, value: Any) -> tuple[Piece, ...]:
    """A stored value as pieces; no translation here."""
    if value is None:
        return (NOT_KNOWN,)
    kind = question.kind
    if kind in (Kind.CHOICE, Kind.TIME_OF_DAY, Kind.TEXT):
        option = question.option(value) if isinstance(value, str) else None
        return (Msg(option.label),) if option else (Verbatim(str(value)),)
    if kind is Kind.MULTI_CHOICE:
        labels = tuple(Msg(o.label) for o in question.options if o.code in value)
        return labels or (Msg(N_("None of these")),)
    if kind is Kind.INTEGER:
        return (Verbatim(str(value)),)
    if kind is Kind.RANGE:
        return (_range(value),)
    if kind is Kind.DATE:
        return (Day(value),)
    if kind in (Kind.PLACE, Kind.LOCATION):
        pieces: list[Piece] = [PlaceName(value[level]) for level in ("pcode", "adm2", "adm1")
                               if value.get(level)][:1]
        if value.get("text"):
            pieces.append(Verbatim(value["text"]))
        if value.get("lat") is not None:
            pieces.append(Msg(N_("map point %(lat)s, %(lon)s"), {"lat": value["lat"], "lon": value["lon"]}))
        return tuple(pieces)
    if kind is Kind.MEDIA:
        return (Msg(N_("Files: %(count)s"), {"count": len(value)}),)
    return (Verbatim(str(value)),)


def _range(value: Mapping[str, Any]) -> Piece:
    low, high = value.get("min"), value.get("max")
    if value.get("approximate"):
        return Msg(N_("about %(number)s"), {"number": low})
    if low is not None and low == high:
        return Verbatim(str(low))
    if high is None:
        return Msg(N_("at least %(min)s"), {"min": low})
    if low is None:
        return Msg(N_("up to %(max)s"), {"max": high})
    return Msg(N_("%(min)s to %(max)s"), {"min": low, "max": high})


def render(lang: str, pieces: tuple[Piece, ...], places: Places | None = None) -> str:
    out = []
    for piece in pieces:
        if isinstance(piece, Msg):
            out.append(gettext(lang, piece.msgid, **piece.params))
        elif isinstance(piece, Day):
            language = normalise_language(lang)
            out.append(format_date(date.fromisoformat(piece.iso), "long",
                                   locale=DATE_LOCALES.get(language, language)))
        elif isinstance(piece, PlaceName):
            out.append(_place_name(lang, piece.pcode, places))
        elif not out or out[-1].casefold() != piece.text.casefold():  # "Al Bab" typed for Al Bab: once
            out.append(piece.text)
    return ("، " if lang in ("ar", "fa") else ", ").join(out)


def _place_name(lang: str, pcode: str, places: Places | None) -> str:
    ref = places.get(pcode) if places is not None else None
    if ref is None:
        return pcode
    names = getattr(ref, "names", None) or {}
    return names.get(lang) or ref.name


def display(lang: str, question: Question, value: Any, places: Places | None = None) -> str:
    """A stored answer as text in a language: labels translated, place codes named."""
    return render(lang, describe(question, value), places)
