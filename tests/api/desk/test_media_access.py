"""The desk serves a file only when it belongs to a submitted report: a draft's file (or one
left from a discarded draft) is not found, whatever the id."""

import sqlalchemy as sa

from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Draft, Media
from tests.api.desk.test_report_page import add_media, photo_with_location
from tests.factories import make_report, make_reporter


async def _draft_media(database, settings) -> tuple[Media, Media]:
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        report = await make_report(session, reporter=reporter)
        submitted = await add_media(session, settings, report, photo_with_location())
        draft = Draft(reporter_id=reporter.id, form_id="harm", current="media")
        session.add(draft)
        await session.flush()
        in_draft = await add_media(session, settings, report, photo_with_location() + b"draft")
        in_draft.report_id, in_draft.draft_id = None, draft.id
        orphan = await add_media(session, settings, report, photo_with_location() + b"orphan")
        orphan.report_id = None
        await session.flush()
        assert await session.scalar(sa.select(sa.func.count()).select_from(Reporter)) == 1
        return submitted, in_draft, orphan


async def test_monitors_see_only_media_of_submitted_reports(as_monitor, database, settings):
    submitted, in_draft, orphan = await _draft_media(database, settings)
    assert (await as_monitor.get(f"/media/{submitted.id}")).status_code == 200
    for media in (in_draft, orphan):
        assert (await as_monitor.get(f"/media/{media.id}")).status_code == 404


async def test_admins_get_no_original_of_a_draft_or_orphan_file(as_admin, database, settings):
    submitted, in_draft, orphan = await _draft_media(database, settings)
    assert (await as_admin.get(f"/media/{submitted.id}/original")).status_code == 200
    for media in (in_draft, orphan):
        assert (await as_admin.get(f"/media/{media.id}/original")).status_code == 404


async def test_the_desk_says_beside_the_hash_whether_a_file_is_the_original(as_monitor, database, settings):
    async with database.transaction() as session:
        report = await make_report(session)
        photo = await add_media(session, settings, report, photo_with_location())
        photo.sent_as = "photo"
        voice = await add_media(session, settings, report, b"OggS voice", mime="audio/ogg")
        voice.sent_as = "voice"
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert page.count('class="sent-as"') == 2
    assert "recompressed by Telegram: not the original" in page
    assert "The file as sent (voice note)" in page
