"""An incident takes the monitor's assessed values, from every report verified into it; the
reporter's "about N" is a range around N on the report."""

import pytest

from harmwatch.forms import Choice, PlaceCode, Text, frame, get_form
from harmwatch.incidents.service import suggested_counts
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.factories import make_report, make_user
from tests.harmwatch.incidents.through_forms import answers_of, submitted

HARM = {"event_type": Choice("shelling_artillery_missile"), "place": PlaceCode("SY0200"),
        "occurred_on": Choice("yesterday"), "time_precision": Choice("1"), "killed": Text("5"),
        "injured": Text("7"), "sources": ["witness"]}


def assessed(**counts):
    return {"normalised": {name: {"min": low, "max": high} for name, (low, high) in counts.items()}}


async def test_a_second_reports_assessed_counts_widen_the_incident_not_its_raw_answer(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        first = await make_report(session, killed_min=5, killed_max=5)
        second = await make_report(session, killed_min=20, killed_max=20)  # the monitor judged 20 wrong
        await review.claim(session, first, user=monitor)
        incident = await review.verify(session, first, user=monitor, grade="fair", assessment=assessed(killed=(4, 6)))
        assert (incident.killed_min, incident.killed_max) == (4, 6)
        await review.claim(session, second, user=monitor)
        await review.verify(session, second, user=monitor, grade="fair", incident=incident,
                            assessment=assessed(killed=(8, 9)))
        assert (incident.killed_min, incident.killed_max) == (8, 9)
        assert (second.killed_min, second.killed_max) == (20, 20)


def test_suggestions_read_each_reports_assessment():
    reports = [Report(killed_min=2, killed_max=3, assessment=assessed(killed=(4, 6))),
               Report(killed_min=30, killed_max=30, assessment=assessed(killed=(5, 5))), Report(killed_min=1)]
    counts = suggested_counts(reports)
    assert (counts["killed_min"], counts["killed_max"]) == (5, 6)


async def test_the_assessed_event_type_names_the_new_incident(database, settings):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await submitted(session, settings, "harm", HARM)
        await review.claim(session, report, user=monitor)
        incident = await review.verify(session, report, user=monitor, grade="fair",
                                       assessment={"normalised": {"event_type": "air_drone_strike"}})
        assert (incident.event_type, report.event_type) == ("air_drone_strike", "shelling_artillery_missile")


@pytest.mark.parametrize("said, stored", [
    ("about 10", (8, 12)), ("around 3", (2, 4)), ("about 1", (0, 2)), ("roughly 100", (80, 120)),
    ("10", (10, 10)), ("3-5", (3, 5)), ("at least 4", (4, None)),
])
def test_about_n_is_a_range_around_n_on_the_report(said, stored):
    answers = answers_of("harm", {**HARM, "killed": Text(said)})
    row = frame(get_form("harm"), answers)
    assert (row["killed_min"], row["killed_max"]) == stored
