"""Incidents keep counts as ranges and merge without losing reports."""

import pytest

from harmwatch.incidents import service as incidents
from harmwatch.incidents.service import IncidentError, suggested_counts
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.factories import make_report, make_user


def test_suggested_counts_take_the_largest_min_and_max_and_keep_unknown():
    reports = [Report(killed_min=2, killed_max=10), Report(killed_min=5, killed_max=6), Report()]
    counts = suggested_counts(reports)
    assert (counts["killed_min"], counts["killed_max"]) == (5, 10)
    assert counts["injured_min"] is None and counts["injured_max"] is None


async def test_merge_moves_reports_and_leaves_the_other_as_a_pointer(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        first, second = await make_report(session), await make_report(session, killed_min=7, killed_max=9)
        incident_ids = []
        for report in (first, second):
            await review.claim(session, report, user=monitor)
            incident_ids.append((await review.verify(session, report, user=monitor, grade="weak")).id)
        target = await session.get(incidents.Incident, incident_ids[0])
        other = await session.get(incidents.Incident, incident_ids[1])
        await incidents.merge(session, target=target, others=[other], actor="user:x")
        assert {r.id for r in await incidents.reports_of(session, target)} == {first.id, second.id}
        assert (target.killed_min, target.killed_max) == (2, 4)  # the survivor's own counts
        assert (other.state, other.merged_into_id) == ("merged", target.id)


@pytest.mark.parametrize(
    "changes, code",
    [({"killed_min": -3}, "negative_count"), ({"killed_min": 9, "killed_max": 2}, "min_above_max"),
     ({"id": 99}, "not_editable")],
)
async def test_bad_edits_are_refused_and_change_nothing(database, changes, code):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
        incident = await review.verify(session, report, user=monitor, grade="weak")
        with pytest.raises(IncidentError) as error:
            await incidents.update(session, incident, actor="user:x", changes=changes)
        assert error.value.code == code
        assert (incident.killed_min, incident.killed_max) == (2, 4)
