"""Answers into Report columns, and the summary a reporter checks before sending."""

from __future__ import annotations

from datetime import date

from harmwatch.forms import (
    ACCESS_FORM,
    HARM_FORM,
    Choice,
    Location,
    Text,
    display,
    frame,
    summary,
)
from harmwatch.forms.summary import Day, Msg, PlaceName, Verbatim
from harmwatch.reports.models import COUNT_NAMES, Report
from tests.walks import HARM_STEPS, answer_all


def test_frame_maps_harm_answers_to_report_columns(syria):
    row = frame(HARM_FORM, answer_all(HARM_FORM, HARM_STEPS, syria))
    assert set(row) <= set(Report.model_fields)
    assert row["report_type"] == "harm" and row["form_id"] == "harm" and row["form_version"] == HARM_FORM.version
    assert row["occurred_on"] == date(2026, 11, 18) and row["time_precision"] == 2 and row["time_of_day"] == "night"
    assert (row["adm1_pcode"], row["adm2_pcode"], row["place_text"]) == ("SY02", "SY0202", "Al Bab")
    assert (row["lat"], row["lon"], row["geo_precision"]) == (36.371, 37.516, "near")
    assert row["event_type"] == "air_drone_strike" and row["access_constraint"] is None
    assert (row["killed_min"], row["killed_max"]) == (3, 5)
    assert (row["children_killed_min"], row["children_killed_max"]) == (1, None)
    assert (row["injured_min"], row["injured_max"]) == (None, None)
    assert (row["missing_min"], row["missing_max"]) == (0, 0)
    assert row["has_media"] is True
    assert "aid_workers_killed_min" not in row


def test_unknown_count_is_not_stored_as_zero_in_the_frame(syria):
    row = frame(HARM_FORM, answer_all(HARM_FORM, HARM_STEPS, syria))
    assert row["injured_min"] is None and row["injured_max"] is None


def test_frame_of_an_access_report_has_every_count_the_form_asks(syria):
    steps = [("constraint", Choice("explosive_ordnance")), ("place", Text("xq"))]
    answers = answer_all(ACCESS_FORM, steps, syria)
    row = frame(ACCESS_FORM, answers)
    assert row["report_type"] == "access" and row["access_constraint"] == "explosive_ordnance"
    assert row["place_text"] == "xq" and row["adm1_pcode"] is None and row["event_type"] is None
    for name in ("aid_workers_killed", "aid_workers_injured", "aid_workers_abducted", "people_not_reached"):
        assert row[f"{name}_min"] is None and row[f"{name}_max"] is None
    assert not any(k.startswith("killed") for k in row)
    assert {f"{n}_{e}" for n in COUNT_NAMES for e in ("min", "max")} & set(row) == {
        f"{n}_{e}" for n in ("aid_workers_killed", "aid_workers_injured", "aid_workers_abducted",
                             "people_not_reached") for e in ("min", "max")}


def test_frame_ignores_answers_of_hidden_questions():
    answers = {"event_type": "grenade", "place": {"adm1": "SY02", "adm2": "SY0202", "text": None},
               "killed": {"min": 0, "max": 0}, "children_killed": {"min": 2, "max": 2}}
    row = frame(HARM_FORM, answers)
    assert row["children_killed_min"] is None


def test_frame_without_a_point_has_no_geo_precision():
    answers = {"event_type": "grenade", "place": {"adm1": "SY02", "adm2": None, "text": None}, "district": None,
               "location": None}
    row = frame(HARM_FORM, answers)
    assert row["lat"] is None and row["geo_precision"] is None and row["adm1_pcode"] == "SY02"


def test_shared_point_fills_codes_only_where_the_place_gave_none(syria):
    answers = answer_all(HARM_FORM, [("event_type", Choice("grenade")), ("place", Text("xq")),
                                     ("location", Location(36.371, 37.516))], syria)
    row = frame(HARM_FORM, answers)
    assert (row["adm1_pcode"], row["adm2_pcode"], row["place_text"]) == ("SY02", "SY0202", "xq")


def test_summary_lists_visible_questions_with_display_ready_pieces(syria):
    answers = answer_all(HARM_FORM, HARM_STEPS, syria)
    lines = {line.question.id: line for line in summary(HARM_FORM, answers)}
    assert lines["event_type"].pieces == (Msg("Air or drone strike"),)
    assert lines["district"].pieces == (PlaceName("SY0202"), Verbatim("Al Bab"))
    assert lines["occurred_on"].pieces == (Day("2026-11-18"),)
    assert lines["killed"].pieces == (Msg("%(min)s to %(max)s", {"min": 3, "max": 5}),)
    assert lines["children_killed"].pieces == (Msg("at least %(min)s", {"min": 1}),)
    assert lines["injured"].pieces == (Msg("Not known"),) and lines["injured"].value is None
    assert lines["missing"].pieces == (Verbatim("0"),)
    assert lines["description"].pieces == (Verbatim("Two houses <b>destroyed</b>."),)
    assert all(line.answered for line in lines.values())


def test_summary_marks_questions_not_answered_yet():
    lines = summary(HARM_FORM, {"event_type": "grenade"})
    assert lines[0].answered and not lines[1].answered
    assert lines[1].pieces == (Msg("Not answered yet"),)


def test_display_names_places_and_labels_in_the_language(syria):
    place = HARM_FORM.question("place")
    assert display("en", place, {"adm1": "SY02", "adm2": "SY0202", "text": None}, syria) == "Al Bab"
    assert display("en", place, {"adm1": "SY02", "adm2": "SY0202", "text": "al bab"}, syria) == "Al Bab"
    assert display("ar", place, {"adm1": "SY02", "adm2": None, "text": "قرب السوق"}, syria) == "حلب، قرب السوق"
    killed = HARM_FORM.question("killed")
    assert display("en", killed, {"min": 10, "max": 10, "approximate": True}) == "about 10"
    assert display("en", killed, {"min": None, "max": 5}) == "up to 5"
    assert display("en", killed, None) == "Not known"
    assert display("en", HARM_FORM.question("occurred_on"), "2026-11-18") == "November 18, 2026"
    assert display("fr", HARM_FORM.question("occurred_on"), "2026-11-18") == "18 novembre 2026"
    assert display("en", HARM_FORM.question("objects_hit"), []) == "None of these"
    assert display("en", HARM_FORM.question("media"), [1, 2]) == "Files: 2"
    assert display("en", HARM_FORM.question("time_of_day"), "14:30") == "14:30"
