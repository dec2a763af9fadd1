"""The faults that apply to a single-machine SQLite deployment, on a SQLite file: two real
`harmwatch serve` workers on one file behind the test's balancer (SQLite's write lock takes the
place of PostgreSQL's row locks), python-telegram-bot against the sandbox. A database restart
does not apply (there is no server); Telegram failing is the same code whatever the database."""

from __future__ import annotations

import shutil

import pytest

from tests.bot.faults.drive import cluster, drive, in_mode, kill_and_restart
from tests.bot.faults.test_faults import assert_nothing_lost_nothing_twice

REPORTERS = 6


@pytest.fixture(scope="module")
def running(sqlite_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-workers")
    path = folder / "harmwatch.sqlite"
    shutil.copy(sqlite_template, path)
    with cluster(f"sqlite+aiosqlite:///{path}", folder) as started:
        yield started


async def test_a_worker_killed_and_restarted_on_a_sqlite_file(running):
    in_doubt: list[int] = []
    tally = await drive(running, REPORTERS, during=kill_and_restart(running, REPORTERS, in_doubt))
    assert_nothing_lost_nothing_twice(tally, in_doubt=in_doubt[0], reporters=REPORTERS)


async def test_the_same_update_at_two_workers_on_a_sqlite_file(running):
    tally = await in_mode(running, "duplicate", REPORTERS)
    assert_nothing_lost_nothing_twice(tally, reporters=REPORTERS)
    assert tally.chats_not_exactly_once == 0
