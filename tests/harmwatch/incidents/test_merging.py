"""Merging: a preview with the differences, a merge confirmed against what was previewed, and
the merged incident left as a tombstone pointing at the survivor."""

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.incidents import lifecycle, merging
from harmwatch.incidents import service as incidents
from harmwatch.incidents.models import Incident
from harmwatch.incidents.service import IncidentError, version_of
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.factories import make_report, make_user


async def incident_of(session, monitor, **fields):
    report = await make_report(session, **fields)
    await review.claim(session, report, user=monitor)
    return await review.verify(session, report, user=monitor, grade="fair")


async def test_the_preview_shows_the_differences_and_changes_nothing(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        b = await incident_of(session, monitor, killed_min=1, killed_max=2)
        a = await incident_of(session, monitor, killed_min=4, killed_max=7, adm2_pcode="SY0201")
        before = version_of(b), version_of(a)
        plan = await merging.preview(session, target=b, others=[a])
        rows = {row.name: row for row in (*plan.fields, *plan.count_rows)}
        assert rows["killed_min"].differs and not rows["killed_min"].changes and rows["killed_min"].result == 1
        assert rows["adm2_pcode"].differs and rows["adm2_pcode"].others == ["SY0201"]
        assert not rows["occurred_on"].differs and plan.reports_moving == 1
        assert plan.differences == 3  # adm2, killed min, killed max
        widened = await merging.preview(session, target=b, others=[a], counts="suggested")
        assert {r.name: r.result for r in widened.count_rows}["killed_max"] == 7
        assert (version_of(b), version_of(a)) == before


async def test_merge_keeps_the_survivors_counts_and_leaves_a_tombstone(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        b = await incident_of(session, monitor, killed_min=1, killed_max=2)
        a = await incident_of(session, monitor, killed_min=4, killed_max=7)
        await lifecycle.publish(session, a, actor="user:m")
        plan = await merging.preview(session, target=b, others=[a])
        await merging.merge(session, target=b, others=[a], actor="user:m", versions=plan.versions)
        assert (b.killed_min, b.killed_max) == (1, 2)  # not widened from the other event
        assert (a.state, a.merged_into_id) == ("merged", b.id)
        assert await session.get(Incident, a.id) is not None
        moved = (await session.scalars(sa.select(Report.incident_id))).all()
        assert set(moved) == {b.id}
        assert await lifecycle.survivor_id(session, a.id) == b.id
        assert await lifecycle.survivor_id(session, b.id) is None
        logged = (await session.execute(sa.select(AuditEvent.action, AuditEvent.object_id)
                                        .where(AuditEvent.action.like("incident.merged%")))).all()
        assert set(logged) == {("incident.merged_into", str(a.id)), ("incident.merged", str(b.id))}


async def test_merge_can_take_the_counts_all_reports_suggest(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        b = await incident_of(session, monitor, killed_min=1, killed_max=2)
        a = await incident_of(session, monitor, killed_min=4, killed_max=7)
        await merging.merge(session, target=b, others=[a], actor="user:m", counts="suggested")
        assert (b.killed_min, b.killed_max) == (4, 7)


async def test_a_merge_previewed_before_a_change_is_refused(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        b = await incident_of(session, monitor)
        a = await incident_of(session, monitor)
        plan = await merging.preview(session, target=b, others=[a])
        await incidents.update(session, a, actor="user:n", changes={"killed_max": 40})
        with pytest.raises(IncidentError) as error:
            await merging.merge(session, target=b, others=[a], actor="user:m", versions=plan.versions)
        assert error.value.code == "stale" and a.state == "unpublished" and a.merged_into_id is None


async def test_merges_of_merges_point_at_the_last_survivor(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        c, a, b = [await incident_of(session, monitor) for _ in range(3)]
        await merging.merge(session, target=a, others=[c], actor="user:m")
        await merging.merge(session, target=b, others=[a], actor="user:m")
        await session.refresh(c)
        assert c.merged_into_id == b.id and await lifecycle.survivor_id(session, c.id) == b.id


@pytest.mark.parametrize("move", ["merge_again", "publish", "edit", "withdraw"])
async def test_a_tombstone_does_not_change_any_more(database, move):
    async with database.transaction() as session:
        monitor = await make_user(session)
        b, a = await incident_of(session, monitor), await incident_of(session, monitor)
        await merging.merge(session, target=b, others=[a], actor="user:m")
        with pytest.raises(IncidentError) as error:
            if move == "merge_again":
                await merging.merge(session, target=b, others=[a], actor="user:m")
            elif move == "publish":
                await lifecycle.publish(session, a, actor="user:m")
            elif move == "edit":
                await incidents.update(session, a, actor="user:m", changes={"killed_max": 9})
            else:
                await lifecycle.withdraw(session, a, actor="user:m", reason="no")
        assert error.value.code == "merged"


async def test_different_types_and_itself_cannot_merge(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        harm = await incident_of(session, monitor)
        access = await incident_of(session, monitor, report_type="access", form_id="access", event_type=None,
                                   access_constraint="movement_restriction")
        for others, code in (([access], "different_types"), ([harm], "merge_into_itself"), ([], "nothing_to_merge")):
            with pytest.raises(IncidentError) as error:
                await merging.preview(session, target=harm, others=others)
            assert error.value.code == code
