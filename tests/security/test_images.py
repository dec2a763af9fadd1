"""Finding 5: a photo that decodes to gigapixels never reaches the decoder (the desk shows a
placeholder, never a 500), and the EXIF-stripped copy is made once, in a worker thread."""

import asyncio
import struct
import threading
import zlib

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.review import media as review_media
from tests.api.desk.test_report_page import add_media, photo_with_location
from tests.factories import make_report


def png_bomb(width: int, height: int) -> bytes:
    """A black 1-bit PNG: a few kilobytes that decode to width × height pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    packer, row = zlib.compressobj(9), b"\0" * (1 + (width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


@pytest.fixture
def strips(monkeypatch):
    """Every decode the desk does, with the thread it ran in (the real function is called)."""
    calls, real = [], review_media._strip

    def counting(*args, **kwargs):
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(review_media, "_strip", counting)
    return calls


@pytest.mark.parametrize("side", [9000, 20000])  # over the budget; over Pillow's own bomb limit
async def test_a_decompression_bomb_gets_a_placeholder_and_is_never_decoded(as_monitor, database, settings, side,
                                                                            strips):
    bomb = png_bomb(side, side)
    assert len(bomb) < 200_000
    async with database.transaction() as session:
        media = await add_media(session, settings, await make_report(session), bomb, mime="image/png")
    response = await as_monitor.get(f"/media/{media.id}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "too large to be shown safely" in response.text
    assert not (settings.media_dir / review_media.STRIPPED_DIR).exists() or not any(
        (settings.media_dir / review_media.STRIPPED_DIR).iterdir())
    async with database.transaction() as session:
        viewed = (await session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "media.viewed"))).one()
    assert viewed.after["copy"] == "placeholder" and viewed.after["reason"] == "too_large"


async def test_a_damaged_or_missing_photo_gets_a_translated_placeholder(as_monitor, database, settings):
    async with database.transaction() as session:
        report = await make_report(session)
        damaged = await add_media(session, settings, report, b"\xff\xd8\xff not really a jpeg")
        missing = await add_media(session, settings, report, photo_with_location())
    (settings.media_dir / missing.path).unlink()
    response = await as_monitor.get(f"/media/{damaged.id}")
    assert response.status_code == 200 and "the file is damaged" in response.text
    assert "file is missing" in (await as_monitor.get(f"/media/{missing.id}")).text
    await as_monitor.post("/account/language", data={
        "csrf_token": (await as_monitor.get("/account")).text.split('name="csrf_token" value="')[1].split('"')[0],
        "lang": "fr"})
    french = await as_monitor.get(f"/media/{damaged.id}")
    assert french.status_code == 200 and "damaged" not in french.text and "<tspan" in french.text


async def test_the_stripped_copy_is_made_once_off_the_event_loop(as_monitor, database, settings, strips):
    async with database.transaction() as session:
        media = await add_media(session, settings, await make_report(session), photo_with_location())
    responses = await asyncio.gather(*(as_monitor.get(f"/media/{media.id}") for _ in range(6)))
    assert [r.status_code for r in responses] == [200] * 6
    assert len({r.content for r in responses}) == 1
    assert strips == [False]  # one decode, not in the event loop's thread
