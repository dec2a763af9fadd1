"""Possible duplicates: same type, a few days and kilometres (or district), or the same media."""

from datetime import date

from harmwatch.reports.models import Media
from harmwatch.review.duplicates import candidates
from tests.factories import make_report


async def test_near_in_place_and_time_of_the_same_type(database):
    async with database.transaction() as session:
        report = await make_report(session, lat=36.20, lon=37.13)
        near = await make_report(session, lat=36.22, lon=37.15, occurred_on=date(2026, 11, 22))
        await make_report(session, lat=36.20, lon=37.13, occurred_on=date(2026, 11, 1))  # too long before
        await make_report(session, lat=36.50, lon=37.13)  # 33 km away
        await make_report(session, lat=36.20, lon=37.13, report_type="access", form_id="access")
        found = await candidates(session, report)
    assert [c.report.id for c in found] == [near.id]
    assert found[0].reasons == ["near"] and found[0].distance_km < 5 and found[0].days_apart == 2


async def test_same_district_when_there_is_no_point(database):
    async with database.transaction() as session:
        report = await make_report(session)
        same = await make_report(session)
        await make_report(session, adm2_pcode="SY0201")
        found = await candidates(session, report)
    assert [(c.report.id, c.reasons) for c in found] == [(same.id, ["same_district"])]


async def test_identical_media_whatever_the_place(database):
    async with database.transaction() as session:
        report = await make_report(session, has_media=True)
        elsewhere = await make_report(session, adm1_pcode="SY07", adm2_pcode="SY0700", occurred_on=None,
                                      has_media=True)
        for r in (report, elsewhere):
            session.add(Media(sha256="ab" * 32, size=3, mime_type="image/jpeg", path="x", report_id=r.id))
        await session.flush()
        found = await candidates(session, report)
    assert [(c.report.id, c.reasons) for c in found] == [(elsewhere.id, ["same_media"])]


async def test_a_report_without_a_date_still_finds_same_media(database):
    async with database.transaction() as session:
        report = await make_report(session, has_media=True, occurred_on=None)
        first = await make_report(session, has_media=True)
        second = await make_report(session, has_media=True, occurred_on=None)
        for r in (report, first, second):
            session.add(Media(sha256="cd" * 32, size=3, mime_type="image/jpeg", path="x", report_id=r.id))
        await session.flush()
        found = await candidates(session, report)
    assert sorted(c.report.id for c in found) == sorted([first.id, second.id])
