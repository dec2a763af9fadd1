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
from harmwatch.forms.harm import HARM_FORM, harm_form
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
from harmwatch.forms.model import NONE, PENDING, UNKNOWN, Form, Kind, Option, Question
from harmwatch.forms.summary import SummaryLine, describe, display, summary

# The forms of this process's deployment (HARMWATCH_CONFIG), built once at import.
FORMS: dict[str, Form] = {HARM_FORM.id: HARM_FORM, ACCESS_FORM.id: ACCESS_FORM}


def forms_for(deployment: Deployment) -> dict[str, Form]:
    """The forms as another deployment would ask them (config check, tests)."""
    return {form.id: form for form in (harm_form(deployment), access_form(deployment))}


def get_form(form_id: str) -> Form:
    """A form by id; KeyError for an unknown one."""
    return FORMS[form_id]


__all__ = [
    "ACCESS_FORM", "FORMS", "HARM_FORM", "NONE", "PENDING", "UNKNOWN",
    "AnswerError", "Choice", "Done", "Form", "Kind", "Location", "MediaAdded", "MediaDone", "Option",
    "PlaceCode", "PlaceRef", "PlaceText", "Places", "Question", "RawAnswer", "SummaryLine", "Text", "Toggle",
    "access_form", "answer", "describe", "display", "forms_for", "frame", "get_form", "harm_form", "is_complete", "next_question", "selected",
    "settle", "skip", "summary", "visible_questions",
]
