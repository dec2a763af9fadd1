"""Tokens for the NGO API: Bearer only, 401 with a JSON error when missing, unknown or revoked,
last use recorded, and a per-token rate limit answered with 429 and Retry-After."""

from __future__ import annotations

import pytest
from sqlmodel import select

from api.ratelimit import RateLimiter
from harmwatch.accounts.models import ApiToken, User
from harmwatch.accounts.service import revoke_token
from tests.api.ngo.conftest import bearer

PATHS = ["/api/v1/incidents", "/api/v1/incidents/1", "/api/v1/places", "/api/v1/taxonomy",
         "/api/v1/incidents?format=csv"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer hw_not-a-real-token"},
                                     {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}])
async def test_no_valid_token_is_a_401_json_error(client, database, path, headers):
    response = await client.get(path, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] in {"missing_token", "invalid_token"} and response.json()["message"]


async def test_a_token_works_until_it_is_revoked_and_records_its_last_use(client, database, token):
    assert (await client.get("/api/v1/taxonomy", headers=bearer(token))).status_code == 200
    async with database.transaction() as session:
        stored = (await session.scalars(select(ApiToken))).one()
        assert stored.last_used_at is not None
        await revoke_token(session, token=stored, actor="user:admin")
    response = await client.get("/api/v1/taxonomy", headers=bearer(token))
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"


async def test_a_deactivated_account_s_token_is_refused(client, database, token):
    async with database.transaction() as session:
        (await session.scalars(select(User))).one().active = False
    assert (await client.get("/api/v1/taxonomy", headers=bearer(token))).status_code == 401


async def test_unauthenticated_requests_learn_nothing_about_parameters(client, database):
    response = await client.get("/api/v1/incidents", params={"no_such": "1", "limit": 10**9})
    assert response.status_code == 401


async def test_the_rate_limit_is_per_token_with_retry_after(app, client, database, token):
    from tests.api.ngo.conftest import make_token

    app.state.ngo_rate_limiter = RateLimiter(per_minute=6, burst=3)
    for _ in range(3):
        assert (await client.get("/api/v1/taxonomy", headers=bearer(token))).status_code == 200
    limited = await client.get("/api/v1/taxonomy", headers=bearer(token))
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 10
    other = await make_token(database)
    assert (await client.get("/api/v1/taxonomy", headers=bearer(other))).status_code == 200
