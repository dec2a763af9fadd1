"""The engine's flow: what is asked next, conditions, skipping, multi-choice toggles, files,
places and points, and answers that stop counting when an earlier one changes."""

from __future__ import annotations

import json

import pytest

from harmwatch.forms import (
    ACCESS_FORM,
    FORMS,
    HARM_FORM,
    NONE,
    PENDING,
    UNKNOWN,
    AnswerError,
    Choice,
    Done,
    Location,
    MediaAdded,
    PlaceCode,
    PlaceText,
    Text,
    Toggle,
    answer,
    get_form,
    is_complete,
    next_question,
    selected,
    skip,
    visible_questions,
)

from .conftest import TODAY, answer_all

HARM_START = [
    ("event_type", Choice("air_drone_strike")),
    ("place", PlaceCode("SY0302")),
    ("location", Location(33.5721, 36.4024)),
    ("geo_precision", Choice("near")),
    ("occurred_on", Choice("yesterday")),
    ("time_precision", Choice("1")),
    ("time_of_day", Choice("morning")),
]


def ids(questions):
    return [q.id for q in questions]


def test_the_harm_form_starts_with_what_happened():
    assert next_question(HARM_FORM, {}).id == "event_type"
    assert next_question(ACCESS_FORM, {}).id == "constraint"


def test_get_form_finds_both_forms():
    assert get_form("harm") is HARM_FORM and get_form("access") is ACCESS_FORM
    assert set(FORMS) == {"harm", "access"}
    with pytest.raises(KeyError):
        get_form("nope")


def test_get_form_finds_the_version_asked_for_and_the_current_one_by_default(monkeypatch):
    from tests.factories import new_form_version

    current = HARM_FORM.version
    assert get_form("harm", current) is HARM_FORM and get_form("harm", 1).version == 1  # the first stays
    with pytest.raises(KeyError):
        get_form("harm", current + 1)
    second = new_form_version(monkeypatch, HARM_FORM, labels={"killed": "How many civilians died?"})
    assert get_form("harm") is second and get_form("harm", current + 1) is second
    assert get_form("harm", current) is HARM_FORM
    assert second.question("killed").label != HARM_FORM.question("killed").label


def test_answer_returns_new_answers_and_leaves_the_old_ones_alone(syria):
    before = {"event_type": "grenade"}
    after = answer(HARM_FORM, before, "event_type", Choice("air_drone_strike"), today=TODAY, places=syria)
    assert before == {"event_type": "grenade"}
    assert after == {"event_type": "air_drone_strike"}


def test_choice_outside_the_options_is_refused():
    with pytest.raises(AnswerError, match="buttons"):
        answer(HARM_FORM, {}, "event_type", Choice("picnic"))


def test_choice_can_be_typed_as_its_number_code_or_label():
    assert answer(HARM_FORM, {}, "event_type", Text("1"))["event_type"] == "air_drone_strike"
    assert answer(HARM_FORM, {}, "event_type", Text("grenade"))["event_type"] == "grenade"
    assert answer(HARM_FORM, {}, "event_type", Text("armed clash"))["event_type"] == "armed_clash"


def test_district_is_asked_only_when_the_governorate_alone_is_known(syria):
    answers = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", PlaceCode("SY02"))], syria)
    assert answers["place"] == {"adm1": "SY02", "adm2": None, "text": None}
    assert next_question(HARM_FORM, answers).id == "district"
    answers = answer(HARM_FORM, answers, "district", PlaceCode("SY0202"), places=syria)
    assert answers["district"] == {"adm1": "SY02", "adm2": "SY0202", "text": None}
    assert next_question(HARM_FORM, answers).id == "location"

    direct = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", PlaceCode("SY0202"))], syria)
    assert direct["place"] == {"adm1": "SY02", "adm2": "SY0202", "text": None}
    assert "district" not in ids(visible_questions(HARM_FORM, direct))


def test_district_outside_the_chosen_governorate_is_refused(syria):
    answers = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", PlaceCode("SY02"))], syria)
    with pytest.raises(AnswerError, match="area you chose"):
        answer(HARM_FORM, answers, "district", PlaceCode("SY0302"), places=syria)


def test_typed_place_with_one_confident_match_stores_its_codes(syria):
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("Douma"), places=syria, lang="fr")
    assert answers["place"] == {"adm1": "SY03", "adm2": "SY0302", "text": "Douma"}
    arabic = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("دوما"), places=syria, lang="ar")
    assert arabic["place"]["adm2"] == "SY0302"


def test_governorate_and_district_of_one_name_count_as_one_place(syria):
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("حمص"), places=syria, lang="ar")
    assert answers["place"] == {"adm1": "SY04", "adm2": "SY0401", "text": "حمص"}


def test_ambiguous_place_offers_the_candidates(syria):
    with pytest.raises(AnswerError) as caught:
        answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("Dooma"), places=syria)
    assert caught.value.msgid == "Which of these places do you mean?"
    assert "SY0302" in [c.pcode for c in caught.value.candidates]


def test_place_nothing_resembles_keeps_the_reporters_words(syria):
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("xq"), places=syria)
    assert answers["place"] == {"adm1": None, "adm2": None, "text": "xq"}
    assert "district" not in ids(visible_questions(HARM_FORM, answers))


def test_a_description_is_not_taken_for_a_place_it_vaguely_resembles(syria):
    # Offered to confirm at most, never stored with a P-code unasked.
    try:
        stored = answer(HARM_FORM, {"event_type": "grenade"}, "place", Text("near the school"), places=syria)
    except AnswerError as error:
        assert error.candidates
    else:
        assert stored["place"] == {"adm1": None, "adm2": None, "text": "near the school"}
    kept = answer(HARM_FORM, {"event_type": "grenade"}, "place", PlaceText("near the school"), places=syria)
    assert kept["place"] == {"adm1": None, "adm2": None, "text": "near the school"}


def test_typed_district_is_searched_within_the_governorate(syria):
    answers = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", PlaceCode("SY03"))], syria)
    answers = answer(HARM_FORM, answers, "district", Text("Duma"), places=syria)
    assert answers["district"] == {"adm1": "SY03", "adm2": "SY0302", "text": "Duma"}
    free = answer(HARM_FORM, answers, "district", PlaceText("a village I can't spell"), places=syria)
    assert free["district"] == {"adm1": "SY03", "adm2": None, "text": "a village I can't spell"}


def test_shared_location_answers_the_place_with_the_nearest_codes(syria):
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "place", Location(33.5721, 36.4024), places=syria)
    assert answers["place"] == {"adm1": "SY03", "adm2": "SY0302", "text": None, "lat": 33.5721, "lon": 36.4024}
    visible = ids(visible_questions(HARM_FORM, answers))
    assert "location" not in visible and "district" not in visible and "geo_precision" in visible


def test_location_is_validated(syria):
    answers = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", PlaceCode("SY0302"))], syria)
    for lat, lon in ((91, 0), (0, 181), (float("nan"), 0), (float("inf"), 0)):
        with pytest.raises(AnswerError, match="not valid"):
            answer(HARM_FORM, answers, "location", Location(lat, lon), places=syria)
    stored = answer(HARM_FORM, answers, "location", Text("33.5721, 36.4024"), places=syria)
    assert stored["location"] == {"lat": 33.5721, "lon": 36.4024, "adm1": "SY03", "adm2": "SY0302"}


def test_point_outside_the_gazetteer_keeps_no_codes(syria):
    answers = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", PlaceCode("SY0302"))], syria)
    stored = answer(HARM_FORM, answers, "location", Location(48.85, 2.35), places=syria)
    assert stored["location"] == {"lat": 48.85, "lon": 2.35, "adm1": None, "adm2": None}


def test_skip_stores_none_for_an_optional_question(syria):
    answers = answer_all(HARM_FORM, HARM_START[:2], syria)
    answers = skip(HARM_FORM, answers, "location")
    assert answers["location"] is None
    assert "geo_precision" not in ids(visible_questions(HARM_FORM, answers))
    assert next_question(HARM_FORM, answers).id == "occurred_on"


def test_required_question_cannot_be_skipped():
    with pytest.raises(AnswerError, match="needs an answer"):
        skip(HARM_FORM, {}, "event_type")


def test_unknown_count_is_stored_as_none_not_zero(syria):
    answers = answer_all(HARM_FORM, HARM_START, syria)
    unknown = answer(HARM_FORM, answers, "killed", Choice(UNKNOWN))
    assert unknown["killed"] is None
    typed = answer(HARM_FORM, answers, "killed", Text("لا أعرف"))
    assert typed["killed"] is None
    nobody = answer(HARM_FORM, answers, "killed", Choice(NONE))
    assert nobody["killed"] == {"min": 0, "max": 0}


def test_children_are_asked_only_when_someone_may_have_been_killed(syria):
    answers = answer_all(HARM_FORM, HARM_START, syria)
    none = answer(HARM_FORM, answers, "killed", Choice(NONE))
    assert next_question(HARM_FORM, none).id == "injured"
    some = answer(HARM_FORM, answers, "killed", Text("3-5"))
    assert next_question(HARM_FORM, some).id == "children_killed"
    unknown = answer(HARM_FORM, answers, "killed", Choice(UNKNOWN))
    assert next_question(HARM_FORM, unknown).id == "children_killed"
    open_ended = answer(HARM_FORM, answers, "killed", Text("at least 2"))
    assert next_question(HARM_FORM, open_ended).id == "children_killed"


def test_children_cannot_outnumber_the_total(syria):
    answers = answer_all(HARM_FORM, [*HARM_START, ("killed", Text("3"))], syria)
    with pytest.raises(AnswerError) as caught:
        answer(HARM_FORM, answers, "children_killed", Text("4"))
    assert caught.value.params == {"max": 3}
    assert answer(HARM_FORM, answers, "children_killed", Text("2-3"))["children_killed"] == {"min": 2, "max": 3}


def test_changing_an_answer_drops_answers_that_no_longer_apply(syria):
    answers = answer_all(HARM_FORM, [*HARM_START, ("killed", Text("3")), ("children_killed", Text("2"))], syria)
    changed = answer(HARM_FORM, answers, "killed", Choice(NONE))
    assert "children_killed" not in changed
    smaller = answer(HARM_FORM, answers, "killed", Text("1"))
    assert "children_killed" not in smaller  # 2 children of 1 killed no longer fits: asked again
    assert next_question(HARM_FORM, smaller).id == "children_killed"


def test_changing_the_event_type_hides_the_weapon_question(syria):
    answers = answer_all(HARM_FORM, [*HARM_START, ("killed", Choice(NONE)), ("injured", Choice(NONE)),
                                     ("missing", Choice(NONE)), ("weapon", Choice("barrel_bomb"))], syria)
    assert answers["weapon"] == "barrel_bomb"
    changed = answer(HARM_FORM, answers, "event_type", Choice("arrest_detention"))
    assert "weapon" not in changed and "weapon" not in ids(visible_questions(HARM_FORM, changed))
    assert "objects_hit" not in ids(visible_questions(HARM_FORM, changed))


def test_weapon_can_be_unknown(syria):
    answers = answer_all(HARM_FORM, [*HARM_START, ("killed", Choice(NONE)), ("injured", Choice(NONE)),
                                     ("missing", Choice(NONE))], syria)
    assert answer(HARM_FORM, answers, "weapon", Choice(UNKNOWN))["weapon"] is None
    with pytest.raises(AnswerError):
        answer(HARM_FORM, answers, "weapon", Choice("unknown_code"))


def test_answering_a_hidden_question_is_refused(syria):
    answers = answer_all(HARM_FORM, [*HARM_START, ("killed", Choice(NONE))], syria)
    with pytest.raises(AnswerError, match="no longer applies"):
        answer(HARM_FORM, answers, "children_killed", Text("1"))


def test_multi_choice_toggles_wait_until_done(syria):
    answers = {"event_type": "grenade"}
    answers = answer(HARM_FORM, answers, "objects_hit", Toggle("school"))
    answers = answer(HARM_FORM, answers, "objects_hit", Toggle("home"))
    answers = answer(HARM_FORM, answers, "objects_hit", Toggle("market"))
    answers = answer(HARM_FORM, answers, "objects_hit", Toggle("market"))
    assert "objects_hit" not in answers
    assert selected(answers, "objects_hit") == ("home", "school")
    done = answer(HARM_FORM, answers, "objects_hit", Done())
    assert done["objects_hit"] == ["home", "school"]  # in the order of the options
    assert PENDING not in done
    assert json.loads(json.dumps(done)) == done


def test_multi_choice_refuses_unknown_codes_and_empty_required_answers():
    answers = {"event_type": "grenade"}
    with pytest.raises(AnswerError):
        answer(HARM_FORM, answers, "objects_hit", Toggle("spaceship"))
    with pytest.raises(AnswerError, match="at least one"):
        answer(HARM_FORM, answers, "sources", Done())
    assert answer(HARM_FORM, answers, "objects_hit", Done())["objects_hit"] == []


def test_multi_choice_can_be_typed_as_a_list():
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "sources", Text("1, 3،medical staff"))
    assert answers["sources"] == ["self", "relative", "medical_staff"]


def test_editing_a_multi_choice_starts_from_the_stored_choices():
    answers = answer(HARM_FORM, {"event_type": "grenade"}, "sources", Text("self"))
    editing = answer(HARM_FORM, answers, "sources", Toggle("witness"))
    assert editing["sources"] == ["self"] and selected(editing, "sources") == ("self", "witness")
    assert answer(HARM_FORM, editing, "sources", Done())["sources"] == ["self", "witness"]


def test_media_collects_files_until_done():
    answers = {"event_type": "grenade"}
    answers = answer(HARM_FORM, answers, "media", MediaAdded(7))
    answers = answer(HARM_FORM, answers, "media", MediaAdded(9))
    answers = answer(HARM_FORM, answers, "media", MediaAdded(7))
    assert selected(answers, "media") == (7, 9)
    assert answer(HARM_FORM, answers, "media", Done())["media"] == [7, 9]
    with pytest.raises(AnswerError, match="photo or a file"):
        answer(HARM_FORM, answers, "media", Text("here"))


def test_media_has_a_limit():
    answers = {"event_type": "grenade"}
    for media_id in range(1, 11):
        answers = answer(HARM_FORM, answers, "media", MediaAdded(media_id))
    with pytest.raises(AnswerError) as caught:
        answer(HARM_FORM, answers, "media", MediaAdded(11))
    assert caught.value.params == {"max": 10}


def test_a_file_sent_to_a_text_question_gets_a_hint():
    with pytest.raises(AnswerError, match="type your answer"):
        answer(HARM_FORM, {"event_type": "grenade"}, "description", MediaAdded(3))


def test_date_buttons_and_typed_dates(syria):
    answers = {"event_type": "grenade"}
    assert answer(HARM_FORM, answers, "occurred_on", Choice("today"), today=TODAY)["occurred_on"] == "2026-11-20"
    typed = answer(HARM_FORM, answers, "occurred_on", Text("вчера"), today=TODAY)
    assert typed["occurred_on"] == "2026-11-19"
    with pytest.raises(AnswerError, match="future"):
        answer(HARM_FORM, answers, "occurred_on", Text("2027-01-01"), today=TODAY)


def test_a_date_question_needs_today_from_the_caller():
    with pytest.raises(TypeError):
        answer(HARM_FORM, {}, "occurred_on", Choice("today"))


def test_aid_worker_counts_are_asked_only_for_violent_constraints(syria):
    start = [("constraint", Choice("violence_against_aid_workers")), ("place", PlaceCode("SY0302")),
             ("location", Location(33.57, 36.4)), ("geo_precision", Choice("town")),
             ("occurred_on", Choice("today")), ("time_precision", Choice("1")), ("time_of_day", Choice("night"))]
    answers = answer_all(ACCESS_FORM, start, syria)
    assert next_question(ACCESS_FORM, answers).id == "aid_workers_killed"
    visible = ids(visible_questions(ACCESS_FORM, answers))
    assert {"aid_workers_killed", "aid_workers_injured", "aid_workers_abducted", "aid_workers_detained"} <= set(visible)
    blocked = answer(ACCESS_FORM, answers, "constraint", Choice("physical_constraints"))
    assert next_question(ACCESS_FORM, blocked).id == "people_not_reached"
    assert not any(i.startswith("aid_workers") for i in ids(visible_questions(ACCESS_FORM, blocked)))


def test_a_whole_harm_report_completes(syria):
    steps = [*HARM_START, ("time_of_day", Text("14:30")), ("killed", Text("between 3 and 5")),
             ("children_killed", Text("1")), ("injured", Text("about 10")), ("children_injured", Choice(UNKNOWN)),
             ("missing", Choice(NONE)), ("weapon", Choice("guided_munition")), ("objects_hit", Toggle("market")),
             ("objects_hit", Done()), ("attribution", Text("don't know")), ("sources", Toggle("self")),
             ("sources", Done()), ("description", Text("The market was hit at noon.")), ("media", MediaAdded(1)),
             ("media", Done())]
    answers = answer_all(HARM_FORM, steps, syria)
    assert is_complete(HARM_FORM, answers)
    assert answers["attribution"] is None
    assert json.loads(json.dumps(answers)) == answers


def test_a_typed_number_outside_the_list_is_not_taken_for_an_option():
    answers = {"event_type": "grenade"}
    assert answer(HARM_FORM, answers, "time_precision", Text("2"))["time_precision"] == "2"
    with pytest.raises(AnswerError):
        answer(HARM_FORM, answers, "time_precision", Text("7"))
