"""Forms as data and the pure engine that runs them (DESIGN.md, "The form engine"): what to
ask next, an answer validated into its stored value, the summary and the report frame."""

from __future__ import annotations

from harmwatch.deployment import Deployment
from harmwatch.forms.access import ACCESS_FORM, access_form
from harmwatch.forms.engine import (
    PlaceRef,
    Places,
    answer,
    is_complete,
    next_question,
    selected,
    settle,
    skip,
    visible_questions,
)
from harmwatch.forms.errors import AnswerError
from harmwatch.forms.frame import frame
from harmwatch.forms.harm import HARM_FORM, HARM_FORM_V1, harm_form
from harmwatch.forms.inputs import (
    Choice,
    Done,
    Location,
    MediaAdded,
    MediaDone,
    PlaceCode,
    PlaceText,
    RawAnswer,
    Text,
    Toggle,
)
from harmwatch.forms.model import NONE, PENDING, UNKNOWN, Export, Form, Kind, Option, Question
from harmwatch.forms.summary import SummaryLine, describe, display, summary

# The version of each form that new drafts start on, as this process's deployment
# (HARMWATCH_CONFIG) asks it; built once at import.
FORMS: dict[str, Form] = {HARM_FORM.id: HARM_FORM, ACCESS_FORM.id: ACCESS_FORM}
# Every version a stored draft or report may have answered. A form that changes gets a new
# version and its old one stays here, so that a report is always read with its own questions.
FORM_VERSIONS: dict[tuple[str, int], Form] = {(form.id, form.version): form
                                              for form in (*FORMS.values(), HARM_FORM_V1)}


def forms_for(deployment: Deployment) -> dict[str, Form]:
    """The forms as another deployment would ask them (config check, tests)."""
    return {form.id: form for form in (harm_form(deployment), access_form(deployment))}


def exported_answers() -> dict[str, str]:
    """Question id → the key its answer has on incidents and in exports, over every form (each
    question declares it: Question.export). One id exported under two names is a form error."""
    keys: dict[str, str] = {}
    for form in FORM_VERSIONS.values():
        for question in form.questions:
            if question.exported_as is None:
                continue
            if keys.setdefault(question.id, question.exported_as) != question.exported_as:
                raise ValueError(f"{question.id} is exported as {keys[question.id]!r} and {question.exported_as!r}")
    return keys


def get_form(form_id: str, version: int | None = None) -> Form:
    """A form by id: the `version` a draft or report answered, or the current one when None.
    KeyError for an unknown form or version."""
    if version is None:
        return FORMS[form_id]
    return FORM_VERSIONS[(form_id, version)]


__all__ = [
    "ACCESS_FORM", "FORMS", "FORM_VERSIONS", "HARM_FORM", "NONE", "PENDING", "UNKNOWN",
    "AnswerError", "Choice", "Done", "Export", "Form", "Kind", "Location", "MediaAdded", "MediaDone", "Option",
    "PlaceCode", "PlaceRef", "PlaceText", "Places", "Question", "RawAnswer", "SummaryLine", "Text", "Toggle",
    "access_form", "answer", "describe", "display", "exported_answers", "forms_for", "frame", "get_form",
    "harm_form", "is_complete", "next_question", "selected",
    "settle", "skip", "summary", "visible_questions",
]
