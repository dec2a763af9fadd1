"""axe-core (installed from npm, see package.json) finds no serious or critical violation on any
desk page, in English and in Arabic (right-to-left), nor on the bot sandbox's web chat: Debian's
Chromium against the real app with its bot."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pyotp
import pytest

from harmwatch.accounts.models import Role
from tests.api.desk.conftest import PASSWORD, with_two_factor
from tests.conftest import one_database
from tests.factories import make_report, make_reporter, make_user

# What the browser shows and does: the queries behind it run on both databases in the
# service and route tests.
pytestmark = one_database

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def axe_script() -> Path:
    if not AXE.exists():
        message = f"{AXE} is missing: run `npm install --no-audit --no-fund` (or `make test`)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE


async def blocking_violations(page, axe_script: Path) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(path=str(axe_script))
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} nodes): {targets}")
    return found


async def seed(database, settings):
    async with database.transaction() as session:
        admin = await make_user(session, name="ada", role=Role.ADMIN)
        secret = await with_two_factor(session, settings, admin)
        monitor = await make_user(session, name="mona", role=Role.MONITOR)
        ngo = await make_user(session, name="nora", role=Role.NGO)
        reporter = await make_reporter(session, settings, lang="ar")
        first = await make_report(session, reporter=reporter, lat=36.20, lon=37.13,
                                  answers={"description": "قصف على السوق", "sources": ["witness"]})
        near = await make_report(session, reporter=reporter, lat=36.21, lon=37.14, killed_min=3, killed_max=6)
        other_kind = await make_report(session, reporter=reporter, event_type="abduction_forced_disappearance",
                                       lat=36.205, lon=37.135)
        elsewhere = await make_report(session, reporter=reporter, adm2_pcode="SY0700")
    return secret, monitor.id, ngo.id, first.id, near.id, other_kind.id, elsewhere.id


async def verify_into_incident(page, report_url: str) -> int:
    """Claim the report and verify it (grade fair): the incident it makes, by id."""
    await page.goto(report_url)
    await page.click("#claim-form button")
    await page.wait_for_selector("#verify-form")
    await page.select_option("#verify-form select[name=grade]", "fair")
    await page.click("#verify-button")
    await page.wait_for_url("**/incidents/*")
    return int(page.url.rsplit("/", 1)[1])


async def test_no_serious_or_critical_violation_on_any_desk_page(chromium, live_server, database, settings,
                                                                   axe_script):
    secret, monitor_id, ngo_id, first, near, other_kind, elsewhere = await seed(database, settings)
    context = await chromium.new_context(bypass_csp=True)  # the desk's CSP would refuse the injected script
    page = await context.new_page()
    checked: dict[str, list[str]] = {}

    async def check(name: str, path: str | None = None) -> None:
        if path is not None:
            response = await page.goto(f"{live_server}{path}")
            assert response.ok or name.startswith("error"), f"{name}: {path} answered {response.status}"
        checked[name] = await blocking_violations(page, axe_script)

    await check("log-in", "/login")
    await page.fill("input[name=name]", "ada")
    await page.fill("input[name=password]", "not the password")
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    assert "/two-factor" not in page.url
    await check("log-in refused")
    await page.fill("input[name=name]", "ada")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/login/two-factor**")
    await check("log-in two-factor")
    await page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"{live_server}/")

    await check("queue")
    assert await page.locator("#queue-table tbody tr").count() == 4
    await page.keyboard.press("?")  # the keyboard help
    await page.wait_for_selector("#shortcuts-help")
    await check("queue with the keyboard help open")
    await page.keyboard.press("Escape")
    await page.goto(f"{live_server}/?sort=oldest")
    await page.locator("details:has(#save-view)").evaluate("details => { details.open = true; }")
    await page.fill("#save-view input[name=name]", "Oldest first")
    await page.click("#save-view button[type=submit]")
    await page.wait_for_load_state()
    await page.goto(f"{live_server}/?sort=oldest&type=harm")
    await page.locator("details:has(#save-view)").evaluate("details => { details.open = true; }")
    await page.fill("#save-view input[name=name]", "Harm, oldest first")
    await page.click("#save-view button[type=submit]")
    await page.wait_for_load_state()
    await page.goto(f"{live_server}/?sort=oldest")  # one saved view is the current one, one is not
    assert await page.locator("#saved-views a").count() == 2
    await check("queue with a saved view")
    await page.check(f"input[name=ids][value='{elsewhere}']")
    await page.select_option("#bulk-form select[name=action]", "reject_spam")
    await page.click("#bulk-form button[type=submit]")
    await page.wait_for_load_state()
    assert await page.locator("#bulk-summary").count() == 1
    await check("bulk confirmation")

    # A verified report makes an incident; the next report then has it among its duplicates.
    incident = await verify_into_incident(page, f"{live_server}/reports/{near}")
    await check("incident")

    await page.goto(f"{live_server}/reports/{first}")
    await page.click("#claim-form button")
    await page.wait_for_selector("#verify-form")
    assert await page.locator(".duplicates").count() == 1
    await check("report (claimed, decision forms, duplicates)")
    await check("report (not claimed)", f"/reports/{other_kind}")
    other_incident = await verify_into_incident(page, f"{live_server}/reports/{other_kind}")
    await check("merge preview", f"/incidents/{incident}/merge?others={other_incident}")
    await check("incidents", "/incidents")
    await check("dashboard", "/dashboard")
    await check("audit", "/audit")
    await check("notices", "/notices")
    await check("account", "/account")
    await check("admin accounts", "/admin/users")
    await check("admin account", f"/admin/users/{monitor_id}")
    await page.goto(f"{live_server}/admin/users/{ngo_id}")
    await page.fill("input[name=label]", "Partner feed")
    await page.click("form[action$='/tokens'] button[type=submit]")
    await page.wait_for_load_state()
    assert await page.locator("#new-token").count() == 1
    await check("token created")
    await check("admin account with tokens", f"/admin/users/{ngo_id}")
    await check("error (not found)", "/reports/999999")

    # The same desk in Arabic, right to left.
    await page.goto(f"{live_server}/account")
    await page.select_option("select[name=lang]", "ar")
    await page.click("form[action='/account/language'] button")
    await page.wait_for_url("**/account")
    assert await page.get_attribute("html", "dir") == "rtl"
    await check("queue (ar)", "/")
    await check("report (ar, claimed)", f"/reports/{first}")
    await check("incident (ar)", f"/incidents/{incident}")
    await check("dashboard (ar)", "/dashboard")

    # The bot sandbox's web chat, with a user and a conversation.
    from playwright.async_api import expect

    await page.goto(f"{live_server}/sandbox/")
    await check("bot sandbox web chat (no user)")
    await page.get_by_test_id("new-user-name").fill("Amal")
    await page.get_by_test_id("new-user-lang").select_option("en")
    await page.get_by_test_id("create-user").click()
    await expect(page.get_by_test_id("user-select")).to_contain_text("Amal", timeout=15000)
    await page.get_by_test_id("composer-input").fill("/start")
    await page.get_by_test_id("send-button").click()
    await expect(page.locator('[data-testid="message"][data-from="bot"]').last).to_contain_text(
        "What do you want to report?", timeout=15000)
    await check("bot sandbox web chat (a conversation)")
    await context.close()

    assert len(checked) == 27
    failures = {name: found for name, found in checked.items() if found}
    assert not failures, "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in failures.items())
