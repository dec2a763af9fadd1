"""The queue service: capped counts, filters and keyset pagination over both databases."""

from datetime import timedelta

from harmwatch.database import utcnow
from harmwatch.review import queue
from harmwatch.review.queue import QueueFilter
from tests.factories import make_report


async def test_counts_are_capped(database, monkeypatch):
    monkeypatch.setattr(queue, "COUNT_CAP", 3)
    async with database.transaction() as session:
        for _ in range(5):
            await make_report(session)
        counts = await queue.counts(session)
    assert counts["submitted"] == 4 and counts["verified"] == 0  # "3+"


async def test_occurred_sort_pages_through_reports_without_a_date(database):
    async with database.transaction() as session:
        made = [await make_report(session, occurred_on=None if i % 3 == 0 else utcnow().date() - timedelta(days=i % 4))
                for i in range(11)]
        seen, cursor = [], None
        while True:
            page = await queue.page(session, QueueFilter(sort="occurred"), cursor=cursor, size=4, with_counts=False)
            seen += [r.id for r in page.reports]
            if not page.next_cursor:
                break
            cursor = page.next_cursor
    assert sorted(seen) == sorted(r.id for r in made) and len(seen) == len(set(seen))


async def test_garbled_cursor_is_the_first_page(database):
    async with database.transaction() as session:
        await make_report(session)
        page = await queue.page(session, QueueFilter(), cursor="!!not-a-cursor")
    assert len(page.reports) == 1


async def test_search_does_not_match_keys_on_sqlite_nor_escapes(database):
    async with database.transaction() as session:
        hit = await make_report(session, answers={"description": "élan at the café"})
        await make_report(session, answers={"description": "nothing"})
        page = await queue.page(session, QueueFilter(text="café"), with_counts=False)
    assert [r.id for r in page.reports] == [hit.id]
