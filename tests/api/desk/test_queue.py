"""The queue over HTTP: counts, filters, search, sorts, keyset pages, claims."""

import re
from datetime import date, timedelta

from harmwatch.database import utcnow
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report, make_reporter, make_user

REF = re.compile(r'class="ref" dir="ltr">(HW-[0-9A-Z-]+)<')


def refs(html: str) -> list[str]:
    return REF.findall(html)


async def test_counts_by_state_and_default_view(as_monitor, database):
    async with database.transaction() as session:
        fresh = [await make_report(session) for _ in range(3)]
        done = await make_report(session, status="verified", grade="fair")
    page = await as_monitor.get("/")
    assert sorted(refs(page.text)) == sorted(r.ref_code for r in fresh)
    assert re.search(r'data-status="submitted">\s*Submitted <span class="count">3</span>', page.text)
    assert re.search(r'data-status="verified">\s*Verified <span class="count">1</span>', page.text)
    verified = await as_monitor.get("/?status=verified")
    assert refs(verified.text) == [done.ref_code]


async def test_filters_narrow_the_queue(as_monitor, database, settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        target = await make_report(session, report_type="access", form_id="access", event_type=None,
                                   access_constraint="movement_restriction", adm1_pcode="SY07", adm2_pcode="SY0700",
                                   lang="ar", has_media=True, reporter=reporter, occurred_on=date(2026, 10, 1))
        await make_report(session, lang="ar")
        await make_report(session, report_type="access", form_id="access", event_type=None,
                          access_constraint="denial_of_needs")
    for query in ("type=access&category=movement_restriction", "adm1=SY07", "adm2=SY0700", "lang=ar&media=yes",
                  f"reporter={reporter.pseudonym}", "from=2026-09-30&to=2026-10-02"):
        assert refs((await as_monitor.get(f"/?{query}")).text) == [target.ref_code], query


async def test_text_search_in_answers_any_script(as_monitor, database):
    async with database.transaction() as session:
        arabic = await make_report(session, answers={"description": "قصف قرب السوق صباحاً"})
        english = await make_report(session, answers={"description": "A convoy was stopped at the bridge"})
    assert refs((await as_monitor.get("/?q=السوق")).text) == [arabic.ref_code]
    assert refs((await as_monitor.get("/?q=CONVOY")).text) == [english.ref_code]
    assert refs((await as_monitor.get(f"/?q={english.ref_code}")).text) == [english.ref_code]
    assert refs((await as_monitor.get("/?q=100%25")).text) == []  # LIKE wildcards are literal


async def test_keyset_pages_neither_skip_nor_repeat(as_monitor, database):
    base = utcnow() - timedelta(days=1)
    async with database.transaction() as session:
        made = [await make_report(session, submitted_at=base + timedelta(minutes=i % 7)) for i in range(120)]
    seen, url = [], "/?sort=oldest"
    while url:
        page = await as_monitor.get(url)
        seen += refs(page.text)
        found = re.search(r'href="(/\?[^"]*after=[^"]+)" rel="next"', page.text)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == 120 and set(seen) == {r.ref_code for r in made}
    newest = refs((await as_monitor.get("/?sort=newest")).text)
    assert newest[0] in {r.ref_code for r in made if r.submitted_at == max(m.submitted_at for m in made)}


async def test_claim_from_the_queue_and_a_second_monitor_is_kept_off(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
        other = await make_user(session, name="omar")
        taken = await make_report(session)
        await review.claim(session, taken, user=other)
    response = await post(as_monitor, f"/reports/{report.id}/claim")
    assert response.headers["location"] == f"/reports/{report.id}"
    page = await as_monitor.get(f"/reports/{report.id}")
    assert "You are reviewing this report" in page.text and 'id="verify-form"' in page.text
    await post(as_monitor, f"/reports/{taken.id}/claim")
    page = await as_monitor.get(f"/reports/{taken.id}")
    assert "Another monitor is reviewing this report" in page.text and "omar" in page.text
    assert 'id="verify-form"' not in page.text
    queue = await as_monitor.get("/?status=in_review")
    assert "omar" in queue.text


async def test_release_puts_the_report_back(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
    await post(as_monitor, f"/reports/{report.id}/claim")
    response = await post(as_monitor, f"/reports/{report.id}/release")
    assert response.headers["location"] == "/"
    assert report.ref_code in (await as_monitor.get("/")).text


async def test_report_page_links_to_neighbours_in_the_queue(as_monitor, database):
    base = utcnow() - timedelta(hours=3)
    async with database.transaction() as session:
        a, b, c = [await make_report(session, submitted_at=base + timedelta(minutes=i)) for i in range(3)]
    page = await as_monitor.get(f"/reports/{b.id}?queue_qs=sort%3Dnewest")
    assert f'href="/reports/{a.id}?queue_qs=' in page.text and 'id="next-report"' in page.text
    assert f'href="/reports/{c.id}?queue_qs=' in page.text and 'id="previous-report"' in page.text
