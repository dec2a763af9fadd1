"""Fixtures for the fault-injection tests: a private PostgreSQL the tests may stop and restart,
and a sandbox standing in for Telegram on its own port."""

from __future__ import annotations

import pytest

from bot.sandbox import SandboxState, create_sandbox_app
from bot.sandbox.background import serve_in_thread
from tests.bot.faults.private_pg import private_postgres

TOKEN = "123456789:AAHfaults-test-token_0123456789abcdef"


@pytest.fixture(scope="module")
def private_pg():
    with private_postgres() as server:
        if server is None:
            pytest.skip("PostgreSQL binaries are not installed (/usr/lib/postgresql/*/bin)")
        yield server


@pytest.fixture
async def clean_pg(private_pg):
    """The private server, running and emptied of the previous test's rows."""
    from tests.conftest import _empty_postgres

    private_pg.ensure_running()
    await _empty_postgres(private_pg.url)
    return private_pg


@pytest.fixture
def telegram():
    """A stand-in for Telegram on its own port, retrying webhook deliveries quickly."""
    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN, webhook_retry_delays=(0.2, 0.5, 1)))) as url:
        yield url
