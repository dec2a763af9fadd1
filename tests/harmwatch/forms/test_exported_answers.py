"""One declaration per exported answer: a question says how it is carried onto incidents
(Question.export), and incidents and exports read exactly those keys."""

import pytest

from harmwatch.exports.columns import BY_NAME, LIST_CODES, SINGLE_CODES
from harmwatch.forms import FORMS, Form, Kind, Option, Question, exported_answers
from harmwatch.incidents.service import CODE_ANSWERS, codes_of

DECLARED = {q.exported_as for form in FORMS.values() for q in form.questions if q.exported_as}
QUESTION_IDS = {q.id for form in FORMS.values() for q in form.questions}


def test_every_exported_code_column_is_declared_by_a_form_question():
    assert set(LIST_CODES) | set(SINGLE_CODES) <= DECLARED


def test_every_declared_answer_has_an_export_column():
    assert DECLARED <= set(BY_NAME)


def test_incidents_carry_the_answers_of_real_question_ids():
    assert set(CODE_ANSWERS) <= QUESTION_IDS
    assert set(CODE_ANSWERS.values()) == DECLARED
    assert CODE_ANSWERS["actor_type"] == "actor_types"


def test_an_answer_is_carried_under_its_declared_key_and_private_ones_are_not():
    answers = {"actor_type": ["local_ngo"], "sectors": [], "description": "private words", "attribution": "them"}
    assert codes_of(answers) == {"actor_types": ["local_ngo"]}
    assert exported_answers() == CODE_ANSWERS


def test_free_text_cannot_be_declared_exported():
    with pytest.raises(ValueError, match="exports free text"):
        Form(id="f", version=1, report_type="harm", title="t", earliest_date=FORMS["harm"].earliest_date,
             questions=(Question("notes", Kind.TEXT, "Notes", export=True),))


def test_a_question_without_export_stays_on_the_report():
    question = Question("colour", Kind.CHOICE, "Colour", options=(Option("red", "Red"),))
    assert question.exported_as is None
