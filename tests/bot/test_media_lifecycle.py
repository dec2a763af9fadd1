"""Files from reporters: gone with a discarded draft or /forget; never fetched past the form's
file limit or the flood limit; each kept with how Telegram carried it."""

import hashlib
import os

import sqlalchemy as sa

from harmwatch.reports.models import Media, Report
from tests.bot.chatting import to_media_question


async def _media(database) -> list[Media]:
    async with database.transaction() as session:
        return list((await session.scalars(sa.select(Media).order_by(Media.id))).all())


def _files_on_disk(settings) -> list[str]:
    if not settings.media_dir.exists():
        return []
    return [name for _, _, names in os.walk(settings.media_dir) for name in names]


async def _send_photos(chatter, count: int) -> None:
    for n in range(count):
        await chatter.send_photo(b"\xff\xd8\xff\xe0" + os.urandom(64) + bytes([n]))


async def test_discarding_a_draft_deletes_its_files(chatter, database, settings):
    await to_media_question(chatter)
    await _send_photos(chatter, 2)
    assert len(await _media(database)) == 2 and len(_files_on_disk(settings)) == 2
    await chatter.say("/cancel")
    await chatter.toggle("Yes, discard it")
    assert await _media(database) == [] and _files_on_disk(settings) == []


async def test_forget_deletes_the_files_of_the_draft(chatter, database, settings):
    await to_media_question(chatter)
    await _send_photos(chatter, 2)
    await chatter.say("/forget")
    await chatter.toggle("Yes, forget me")
    assert await _media(database) == [] and _files_on_disk(settings) == []


async def test_a_file_kept_by_a_sent_report_survives_another_draft_discarded(chatter, database, settings):
    photo = b"\xff\xd8\xff\xe0" + os.urandom(64)
    await to_media_question(chatter)
    await chatter.send_photo(photo)
    await chatter.tap("Done")
    await chatter.tap("Send the report")
    await to_media_question(chatter)
    await chatter.send_photo(photo)  # the same bytes, stored once on disk
    await chatter.say("/cancel")
    await chatter.toggle("Yes, discard it")
    [kept] = await _media(database)
    assert kept.report_id is not None
    assert (settings.media_dir / kept.path).read_bytes() == photo


async def test_nothing_is_downloaded_past_the_file_limit(chatter, database, settings, sandbox):
    await to_media_question(chatter)
    before = len(await sandbox.client.calls("getFile"))
    await _send_photos(chatter, 12)
    assert len(await sandbox.client.calls("getFile")) - before == 10
    assert len(await _media(database)) == 10 and len(_files_on_disk(settings)) == 10
    last = (await sandbox.client.bot_messages(chatter.chat))[-1]
    assert "up to 10 files" in last["text"]


async def test_nothing_is_downloaded_past_the_flood_limit(chatter, database, settings, sandbox):
    await to_media_question(chatter)  # two typed messages so far: /start and the place
    for n in range(18):
        await chatter.say(f"/help {n}")
    before = len(await sandbox.client.calls("getFile"))
    photos = [await sandbox.client.send_photo(chatter.user, b"\xff\xd8" + os.urandom(32) + bytes([n]))
              for n in range(6)]
    first = photos[0]["message"]["message_id"]
    replies: list = []
    while len(replies) < 6:  # each photo is answered, in order (a timeout fails the test)
        latest = replies[-1]["message_id"] if replies else first
        replies.append(await sandbox.client.wait_for_bot_message(chatter.chat, after=latest, timeout=10))
    assert all("did not save this one" in m["text"] for m in replies)  # none dropped silently
    assert len(await sandbox.client.calls("getFile")) == before
    assert await _media(database) == [] and _files_on_disk(settings) == []


async def test_a_voice_note_and_a_video_are_kept_whole_with_their_hash(chatter, database, settings, sandbox):
    reply = await to_media_question(chatter)
    assert "as a file" in reply["text"]  # how to keep a photo's original
    for kind in ("voice", "video"):
        sent = await sandbox.client.send_other(chatter.user, kind)
        reply = await chatter.reply_after(sent["message"]["message_id"])
    assert "2 files received" in reply["text"]
    await chatter.send_photo(b"\xff\xd8\xff\xe0" + os.urandom(64))
    await chatter.client.send_document(chatter.user, b"%PDF-1.4 " + os.urandom(64), file_name="a.pdf",
                                       mime_type="application/pdf")
    await chatter.say("/status")
    await chatter.tap("Done")
    await chatter.tap("Send the report")
    media = await _media(database)
    async with database.transaction() as session:
        report = (await session.scalars(sa.select(Report))).one()
    assert [m.sent_as for m in media] == ["voice", "video", "photo", "document"]
    assert [m.mime_type for m in media[:2]] == ["audio/ogg", "video/mp4"]
    for m in media:
        data = (settings.media_dir / m.path).read_bytes()
        assert m.report_id == report.id and hashlib.sha256(data).hexdigest() == m.sha256 and m.size == len(data)
