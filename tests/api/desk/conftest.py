"""The desk in process: the real app on the test database, driven over HTTP with httpx."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import httpx
import pyotp
import pytest

from api.main import create_app
from harmwatch.accounts import two_factor
from harmwatch.accounts.models import Role
from tests.factories import make_user

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(settings, database):
    application = create_app(settings)
    application.state.db = database  # what the lifespan would do
    return application


@pytest.fixture
async def client(app):
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as http:
        yield http


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def post(client: httpx.AsyncClient, path: str, data: dict | None = None, *, page: str = "/account",
               **kwargs) -> httpx.Response:
    """POST a form with the token of the session, as a browser would after loading `page`."""
    token = csrf_of((await client.get(page)).text)
    return await client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)


async def log_in(client: httpx.AsyncClient, name: str, password: str = PASSWORD, *, secret: str | None = None,
                 at: float | None = None) -> httpx.Response:
    token = csrf_of((await client.get("/login")).text)
    response = await client.post("/login", data={"csrf_token": token, "name": name, "password": password})
    if secret and response.status_code == 303 and "/login/two-factor" in response.headers["location"]:
        page = await client.get(response.headers["location"])
        code = pyotp.TOTP(secret).at(at) if at else pyotp.TOTP(secret).now()
        response = await client.post("/login/two-factor", data={"csrf_token": csrf_of(page.text), "code": code})
    return response


async def with_two_factor(session, settings, user, secret: str | None = None) -> str:
    secret = secret or pyotp.random_base32()
    await two_factor.enable(session, settings, user, secret=secret, code=pyotp.TOTP(secret).now(),
                            actor="test")
    return secret


@pytest.fixture
async def monitor(database):
    async with database.transaction() as session:
        return await make_user(session, name="mona", role=Role.MONITOR)


@pytest.fixture
async def as_monitor(client, monitor):
    response = await log_in(client, monitor.name)
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
async def admin(database, settings):
    async with database.transaction() as session:
        user = await make_user(session, name="ada", role=Role.ADMIN)
        secret = await with_two_factor(session, settings, user)
        return SimpleNamespace(id=user.id, name=user.name, secret=secret)


@pytest.fixture
async def as_admin(client, admin):
    # The enrolment used the current step: log in with the next one (each code is accepted once).
    response = await log_in(client, admin.name, secret=admin.secret, at=time.time() + 30)
    assert response.status_code == 303 and response.headers["location"] == "/", response.text
    return client
