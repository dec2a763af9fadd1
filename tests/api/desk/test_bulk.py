"""Bulk actions from the queue: the confirmation counts the rows and names them; each report
moves exactly as it would alone; what cannot move is left alone and said so."""

from __future__ import annotations

import sqlalchemy as sa

from harmwatch.accounts.models import Role
from harmwatch.audit.models import AuditEvent
from harmwatch.messaging.models import OutboxMessage
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import csrf_of, post
from tests.factories import make_report, make_reporter, make_user


async def test_reject_as_spam_confirms_with_a_count_then_skips_what_another_monitor_holds(as_monitor, database,
                                                                                       settings):
    async with database.transaction() as session:
        other = await make_user(session, name="samir", role=Role.MONITOR)
        reporter = await make_reporter(session, settings)
        spam = [await make_report(session, reporter=reporter) for _ in range(2)]
        held = await make_report(session, reporter=reporter)
        await review.claim(session, held, user=other)
        untouched = await make_report(session)
    ids = [str(r.id) for r in (*spam, held)]
    page = await post(as_monitor, "/reports/bulk", {"ids": ids, "action": "reject_spam"}, page="/?status=all")
    assert page.status_code == 200
    assert "Reject 3 reports as spam or abuse? Each reporter is told that it will not be published." in page.text
    assert all(r.ref_code in page.text for r in (*spam, held)) and untouched.ref_code not in page.text
    async with database.transaction() as session:  # asking changed nothing
        assert {r.status for r in (await session.scalars(sa.select(Report))).all()} == {"submitted", "in_review"}

    token = csrf_of(page.text)
    done = await as_monitor.post("/reports/bulk/apply", data={"csrf_token": token, "ids": ids, "action": "reject_spam"})
    assert done.status_code == 303
    queue = (await as_monitor.get(done.headers["location"])).text
    assert "Done for 2 of 3 selected reports." in queue and held.ref_code in queue.split("Left as they were")[1]
    async with database.transaction() as session:
        states = {r.id: (r.status, r.reject_reason) for r in (await session.scalars(sa.select(Report))).all()}
        outcomes = (await session.scalars(sa.select(OutboxMessage))).all()
        rejections = (await session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "report.rejected"))).all()
    assert [states[r.id] for r in spam] == [("rejected", "spam")] * 2
    assert states[held.id] == ("in_review", None) and states[untouched.id] == ("submitted", None)
    assert len(outcomes) == 2 and len(rejections) == 2  # each reporter told once, each move audited


async def test_bulk_assign_and_nothing_selected(as_monitor, database):
    async with database.transaction() as session:
        samir = await make_user(session, name="samir", role=Role.MONITOR)
        reports = [await make_report(session) for _ in range(2)]
    ids = [str(r.id) for r in reports]
    page = await post(as_monitor, "/reports/bulk", {"ids": ids, "action": f"assign:{samir.id}"})
    assert "Assign 2 reports to samir?" in page.text
    await as_monitor.post("/reports/bulk/apply", data={"csrf_token": csrf_of(page.text), "ids": ids,
                                                       "action": f"assign:{samir.id}"})
    async with database.transaction() as session:
        assert [(await session.get(Report, r.id)).assigned_to_id for r in reports] == [samir.id] * 2

    response = await post(as_monitor, "/reports/bulk", {"action": "reject_spam"})
    assert response.status_code == 303
    assert "Select at least one report and an action." in (await as_monitor.get("/")).text
    response = await post(as_monitor, "/reports/bulk", {"ids": ids, "action": "delete_everything"})
    assert response.status_code == 303


async def test_the_queue_offers_a_checkbox_per_row_tied_to_the_bulk_form(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
    page = (await as_monitor.get("/")).text
    assert f'<input type="checkbox" name="ids" value="{report.id}" form="bulk-form"' in page
    assert 'id="bulk-form"' in page


async def test_saved_views_are_per_monitor_and_replaced_by_name(app, as_monitor, database):
    import httpx

    from harmwatch.review.models import SavedFilter
    from tests.api.desk.conftest import log_in

    qs = "status=submitted&type=harm&sort=casualties"
    response = await post(as_monitor, "/filters", {"name": "Harm, worst first", "queue_qs": qs}, page=f"/?{qs}")
    assert response.headers["location"] == f"/?{qs}"
    page = (await as_monitor.get("/")).text
    assert f'<a href="/?{qs.replace("&", "&amp;")}">Harm, worst first</a>' in page
    await post(as_monitor, "/filters", {"name": "Harm, worst first", "queue_qs": "status=all"})
    await post(as_monitor, "/filters", {"name": "x" * 65, "queue_qs": "status=all"})
    async with database.transaction() as session:
        saved = (await session.scalars(sa.select(SavedFilter))).all()
        samir = await make_user(session, name="samir", role=Role.MONITOR)
    assert [(s.name, s.query) for s in saved] == [("Harm, worst first", "status=all")]

    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test")
    await log_in(other, samir.name)
    assert "Harm, worst first" not in (await other.get("/")).text  # someone else's view
    await post(other, f"/filters/{saved[0].id}/delete", page="/")
    async with database.transaction() as session:
        assert len((await session.scalars(sa.select(SavedFilter))).all()) == 1  # not theirs to remove
    await other.aclose()
    await post(as_monitor, f"/filters/{saved[0].id}/delete", page="/")
    async with database.transaction() as session:
        assert (await session.scalars(sa.select(SavedFilter))).all() == []
