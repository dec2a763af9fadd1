"""Findings 2 and 3: a TOTP or recovery code is accepted once, even from several sessions at
the same moment; log-out ends that session on the server, so a copied cookie stops working."""

import asyncio
import time

import httpx
import pyotp
import sqlalchemy as sa

from harmwatch.accounts import two_factor
from harmwatch.accounts.models import User
from tests.api.desk.conftest import csrf_of, log_in, post
from tests.factories import make_user

SESSIONS = 4


async def _enrolled(database, settings, name: str) -> tuple[int, str, list[str]]:
    async with database.transaction() as session:
        user = await make_user(session, name=name)
        secret = pyotp.random_base32()
        codes = await two_factor.enable(session, settings, user, secret=secret, code=pyotp.TOTP(secret).now(),
                                        actor="test")
        return user.id, secret, codes


async def _half_logged_in(app, name: str, count: int) -> list[tuple[httpx.AsyncClient, str]]:
    """`count` browsers that passed the password step, each with its second-step form's token."""
    browsers = []
    for i in range(count):
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(f"198.51.100.{i + 1}", 1)),
                                 base_url="http://desk.test")
        response = await log_in(http, name)
        page = await http.get(response.headers["location"])
        browsers.append((http, csrf_of(page.text)))
    return browsers


async def _submit_everywhere(browsers, code: str) -> list[int]:
    try:
        responses = await asyncio.gather(*(
            http.post("/login/two-factor", data={"csrf_token": token, "code": code}) for http, token in browsers))
    finally:
        for http, _ in browsers:
            await http.aclose()
    return sorted(r.status_code for r in responses)


async def test_one_totp_code_from_several_sessions_at_once_is_accepted_once(app, database, settings):
    await _enrolled(database, settings, "tara")
    browsers = await _half_logged_in(app, "tara", SESSIONS)
    code = pyotp.TOTP((await _secret(database, settings, "tara"))).at(time.time() + 30)
    assert await _submit_everywhere(browsers, code) == [303] + [401] * (SESSIONS - 1)


async def test_one_recovery_code_from_several_sessions_at_once_is_accepted_once(app, database, settings):
    _, _, codes = await _enrolled(database, settings, "rita")
    browsers = await _half_logged_in(app, "rita", 3)
    assert await _submit_everywhere(browsers, codes[0]) == [303, 401, 401]


async def _secret(database, settings, name: str) -> str:
    async with database.transaction() as session:
        user = await session.scalar(sa.select(User).where(User.name == name))
        return two_factor._secret_of(settings, user)


async def _check_concurrently(database, settings, user_id: int, code: str, count: int) -> list[str | None]:
    """The service itself, in concurrent transactions (no log-in lock around it)."""
    async def one() -> str | None:
        async with database.transaction() as session:
            return await two_factor.check(session, settings, await session.get(User, user_id), code)

    return await asyncio.gather(*(one() for _ in range(count)))


async def test_concurrent_checks_of_one_totp_code_accept_it_once(database, settings):
    user_id, secret, _ = await _enrolled(database, settings, "tomas")
    results = await _check_concurrently(database, settings, user_id, pyotp.TOTP(secret).at(time.time() + 30), 4)
    assert results.count("totp") == 1 and results.count(None) == 3


async def test_concurrent_checks_of_recovery_codes_spend_each_once_and_lose_none(database, settings):
    user_id, _, codes = await _enrolled(database, settings, "rosa")
    same = await _check_concurrently(database, settings, user_id, codes[0], 3)
    assert same.count("recovery_code") == 1 and same.count(None) == 2
    others = await asyncio.gather(*(_check_concurrently(database, settings, user_id, c, 1) for c in codes[1:4]))
    assert [r for [r] in others] == ["recovery_code"] * 3
    async with database.transaction() as session:
        assert len((await session.get(User, user_id)).recovery_codes) == len(codes) - 4


async def test_a_cookie_copied_before_log_out_no_longer_works(client, monitor):
    await log_in(client, monitor.name)
    copied = client.cookies["hw_desk"]
    assert (await post(client, "/logout")).status_code == 303
    client.cookies.set("hw_desk", copied, domain="desk.test")
    response = await client.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


async def test_log_out_leaves_the_accounts_other_sessions_alone(app, client, monitor):
    await log_in(client, monitor.name)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as laptop:
        await log_in(laptop, monitor.name)
        await post(client, "/logout")
        assert (await laptop.get("/")).status_code == 200
