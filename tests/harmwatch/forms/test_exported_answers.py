"""One declaration per exported answer: a question says how it is carried onto incidents
(Question.export), and incidents and exports read exactly those keys."""

import pytest

import csv
import io

from harmwatch.exports import pg_copy, query
from harmwatch.exports.columns import BY_NAME, COLUMN_NAMES, LIST_CODES, SINGLE_CODES, public_columns
from harmwatch.exports.formats import csv_chunks
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import RecordBuilder
from harmwatch.forms import FORMS, HARM_FORM, Export, Form, Kind, Option, Question, exported_answers
from harmwatch.forms.model import options_of
from harmwatch.incidents.service import CODE_ANSWERS, codes_of
from harmwatch.places.service import gazetteer
from tests.api.ngo.conftest import make_incident
from tests.factories import new_form_version

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
             questions=(Question("notes", Kind.TEXT, "Notes", export=Export("x", "#x", "Notes.")),))


def test_a_question_without_export_stays_on_the_report():
    question = Question("colour", Kind.CHOICE, "Colour", options=(Option("red", "Red"),))
    assert question.exported_as is None


def test_the_answer_columns_keep_their_names_and_places_for_ngos():
    at = COLUMN_NAMES.index("status") + 1
    assert COLUMN_NAMES[at:at + 9] == ("weapon", "objects_hit", "sectors", "actor_types", "sources", "duration",
                                       "resolved", "time_of_day", "killed_min")
    assert (BY_NAME["weapon"].type, BY_NAME["duration"].type) == ("list", "string")
    assert BY_NAME["time_of_day"].detail == "day"


async def test_a_question_exported_in_a_form_becomes_a_column_with_no_other_edit(database, monkeypatch):
    """The form edit is the whole change: the answer reaches the incident's codes under its key,
    and the export's column (name, HXL hashtag, meaning) comes from the same declaration, in both
    CSV paths alike."""
    shelter = Question("shelter_needs", Kind.MULTI_CHOICE, "What help is needed now?", required=False,
                       options=options_of("sector"),
                       export=Export("sector", "#sector+needed", "Kinds of aid needed now (codes).", ["shelter"],
                                     name="needs", listed=True, order=90))
    new_form_version(monkeypatch, HARM_FORM, added=(shelter,))
    assert codes_of({"shelter_needs": ["food", "health"], "sources": ["witness"]}) == {
        "needs": ["food", "health"], "sources": ["witness"]}
    columns = public_columns()
    names = [c.name for c in columns]
    assert names.index("needs") == names.index("time_of_day") + 1 and names.count("needs") == 1
    assert "needs" not in COLUMN_NAMES  # the import-time columns of this process are unchanged
    async with database.transaction() as session:
        incident = await make_incident(session, codes={"needs": ["food", "nonsense", "health"],
                                                        "weapon": "artillery_shell"})
        make = RecordBuilder("en", await gazetteer(session), columns=columns)
        row = await query.one(session, incident.id)
    assert make.record(row)["needs"] == ["food", "health"]  # known codes only
    python = b"".join([c async for c in csv_chunks(query.stream(database, IncidentFilter()), make, hxl=True)])
    table = list(csv.reader(io.StringIO(python.decode("utf-8-sig"))))
    at = table[0].index("needs")
    assert (table[1][at], table[2][at]) == ("#sector+needed", "food;health")
    if not database.is_sqlite:
        async with pg_copy.prepared(database, IncidentFilter(), make) as copy:
            assert copy is not None
            assert b"".join([chunk async for chunk in copy.chunks(hxl=True)]) == python
