"""Monitors working together: a reporter's answer reaches the monitor who asked as a notice,
a report can be assigned (and found under "Assigned to me"), and internal comments with
@mentions notify colleagues — and none of it reaches the reporter or an export."""

from __future__ import annotations

import httpx
import sqlalchemy as sa

from harmwatch.accounts.models import Role
from harmwatch.messaging.models import OutboxMessage
from harmwatch.review import service as review
from harmwatch.review.models import Comment, Notice
from tests.api.desk.conftest import log_in, post
from tests.factories import make_report, make_reporter, make_user


async def second_monitor(app, database, name="samir"):
    async with database.transaction() as session:
        await make_user(session, name=name, role=Role.MONITOR)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("203.0.113.8", 40001)),
                               base_url="http://desk.test")
    assert (await log_in(client, name)).status_code == 303
    return client


async def test_the_monitor_who_asked_is_told_when_the_reporter_answers(as_monitor, monitor, database, settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        report = await make_report(session, reporter=reporter)
        await review.claim(session, report, user=monitor)
        await review.ask_reporter(session, report, user=monitor, question="Which street?")
    assert 'class="badge"' not in (await as_monitor.get("/")).text
    async with database.transaction() as session:
        await review.receive_answer(session, report, body="Near the bakery")
    queue = (await as_monitor.get("/")).text
    assert '<span class="badge" aria-label="1 new">1</span>' in queue
    notices = (await as_monitor.get("/notices")).text
    assert f"The reporter answered your question on" in notices and report.ref_code in notices

    await as_monitor.get(f"/reports/{report.id}")  # opening the report reads its notice
    assert 'class="badge"' not in (await as_monitor.get("/")).text


async def test_assign_a_report_and_find_it_under_assigned_to_me(app, as_monitor, database):
    colleague = await second_monitor(app, database)
    async with database.transaction() as session:
        report = await make_report(session)
        other = await make_report(session)
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    samir_id = int(page.split('>samir</option>')[0].rsplit('<option value="', 1)[1].split('"')[0])
    response = await post(as_monitor, f"/reports/{report.id}/assign", {"assignee": str(samir_id)})
    assert response.status_code == 303
    assert "Assigned to samir." in (await as_monitor.get(f"/reports/{report.id}")).text

    mine = (await colleague.get("/?status=all&assigned=me")).text
    assert report.ref_code in mine and other.ref_code not in mine
    assert "assigned" in (await colleague.get("/notices")).text and "mona" in (await colleague.get("/notices")).text

    response = await post(as_monitor, f"/reports/{report.id}/assign", {"assignee": "999999"})
    assert "Choose an active monitor or admin." in (await as_monitor.get(f"/reports/{report.id}")).text
    await colleague.aclose()


async def test_comments_are_internal_and_mentions_notify(app, as_monitor, database, settings):
    colleague = await second_monitor(app, database)
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        report = await make_report(session, reporter=reporter)
    body = "@samir <b>check</b> the second photo"
    await post(as_monitor, f"/reports/{report.id}/comments", {"body": body})
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "@samir &lt;b&gt;check&lt;/b&gt; the second photo" in page  # escaped, shown as typed
    assert "mentioned you" in (await colleague.get("/notices")).text
    await post(as_monitor, f"/reports/{report.id}/comments", {"body": "   "})
    assert "Write a comment." in (await as_monitor.get(f"/reports/{report.id}")).text
    await post(as_monitor, f"/reports/{report.id}/comments", {"body": "x" * 4001})
    assert "The comment is too long" in (await as_monitor.get(f"/reports/{report.id}")).text
    async with database.transaction() as session:
        assert [c.body for c in (await session.scalars(sa.select(Comment))).all()] == [body]
        assert (await session.scalars(sa.select(OutboxMessage))).all() == []  # nothing to the reporter
        mentions = (await session.scalars(sa.select(Notice).where(Notice.kind == "mentioned"))).all()
        assert len(mentions) == 1
    await colleague.aclose()
