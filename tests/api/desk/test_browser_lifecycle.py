"""The lifecycle in a real browser (Debian's Chromium): merge through the preview, with the
differences marked, then confirm; the merged incident's page leads to the survivor; a decided
report is reopened with a reason. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from tests.api.desk.test_browser import ARTIFACTS, CHROMIUM, browser, log_in, seed_desk, verify_new
from tests.conftest import one_database

assert browser  # the fixture, imported for these tests
# What the browser shows and does: the queries behind it run on both databases in the
# service and route tests.
pytestmark = [one_database,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")]


async def test_merge_preview_confirm_and_reopen_in_the_browser(browser, live_server, database, settings,
                                                              database_url):
    secret, reports = await seed_desk(database, settings)
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    page = await browser.new_page(viewport={"width": 1100, "height": 900})
    await log_in(page, live_server, secret)
    survivor = await verify_new(page, live_server, reports["first"][0])  # killed 2–4
    merged = await verify_new(page, live_server, reports["second"][0])  # killed 3–6

    await page.goto(f"{live_server}/incidents/{survivor}")
    await page.fill("#merge-form input[name=others]", str(merged))
    await page.click("#merge-form button")
    await page.wait_for_selector("#merge-confirm")
    differing = await page.eval_on_selector_all("#merge-table tr.differs", "rows => rows.map(r => r.dataset.field)")
    assert {"killed_min", "killed_max"} <= set(differing) and "occurred_on" not in differing
    assert "values differ between these incidents" in await page.inner_text("#merge-differences")
    async with database.transaction() as session:
        assert (await session.get(Incident, merged)).state == "unpublished"  # nothing happened yet
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"desk-merge-preview-{kind}.png"), full_page=True)
    await page.click("#merge-confirm")
    await page.wait_for_selector("text=Incidents merged.")

    await page.goto(f"{live_server}/incidents/{merged}")
    assert page.url == f"{live_server}/incidents/{survivor}"
    assert f"Incident #{merged} was merged into this one." in await page.inner_text("main")

    await page.goto(f"{live_server}/reports/{reports['first'][0]}")
    assert await page.locator("#claim-form").count() == 0
    await page.fill("#reopen-form textarea[name=reason]", "The photo shows another street.")
    await page.click("#reopen-button")
    await page.wait_for_selector("text=The decision is reopened")
    assert "In review" in await page.inner_text("#report-state")
    await page.screenshot(path=str(ARTIFACTS / f"desk-reopened-{kind}.png"), full_page=True)
    async with database.transaction() as session:
        reopened = await session.get(Report, reports["first"][0])
        assert (reopened.status, reopened.incident_id) == ("in_review", None)
        kept = (await session.scalars(sa.select(Report.incident_id).where(Report.id == reports["second"][0]))).one()
        assert kept == survivor and (await session.get(Incident, survivor)).state == "unpublished"
