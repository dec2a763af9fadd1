"""claim_next: the next claimable report of a filtered queue, claimed; two monitors going on at
the same moment never hold the same report."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from harmwatch.database import utcnow
from harmwatch.reports.models import Report
from harmwatch.review import queue
from harmwatch.review import service as review
from tests.factories import make_report, make_user

F = queue.QueueFilter(status=None, report_type="harm", sort="oldest")


async def test_the_next_free_report_in_the_queues_order_is_claimed(database):
    start = utcnow() - timedelta(hours=2)
    async with database.transaction() as session:
        me, other = await make_user(session), await make_user(session)
        here, held, access, free = [
            await make_report(session, submitted_at=start + timedelta(minutes=i),
                              **({"report_type": "access", "event_type": None,
                                  "access_constraint": "movement_restriction"} if i == 2 else {}))
            for i in range(4)]
        await review.claim(session, await session.get(Report, held.id), user=other)
    async with database.transaction() as session:
        claimed = await review.claim_next(session, F, await session.get(Report, here.id), user=me)
        assert claimed.id == free.id  # past the held one and the one the filter leaves out
        assert (claimed.status, claimed.claimed_by_id) == ("in_review", me.id)
    async with database.transaction() as session:
        assert await review.claim_next(session, F, await session.get(Report, free.id), user=me) is None


async def test_two_monitors_going_on_at_once_get_two_reports(database, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: a second one never reads a claim being written")
    start = utcnow() - timedelta(hours=2)
    async with database.transaction() as session:
        first, second = await make_user(session), await make_user(session)
        here, a, b = [await make_report(session, submitted_at=start + timedelta(minutes=i)) for i in range(3)]
    async with database.transaction() as one:
        taken = await review.claim_next(one, F, await one.get(Report, here.id), user=first)
        assert taken.id == a.id

        async def meanwhile():  # reads the list before the first claim commits, then waits on its row
            async with database.transaction() as two:
                return (await review.claim_next(two, F, await two.get(Report, here.id), user=second)).id

        other = asyncio.create_task(meanwhile())
        await asyncio.sleep(0.5)
        assert not other.done()  # held on the row lock
    assert await other == b.id
    async with database.transaction() as session:
        assert (await session.get(Report, a.id)).claimed_by_id == first.id
        assert (await session.get(Report, b.id)).claimed_by_id == second.id


async def test_two_monitors_claiming_one_report_at_once_the_second_is_refused(database, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: a second one never reads a claim being written")
    async with database.transaction() as session:
        first, second = await make_user(session), await make_user(session)
        report = await make_report(session)
    async with database.transaction() as one:
        await review.claim(one, await one.get(Report, report.id), user=first)

        async def meanwhile():
            async with database.transaction() as two:
                await review.claim(two, await two.get(Report, report.id), user=second)

        other = asyncio.create_task(meanwhile())
        await asyncio.sleep(0.5)
        assert not other.done()  # held on the row lock until the first claim commits
    with pytest.raises(review.ReviewError) as refused:
        await other
    assert refused.value.code == "claimed_by_other"
    async with database.transaction() as session:
        assert (await session.get(Report, report.id)).claimed_by_id == first.id
