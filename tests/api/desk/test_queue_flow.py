"""Working through a filtered queue: claiming keeps the queue's context, and each decision
opens the next report of the same queue, until the queue is done."""

from __future__ import annotations

import html as markup
import re
from datetime import timedelta
from urllib.parse import quote

from harmwatch.database import utcnow
from tests.api.desk.conftest import csrf_of
from tests.factories import make_report

QS = "status=submitted&type=harm&sort=oldest"


async def _submit(client, path: str, page: str, data: dict) -> str:
    html = (await client.get(page)).text
    queue_qs = re.search(r'name="queue_qs" value="([^"]*)"', html)
    assert queue_qs, f"no queue context in the forms of {page}"
    response = await client.post(path, data={"csrf_token": csrf_of(html), "queue_qs": markup.unescape(queue_qs.group(1)), **data})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_each_decision_opens_the_next_report_of_the_filtered_queue(as_monitor, database):
    start = utcnow() - timedelta(hours=3)
    async with database.transaction() as session:
        first, second, third = [await make_report(session, submitted_at=start + timedelta(minutes=i))
                                for i in range(3)]
        await make_report(session, report_type="access", event_type=None, access_constraint="movement_restriction",
                          submitted_at=start + timedelta(minutes=1, seconds=30))  # filtered out by type
    here = f"/reports/{first.id}?queue_qs={quote(QS, safe='')}"

    # Claiming keeps the context: the report page still knows its neighbours.
    assert await _submit(as_monitor, f"/reports/{first.id}/claim", here, {}) == here
    assert f'href="/reports/{second.id}?queue_qs=' in (await as_monitor.get(here)).text

    # Verify: on to the second report (not the incident page); reject: on to the third.
    went = await _submit(as_monitor, f"/reports/{first.id}/verify", here, {"grade": "fair", "incident": "new"})
    assert went == f"/reports/{second.id}?queue_qs={quote(QS, safe='')}"
    await _submit(as_monitor, f"/reports/{second.id}/claim", went, {})
    went = await _submit(as_monitor, f"/reports/{second.id}/reject", went, {"reason": "spam"})
    assert went == f"/reports/{third.id}?queue_qs={quote(QS, safe='')}"
    assert "Report rejected." in (await as_monitor.get(went)).text

    # The last one: back to the same filtered queue.
    await _submit(as_monitor, f"/reports/{third.id}/claim", went, {})
    assert await _submit(as_monitor, f"/reports/{third.id}/reject", went, {"reason": "spam"}) == f"/?{QS}"


async def test_a_failed_decision_stays_on_the_report_with_its_context(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
    here = f"/reports/{report.id}?queue_qs={quote(QS, safe='')}"
    await _submit(as_monitor, f"/reports/{report.id}/claim", here, {})
    assert await _submit(as_monitor, f"/reports/{report.id}/reject", here, {"reason": "nonsense"}) == here


async def test_claim_from_the_queue_keeps_its_filters(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
    went = await _submit(as_monitor, f"/reports/{report.id}/claim", f"/?{QS}", {})
    assert went == f"/reports/{report.id}?queue_qs={quote(QS, safe='')}"
    assert await _submit(as_monitor, f"/reports/{report.id}/release", went, {}) == f"/?{QS}"


async def test_a_report_opened_on_its_own_still_lands_on_its_incident(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert 'name="queue_qs"' not in page
    token = csrf_of(page)
    await as_monitor.post(f"/reports/{report.id}/claim", data={"csrf_token": token})
    response = await as_monitor.post(f"/reports/{report.id}/verify",
                                     data={"csrf_token": token, "grade": "fair", "incident": "new"})
    assert response.headers["location"].startswith("/incidents/")


async def test_queue_rows_show_casualties_waiting_time_and_the_reporters_record(as_monitor, database, settings):
    from tests.factories import make_reporter

    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        await make_report(session, reporter=reporter, status="verified")
        await make_report(session, reporter=reporter, status="rejected")
        await make_report(session, reporter=reporter, killed_min=3, killed_max=5, injured_min=None, injured_max=None,
                          submitted_at=utcnow() - timedelta(hours=3))
    page = (await as_monitor.get("/")).text
    assert "3 to 5 / <span class=\"unknown\">unknown</span>" in page.replace("\n", "")
    assert ">3 hours</time>" in page
    assert "3 sent · 1 verified · 1 rejected" in page


async def test_sort_by_casualties_pages_without_skipping(as_monitor, database):
    async with database.transaction() as session:
        made = [await make_report(session, killed_min=k, killed_max=k, injured_min=i, injured_max=i)
                for k, i in ((0, 9), (7, 0), (7, 2), (None, None), (120000 // 1000, 1), (2, 2))]
        for _ in range(55):
            made.append(await make_report(session, killed_min=1, killed_max=1))
    seen, url = [], "/?sort=casualties"
    while url:
        html = (await as_monitor.get(url)).text
        seen += re.findall(r'class="ref" dir="ltr">(HW-[A-Z0-9-]+)<', html)
        following = re.search(r'href="(/\?[^"]*after=[^"]+)" rel="next"', html)
        url = markup.unescape(following.group(1)) if following else None
    by_ref = {r.ref_code: r for r in made}
    assert sorted(seen) == sorted(by_ref)  # each once
    killed = [by_ref[ref].killed_max for ref in seen]
    assert killed[:3] == [120, 7, 7] and by_ref[seen[1]].injured_max == 2  # then the most injured
    assert killed[-1] is None  # unknown last, never counted as zero
