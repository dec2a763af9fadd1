"""The sandbox mounted under /sandbox in a FastAPI app, as `harmwatch serve` runs it: the bot's
api_url is then http://HOST:PORT/sandbox."""

from __future__ import annotations

import contextlib

import httpx
from fastapi import FastAPI
from telegram import Bot

from bot.sandbox import SandboxState, create_sandbox_app
from bot.sandbox.client import SandboxClient


async def test_mounted_sandbox_serves_bot_api_files_control_and_page(serve_app):
    state = SandboxState(token="42:mounted")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        await state.aclose()  # a mounted app's own lifespan does not run

    app = FastAPI(lifespan=lifespan)
    app.mount("/sandbox", create_sandbox_app(state))
    with serve_app(app) as url:
        api_url = f"{url}/sandbox"
        async with SandboxClient(api_url) as client, Bot(
                "42:mounted", base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot") as bot:
            assert (await bot.get_me()).id == 42
            user = await client.create_user("ru")
            await client.send_document(user, b"hello", file_name="h.txt", mime_type="text/plain")
            [update] = await bot.get_updates(timeout=1)
            tg_file = await update.message.document.get_file()
            assert bytes(await tg_file.download_as_bytearray()) == b"hello"
            await bot.send_message(user["id"], "ok")
            assert (await client.wait_for_bot_message(user))["text"] == "ok"
        async with httpx.AsyncClient(follow_redirects=True) as http:
            page = await http.get(f"{url}/sandbox")
            assert page.status_code == 200 and str(page.url).endswith("/sandbox/")
            assert "nothing here goes to Telegram" in page.text
            assert (await http.get(f"{url}/sandbox/static/entities.js")).status_code == 200
