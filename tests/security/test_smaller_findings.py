"""Finding 8: the secret being enrolled is not readable in the cookie; the webhook refuses
JSON that is not an update with 400 and stores nothing; API tokens are for ngo accounts only."""

import json

import httpx
import pyotp
import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from harmwatch.accounts.models import ApiToken, Role
from harmwatch.accounts.service import AccountError, _token_hash, create_token
from harmwatch.messaging.models import ProcessedUpdate
from harmwatch.reporters.models import Reporter
from harmwatch.settings import Settings
from tests.api.desk.conftest import csrf_of, post
from tests.api.test_telegram_webhook import _count, telegram, webhook_server  # noqa: F401
from tests.factories import make_user


async def test_the_secret_being_enrolled_is_not_readable_in_the_cookie(as_monitor):
    page = await as_monitor.get("/account/two-factor")
    secret = page.text.split('id="totp-secret">')[1].split("<")[0]
    _, payload = URLSafeTimedSerializer("not the key", salt="harmwatch-desk-session",
                                        serializer=json).loads_unsafe(as_monitor.cookies["hw_desk"])
    assert secret not in json.dumps(payload) and secret.lower() not in json.dumps(payload).lower()
    enabled = await as_monitor.post("/account/two-factor", data={"csrf_token": csrf_of(page.text),
                                                                 "code": pyotp.TOTP(secret).now()})
    assert enabled.status_code == 200 and enabled.text.count("<li><code>") == 10


NOT_UPDATES = [b"[]", b"[1, 2]", b'"an update"', b"42", b"null", b"{" * 3 + b"}" * 3,
               b'{"a":' * 60_000 + b"1" + b"}" * 60_000, b"[" * 100_000 + b"]" * 100_000,
               b'{"update_id": 5, "message": "hello"}', b'{"update_id": 6, "message": [1]}']


async def test_the_webhook_answers_400_to_json_that_is_not_an_update(webhook_server, database_url):  # noqa: F811
    secret = Settings(secret_key="test-secret-key-not-for-production").webhook_secret()
    async with httpx.AsyncClient(timeout=30) as http:
        for body in NOT_UPDATES:
            response = await http.post(f"{webhook_server}/telegram/webhook", content=body,
                                       headers={"X-Telegram-Bot-Api-Secret-Token": secret,
                                                "content-type": "application/json"})
            assert response.status_code == 400, body[:40]
    assert await _count(database_url, ProcessedUpdate) == 0
    assert await _count(database_url, Reporter) == 0


async def test_api_tokens_are_for_ngo_accounts_only(database, client, as_admin):
    async with database.transaction() as session:
        monitor = await make_user(session, name="mina", role=Role.MONITOR)
        with pytest.raises(AccountError, match="not_for_api"):
            await create_token(session, user=monitor, name="sneaky")
        # A token made before this rule, or for an account later moved to the desk:
        session.add(ApiToken(user_id=monitor.id, name="old", token_hash=_token_hash("hw_old-monitor-token"),
                             prefix="hw_old-mon"))
    response = await client.get("/api/v1/taxonomy", headers={"Authorization": "Bearer hw_old-monitor-token"})
    assert response.status_code == 401
    page = await as_admin.get(f"/admin/users/{monitor.id}")
    assert "API tokens are for ngo accounts only." in page.text and 'action="/admin/users/' \
        f'{monitor.id}/tokens"' not in page.text
    await post(as_admin, f"/admin/users/{monitor.id}/tokens", {"label": "x"}, page=f"/admin/users/{monitor.id}")
    async with database.transaction() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1
