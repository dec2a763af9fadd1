"""Fixtures for the form engine: a fixed today (the engine never reads the clock), the
built-in gazetteer, and a helper that answers a form step by step."""

from __future__ import annotations

from datetime import date

import pytest

from harmwatch.forms import Form, answer
from harmwatch.places.gazetteer import builtin_gazetteer

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="session")
def syria():
    return builtin_gazetteer()


@pytest.fixture
def today() -> date:
    return TODAY


def answer_all(form: Form, steps, places, *, answers=None, today: date = TODAY, lang: str = "en") -> dict:
    """Apply (question_id, raw) steps in order, as a front-end would."""
    answers = dict(answers or {})
    for question_id, raw in steps:
        answers = answer(form, answers, question_id, raw, today=today, places=places, lang=lang)
    return answers
