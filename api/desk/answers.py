"""A report's answers for the report page: each under its question's label, in the monitor's
language, with the reporter's own words kept apart (shown verbatim, in their language)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from harmwatch.forms.model import Form, Question
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


def forms() -> dict[str, Form]:
    """The shipped forms by id (harmwatch.forms.FORMS once the form engine exports it)."""
    try:
        from harmwatch.forms import FORMS  # type: ignore[attr-defined]
    except ImportError:
        from harmwatch.forms.access import ACCESS_FORM
        from harmwatch.forms.harm import HARM_FORM

        return {HARM_FORM.id: HARM_FORM, ACCESS_FORM.id: ACCESS_FORM}
    return dict(FORMS) if isinstance(FORMS, dict) else {f.id: f for f in FORMS}


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


def rows(form_id: str, answers: dict[str, Any], lang: str, place_name) -> list[AnswerRow]:
    """Every answer, in the form's order; answers the form does not know come last, raw."""
    form = forms().get(form_id)
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
