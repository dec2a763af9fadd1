"""Two `harmwatch serve` workers in webhook mode on PostgreSQL behind a load balancer, sharing
one data folder (HARMWATCH_MEDIA_DIR on a shared path): a photo a reporter sent through
whichever worker took the update is shown by the desk of each worker."""

from __future__ import annotations

import io

import httpx
import pytest
import sqlalchemy as sa
from PIL import Image

from bot.sandbox import SandboxClient
from harmwatch.accounts.models import Role
from harmwatch.reports.models import Media
from tests.api.desk.conftest import log_in
from tests.bot.chatting import Chatter, to_media_question
from tests.bot.faults.drive import cluster
from tests.factories import make_user


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_photo_taken_by_one_worker_is_shown_by_the_desk_of_every_worker(database_url, database, tmp_path):
    async with database.transaction() as session:
        await make_user(session, name="mona", role=Role.MONITOR)
    with cluster(database_url, tmp_path, workers=2) as running:
        async with SandboxClient(running.sandbox) as client:
            chatter = await Chatter.create(client, lang="en")
            await to_media_question(chatter)
            await chatter.send_photo(_photo())
            await chatter.tap("Done")
            await chatter.tap("Send the report")
        async with database.transaction() as session:
            [media] = (await session.scalars(sa.select(Media).where(Media.report_id.is_not(None)))).all()
        workers = [f"http://127.0.0.1:{port}" for port in running.ports]
        assert len(workers) == 2
        for worker in workers:
            async with httpx.AsyncClient(base_url=worker) as desk:
                assert (await log_in(desk, "mona")).status_code == 303
                shown = await desk.get(f"/media/{media.id}")
                assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg", worker
                assert Image.open(io.BytesIO(shown.content)).size == (32, 24)
