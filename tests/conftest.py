"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, each on a schema
built by the real Alembic migrations."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import asyncpg
import pytest

from benchmarks._pg import reachable, scratch_database
from harmwatch import migrate
from harmwatch.database import Database
from harmwatch.models import metadata
from harmwatch.settings import Settings

# Cheap argon2id costs in this process and in every `harmwatch` process the tests start (they
# inherit the environment); tests/harmwatch/test_accounts.py checks the production costs once.
os.environ["HARMWATCH_PASSWORD_HASH_PROFILE"] = "test"

PG_SERVER = os.environ.get("HARMWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def pg_url():
    """A fresh, migrated PostgreSQL database for the whole run, dropped at the end."""
    if not asyncio.run(reachable(server=PG_SERVER)):
        message = f"PostgreSQL is unreachable at {PG_SERVER}: PostgreSQL tests cannot run"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        print(f"\n\n*** SKIPPING POSTGRESQL TESTS: {message} ***\n", file=sys.stderr)
        pytest.skip(message)
    with scratch_database("harmwatch_test", server=PG_SERVER) as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "harmwatch.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


# For a test whose behaviour cannot depend on the database (HTTP headers, cookies, templates,
# parameter checks before any query): it runs once, on SQLite, instead of on both. Anything that
# reads or writes rows in a way the two databases could treat differently stays on both.
one_database = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="session")
def sqlite_path(tmp_path_factory) -> Path:
    """One path for every SQLite test of this process, so that `database` keeps one engine."""
    return tmp_path_factory.mktemp("sqlite") / "harmwatch.db"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """The URL of a migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = request.getfixturevalue("sqlite_path")
        for left in (path, path.with_name("harmwatch.db-wal"), path.with_name("harmwatch.db-shm")):
            left.unlink(missing_ok=True)  # a fresh copy each time, nothing of the last test's
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("pg_url")
    asyncio.run(_empty_postgres(url))  # before, not after: a test that died half-way leaks nothing
    return url


# One probe says which tables hold rows; only those are emptied (TRUNCATE costs ~40 ms a table
# even when it is empty, and a test writes to a few of the tables at most).
_TABLES = [table.name for table in reversed(metadata.sorted_tables)]  # children before parents
_PROBE = " UNION ALL ".join(f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM {name})" for name in _TABLES)


async def _empty_postgres(url: str) -> None:
    """Rows deleted, children first, and every used sequence restarted, as TRUNCATE … RESTART
    IDENTITY would leave the database, in one transaction."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with conn.transaction():
            holding = {row[0] for row in await conn.fetch(_PROBE)}
            for name in (name for name in _TABLES if name in holding):
                await conn.execute(f"DELETE FROM {name}")
            used = await conn.fetch("SELECT schemaname, sequencename FROM pg_sequences "
                                    "WHERE last_value IS NOT NULL")
            for schema, sequence in used:
                await conn.execute(f'ALTER SEQUENCE "{schema}"."{sequence}" RESTART')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def kept_databases() -> dict[str, Database]:
    return {}


@pytest.fixture
async def database(database_url, kept_databases):
    """The test's database. One Database (one engine) per URL serves every test of this process,
    its connections closed after each: an engine compiles each SQL statement once and keeps it
    (SQLAlchemy's statement cache is the engine's), so a new engine per test compiled every
    statement of every test again, a sixth of the CPU of a database test."""
    db = kept_databases.get(database_url)
    if db is None:
        db = kept_databases[database_url] = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-not-for-production",
        data_dir=tmp_path,
        media_dir=tmp_path / "media",
    )


@pytest.fixture
def plain_settings(tmp_path) -> Settings:
    """Settings for tests that need no database."""
    return Settings(secret_key="test-secret-key-not-for-production", data_dir=tmp_path, media_dir=tmp_path / "media")


@pytest.fixture
def live_server(database, settings):
    """The app and its bot as `harmwatch serve` runs them, on the test database (SQLite and
    PostgreSQL), over real HTTP: uvicorn in a thread of this process, so no process start per
    test. The process itself (start, stop, the CLI) is tested through tests.live.serve."""
    from tests.live import serve_here

    with serve_here(settings) as base_url:
        yield base_url


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
async def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.async_api import async_playwright

    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest.fixture
def ukraine():
    """The example Ukraine deployment (deploy/examples), active for this test only: its level
    names, its terms, its parties to the conflict."""
    from harmwatch import deployment as deployments

    loaded = deployments.load(Path(__file__).resolve().parent.parent / "deploy" / "examples" / "ukraine.toml")
    loaded.activate()
    yield loaded
    deployments.DEFAULT.activate()


# Scheduling only: `make test` hands whole files to its processes (--dist loadfile, in collection
# order: --no-loadscope-reorder, else xdist would start with the files of most tests), so a long
# file collected late runs on alone at the end. These files, longest first (as measured in a whole
# run on a 2-core machine, 2026-12-03: from ~137 s down to ~15 s), are collected first; the order
# of the tests within a file, and everything else, is unchanged.
LONG_FILES = [
    "tests/bot/faults/test_faults.py",
    "tests/api/desk/test_browser.py",
    "tests/api/ngo/test_schemathesis.py",
    "tests/api/ngo/test_streaming.py",
    "tests/api/ngo/test_time_zones.py",
    "tests/harmwatch/exports/test_pg_copy.py",
    "tests/harmwatch/forms/test_properties.py",
    "tests/bot/test_conversation.py",
    "tests/api/desk/test_browser_flow.py",
    "tests/bot/faults/test_acknowledgement.py",
    "tests/api/desk/test_accessibility.py",
    "tests/bot/test_media_lifecycle.py",
    "tests/bot/test_chat_cleanup.py",
    "tests/api/desk/test_browser_details.py",
    "tests/api/test_without_telegram.py",
    "tests/api/test_two_workers_media.py",
    "tests/api/test_telegram_webhook.py",
    "tests/bot/test_reporting_journeys.py",
    "tests/api/desk/test_duplicate_thumbnails.py",
    "tests/bot/test_answers_kept.py",
    "tests/api/test_health.py",
]


def pytest_collection_modifyitems(config, items):
    root = Path(__file__).resolve().parent.parent
    rank = {path: n for n, path in enumerate(LONG_FILES)}

    def file_rank(item) -> int:
        return rank.get(Path(item.fspath).resolve().relative_to(root).as_posix(), len(LONG_FILES))

    items.sort(key=file_rank)  # stable: the rest keep their order
