"""A report's history as a readable timeline on its page, linked to the audit log, and the
audit page showing what changed rather than two JSON blobs."""

from __future__ import annotations

from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report


async def test_the_report_page_shows_its_history_with_what_changed(as_monitor, monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
        await review.reject(session, report, user=monitor, reason="spam")
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert page.count('id="history"') == 1 and f"<title>{report.ref_code} · Harmwatch</title>" in page
    timeline = page.split('id="history"')[1]
    assert timeline.index("Claimed") < timeline.index("Rejected")
    assert "<code dir=\"ltr\">status</code>: <del>in_review</del> → <ins>rejected</ins>" in timeline
    assert f'href="/audit?object_type=report&amp;object_id={report.id}"' in timeline


async def test_the_audit_page_shows_the_changed_keys(as_monitor, monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
        await review.claim(session, report, user=monitor)
    page = (await as_monitor.get(f"/audit?object_type=report&object_id={report.id}")).text
    assert '<code dir="ltr">status</code>: <del dir="auto">submitted</del> → <ins dir="auto">in_review</ins>' in page
    assert "Before and after, in full" in page


def test_changes_lists_only_what_differs():
    from api.desk.templating import changes

    assert changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None, "d": 4}) == [("b", 2, 3), ("d", None, 4)]
    assert changes(None, None) == []
