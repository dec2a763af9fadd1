"""Findings 1, 4 and the throttle part of 8: the log-in limit holds against a burst of
concurrent attempts, every failure costs the same work, and a stranger cannot lock a monitor
out of the address she works from. Password checks are counted, never timed."""

import asyncio
import re
import threading

import httpx
import pytest

from harmwatch.accounts import service
from harmwatch.accounts.models import Role
from harmwatch.accounts.throttle import ADDRESS_LIMIT, PAIR_LIMIT
from tests.api.desk.conftest import PASSWORD, csrf_of, log_in
from tests.factories import make_user

BURST = 12
HOME, STRANGER = "198.51.100.20", "192.0.2.66"


class CountingHasher:
    """The real argon2 hasher, counting the verifications it does."""

    def __init__(self, real):
        self.real, self.verified, self._lock = real, 0, threading.Lock()

    def verify(self, *args, **kwargs):
        with self._lock:
            self.verified += 1
        return self.real.verify(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher(service.password_hasher())
    monkeypatch.setattr(service, "password_hasher", lambda profile="production": counting)
    return counting


def browser(app, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)),
                             base_url="http://desk.test")


async def test_a_burst_of_wrong_passwords_reaches_the_password_check_only_up_to_the_limit(app, monitor, hasher):
    browsers = [browser(app, HOME) for _ in range(BURST)]
    try:
        tokens = [csrf_of((await b.get("/login")).text) for b in browsers]
        responses = await asyncio.gather(*(
            b.post("/login", data={"csrf_token": t, "name": monitor.name, "password": "wrong password!"})
            for b, t in zip(browsers, tokens)))
    finally:
        for b in browsers:
            await b.aclose()
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * PAIR_LIMIT + [429] * (BURST - PAIR_LIMIT)
    assert hasher.verified == PAIR_LIMIT


async def test_a_burst_from_one_address_across_accounts_stops_at_the_address_limit(app, database, hasher):
    browsers = [browser(app, STRANGER) for _ in range(ADDRESS_LIMIT + 4)]
    try:
        tokens = [csrf_of((await b.get("/login")).text) for b in browsers]
        responses = await asyncio.gather(*(
            b.post("/login", data={"csrf_token": t, "name": f"nobody-{i}", "password": "guess"})
            for i, (b, t) in enumerate(zip(browsers, tokens))))
    finally:
        for b in browsers:
            await b.aclose()
    assert sorted(r.status_code for r in responses) == [401] * ADDRESS_LIMIT + [429] * 4
    assert hasher.verified == ADDRESS_LIMIT


async def test_every_failed_log_in_does_the_same_password_work(client, database, hasher):
    async with database.transaction() as session:
        await make_user(session, name="ngo-partner", role=Role.NGO, password=None)
        await make_user(session, name="normal")
        gone = await make_user(session, name="gone")
        gone.active = False
    for name, password, status in (("no-such-account", "whatever it is", 401),
                                   ("ngo-partner", "whatever it is", 401),
                                   ("normal", "not the password", 401),
                                   ("gone", PASSWORD, 401)):
        before = hasher.verified
        assert (await log_in(client, name, password)).status_code == status, name
        assert hasher.verified - before == 1, name


async def test_a_stranger_cannot_lock_a_monitor_out_of_her_usual_address(app, monitor):
    async with browser(app, HOME) as home, browser(app, STRANGER) as stranger:
        assert (await log_in(home, monitor.name)).status_code == 303
        for _ in range(PAIR_LIMIT):
            assert (await log_in(stranger, monitor.name, "wrong password!")).status_code == 401
        locked = await log_in(stranger, monitor.name, PASSWORD)
        assert locked.status_code == 429
        assert re.search(r"Try again in 1[45] minutes", locked.text)
        home.cookies.clear()
        assert (await log_in(home, monitor.name)).status_code == 303
