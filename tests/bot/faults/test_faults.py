"""Reporters through whole forms while things break: two real `harmwatch serve` workers in
webhook mode behind a load balancer, python-telegram-bot against the sandbox, a private
PostgreSQL. After each fault: every update the sandbox made was applied once, every reporter
got every question once and finished, every report is complete, no message went out twice."""

from __future__ import annotations

import asyncio
import signal

import pytest

from bot.sandbox import SandboxClient

from tests.bot.faults.drive import Tally, cluster, drive, early_ack_with_gap_wait, in_mode, kill_and_restart
from tests.bot.faults.drive import restart_database, telegram_failing, total_updates, until_progress

REPORTERS = 10


@pytest.fixture(scope="module")
def running(private_pg, tmp_path_factory):
    with cluster(private_pg.url, tmp_path_factory.mktemp("workers")) as started:
        yield started


def assert_nothing_lost_nothing_twice(tally: Tally, *, in_doubt: int = 0, reporters: int = REPORTERS) -> None:
    assert tally.updates_sent == total_updates(reporters)
    assert tally.answers_lost == 0
    assert tally.left_without_reply == 0
    assert tally.duplicate_messages <= in_doubt
    assert tally.max_messages_per_chat_over <= in_doubt
    assert tally.reports == reporters
    assert tally.replies_pending == 0
    assert tally.finished == tally.reporters


async def test_a_worker_killed_and_restarted_mid_run(running, private_pg):
    """A message the dead worker was sending when killed (Telegram had it, the mark was not
    written) is the one thing that may arrive twice: at most one per reply it held."""
    in_doubt: list[int] = []
    tally = await drive(running, REPORTERS, during=kill_and_restart(running, REPORTERS, in_doubt))
    assert_nothing_lost_nothing_twice(tally, in_doubt=in_doubt[0])


async def test_the_database_restarted_mid_run(running, private_pg):
    tally = await drive(running, REPORTERS, during=restart_database(private_pg, REPORTERS))
    assert_nothing_lost_nothing_twice(tally)


async def test_telegram_failing_with_500_and_429_longer_than_a_retry_budget(running):
    tally, met = await telegram_failing(running, REPORTERS)
    assert met == 30 + 15 + 20 + 10 + 40 + 20  # every planned failure was met
    assert_nothing_lost_nothing_twice(tally)


async def test_a_worker_stopped_and_one_killed_while_replies_wait_out_a_429(running):
    """Telegram answers 429 (again in 3 s) to the next sends; while those replies wait, their
    worker gets SIGTERM (it drains what it can within its grace and leaves the rest in the
    database), later another gets SIGKILL (no drain at all); each is replaced. After the
    restarts every reply is delivered, once (but the one a killed worker was sending)."""
    in_doubt, met = [], []
    async with SandboxClient(running.sandbox) as client:
        async def stop_while_waiting(progress) -> None:
            for signal_name, share in (("SIGTERM", 3), ("SIGKILL", 2)):
                await until_progress(progress, total_updates(REPORTERS) // share)
                since = max((c["seq"] for c in await client.calls()), default=0)
                await client.inject_faults("sendMessage", count=REPORTERS, status=429, retry_after=3)
                for _ in range(300):  # until some replies are waiting out their 429
                    failed = [c for c in await client.calls("sendMessage", since=since) if c["fault"]]
                    if len(failed) >= REPORTERS // 2:
                        break
                    await asyncio.sleep(0.1)
                met.append(len(failed))
                if signal_name == "SIGTERM":
                    # uvicorn ends a graceful shutdown by raising the signal again: -15, not a kill
                    assert await asyncio.to_thread(running.terminate, running.ports[0]) in (0, -signal.SIGTERM)
                else:
                    running.kill(running.ports[0])
                    in_doubt.append(await running.in_doubt())
                await asyncio.to_thread(running.start_worker)

        try:
            tally = await drive(running, REPORTERS, during=stop_while_waiting)
        finally:
            await client.clear_faults()
    assert all(n >= REPORTERS // 2 for n in met)  # the workers were stopped while replies waited
    assert_nothing_lost_nothing_twice(tally, in_doubt=in_doubt[0])
    assert tally.chats_not_exactly_once <= in_doubt[0]


async def test_the_same_update_at_two_workers_at_once(running):
    assert_nothing_lost_nothing_twice(await in_mode(running, "duplicate", REPORTERS))


async def test_two_updates_of_one_reporter_at_two_workers_at_once(running):
    """Each reporter taps an answer and types the next one at once; the balancer acknowledges
    each update at once and forwards it on its own, so the two reach two workers in either
    order. The newer one waits for the older one to arrive (HARMWATCH_ORDER_GAP_WAIT) and be
    applied: every update is applied once and in order, every reporter gets every message once
    and finishes."""
    # A proxy that acknowledges before the worker: the deployment sets HARMWATCH_ORDER_GAP_WAIT.
    tally = await early_ack_with_gap_wait(running, REPORTERS, "3")
    assert_nothing_lost_nothing_twice(tally)
    assert tally.refused_out_of_order == 0 and tally.late_notices == 0
    assert tally.chats_not_exactly_once == 0
    assert tally.finished == REPORTERS
