"""The NGO API's rate limit lives in the database: two app instances (two workers) on one
database share each token's bucket, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from api.main import create_app
from api.ratelimit import RateLimiter
from tests.api.ngo.conftest import bearer


async def _worker(settings, limiter):
    application = create_app(settings)
    ctx = application.router.lifespan_context(application)
    await ctx.__aenter__()
    application.state.ngo_rate_limiter = limiter
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://testserver")
    return application, ctx, client


@pytest.fixture
async def two_workers(settings):
    workers = [await _worker(settings, RateLimiter(per_minute=0.01, burst=4)) for _ in range(2)]
    yield [client for _, _, client in workers]
    for _, ctx, client in workers:
        await client.aclose()
        await ctx.__aexit__(None, None, None)


async def test_two_workers_share_one_token_s_limit(two_workers, database, token):
    first, second = two_workers
    codes = []
    for client in (first, second, first, second, first, second):
        codes.append((await client.get("/api/v1/taxonomy", headers=bearer(token))).status_code)
    assert codes == [200, 200, 200, 200, 429, 429]


async def test_concurrent_requests_on_two_workers_take_exactly_the_burst(two_workers, database, token):
    first, second = two_workers
    responses = await asyncio.gather(*[client.get("/api/v1/taxonomy", headers=bearer(token))
                                       for client in (first, second) * 5])
    assert sorted(r.status_code for r in responses) == [200] * 4 + [429] * 6


async def test_the_bucket_refills_at_its_rate(database):
    now = [1000.0]
    limiter = RateLimiter(per_minute=60, burst=2, clock=lambda: now[0])
    assert await limiter.acquire(database, "t") == 0 and await limiter.acquire(database, "t") == 0
    assert await limiter.acquire(database, "t") == pytest.approx(1.0)
    now[0] += 0.5
    assert await limiter.acquire(database, "t") == pytest.approx(0.5)
    now[0] += 0.5
    assert await limiter.acquire(database, "t") == 0
    assert await limiter.acquire(database, "other") == 0
