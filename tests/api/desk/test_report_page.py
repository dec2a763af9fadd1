"""The report page: labelled answers, own words, stripped media, place, pseudonym, duplicates."""

import hashlib
import io

import sqlalchemy as sa
from PIL import Image

from harmwatch.audit.models import AuditEvent
from harmwatch.reports.models import Media
from tests.api.desk.conftest import post
from harmwatch.forms import HARM_FORM
from tests.factories import make_report, make_reporter, new_form_version

GPS_IFD = 0x8825


def photo_with_location() -> bytes:
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = image.getexif()
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (33.0, 30.0, 0.0), "E", (36.0, 17.0, 0.0)
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


async def add_media(session, settings, report, data: bytes, mime: str = "image/jpeg") -> Media:
    digest = hashlib.sha256(data).hexdigest()
    path = settings.media_dir / f"{digest}.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    media = Media(sha256=digest, size=len(data), mime_type=mime, path=path.name, report_id=report.id)
    session.add(media)
    report.has_media = True
    await session.flush()
    return media


async def test_a_report_is_read_with_the_form_version_it_answered(as_monitor, database, monkeypatch):
    async with database.transaction() as session:
        old = await make_report(session, form_version=HARM_FORM.version,
                                answers={"event_type": "grenade", "killed": {"min": 2, "max": 5}})
    new_form_version(monkeypatch, HARM_FORM, labels={"killed": "How many civilians died?"})
    async with database.transaction() as session:
        new = await make_report(session, form_version=HARM_FORM.version + 1,
                                answers={"event_type": "grenade", "killed": {"min": 1, "max": 1}})
    old_page = (await as_monitor.get(f"/reports/{old.id}")).text
    assert "How many people were killed?" in old_page and "How many civilians died?" not in old_page
    new_page = (await as_monitor.get(f"/reports/{new.id}")).text
    assert "How many civilians died?" in new_page and "How many people were killed?" not in new_page


async def test_answers_are_labelled_and_own_words_kept(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, lang="ar", answers={
            "event_type": "air_drone_strike", "objects_hit": ["market", "school"], "sources": ["witness"],
            "killed": {"min": 2, "max": 5}, "description": "سقطت قذيفة على السوق", "attribution": "unknown group",
        })
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "Air or drone strike" in page and "Market or shop" in page and "A witness told me" in page
    assert '<q class="own-words" lang="ar" dir="auto">سقطت قذيفة على السوق</q>' in page
    assert "2 to 5" in page


async def test_photo_is_shown_without_location_and_the_original_is_untouched(as_monitor, database, settings):
    data = photo_with_location()
    async with database.transaction() as session:
        report = await make_report(session)
        media = await add_media(session, settings, report, data)
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert media.sha256 in page and f'src="/media/{media.id}"' in page
    response = await as_monitor.get(f"/media/{media.id}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    copy = Image.open(io.BytesIO(response.content))
    assert not copy.getexif().get_ifd(GPS_IFD) and 0x010F not in copy.getexif()
    assert hashlib.sha256((settings.media_dir / media.path).read_bytes()).hexdigest() == media.sha256
    async with database.transaction() as session:
        viewed = (await session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "media.viewed"))).all()
    assert len(viewed) == 1 and viewed[0].actor == "user:mona" and viewed[0].after["sha256"] == media.sha256


async def test_original_download_is_for_admins_only(as_monitor, database, settings):
    async with database.transaction() as session:
        report = await make_report(session)
        media = await add_media(session, settings, report, photo_with_location())
    assert (await as_monitor.get(f"/media/{media.id}/original")).status_code == 403


async def test_place_codes_and_map_link(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session, lat=36.2021, lon=37.1343, geo_precision="near", place_text="near the mill")
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "SY02" in page and "SY0200" in page
    assert "https://www.openstreetmap.org/?mlat=36.20210&amp;mlon=37.13430" in page
    assert 'rel="noreferrer noopener"' in page


async def test_pseudonym_and_track_record_never_identity(as_monitor, database, settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings, telegram_user_id=5550001)
        report = await make_report(session, reporter=reporter)
        await make_report(session, reporter=reporter, status="verified")
        await make_report(session, reporter=reporter, status="rejected")
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert reporter.pseudonym in page
    assert "Reports sent: 3 · verified: 1 · rejected: 1" in page
    assert "5550001" not in page and reporter.chat_id_enc not in page


async def test_duplicates_side_by_side_with_differences(as_monitor, database, settings):
    async with database.transaction() as session:
        report = await make_report(session, lat=36.20, lon=37.13, killed_min=2, killed_max=4)
        near = await make_report(session, lat=36.21, lon=37.14, killed_min=3, killed_max=4)
        await make_report(session, lat=36.60, lon=37.60)  # same district, far away: not a duplicate
        await make_report(session, report_type="access", form_id="access", event_type=None)
        same_photo = await make_report(session, adm2_pcode="SY0700", occurred_on=None)
        data = photo_with_location()
        await add_media(session, settings, report, data)
        await add_media(session, settings, same_photo, data)
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    section = page.split('class="duplicates"')[1]
    assert near.ref_code in section and same_photo.ref_code in section and section.count("<table") == 2
    assert "same media file" in section and "km away" in section
    assert ('class="differs"><th scope="row">Killed, minimum</th><td><span dir="ltr">2</span></td>'
            '<td><span dir="ltr">3</span></td>') in section
    assert "Shelling, artillery or missile attack" in section


async def test_duplicate_can_be_marked_from_the_page(as_monitor, database):
    async with database.transaction() as session:
        report = await make_report(session)
        original = await make_report(session)
    await post(as_monitor, f"/reports/{report.id}/claim")
    await post(as_monitor, f"/reports/{report.id}/duplicate", {"duplicate_of": original.ref_code})
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    # Named by its reference code, which monitors and reporters share, not an internal number.
    assert "Report marked as a duplicate." in page and f"duplicate of {original.ref_code}" in page
    assert f"report #{original.id}" not in page
