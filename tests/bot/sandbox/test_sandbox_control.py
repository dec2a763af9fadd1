"""The control API refuses bad input with a clear message and changes nothing."""

from __future__ import annotations

import httpx
import pytest

from bot.sandbox.client import SandboxError


async def test_unknown_user_chat_and_button_are_clear_errors(sandbox):
    client = sandbox.client
    with pytest.raises(SandboxError, match="404 no user 1"):
        await client.send_text(1, "hi")
    user = await client.create_user()
    with pytest.raises(SandboxError, match="no inline button 'nope'"):
        await client.press_button(user, "nope")
    with pytest.raises(SandboxError, match="text is empty"):
        await client.send_text(user, "   ")
    with pytest.raises(SandboxError, match="out of range"):
        await client.send_location(user, 91, 0)
    with pytest.raises(SandboxError, match="type must be"):
        await client.create_chat("secret")
    assert (await client.updates())["updates"] == []


async def test_malformed_requests_are_refused(sandbox):
    async with httpx.AsyncClient(base_url=f"{sandbox.url}/control") as http:
        user = (await http.post("/users", json={})).json()
        assert user["first_name"] and user["language_code"] == "en" and user["id"] > 10**9
        r = await http.post(f"/users/{user['id']}/messages", content=b"[1,2]",
                            headers={"content-type": "application/json"})
        assert r.status_code == 400 and "JSON object" in r.json()["error"]
        r = await http.post("/faults", json={"status": 418})
        assert r.status_code == 400
        for wait in ("soon", "nan"):
            r = await http.get(f"/chats/{user['id']}/messages", params={"wait": wait})
            assert r.status_code == 400
        r = await http.post(f"/users/{user['id']}/uploads", data={"kind": "photo"})
        assert r.status_code == 400 and "'file'" in r.json()["error"]


async def test_reset_empties_the_world(sandbox, bot, user):
    await bot.send_message(user["id"], "hi")
    await sandbox.client.inject_faults("getMe", count=5)
    await sandbox.client.reset()
    assert await sandbox.client.calls() == []
    assert (await sandbox.client.bot())["pending_update_count"] == 0
    assert (await bot.get_me()).is_bot  # no fault left over


async def test_wait_returns_empty_after_timeout(sandbox, user):
    with pytest.raises(TimeoutError):
        await sandbox.client.wait_for_bot_message(user, timeout=0.2)


async def test_bad_bot_api_parameters_get_telegram_errors(sandbox, user):
    base = f"{sandbox.url}/bot{sandbox.state.token}"
    async with httpx.AsyncClient() as http:
        r = await http.post(f"{base}/sendMessage", data={"chat_id": "x", "text": "hi"})
        assert r.json() == {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}
        r = await http.post(f"{base}/sendMessage", data={"chat_id": user["id"], "text": "hi",
                                                         "reply_markup": "{not json"})
        assert r.json()["description"] == "Bad Request: can't parse reply keyboard markup JSON object"
        markup = '{"inline_keyboard": [[{"text": "x", "callback_data": "%s"}]]}' % ("d" * 65)
        r = await http.post(f"{base}/sendMessage", data={"chat_id": user["id"], "text": "hi",
                                                         "reply_markup": markup})
        assert r.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"
        r = await http.post(f"{base}/sendChatAction", data={"chat_id": user["id"], "action": "dance"})
        assert r.status_code == 400
        r = await http.post(f"{base}/setWebhook", data={"url": "http://127.0.0.1:9/h",
                                                        "secret_token": "bad token!"})
        assert r.status_code == 400
        info = (await http.get(f"{base}/getWebhookInfo")).json()["result"]
        assert info == {"url": "", "has_custom_certificate": False, "pending_update_count": 1}
