"""A report's answers for the report page: each under its question's label, in the monitor's
language, with the reporter's own words kept apart (shown verbatim, in their language)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from harmwatch.forms import get_form
from harmwatch.forms.model import Question
from harmwatch.forms.summary import Day, Msg, PlaceName, Verbatim, describe
from harmwatch.i18n import gettext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Part:
    text: str
    own_words: bool  # the reporter's text, as they wrote it


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    label: str
    parts: tuple[Part, ...]


def _parts(lang: str, question: Question, value: Any, place_name) -> tuple[Part, ...]:
    parts = []
    for piece in describe(question, value):
        if isinstance(piece, Msg):
            parts.append(Part(gettext(lang, piece.msgid, **piece.params), False))
        elif isinstance(piece, Day):
            parts.append(Part(piece.iso, False))
        elif isinstance(piece, PlaceName):
            parts.append(Part(f"{place_name(piece.pcode)} ({piece.pcode})", False))
        elif isinstance(piece, Verbatim):
            parts.append(Part(piece.text, question.kind in ("text", "place", "location")))
    return tuple(parts)


def _raw(value: Any) -> tuple[Part, ...]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return (Part(text, True),)


def rows(form_id: str, form_version: int, answers: dict[str, Any], lang: str, place_name) -> list[AnswerRow]:
    """Every answer under its question in the form version it answered, in that version's order;
    answers the form does not know (or a form no longer shipped) come last, raw."""
    try:
        form = get_form(form_id, form_version)
    except KeyError:
        log.warning("form %s version %s is not shipped; answers shown raw", form_id, form_version)
        form = None
    out: list[AnswerRow] = []
    known: set[str] = set()
    for question in form.questions if form else ():
        if question.id not in answers:
            continue
        known.add(question.id)
        try:
            parts = _parts(lang, question, answers[question.id], place_name)
        except (TypeError, KeyError, AttributeError, ValueError):
            log.warning("answer %s of form %s does not fit its question; shown raw", question.id, form_id)
            parts = _raw(answers[question.id])
        out.append(AnswerRow(question.id, gettext(lang, question.label), parts))
    for key, value in answers.items():
        if key not in known and not key.startswith("_"):
            out.append(AnswerRow(key, key.replace("_", " "), _raw(value)))
    return out
