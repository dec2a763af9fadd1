"""The desk in a real browser (Debian's Chromium through Playwright) against a real
`harmwatch serve` with the bot on its sandbox, on SQLite and PostgreSQL: a report sent
through the bot reaches the queue; log in with TOTP, claim, verify, merge, reject, ask the
reporter (who answers in the bot and hears the outcome), the Arabic desk right-to-left at
360 px, and the audit trail."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from bot.sandbox.client import SandboxClient
from harmwatch.accounts.models import Role
from harmwatch.audit.models import AuditEvent
from harmwatch.messaging.models import OutboxMessage
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import with_two_factor
from tests.bot.chatting import Chatter
from tests.conftest import one_database
from tests.factories import make_report, make_reporter, make_user
from tests.walks import report_harm_in_the_bot

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        await chromium.close()


async def seed_desk(database, settings):
    async with database.transaction() as session:
        admin = await make_user(session, name="ada", role=Role.ADMIN)
        secret = await with_two_factor(session, settings, admin)
        reporter = await make_reporter(session, settings, lang="ar")
        reports = {
            "first": await make_report(session, reporter=reporter, lat=36.20, lon=37.13,
                                       answers={"description": "قصف على السوق", "sources": ["witness"]}),
            "second": await make_report(session, reporter=reporter, lat=36.21, lon=37.14, killed_min=3, killed_max=6),
            "spam": await make_report(session, reporter=reporter, adm2_pcode="SY0700"),
            "unclear": await make_report(session, reporter=reporter, adm2_pcode="SY0701"),
        }
    return secret, {k: (r.id, r.ref_code) for k, r in reports.items()}


async def log_in(page, base: str, secret: str) -> None:
    await page.goto(f"{base}/login")
    await page.fill("input[name=name]", "ada")
    await page.fill("input[name=password]", "correct horse battery")
    await page.click("button[type=submit]")
    await page.wait_for_url("**/login/two-factor**")
    await page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"{base}/")


async def claim(page, base: str, report_id: int) -> None:
    await page.goto(f"{base}/reports/{report_id}")
    if await page.locator("#claim-form").count():  # not claimed yet by this monitor
        await page.click("#claim-form button")
    await page.wait_for_selector("#verify-form")


async def verify_new(page, base: str, report_id: int) -> int:
    await claim(page, base, report_id)
    await page.select_option("#verify-form select[name=grade]", "fair")
    await page.click("#verify-button")
    await page.wait_for_url("**/incidents/*")
    return int(page.url.rsplit("/", 1)[1])


async def test_review_round_trip_in_the_browser(browser, live_server, database, settings):
    secret, reports = await seed_desk(database, settings)
    page = await browser.new_page()
    await log_in(page, live_server, secret)

    # The queue: every report is there; the keyboard claims the selected one.
    queue_text = await page.inner_text("#queue-table")
    assert all(ref in queue_text for _, ref in reports.values())
    await page.goto(f"{live_server}/?sort=oldest")
    await page.keyboard.press("c")  # the first row is selected on load
    await page.wait_for_url("**/reports/*")
    assert "You are reviewing this report" in await page.inner_text("main")

    first_incident = await verify_new(page, live_server, reports["first"][0])
    second_incident = await verify_new(page, live_server, reports["second"][0])
    assert "Report verified." in await page.inner_text("main")

    # Merge the two duplicate reports' incidents into one.
    await page.goto(f"{live_server}/incidents/{first_incident}")
    await page.fill("#merge-form input[name=others]", str(second_incident))
    await page.click("#merge-form button")
    await page.click("#merge-confirm")  # the preview (tests/api/desk/test_browser_lifecycle.py)
    await page.wait_for_selector("text=Incidents merged.")
    listed = await page.inner_text("#incident-reports")
    assert reports["first"][1] in listed and reports["second"][1] in listed

    # Reject.
    await claim(page, live_server, reports["spam"][0])
    await page.select_option("#reject-form select[name=reason]", "spam")
    confirmations = []

    async def say_no(dialog):
        confirmations.append(dialog.message)
        await dialog.dismiss()
    page.once("dialog", say_no)
    await page.click("#reject-button")  # asked first; "no" changes nothing
    assert confirmations and confirmations[0].startswith(f"Reject {reports['spam'][1]}?")
    assert "Spam or abuse" in confirmations[0]
    async def say_yes(dialog):
        await dialog.accept()
    page.once("dialog", say_yes)
    await page.click("#reject-button")
    await page.wait_for_selector("text=Report rejected.")

    # Ask the reporter; their answer (as the bot will store it) shows in the thread.
    await claim(page, live_server, reports["unclear"][0])
    await page.fill("#ask-form textarea[name=question]", "Which street was it?")
    await page.click("#ask-button")
    await page.wait_for_selector("text=Your question was sent to the reporter.")
    async with database.transaction() as session:
        outbox = (await session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))).all()
        assert [(m.kind, m.params.get("status") or m.params.get("question")) for m in outbox] == [
            ("outcome", "verified"), ("outcome", "verified"), ("outcome", "rejected"),
            ("question", "Which street was it?")]
        unclear = await session.get(Report, reports["unclear"][0])
        await review.receive_answer(session, unclear, body="شارع السوق")
    await page.reload()
    assert "شارع السوق" in await page.inner_text("#thread")
    assert "In review" in await page.inner_text("#report-state")

    # The audit page shows each step, and the chain verifies.
    await page.goto(f"{live_server}/audit")
    audit = await page.inner_text("#audit-table")
    for action in ("login.succeeded", "report.claimed", "report.verified", "incident.merged", "report.rejected",
                   "report.question_sent", "report.answer_received"):
        assert action in audit, action
    await page.click("#verify-chain")
    await page.wait_for_selector("text=The audit chain is intact")
    async with database.transaction() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                    .where(AuditEvent.action == "audit.chain_verified")) == 1


@one_database  # a layout: the same pages on either database
async def test_arabic_desk_is_right_to_left_and_fits_360_px(browser, live_server, database, settings, database_url):
    secret, reports = await seed_desk(database, settings)
    page = await browser.new_page(viewport={"width": 360, "height": 780})
    await log_in(page, live_server, secret)
    await page.goto(f"{live_server}/account")
    await page.select_option("select[name=lang]", "ar")
    await page.click("form[action='/account/language'] button")
    await page.wait_for_url("**/account")
    assert await page.get_attribute("html", "dir") == "rtl"
    await page.goto(f"{live_server}/")
    assert await page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Nothing wider than the phone's screen.
    assert await page.evaluate("document.documentElement.scrollWidth") <= 361
    ARTIFACTS.mkdir(exist_ok=True)
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    await page.screenshot(path=str(ARTIFACTS / f"desk-queue-ar-360px-{kind}.png"), full_page=True)
    await page.goto(f"{live_server}/reports/{reports['first'][0]}")
    assert await page.evaluate("document.documentElement.scrollWidth") <= 361
    await page.screenshot(path=str(ARTIFACTS / f"desk-report-ar-360px-{kind}.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.goto(f"{live_server}/dashboard")
    assert await page.locator("svg.chart[direction=rtl]").count() == 7
    await page.screenshot(path=str(ARTIFACTS / f"desk-dashboard-ar-{kind}.png"), full_page=True)


async def submit_through_the_bot(chatter: Chatter) -> str:
    """An English harm report, sent in the sandbox the way a reporter would; its reference."""
    reply = await report_harm_in_the_bot(chatter)
    return re.search(r"HW-[0-9A-Z]{4}-[0-9A-Z]{4}", reply["text"]).group(0)


async def test_bot_report_reaches_the_desk_and_the_reporter_hears_back(browser, live_server, database, settings):
    secret, _ = await seed_desk(database, settings)
    async with SandboxClient(f"{live_server}/sandbox") as sandbox:
        chatter = await Chatter.create(sandbox, lang="en")
        ref = await submit_through_the_bot(chatter)
        page = await browser.new_page()
        await log_in(page, live_server, secret)
        await page.goto(f"{live_server}/?q={ref}")
        assert ref in await page.inner_text("#queue-table")
        await page.click(f"text={ref}")
        await page.wait_for_url("**/reports/*")
        answers = await page.inner_text("#answers")
        assert "Air or drone strike" in answers and "A night strike on the <b>market</b> street" in answers
        await page.click("#claim-form button")
        await page.wait_for_selector("#ask-form")
        report_page = page.url

        # A question goes out through the bot; the reporter's answer lands in the thread.
        await page.fill("#ask-form textarea[name=question]", "Which street exactly?")
        last = (await sandbox.bot_messages(chatter.chat))[-1]
        await page.click("#ask-button")
        question = await sandbox.wait_for_bot_message(chatter.chat, after=last["message_id"], timeout=20)
        assert ref in question["text"] and "Which street exactly?" in question["text"]
        # The reporter answers by replying to the question (a plain message would be asked about).
        sent = await chatter.client.send_text(chatter.user, "Baker street, by the mill", reply_to=question)
        await chatter.reply_after(sent["message"]["message_id"])
        # Asking moved the monitor on through the queue; the report keeps the answer.
        assert page.url != report_page
        await page.goto(report_page)
        assert "Baker street, by the mill" in await page.inner_text("#thread")
        assert "In review" in await page.inner_text("#report-state")

        # Verify into a new incident; the reporter hears the outcome in the bot.
        if await page.locator("#claim-form").count():
            await page.click("#claim-form button")
        await page.select_option("#verify-form select[name=grade]", "weak")
        last = (await sandbox.bot_messages(chatter.chat))[-1]
        await page.click("#verify-button")
        await page.wait_for_selector("text=Report verified.")  # and on to the rest of the queue
        outcome = await sandbox.wait_for_bot_message(chatter.chat, after=last["message_id"], timeout=20)
        assert ref in outcome["text"]
