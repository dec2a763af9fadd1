"""The audit page (filters, verify chain) and the dashboard's charts."""

import re

import sqlalchemy as sa

from api.desk import charts
from harmwatch.audit.models import AuditEvent
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report


async def test_audit_page_filters_and_verifies_the_chain(as_monitor, database, monitor):
    async with database.transaction() as session:
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
    page = (await as_monitor.get("/audit?action=report.")).text
    assert "report.claimed" in page and "login.succeeded" not in page
    assert "login.succeeded" in (await as_monitor.get("/audit?actor=user:mona")).text
    response = await post(as_monitor, "/audit/verify")
    assert response.headers["location"] == "/audit"
    assert re.search(r"The audit chain is intact: \d+ events checked.", (await as_monitor.get("/audit")).text)


async def test_a_tampered_log_shows_where_it_breaks(as_monitor, database, monitor):
    async with database.transaction() as session:
        report = await make_report(session)
        event = await review.claim(session, report, user=monitor)
        target = await session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "report.claimed"))
        await session.execute(sa.update(AuditEvent).where(AuditEvent.id == target).values(actor="user:someone"))
    del event
    await post(as_monitor, "/audit/verify")
    page = (await as_monitor.get("/audit")).text
    assert f"BROKEN at event {target}" in page and "its content was changed" in page


async def test_dashboard_draws_svg_charts(as_monitor, database, monitor):
    async with database.transaction() as session:
        report = await make_report(session, adm1_pcode="SY02")
        await review.claim(session, report, user=monitor)
        await review.verify(session, report, user=monitor, grade="fair")
        await make_report(session, report_type="access", form_id="access", event_type=None,
                          access_constraint="movement_restriction")
    page = (await as_monitor.get("/dashboard")).text
    assert page.count('<svg class="chart"') == 7
    assert "Reports by governorate" in page and "Shelling, artillery or missile attack" in page
    assert "<script" not in page.split("</head>")[1]


def test_charts_mirror_in_right_to_left():
    points = [("a", 1), ("b", 2), ("c", 3)]
    ltr, rtl = str(charts.columns(points, title="t")), str(charts.columns(points, title="t", rtl=True))
    x_ltr = [float(x) for x in re.findall(r'<rect class="chart-bar" x="([\d.]+)"', ltr)]
    x_rtl = [float(x) for x in re.findall(r'<rect class="chart-bar" x="([\d.]+)"', rtl)]
    assert x_ltr == sorted(x_ltr) and x_rtl == sorted(x_rtl, reverse=True)
    assert 'direction="rtl"' in rtl
    bars_rtl = str(charts.bars([("حلب", 5)], title="t", rtl=True))
    # The label sits at the right, anchored so that it reads leftwards from the edge.
    label = re.search(r'<text class="chart-label" x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" '
                      r'unicode-bidi="plaintext">حلب', bars_rtl)
    assert float(label.group(1)) > 400 and label.group(2) == "end"


def test_chart_text_is_escaped():
    svg = str(charts.bars([("<script>x</script>", 1)], title="<b>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
