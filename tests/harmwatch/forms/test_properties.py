"""Whatever a reporter sends, the engine either stores a value that keeps every constraint of
its question, or refuses it with an AnswerError. Nothing else escapes."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harmwatch.forms import (
    ACCESS_FORM,
    HARM_FORM,
    PENDING,
    AnswerError,
    Choice,
    Done,
    Form,
    Kind,
    Location,
    MediaAdded,
    PlaceCode,
    PlaceText,
    Question,
    Text,
    Toggle,
    answer,
    frame,
    summary,
    visible_questions,
)
from harmwatch.forms.vocabulary import WORDS
from harmwatch.places.gazetteer import builtin_gazetteer

from .conftest import TODAY

SYRIA = builtin_gazetteer()
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Answers under which every question of each form is visible (each question then gets fuzzed).
EVERYTHING_ASKED = {
    "harm": {"event_type": "air_drone_strike", "place": {"adm1": "SY02", "adm2": None, "text": None},
             "location": {"lat": 36.2, "lon": 37.1, "adm1": "SY02", "adm2": "SY0200"},
             "killed": {"min": 3, "max": 5}, "injured": {"min": None, "max": 9}},
    "access": {"constraint": "violence_against_aid_workers",
               "place": {"adm1": "SY02", "adm2": None, "text": None},
               "location": {"lat": 36.2, "lon": 37.1, "adm1": "SY02", "adm2": "SY0200"}},
}
CASES = [(form, q) for form in (HARM_FORM, ACCESS_FORM) for q in form.questions]
CASE_IDS = [f"{form.id}.{q.id}" for form, q in CASES]

_phrases = [p for words in WORDS.values() for group in (words.unknown, words.zero, words.at_least, words.more_than,
                                                       words.up_to, words.less_than, words.about,
                                                       words.range_joins, words.range_starts, *words.days_ago.values(),
                                                       *words.times.values()) for p in group]
_other_digits = st.characters(categories=("Nd",))
typed = st.one_of(
    st.text(),
    st.text(alphabet=st.one_of(_other_digits, st.sampled_from(" -–/.,:+~#٫٬")), max_size=20),
    st.lists(st.one_of(st.sampled_from(_phrases), st.integers(-10, 10**7).map(str), _other_digits),
             max_size=5).map(" ".join),
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=40),  # Arabic, Persian
    st.text(alphabet=st.characters(categories=("Cc", "Cf", "Zs", "Zl")), max_size=10),
    st.integers(1990, 2030).map(lambda y: f"{y}-11-20"),
    st.tuples(st.integers(0, 40), st.integers(0, 15), st.integers(0, 2100)).map(lambda d: "%d/%d/%d" % d),
    st.tuples(st.integers(0, 30), st.integers(0, 70)).map(lambda t: "%d:%02d" % t),
    st.integers(1, 5000).map(lambda n: "ж" * n),
)


# Questions asked for one kind of event only.
EVENT_OF = {"detained": "arrest_detention", "abducted": "abduction_forced_disappearance",
            "survivors": "sexual_violence"}


def _context(form: Form, question: Question) -> dict:
    answers = {k: v for k, v in EVERYTHING_ASKED[form.id].items() if k != question.id}
    if form.id == "harm" and question.id in EVENT_OF:
        answers["event_type"] = EVENT_OF[question.id]
    assert question in visible_questions(form, answers), question.id
    return answers


def assert_keeps_constraints(form: Form, q: Question, value) -> None:
    json.dumps(value)
    if value is None:
        assert not q.required or q.allow_unknown
        return
    kind = q.kind
    codes = [o.code for o in q.options]
    if kind is Kind.CHOICE:
        assert value in codes
    elif kind is Kind.MULTI_CHOICE:
        assert value == [c for c in codes if c in value] and (value or not q.required)
    elif kind in (Kind.RANGE, Kind.INTEGER):
        bounds = [value] if kind is Kind.INTEGER else [value["min"], value["max"]]
        assert any(b is not None for b in bounds)
        for bound in bounds:
            assert bound is None or (type(bound) is int and q.min_value <= bound <= q.max_value)
        if kind is Kind.RANGE:
            assert set(value) <= {"min", "max", "approximate"}
            if None not in bounds:
                assert value["min"] <= value["max"]
    elif kind is Kind.DATE:
        assert form.earliest_date <= date.fromisoformat(value) <= TODAY
    elif kind is Kind.TIME_OF_DAY:
        assert value in codes or (re.fullmatch(r"\d\d:\d\d", value) and int(value[:2]) < 24 and int(value[3:]) < 60)
    elif kind is Kind.TEXT:
        assert 0 < len(value) <= q.max_length and value == value.strip()
        assert all(c == "\n" or unicodedata.category(c) not in ("Cc", "Cs") for c in value)
    elif kind in (Kind.PLACE, Kind.LOCATION):
        for level in ("adm1", "adm2"):
            assert value[level] is None or SYRIA.get(value[level]) is not None
        if value.get("text") is not None:
            assert 0 < len(value["text"]) <= q.max_length
        if "lat" in value:
            assert math.isfinite(value["lat"]) and -90 <= value["lat"] <= 90
            assert math.isfinite(value["lon"]) and -180 <= value["lon"] <= 180
    elif kind is Kind.MEDIA:
        assert len(value) <= q.max_items and all(type(m) is int and m > 0 for m in value)


def _apply(form: Form, q: Question, raw) -> None:
    answers = _context(form, q)
    try:
        after = answer(form, answers, q.id, raw, today=TODAY, places=SYRIA, lang="en")
    except AnswerError as error:
        assert error.msgid and error.text("en")
        return
    json.dumps(after)
    if q.id in after:
        assert_keeps_constraints(form, q, after[q.id])
    else:
        assert q.id in after.get(PENDING, {})
    frame(form, after)
    summary(form, after)


@pytest.mark.parametrize("form,question", CASES, ids=CASE_IDS)
@PROPERTY
@given(text=typed)
def test_no_typed_text_breaks_a_question(form, question, text):
    _apply(form, question, Text(text))


@pytest.mark.parametrize("form,question", CASES, ids=CASE_IDS)
@PROPERTY
@given(raw=st.one_of(
    st.builds(Choice, st.one_of(st.text(max_size=30), st.sampled_from(["unknown", "none", "today", "yesterday",
                                                                         "morning", "home", "1", "near"]))),
    st.builds(Toggle, st.one_of(st.text(max_size=30), st.sampled_from(["home", "self", "food", "un_agency"]))),
    st.just(Done()),
    st.builds(Location, st.floats(), st.floats()),
    st.builds(Location, st.floats(30, 40), st.floats(33, 45)),
    st.builds(PlaceCode, st.one_of(st.text(max_size=10), st.sampled_from([p.pcode for p in SYRIA]))),
    st.builds(PlaceText, st.text()),
    st.builds(MediaAdded, st.integers(1, 10**9)),
))
def test_no_button_or_gesture_breaks_a_question(form, question, raw):
    _apply(form, question, raw)
