"""Nothing is acknowledged to Telegram before it is in the database: a webhook delivery whose
update could not be committed gets a 5xx (so Telegram delivers it again), and a poller confirms
an update's offset only after its commit."""

from __future__ import annotations

import asyncio

import httpx
import sqlalchemy as sa

from bot.sandbox import SandboxClient
from harmwatch.database import Database
from harmwatch.messaging.models import ProcessedUpdate
from tests.bot.chatting import Chatter
from tests.bot.faults.conftest import TOKEN
from tests.live import free_port, serve


async def _count(url: str, model) -> int:
    db = Database(url)
    try:
        async with db.transaction() as session:
            return await session.scalar(sa.select(sa.func.count()).select_from(model))
    finally:
        await db.dispose()


async def _until(probe, attempts: int = 300):
    """The first truthy answer of `probe`, asked up to `attempts` times (bounded waiting, not timing)."""
    for _ in range(attempts):
        result = await probe()
        if result:
            return result
        await asyncio.sleep(0.1)
    raise AssertionError("the condition never came true")


async def test_webhook_delivery_that_could_not_be_committed_is_refused_and_redelivered(
        telegram, clean_pg, tmp_path):
    port = free_port()
    with serve(clean_pg.url, tmp_path, port=port, telegram_token=TOKEN, telegram_api_url=telegram,
               telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook") as base:
        async with SandboxClient(telegram) as client, httpx.AsyncClient(base_url=base) as http:
            await _until(lambda: _webhook_url(client))
            chatter = await Chatter.create(client)
            assert "What do you want to report?" in (await chatter.say("/start"))["text"]
            ready = await http.get("/readyz")
            assert ready.status_code == 200 and ready.json()["bot"]["receives_updates"] is True
            clean_pg.stop()
            not_ready = await http.get("/readyz")
            assert not_ready.status_code == 503 and not_ready.json()["database"] != "ok"
            sent = await client.send_text(chatter.user, "/help")
            update_id = sent["update"]["update_id"]

            async def failed_attempts():
                return [d for d in (await client.webhook())["deliveries"]
                        if d["update_id"] == update_id and d["error"]]

            failures = await _until(failed_attempts)
            assert "500" in failures[0]["error"] or "503" in failures[0]["error"]
            clean_pg.start()
            reply = await chatter.reply_after(sent["message"]["message_id"], timeout=30)
            assert "/forget" in reply["text"]
    assert await _count(clean_pg.url, ProcessedUpdate) == 2


async def _webhook_url(client: SandboxClient) -> str:
    return (await client.webhook()).get("url")


async def test_polling_confirms_an_update_only_after_it_was_committed(telegram, clean_pg, tmp_path):
    with serve(clean_pg.url, tmp_path, telegram_token=TOKEN, telegram_api_url=telegram):
        async with SandboxClient(telegram) as client:
            await _until(lambda: client.calls("getUpdates"))
            chatter = await Chatter.create(client)
            assert "What do you want to report?" in (await chatter.say("/start"))["text"]
            clean_pg.stop()
            sent = await client.send_text(chatter.user, "/help")
            update_id = sent["update"]["update_id"]
            seen = len(await client.calls("getUpdates"))
            # Three more polls after the update was handed out: PTB's Updater would have confirmed it.
            await _until(lambda: _polls_since(client, seen, 3))
            assert update_id in (await client.updates())["pending"]
            clean_pg.start()
            reply = await chatter.reply_after(sent["message"]["message_id"], timeout=30)
            assert "/forget" in reply["text"]
            await _until(lambda: _not_pending(client, update_id))
    assert await _count(clean_pg.url, ProcessedUpdate) == 2


async def _polls_since(client: SandboxClient, seen: int, more: int) -> bool:
    return len(await client.calls("getUpdates")) >= seen + more


async def _not_pending(client: SandboxClient, update_id: int) -> bool:
    return update_id not in (await client.updates())["pending"]
