"""The files that can identify a reporter or forge a session are 0600 (folders 0700) even under
a permissive umask: the SQLite database and its WAL and SHM, media as received, their stripped
copies, and the secret key, which is never there half-written."""

from __future__ import annotations

import asyncio
import io
import os
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from PIL import Image

from bot.media import store_bytes
from harmwatch import migrate
from harmwatch.database import Database
from harmwatch.reports.models import Media
from harmwatch.review.media import view_copy
from harmwatch.settings import SECRET_FILE_NAME, Settings


@pytest.fixture(autouse=True)
def permissive_umask():
    previous = os.umask(0o022)  # what most systems give a service: files 0644 unless asked otherwise
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_a_new_sqlite_database_and_its_wal_and_shm_are_0600(tmp_path):
    path = tmp_path / "data" / "harmwatch.db"
    url = f"sqlite+aiosqlite:///{path}"
    await asyncio.to_thread(migrate.upgrade, url)  # Alembic runs its own event loop
    db = Database(url)
    try:
        async with db.engine.connect() as connection:  # WAL and SHM exist while a connection is open
            await connection.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
            await connection.commit()
            wal, shm = path.with_name("harmwatch.db-wal"), path.with_name("harmwatch.db-shm")
            assert wal.exists() and shm.exists()
            assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        await db.dispose()
    assert mode(path.parent) == 0o700


async def test_a_database_made_by_the_engine_first_is_0600_too(tmp_path):
    path = tmp_path / "engine-first.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.transaction() as session:
            await session.execute(sa.text("SELECT 1"))
    finally:
        await db.dispose()
    assert mode(path) == 0o600


async def test_media_as_received_and_their_stripped_copies_are_0600(tmp_path):
    media_dir = tmp_path / "media"
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(picture, format="JPEG")
    received = store_bytes(media_dir, picture.getvalue(), "image/jpeg", "photo")
    original = media_dir / received.path
    assert mode(original) == 0o600 and mode(original.parent) == 0o700
    media = Media(sha256=received.sha256, size=received.size, mime_type="image/jpeg", path=received.path)
    copy = await view_copy(media_dir, media)
    assert mode(copy.path) == 0o600 and mode(copy.path.parent) == 0o700
    assert [p.name for p in copy.path.parent.iterdir()] == [copy.path.name]  # no temporary left behind


def test_the_generated_secret_key_is_0600_and_whole_for_every_worker_starting_at_once(tmp_path):
    def start() -> bytes:
        return Settings(data_dir=tmp_path, secret_key=None).secret()

    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: start(), range(16)))
    assert len(set(keys)) == 1 and len(keys[0]) >= 32
    assert mode(tmp_path / SECRET_FILE_NAME) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [SECRET_FILE_NAME]  # no temporary left behind
