"""The fault drive, shared by tests/bot/faults and benchmarks/faults.py: real `harmwatch serve`
workers in webhook mode behind a small load balancer of the test's own, python-telegram-bot
against the sandbox, a private PostgreSQL; reporters going through whole forms while a fault
is injected; and the counts that say whether anything was lost or sent twice."""

from __future__ import annotations

import asyncio
import json
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import Response

from bot.sandbox import SandboxClient, SandboxState, create_sandbox_app
from bot.sandbox.background import serve_in_thread
from bot.sandbox.client import SandboxError
from harmwatch.database import Database, utcnow
from harmwatch.messaging.models import OutgoingReply, ProcessedUpdate
from harmwatch.privacy import lookup_key
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report
from harmwatch.settings import Settings
from tests.walks import HARM_CHAT
from tests.live import SECRET_KEY, free_port, running

TOKEN = "123456789:AAHfaults-drive-token_0123456789abcdef"
PATIENCE = 600  # rounds of 0.2 s a reporter waits for the bot's next message before giving up
PAIR_AT = HARM_CHAT.index(("tap", "Night"))  # the time of day, then "3-5 killed" at once


class Balancer:
    """The load balancer in front of the workers. `round_robin`: the next worker that accepts
    the connection, its answer relayed; `duplicate`: every update to two workers at once;
    `early_ack`: 200 at once and the update forwarded in the background (retried until a
    worker takes it), so one reporter's next update can reach another worker meanwhile."""

    def __init__(self) -> None:
        self.workers: list[str] = []
        self.mode = "round_robin"
        self._turn = 0
        self._client: httpx.AsyncClient | None = None
        self._background: set[asyncio.Task] = set()

    def _order(self) -> list[str]:
        workers = list(self.workers)
        self._turn += 1
        if not workers:
            return []
        start = self._turn % len(workers)
        return workers[start:] + workers[:start]

    async def _post(self, worker: str, body: bytes, headers: dict) -> Response:
        """The worker's answer (status, body, content type), as a proxy relays it; 0 when the
        connection failed."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=15)
        try:
            response = await self._client.post(f"{worker}/telegram/webhook", content=body, headers=headers)
        except httpx.TransportError:
            return Response(status_code=0)
        return Response(response.content, status_code=response.status_code,
                        media_type=response.headers.get("content-type"))

    async def _first_taker(self, body: bytes, headers: dict) -> Response:
        answer = Response(status_code=502)
        for worker in self._order():
            answer = await self._post(worker, body, headers)
            if answer.status_code not in (0, 502):
                return answer
        return Response(status_code=502) if answer.status_code == 0 else answer

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        body = await request.body()
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        headers["content-type"] = "application/json"
        if self.mode == "duplicate" and len(self.workers) > 1:
            first, second = self._order()[:2]
            answers = await asyncio.gather(self._post(first, body, headers), self._post(second, body, headers))
            taken = [answer for answer in answers if 200 <= answer.status_code < 300]
            answer = taken[0] if taken else Response(status_code=502)
        elif self.mode == "early_ack":
            task = asyncio.create_task(self._deliver_anyhow(body, headers))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            answer = Response(status_code=200)
        else:
            answer = await self._first_taker(body, headers)
        await answer(scope, receive, send)

    async def _deliver_anyhow(self, body: bytes, headers: dict) -> None:
        for _ in range(300):
            if 200 <= (await self._first_taker(body, headers)).status_code < 300:
                return
            await asyncio.sleep(0.2)


@dataclass
class Cluster:
    """Sandbox, balancer, database and workers; `kill` and `start_worker` change the workers."""

    sandbox: str
    balancer: Balancer
    database_url: str
    folder: Path
    stack: ExitStack
    ports: list[int] = field(default_factory=list)
    processes: dict = field(default_factory=dict)
    worker_env: dict = field(default_factory=dict)

    def start_worker(self) -> int:
        port = free_port()
        served = self.stack.enter_context(running(
            self.database_url, self.folder, port=port, telegram_token=TOKEN, telegram_api_url=self.sandbox,
            telegram_webhook_url=self.webhook_url, reply_lease="20", reply_retry_interval="0.3",
            outbox_interval="0.5", shutdown_grace="5", **self.worker_env))
        self.ports.append(port)
        self.balancer.workers.append(served.url)
        self.processes[port] = served.process
        return port

    @property
    def webhook_url(self) -> str:
        return f"{self.balancer_url}/telegram/webhook"

    balancer_url: str = ""

    def kill(self, port: int) -> None:
        """SIGKILL: no shutdown, no drain, leases left behind."""
        self.balancer.workers.remove(f"http://127.0.0.1:{port}")
        self.ports.remove(port)
        self.processes.pop(port).send_signal(signal.SIGKILL)

    def reconfigure(self, **env: str) -> None:
        """Replace every worker by one started with these extra settings (HARMWATCH_<NAME>)."""
        self.worker_env = env
        for port in list(self.ports):
            self.start_worker()
            self.terminate(port)

    def terminate(self, port: int) -> int:
        """SIGTERM, as systemd sends it: the worker drains within its grace and exits; its exit status."""
        self.balancer.workers.remove(f"http://127.0.0.1:{port}")
        self.ports.remove(port)
        process = self.processes.pop(port)
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=60)

    async def in_doubt(self) -> int:
        """Replies leased and not marked: after a SIGKILL, those the dead worker was sending.
        Telegram may or may not have them; each is sent again when its lease runs out."""
        db = Database(self.database_url)
        try:
            async with db.transaction() as session:
                return await session.scalar(sa.select(sa.func.count()).select_from(OutgoingReply).where(
                    OutgoingReply.sent_at.is_(None), OutgoingReply.due_at > utcnow()))
        finally:
            await db.dispose()


@contextmanager
def cluster(database_url: str, folder: Path, *, workers: int = 2) -> Iterator[Cluster]:
    balancer = Balancer()
    with ExitStack() as stack:
        sandbox = stack.enter_context(serve_in_thread(create_sandbox_app(
            SandboxState(token=TOKEN, webhook_retry_delays=(0.2, 0.5, 1.0), webhook_timeout=15))))
        balancer_url = stack.enter_context(serve_in_thread(balancer))
        running = Cluster(sandbox, balancer, database_url, folder, stack, balancer_url=balancer_url)
        for _ in range(workers):
            running.start_worker()
        yield running


async def _until_messages(client: SandboxClient, chat: int, count: int, seen: dict[int, str]) -> bool:
    """Wait (long polls, bounded) until the bot has sent `count` different messages in this chat.
    A message is known by its text when first seen (edits come later), so a copy sent twice
    counts once: the reporter goes on, and the copy is counted by `tally`."""
    for _ in range(PATIENCE // 50):
        messages = await client.bot_messages(chat)
        for message in messages:
            seen.setdefault(message["message_id"], message["raw_text"] or message["text"] or "")
        if len(set(seen.values())) >= count:
            return True
        try:
            await client.wait_for_bot_message(chat, after=max((m["message_id"] for m in messages), default=0),
                                              timeout=10)
        except TimeoutError:
            pass
    return False


async def _press(client: SandboxClient, user: dict, label: str) -> bool:
    for _ in range(PATIENCE):
        try:
            await client.press_button(user, label)
            return True
        except SandboxError:  # its message is not there yet (an edit on its way)
            await asyncio.sleep(0.2)
    return False


async def journey(client: SandboxClient, steps: list[int], *, pair: bool = False) -> tuple[dict, bool]:
    """One reporter through a whole harm report, each step once the bot's question is there
    (each step but a toggle brings exactly one new message); with `pair`, two steps go at once.
    Returns the user and whether they finished."""
    user = await client.create_user("en")
    chat, expected, seen = user["id"], 0, {}
    for index, (kind, what) in enumerate(HARM_CHAT):
        if not (pair and index == PAIR_AT + 1) and not await _until_messages(client, chat, expected, seen):
            return user, False
        if kind == "say":
            await client.send_text(user, what)
        elif not await _press(client, user, what):
            return user, False
        expected += kind != "toggle"
        steps.append(1)
    return user, await _until_messages(client, chat, expected, seen)


@dataclass
class Tally:
    reporters: int
    updates_sent: int
    answers_lost: int
    left_without_reply: int
    duplicate_messages: int
    reports: int
    replies_pending: int
    refused_out_of_order: int
    max_messages_per_chat_over: int
    finished: int
    chats_not_exactly_once: int = 0  # chats that did not get each of the bot's messages exactly once
    late_notices: int = 0  # "a message of yours reached me late": applied after a newer one, not saved

    def line(self, name: str) -> str:
        return (f"{name}: updates sent {self.updates_sent}, answers lost {self.answers_lost}, reporters left "
                f"without a reply {self.left_without_reply}, duplicate messages {self.duplicate_messages}, "
                f"reports {self.reports}/{self.reporters}, out of order refused {self.refused_out_of_order}, "
                f"chats not given each message exactly once {self.chats_not_exactly_once}, late messages {self.late_notices}")


async def settle(database_url: str, rounds: int = 300) -> int:
    """Wait until no reply is owed (or give up); the number still owed."""
    db = Database(database_url)
    try:
        for _ in range(rounds):
            try:
                async with db.transaction() as session:
                    pending = await session.scalar(sa.select(sa.func.count()).select_from(OutgoingReply)
                                                   .where(OutgoingReply.sent_at.is_(None)))
                if not pending:
                    return 0
            except Exception:  # the database is restarting
                pending = -1
            await asyncio.sleep(0.2)
        return pending
    finally:
        await db.dispose()


async def tally(client: SandboxClient, database_url: str, users: list[dict], finished: list[bool],
                since_call: int) -> Tally:
    """Counts after a drive: updates the sandbox made for these users and whether each was
    applied once; messages sent twice (the call log); reports; replies still owed."""
    pending = await settle(database_url)
    chats = {u["id"] for u in users}
    updates = [u for u in (await client.updates())["updates"]
               if _chat_of(u) in chats]
    ids = [u["update_id"] for u in updates]
    sends = Counter()
    for call in await client.calls("sendMessage", since=since_call):
        if call["ok"] and int(call["params"].get("chat_id", 0)) in chats:
            sends[(int(call["params"]["chat_id"]), call["params"].get("text"))] += 1
    settings = Settings(secret_key=SECRET_KEY)
    names = [lookup_key(settings, u["id"]) for u in users]
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            applied = set((await session.scalars(sa.select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.update_id.in_(ids), ProcessedUpdate.applied_at.is_not(None)))).all())
            reporter_ids = list((await session.scalars(sa.select(Reporter.id).where(
                Reporter.lookup_key.in_(names)))).all())
            answered = set((await session.scalars(sa.select(OutgoingReply.update_id).where(
                OutgoingReply.update_id.in_(ids)))).all())
            reports = await session.scalar(sa.select(sa.func.count()).select_from(Report).where(
                Report.reporter_id.in_(reporter_ids), Report.answers["description"].as_string().is_not(None)))
    finally:
        await db.dispose()
    per_chat = Counter()
    for (chat, _), count in sends.items():
        per_chat[chat] += count
    expected_per_chat = sum(kind != "toggle" for kind, _ in HARM_CHAT)
    return Tally(
        reporters=len(users), updates_sent=len(ids), answers_lost=len(set(ids) - applied),
        left_without_reply=finished.count(False), duplicate_messages=sum(n - 1 for n in sends.values() if n > 1),
        reports=reports, replies_pending=pending, refused_out_of_order=len(applied - answered),
        max_messages_per_chat_over=max((n - expected_per_chat for n in per_chat.values()), default=0),
        finished=finished.count(True),
        late_notices=sum(n for (_, text), n in sends.items() if "reached me late" in (text or "")),
        chats_not_exactly_once=sum(per_chat.get(u["id"], 0) != expected_per_chat for u in users),
    )


def _chat_of(update: dict) -> int | None:
    body = next(v for k, v in update.items() if k != "update_id")
    if "chat" in body:
        return body["chat"]["id"]
    return body.get("message", {}).get("chat", {}).get("id")


async def drive(running: Cluster, reporters: int, *, during=None, pair: bool = False) -> Tally:
    """`reporters` journeys at once; `during(progress)` is awaited beside them with a function
    returning how many of their updates the sandbox has made so far (to time a fault by count)."""
    async with SandboxClient(running.sandbox, timeout=60) as client:
        since = max((c["seq"] for c in await client.calls()), default=0)
        steps: list[int] = []
        journeys = [asyncio.create_task(journey(client, steps, pair=pair)) for _ in range(reporters)]

        async def progress() -> int:
            return len(steps)

        if during is not None:
            await during(progress)
        results = await asyncio.gather(*journeys)
        return await tally(client, running.database_url, [u for u, _ in results], [f for _, f in results], since)


async def until_progress(progress, count: int) -> None:
    while await progress() < count:
        await asyncio.sleep(0.05)


def total_updates(reporters: int) -> int:
    return reporters * len(HARM_CHAT)


# The faults, as the tests and benchmarks/faults.py inject them.

def kill_and_restart(running: Cluster, reporters: int, in_doubt: list[int] | None = None):
    """A `during` for `drive`: a third of the way through, one worker SIGKILLed (the replies it
    held leased appended to `in_doubt`), and a new one started half way."""
    async def fault(progress) -> None:
        await until_progress(progress, total_updates(reporters) // 3)
        running.kill(running.ports[0])
        if in_doubt is not None:
            in_doubt.append(await running.in_doubt())
        await until_progress(progress, total_updates(reporters) // 2)
        await asyncio.to_thread(running.start_worker)

    return fault


def restart_database(pg, reporters: int):
    """A `during` for `drive`: the private PostgreSQL (private_pg.PrivatePostgres) restarted a
    third of the way through."""
    async def fault(progress) -> None:
        await until_progress(progress, total_updates(reporters) // 3)
        await asyncio.to_thread(pg.restart)

    return fault


# (method, status, how many calls fail) for 10 reporters: longer than a retry budget.
TELEGRAM_FAILURES = (("sendMessage", 500, 30), ("sendMessage", 429, 15), ("editMessageText", 500, 20),
                     ("editMessageText", 429, 10), ("answerCallbackQuery", 500, 40), ("answerCallbackQuery", 429, 20))


async def telegram_failing(running: Cluster, reporters: int, *, scale: int = 1) -> tuple[Tally, int]:
    """A drive while Telegram answers 500 and 429 (retry after 1 s) to the calls of
    TELEGRAM_FAILURES, each count times `scale`; the tally and how many planned failures were met."""
    async with SandboxClient(running.sandbox) as client:
        for method, status, count in TELEGRAM_FAILURES:
            await client.inject_faults(method, count=count * scale, status=status, retry_after=1)
        try:
            tally = await drive(running, reporters)
            met = sum(1 for c in await client.calls() if c["fault"])
        finally:
            await client.clear_faults()
    return tally, met


async def in_mode(running: Cluster, mode: str, reporters: int, *, pair: bool = False) -> Tally:
    """A drive with the balancer in `mode` ("duplicate", "early_ack"), back to round robin after."""
    running.balancer.mode = mode
    try:
        return await drive(running, reporters, pair=pair)
    finally:
        running.balancer.mode = "round_robin"


async def early_ack_with_gap_wait(running: Cluster, reporters: int, gap_wait: str = "3") -> Tally:
    """Two updates of one reporter at two workers at once, behind a balancer that acknowledges
    early, as a deployment behind one sets it up: every worker with HARMWATCH_ORDER_GAP_WAIT
    (`gap_wait`, "0": off), and the workers as they were after."""
    await asyncio.to_thread(running.reconfigure, order_gap_wait=gap_wait)
    try:
        return await in_mode(running, "early_ack", reporters, pair=True)
    finally:
        await asyncio.to_thread(running.reconfigure)


__all__ = ["TELEGRAM_FAILURES", "Balancer", "Cluster", "Tally", "cluster", "drive", "early_ack_with_gap_wait", "in_mode",
           "json", "kill_and_restart", "restart_database", "telegram_failing", "total_updates", "until_progress"]
