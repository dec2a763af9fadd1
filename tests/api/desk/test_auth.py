"""Log-in, two-factor, throttling, roles and sessions, over HTTP."""

import time

import pyotp
import sqlalchemy as sa

from harmwatch.accounts.models import Role, User
from harmwatch.audit.models import AuditEvent
from tests.api.desk.conftest import PASSWORD, csrf_of, log_in, post, with_two_factor
from tests.conftest import one_database
from tests.factories import make_user


async def actions(database, actor=None):
    async with database.transaction() as session:
        query = sa.select(AuditEvent.action).order_by(AuditEvent.id)
        if actor:
            query = query.where(AuditEvent.actor == actor)
        return list((await session.scalars(query)).all())


async def test_log_in_sets_a_signed_http_only_same_site_cookie(client, monitor, database):
    response = await log_in(client, monitor.name)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    page = await client.get("/")
    assert page.status_code == 200 and "mona" in page.text
    assert "login.succeeded" in await actions(database, "user:mona")


@one_database
async def test_cookie_is_secure_over_https(app, monitor):
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://desk.test") as https:
        response = await log_in(https, monitor.name)
    assert "Secure" in response.headers["set-cookie"]


async def test_wrong_password_is_refused_and_logged(client, monitor, database):
    response = await log_in(client, monitor.name, "not the password")
    assert response.status_code == 401 and "Wrong name or password" in response.text
    assert (await client.get("/")).status_code == 303
    assert "login.failed" in await actions(database, "user:mona")


async def test_account_is_throttled_after_five_failures_with_a_clear_message(client, monitor):
    for _ in range(5):
        assert (await log_in(client, monitor.name, "wrong password!")).status_code == 401
    response = await log_in(client, monitor.name)  # even the right password waits
    assert response.status_code == 429
    assert "Too many failed log-ins for this account" in response.text and "minutes" in response.text


async def test_address_is_throttled_across_accounts(client, database):
    for i in range(20):
        await log_in(client, f"nobody-{i}", "wrong password!")
    async with database.transaction() as session:
        await make_user(session, name="fresh")
    response = await log_in(client, "fresh")
    assert response.status_code == 429 and "from this network" in response.text


async def test_ngo_account_is_refused_at_the_desk(client, database):
    async with database.transaction() as session:
        await make_user(session, name="ngo-analyst", role=Role.NGO)
    response = await log_in(client, "ngo-analyst")
    assert response.status_code == 403 and "API only" in response.text
    assert (await client.get("/")).status_code == 303
    assert "login.failed" in await actions(database, "user:ngo-analyst")


async def test_deactivated_account_is_refused(client, database):
    async with database.transaction() as session:
        user = await make_user(session, name="gone")
        user.active = False
    assert (await log_in(client, "gone")).status_code == 401


async def test_two_factor_code_is_required_and_accepted_once(client, database, settings):
    async with database.transaction() as session:
        user = await make_user(session, name="tara")
        secret = await with_two_factor(session, settings, user)
    response = await log_in(client, "tara")
    assert response.headers["location"].startswith("/login/two-factor")
    assert (await client.get("/")).status_code == 303  # not logged in yet
    page = await client.get(response.headers["location"])
    wrong = await client.post("/login/two-factor", data={"csrf_token": csrf_of(page.text), "code": "000000"})
    assert wrong.status_code == 401 and "code is not right" in wrong.text
    code = pyotp.TOTP(secret).at(time.time() + 30)
    ok = await client.post("/login/two-factor", data={"csrf_token": csrf_of(page.text), "code": code})
    assert ok.status_code == 303 and (await client.get("/")).status_code == 200
    # The same code again, in a new session, is a replay.
    await post(client, "/logout")
    response = await log_in(client, "tara")
    page = await client.get(response.headers["location"])
    again = await client.post("/login/two-factor", data={"csrf_token": csrf_of(page.text), "code": code})
    assert again.status_code == 401


async def test_recovery_code_works_once(client, database, settings):
    async with database.transaction() as session:
        user = await make_user(session, name="rita")
        secret = pyotp.random_base32()
        from harmwatch.accounts import two_factor

        codes = await two_factor.enable(session, settings, user, secret=secret, code=pyotp.TOTP(secret).now(),
                                        actor="test")
    for expected in (303, 401):
        response = await log_in(client, "rita")
        page = await client.get(response.headers["location"])
        result = await client.post("/login/two-factor", data={"csrf_token": csrf_of(page.text), "code": codes[0]})
        assert result.status_code == expected
        if expected == 303:
            await post(client, "/logout")


async def test_admin_without_two_factor_must_enrol_and_gets_recovery_codes(client, database):
    async with database.transaction() as session:
        await make_user(session, name="root", role=Role.ADMIN)
    await log_in(client, "root")
    response = await client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/account/two-factor"
    assert (await client.get("/admin/users")).headers["location"] == "/account/two-factor"
    page = await client.get("/account/two-factor")
    secret = page.text.split('id="totp-secret">')[1].split("<")[0]
    assert "<svg" in page.text  # the QR code, drawn on the server
    enabled = await client.post("/account/two-factor", data={"csrf_token": csrf_of(page.text),
                                                             "code": pyotp.TOTP(secret).now()})
    assert enabled.status_code == 200 and enabled.text.count("<li><code>") == 10
    assert (await client.get("/admin/users")).status_code == 200
    assert "user.totp_enabled" in await actions(database, "test") + await actions(database, "user:root")


async def test_log_out_everywhere_ends_other_sessions(app, client, monitor):
    import httpx

    await log_in(client, monitor.name)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as laptop:
        await log_in(laptop, monitor.name)
        assert (await laptop.get("/")).status_code == 200
        response = await post(client, "/logout/everywhere")
        assert response.status_code == 303
        assert (await laptop.get("/")).status_code == 303
    assert (await client.get("/")).status_code == 303


@one_database
async def test_tampered_cookie_is_no_session(client, monitor):
    await log_in(client, monitor.name)
    value = client.cookies["hw_desk"]
    client.cookies.set("hw_desk", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"), domain="desk.test")
    assert (await client.get("/")).status_code == 303


async def test_language_choice_makes_the_desk_right_to_left(as_monitor, database):
    response = await post(as_monitor, "/account/language", {"lang": "ar"})
    assert response.status_code == 303
    page = await as_monitor.get("/")
    assert '<html lang="ar" dir="rtl">' in page.text
    async with database.transaction() as session:
        assert (await session.scalar(sa.select(User.lang).where(User.name == "mona"))) == "ar"


@one_database
async def test_log_in_page_follows_the_browser_language(client):
    page = await client.get("/login", headers={"accept-language": "fa-IR,fa;q=0.9"})
    assert 'dir="rtl"' in page.text and 'lang="fa"' in page.text


@one_database
async def test_next_never_leaves_the_site(client, monitor):
    token = csrf_of((await client.get("/login")).text)
    response = await client.post("/login", data={"csrf_token": token, "name": monitor.name, "password": PASSWORD,
                                                 "next": "//evil.example/x"})
    assert response.headers["location"] == "/"
