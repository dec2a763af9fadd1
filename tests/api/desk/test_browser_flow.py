"""Working through a filtered queue in Chromium, keyboard only and without JavaScript: each
decision opens the next report already claimed ("then claim the next report", ticked); the
keys to submit, mark a duplicate and go to the next report, and the incident page's keys, all
listed by `?`, the single-key ones turned off by its switch."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from harmwatch.accounts.models import Role, User
from harmwatch.database import utcnow
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.conftest import one_database
from tests.factories import make_report, make_user

# What the browser shows and does: the queries behind it run on both databases in the
# service and route tests.
pytestmark = one_database

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
QUEUE = "/?status=submitted&type=harm&sort=oldest"


async def log_in_monitor(page, base: str) -> None:
    await page.goto(f"{base}/login")
    await page.fill("input[name=name]", "mona")
    await page.fill("input[name=password]", "correct horse battery")
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/")


async def _queue(database, n: int) -> list[tuple[int, str]]:
    start = utcnow() - timedelta(hours=5)
    async with database.transaction() as session:
        await make_user(session, name="mona", role=Role.MONITOR)
        reports = [await make_report(session, submitted_at=start + timedelta(minutes=i),
                                     answers={"description": f"Report number {i}."}) for i in range(n)]
        await make_report(session, report_type="access", event_type=None, access_constraint="movement_restriction",
                          submitted_at=start + timedelta(minutes=1, seconds=30))  # not in the filtered queue
    return [(r.id, r.ref_code) for r in reports]


async def _landed(page, ref: str) -> None:
    await page.wait_for_selector("#verify-form")
    assert await page.inner_text("h1") == ref
    assert f"You have claimed the next report of your queue, {ref}." in await page.inner_text("main")


async def test_keyboard_only_through_the_queue_each_report_opens_claimed(chromium, live_server, database):
    reports = await _queue(database, 4)
    page = await chromium.new_page(viewport={"width": 1366, "height": 900})
    await log_in_monitor(page, live_server)
    loads = []
    page.on("load", lambda *_: loads.append(page.url))
    async def accept(dialog):
        await dialog.accept()
    page.on("dialog", accept)
    await page.goto(live_server + QUEUE)

    async with page.expect_navigation():
        await page.keyboard.press("c")  # claims the selected (first) row and opens it
    await page.wait_for_selector("#verify-form")
    assert await page.inner_text("h1") == reports[0][1]

    await page.keyboard.press("v")  # the grade, chosen by its first letter; Ctrl+Enter sends the form
    await page.keyboard.press("f")
    async with page.expect_navigation():
        await page.keyboard.press("Control+Enter")
    await _landed(page, reports[1][1])

    await page.keyboard.press("r")
    await page.keyboard.press("s")  # "Spam or abuse"
    async with page.expect_navigation():
        await page.keyboard.press("Control+Enter")  # through the confirmation, accepted
    await _landed(page, reports[2][1])

    await page.keyboard.press("d")  # mark as a duplicate of the first report, by its reference
    await page.keyboard.type(reports[0][1])
    async with page.expect_navigation():
        await page.keyboard.press("Control+Enter")
    await _landed(page, reports[3][1])
    await page.locator("section.decide").screenshot(path=str(ARTIFACTS / "claimed-next-decide-1366.png"))
    await page.screenshot(path=str(ARTIFACTS / "claimed-next-1366.png"))

    assert len(loads) == 5  # the queue, then one page per report
    async with database.transaction() as session:
        mona = await session.scalar(sa.select(User.id).where(User.name == "mona"))
        states = [(await session.get(Report, i)).status for i, _ in reports]
        assert states == ["verified", "rejected", "rejected", "in_review"]
        assert (await session.get(Report, reports[3][0])).claimed_by_id == mona


async def test_without_javascript_a_decision_still_opens_the_next_report_claimed(chromium, live_server, database):
    reports = await _queue(database, 2)
    context = await chromium.new_context(java_script_enabled=False)
    page = await context.new_page()
    await log_in_monitor(page, live_server)
    await page.goto(live_server + QUEUE)
    await page.click("#queue-table tbody tr:first-child form.claim button")
    await page.select_option("#reject-form select[name=reason]", "spam")
    assert await page.is_checked("#reject-form input[name=claim_next]")
    await page.click("#reject-button")
    await page.wait_for_selector("#verify-form")
    assert await page.inner_text("h1") == reports[1][1]
    async with database.transaction() as session:
        assert (await session.get(Report, reports[1][0])).status == "in_review"
    await context.close()


async def test_the_keys_respect_the_switch_and_the_incident_page_has_its_own(chromium, live_server, database):
    reports = await _queue(database, 2)
    async with database.transaction() as session:
        mona = await session.scalar(sa.select(User).where(User.name == "mona"))
        report = await session.get(Report, reports[0][0])
        await review.claim(session, report, user=mona)
        incident = await review.verify(session, report, user=mona, grade="fair")
    page = await chromium.new_page(viewport={"width": 1366, "height": 900})
    await log_in_monitor(page, live_server)

    await page.goto(f"{live_server}/incidents/{incident.id}")
    await page.keyboard.press("?")
    help_text = await page.get_by_role("dialog", name="Keyboard shortcuts").inner_text()
    assert "e: edit the incident" in help_text and "m: merge" in help_text
    await page.keyboard.press("Escape")
    await page.keyboard.press("e")
    assert await page.evaluate("document.activeElement.closest('form')?.id") == "incident-form"
    await page.keyboard.press("Escape")
    await page.evaluate("document.activeElement.blur()")
    await page.keyboard.press("m")
    assert await page.evaluate("document.activeElement.name") == "others"

    await page.goto(f"{live_server}/reports/{reports[1][0]}")
    async with page.expect_navigation():  # to the page's load: its keys are listening by then
        await page.click("#claim-form button")
    await page.wait_for_selector("#duplicate-form")
    await page.keyboard.press("?")
    help_text = await page.get_by_role("dialog", name="Keyboard shortcuts").inner_text()
    assert "d: mark as duplicate" in help_text and "Ctrl+Enter" in help_text
    await page.click("#shortcuts-toggle")  # single-key shortcuts off
    await page.keyboard.press("Escape")
    await page.evaluate("document.activeElement.blur()")
    await page.keyboard.press("d")
    assert await page.evaluate("document.activeElement.name || ''") != "duplicate_of"

    await page.goto(f"{live_server}/incidents/{incident.id}")
    await page.keyboard.press("e")
    assert await page.evaluate("document.activeElement.closest('form')?.id || ''") != "incident-form"
    # Ctrl+Enter has a modifier: kept when the single keys are off.
    await page.fill("textarea[name=summary_public]", "Saved from the keyboard")
    async with page.expect_navigation():
        await page.keyboard.press("Control+Enter")
    assert await page.input_value("textarea[name=summary_public]") == "Saved from the keyboard"


async def test_incident_codes_beside_the_claims_and_the_list_filters_in_the_browser(chromium, live_server,
                                                                                    database):
    async with database.transaction() as session:
        mona = await make_user(session, name="mona", role=Role.MONITOR)
        report = await make_report(session, answers={"weapon": "artillery_shell", "objects_hit": ["market"],
                                                     "attribution": "The ones on the hill"})
        await review.claim(session, report, user=mona)
        incident = await review.verify(session, report, user=mona, grade="fair")
        other = await make_report(session, adm1_pcode="SY07", adm2_pcode="SY0700")
        await review.claim(session, other, user=mona)
        elsewhere = await review.verify(session, other, user=mona, grade="weak")
    page = await chromium.new_page(viewport={"width": 1366, "height": 900})
    await log_in_monitor(page, live_server)
    await page.goto(f"{live_server}/incidents/{incident.id}")
    await page.check("#assessed-weapon input[value=mortar]")
    await page.uncheck("#assessed-weapon input[value=artillery_shell]")
    await page.check("#assessed-objects_hit input[value=school]")
    await page.select_option("select[name=perpetrator]", "unknown")
    await page.locator("#assessed-codes").screenshot(path=str(ARTIFACTS / "incident-codes-1366.png"))
    await page.click("#save-incident")
    await page.wait_for_selector("text=Incident saved")
    assert await page.is_checked("#assessed-weapon input[value=mortar]")
    assert "Artillery shell" in await page.inner_text("#claims-weapon")

    await page.goto(f"{live_server}/incidents")
    await page.select_option("#incident-place", "SY0700")
    await page.select_option("#incident-filters select[name=grade]", "weak")
    async with page.expect_navigation():
        await page.click("#incident-filters button[type=submit]")
    rows = await page.locator("#incidents-table tbody tr").all_inner_texts()
    assert len(rows) == 1 and f"#{elsewhere.id}" in rows[0]
    await page.screenshot(path=str(ARTIFACTS / "incident-list-1366.png"))
