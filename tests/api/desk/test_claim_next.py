"""Going on after a decision with "then claim the next report" ticked: the next report of the
same filtered queue opens already claimed, in one step; a report another monitor holds is
skipped, never taken; when none is left, the queue says so."""

from __future__ import annotations

import html as markup
import re
from datetime import timedelta
from urllib.parse import quote

from harmwatch.database import utcnow
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import csrf_of
from tests.factories import make_report, make_user

QS = "status=all&type=harm&sort=oldest"


def _here(report_id: int) -> str:
    return f"/reports/{report_id}?queue_qs={quote(QS, safe='')}"


async def _decide(client, report_id: int, action: str, data: dict) -> str:
    page = (await client.get(_here(report_id))).text
    queue_qs = markup.unescape(re.search(r'name="queue_qs" value="([^"]*)"', page).group(1))
    response = await client.post(f"/reports/{report_id}/{action}",
                                 data={"csrf_token": csrf_of(page), "queue_qs": queue_qs, **data})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_a_decision_opens_the_next_report_already_claimed(as_monitor, monitor, database):
    start = utcnow() - timedelta(hours=3)
    async with database.transaction() as session:
        first, second = [await make_report(session, submitted_at=start + timedelta(minutes=i)) for i in range(2)]
    await as_monitor.post(f"/reports/{first.id}/claim",
                          data={"csrf_token": csrf_of((await as_monitor.get(_here(first.id))).text)})

    page = (await as_monitor.get(_here(first.id))).text
    # Visible and ticked by default in each decision form (it works without JS).
    assert page.count('name="claim_next" value="1" checked') == 4

    went = await _decide(as_monitor, first.id, "verify", {"grade": "fair", "incident": "new", "claim_next": "1"})
    assert went == _here(second.id)
    async with database.transaction() as session:
        claimed = await session.get(Report, second.id)
        assert (claimed.status, claimed.claimed_by_id) == ("in_review", monitor.id)
    shown = (await as_monitor.get(went)).text
    assert f"You have claimed the next report of your queue, {second.ref_code}." in shown
    assert 'id="verify-form"' in shown  # decided on at once: no Claim click
    assert 'id="claim-form"' not in shown


async def test_a_report_another_monitor_holds_is_skipped_never_taken(as_monitor, monitor, database):
    start = utcnow() - timedelta(hours=3)
    async with database.transaction() as session:
        other = await make_user(session)
        first, held, waiting, free = [await make_report(session, submitted_at=start + timedelta(minutes=i))
                                      for i in range(4)]
        await review.claim(session, await session.get(Report, held.id), user=other)
        (await session.get(Report, waiting.id)).status = "needs_info"  # waits for its reporter
    await as_monitor.post(f"/reports/{first.id}/claim",
                          data={"csrf_token": csrf_of((await as_monitor.get(_here(first.id))).text)})

    went = await _decide(as_monitor, first.id, "reject", {"reason": "spam", "claim_next": "1"})
    assert went == _here(free.id)
    async with database.transaction() as session:
        assert (await session.get(Report, held.id)).claimed_by_id == other.id
        assert (await session.get(Report, waiting.id)).status == "needs_info"
        assert (await session.get(Report, free.id)).claimed_by_id == monitor.id


async def test_without_the_box_the_next_report_opens_unclaimed(as_monitor, database):
    start = utcnow() - timedelta(hours=3)
    async with database.transaction() as session:
        first, second = [await make_report(session, submitted_at=start + timedelta(minutes=i)) for i in range(2)]
    await as_monitor.post(f"/reports/{first.id}/claim",
                          data={"csrf_token": csrf_of((await as_monitor.get(_here(first.id))).text)})
    assert await _decide(as_monitor, first.id, "reject", {"reason": "spam"}) == _here(second.id)
    async with database.transaction() as session:
        assert (await session.get(Report, second.id)).claimed_by_id is None


async def test_the_last_report_goes_back_to_the_queue_saying_none_is_left(as_monitor, database):
    async with database.transaction() as session:
        only = await make_report(session)
    await as_monitor.post(f"/reports/{only.id}/claim",
                          data={"csrf_token": csrf_of((await as_monitor.get(_here(only.id))).text)})
    went = await _decide(as_monitor, only.id, "reject", {"reason": "spam", "claim_next": "1"})
    assert went == f"/?{QS}"
    assert "No report left to claim in this queue." in (await as_monitor.get(went)).text
