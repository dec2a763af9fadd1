"""The report page as a monitor sees it on a laptop and a phone, in Chromium: the answers get
the room (long question labels wrap instead of squeezing them), and the keyboard help is a
named dialog that Escape closes and that can turn the single-key shortcuts off (WCAG 2.1.4)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from harmwatch.accounts.models import Role
from tests.conftest import one_database
from tests.factories import make_report, make_user

# What the browser shows and does: the queries behind it run on both databases in the
# service and route tests.
pytestmark = one_database

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ANSWERS = {
    "description": "Two shells hit the market at about nine in the morning; the bakery queue was hit.",
    "sources": ["witness", "medical_staff"],
    "objects_hit": ["market", "bakery"],
    "attribution": "Unknown",
}


async def log_in_monitor(page, base: str) -> None:
    await page.goto(f"{base}/login")
    await page.fill("input[name=name]", "mona")
    await page.fill("input[name=password]", "correct horse battery")
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/")


async def test_answers_have_room_on_a_laptop_and_a_phone(chromium, live_server, database):
    async with database.transaction() as session:
        await make_user(session, name="mona", role=Role.MONITOR)
        report = await make_report(session, answers=ANSWERS)
    ARTIFACTS.mkdir(exist_ok=True)
    for width, least in ((1366, 400), (1920, 500), (390, 250)):
        page = await chromium.new_page(viewport={"width": width, "height": 900})
        await log_in_monitor(page, live_server)
        await page.goto(f"{live_server}/reports/{report.id}")
        widths = await page.eval_on_selector_all("main dl dd", "all => all.map(d => d.getBoundingClientRect().width)")
        assert widths and min(widths) >= least, (width, widths)
        await page.screenshot(path=str(ARTIFACTS / f"report-{width}.png"), full_page=True)
        await page.close()


async def test_keyboard_help_is_a_named_dialog_that_escape_closes_and_can_turn_keys_off(chromium, live_server,
                                                                                     database):
    async with database.transaction() as session:
        await make_user(session, name="mona", role=Role.MONITOR)
        report = await make_report(session, answers=ANSWERS)
        await make_report(session, answers=ANSWERS)
    page = await chromium.new_page()
    await log_in_monitor(page, live_server)
    await page.goto(f"{live_server}/reports/{report.id}")

    await page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert "v: verify" in await dialog.inner_text()  # the report page's keys, not the queue's
    await page.keyboard.press("Escape")
    assert await page.locator("#shortcuts-help").count() == 0

    # On the queue, j moves the selection at once (no navigation): a fair probe of the switch.
    await page.goto(f"{live_server}/")
    selected = "() => [...document.querySelectorAll('#queue-table tbody tr')].findIndex(r => r.classList.contains('selected'))"
    assert await page.evaluate(selected) == 0
    await page.keyboard.press("?")
    await page.click("#shortcuts-toggle")
    assert "Single-key shortcuts are off." in await page.get_by_role("dialog").inner_text()
    await page.keyboard.press("Escape")
    await page.keyboard.press("j")
    assert await page.evaluate(selected) == 0

    await page.reload()  # the choice is kept in this browser
    await page.keyboard.press("j")
    assert await page.evaluate(selected) == 0

    await page.keyboard.press("?")
    await page.click("#shortcuts-toggle")  # on again
    await page.keyboard.press("Escape")
    await page.keyboard.press("j")
    assert await page.evaluate(selected) == 1


async def test_a_dismissed_confirmation_changes_nothing(chromium, live_server, database):
    async with database.transaction() as session:
        await make_user(session, name="mona", role=Role.MONITOR)
        report = await make_report(session, answers=ANSWERS)
    page = await chromium.new_page()
    await log_in_monitor(page, live_server)
    await page.goto(f"{live_server}/reports/{report.id}")
    await page.click("#claim-form button")
    await page.wait_for_selector("#reject-form")
    await page.select_option("#reject-form select[name=reason]", "spam")
    asked = []

    async def say_no(dialog):
        asked.append(dialog.message)
        await dialog.dismiss()
    page.once("dialog", say_no)
    await page.click("#reject-button")
    await page.reload()  # a dismissed confirmation sends nothing
    assert asked == [f"Reject {report.ref_code}? The reporter is told that it will not be published.\n\nSpam or abuse"]
    assert await page.inner_text("#report-state") == "In review"


async def test_a_claim_about_to_end_warns_and_renews_without_losing_what_was_typed(chromium, live_server, database):
    import sqlalchemy as sa

    from harmwatch.database import utcnow
    from harmwatch.reports.models import Report

    async with database.transaction() as session:
        monitor = await make_user(session, name="mona", role=Role.MONITOR)
        report = await make_report(session, answers=ANSWERS)
    page = await chromium.new_page()
    await log_in_monitor(page, live_server)
    await page.goto(f"{live_server}/reports/{report.id}")
    await page.click("#claim-form button")
    await page.wait_for_selector("#claim-timer")
    async with database.transaction() as session:  # four minutes left
        await session.execute(sa.update(Report).where(Report.id == report.id)
                              .values(claimed_until=utcnow() + timedelta(minutes=4)))
    await page.reload()
    timer = page.locator("#claim-timer")
    assert "Your claim ends soon, at" in await timer.inner_text()

    await page.fill("#verify-form textarea[name=note]", "Two sources agree on the market.")
    await page.click("#renew-form button")
    await page.wait_for_selector("text=Claim renewed for 30 minutes.")
    assert await page.input_value("#verify-form textarea[name=note]") == "Two sources agree on the market."
    async with database.transaction() as session:
        renewed = await session.get(Report, report.id)
        assert renewed.claimed_by_id == monitor.id
        assert renewed.claimed_until.replace(tzinfo=None) > (utcnow() + timedelta(minutes=25)).replace(tzinfo=None)
