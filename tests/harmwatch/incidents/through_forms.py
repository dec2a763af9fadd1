"""Reports made the way reporters make them: answers through the form engine, a draft, Submit.
So that what reaches an incident is what the real forms store, never a hand-written answers dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harmwatch.database import utcnow
from harmwatch.forms import Done, Toggle, answer, get_form, next_question, skip
from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.reports.models import Report
from harmwatch.reports.service import save_answers, start_draft, submit_draft
from tests.factories import make_reporter


def answers_of(form_id: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Walk the form as the bot does: each question asked is answered from `given` (a raw answer,
    or a list of codes to toggle for a multi-choice) or skipped."""
    form = get_form(form_id)
    answers: dict[str, Any] = {}
    places, today = builtin_gazetteer(), utcnow().date()
    while (question := next_question(form, answers)) is not None:
        raw = given.get(question.id)
        if raw is None:
            answers = skip(form, answers, question.id)
            continue
        for gesture in ([*(Toggle(code) for code in raw), Done()] if isinstance(raw, list) else [raw]):
            answers = answer(form, answers, question.id, gesture, today=today, places=places)
    return answers


async def submitted(session, settings, form_id: str, given: Mapping[str, Any]) -> Report:
    reporter = await make_reporter(session, settings)
    draft = await start_draft(session, reporter, form_id=form_id)
    await save_answers(session, draft, answers_of(form_id, given), current=None)
    return await submit_draft(session, draft, reporter=reporter)
