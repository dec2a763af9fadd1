"""Small things a monitor meets every day in the desk: the tab icon, finding a report by a
piece of its reference, account forms that keep what was typed, readable role names, and a
decided report that says so."""

from __future__ import annotations

from datetime import date

from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report


async def test_every_page_has_a_tab_icon_that_exists(as_monitor):
    page = (await as_monitor.get("/")).text
    assert '<link rel="icon" href="/desk/static/favicon.svg"' in page
    icon = await as_monitor.get("/desk/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")


async def test_any_part_of_a_reference_code_finds_the_report(as_monitor, database):
    async with database.transaction() as session:
        wanted = await make_report(session, ref_code="HW-7KQ2-TNC9")
        await make_report(session, ref_code="HW-AB12-CD34")
    for fragment in ("TNC9", "tnc9", "7KQ2-T", "HW-7KQ2-TNC9"):
        page = (await as_monitor.get("/", params={"q": fragment})).text
        assert wanted.ref_code in page and "HW-AB12-CD34" not in page, fragment
    assert "HW-7KQ2-TNC9" not in (await as_monitor.get("/", params={"q": "TNC_"})).text  # no wildcards


async def test_a_failed_account_creation_keeps_the_name_and_role(as_admin):
    response = await post(as_admin, "/admin/users", {"name": "yasmin", "role": "monitor", "password": "short"})
    assert response.status_code == 422
    assert "too short" in response.text
    assert 'name="name" required maxlength="64" value="yasmin"' in response.text
    assert '<option value="monitor" selected>Monitor</option>' in response.text
    assert "short" not in response.text.split('id="new-user"')[1].split("</form>")[0].replace("too short", "")


async def test_roles_are_shown_in_words(as_admin):
    page = (await as_admin.get("/admin/users")).text
    assert ">Administrator</td>" in page  # the logged-in admin's row, not the code "admin"
    assert '<option value="ngo">NGO partner (API only)</option>' in page


async def test_a_decided_report_does_not_invite_a_claim(as_monitor, monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
        await review.reject(session, report, user=monitor, reason="spam")
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "Claim the report to decide on it." not in page
    assert "This report has been decided: Rejected." in page


async def test_one_day_apart_is_singular(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, occurred_on=date(2026, 11, 20))
        await make_report(session, occurred_on=date(2026, 11, 21))
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "1 day apart" in page and "1 days apart" not in page


async def test_dashboard_bars_open_the_queue_they_count(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, adm1_pcode="SY02", event_type="air_drone_strike")
    page = (await as_monitor.get("/dashboard")).text
    assert '<a href="/?status=all&amp;adm1=SY02"' in page
    assert '<a href="/?status=all&amp;type=harm&amp;category=air_drone_strike"' in page
    queue = (await as_monitor.get("/?status=all&adm1=SY02")).text
    assert report.ref_code in queue
