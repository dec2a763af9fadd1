"""N simulated reporters completing harm reports at once through the sandbox, on PostgreSQL,
with the bot in polling and in webhook mode; in the same run, a bare python-telegram-bot echo
bot through a sandbox of its own. The three run side by side and are driven in turns, round
after round (the first round warms up and is not counted), so that a machine whose speed drifts
during the run weighs on all three alike. Prints updates/s for each round and the medians, the
ratio (goal: >= 0.5), and checks that every report was persisted.

    python benchmarks/bot_throughput.py [--reporters 50] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from benchmarks._pg import scratch_database  # noqa: E402
from bot.ordering import PerChatOrder  # noqa: E402
from bot.sandbox import SandboxClient, SandboxState, create_sandbox_app  # noqa: E402
from bot.sandbox.background import serve_in_thread  # noqa: E402
from harmwatch.database import Database  # noqa: E402
from harmwatch.reports.models import Report  # noqa: E402
from tests.walks import HARM_CHAT  # noqa: E402

TOKEN = "123456789:AAHbenchmark-token_0123456789abcdef"
# One whole harm report, the one every test walks (tests.walks.HARM_CHAT): each gesture is an update.
SCRIPT = HARM_CHAT


async def reporter(client: SandboxClient, script: list[tuple[str, str]]) -> int:
    user = await client.create_user("en")
    chat = user["id"]
    last = 0
    for kind, what in script:
        if kind == "say":
            sent = await client.send_text(user, what)
            last = (await client.wait_for_bot_message(chat, after=sent["message"]["message_id"], timeout=60))["message_id"]
        elif kind == "tap":
            await client.press_button(user, what)
            last = (await client.wait_for_bot_message(chat, after=last, timeout=60))["message_id"]
        else:
            pressed = await client.press_button(user, what)
            await client.callback_answer(pressed, timeout=60)
    return len(script)


async def drive(sandbox_url: str, reporters: int, script) -> tuple[int, float]:
    # Idle connections are dropped before the server (5 s keep-alive) could close them under us.
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=400, keepalive_expiry=2)
    async with SandboxClient(sandbox_url, client=httpx.AsyncClient(base_url=f"{sandbox_url}/control",
                                                                   timeout=90, limits=limits)) as client:
        started = time.perf_counter()
        counts = await asyncio.gather(*(reporter(client, script) for _ in range(reporters)))
        return sum(counts), time.perf_counter() - started


async def count_reports(url: str) -> int:
    db = Database(url)
    async with db.transaction() as session:
        count = await session.scalar(sa.select(sa.func.count()).select_from(Report))
        await session.execute(sa.text("TRUNCATE reports, drafts, reporters, processed_updates, audit_events, media "
                                      "RESTART IDENTITY CASCADE"))
    await db.dispose()
    return count


@contextmanager
def process(*args: str, **env: str):
    """A bot in its own process (as in production), so it does not share a core with the
    sandbox and the simulated reporters."""
    environment = {**os.environ, **env}
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=environment,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield child
    finally:
        child.terminate()
        child.wait(timeout=30)


async def wait_for_polling(sandbox: str) -> None:
    async with SandboxClient(sandbox) as client:
        for _ in range(600):
            if any(c["method"].lower() == "getupdates" for c in await client.calls()):
                return
            await asyncio.sleep(0.1)
    raise RuntimeError("the bot never polled")


async def wait_for_webhook(sandbox: str) -> None:
    async with SandboxClient(sandbox) as client:
        for _ in range(600):
            if (await client.webhook()).get("url"):
                return
            await asyncio.sleep(0.1)
    raise RuntimeError("the bot never set its webhook")


@contextmanager
def polling_bot(url: str) -> Iterator[str]:
    """`harmwatch bot` (long polling) on database `url`, behind its own sandbox: yields the sandbox."""
    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN))) as sandbox, \
            process("-m", "harmwatch.cli", "bot", HARMWATCH_DATABASE_URL=url, HARMWATCH_TELEGRAM_TOKEN=TOKEN,
                    HARMWATCH_TELEGRAM_API_URL=sandbox, HARMWATCH_SECRET_KEY="benchmark-secret-key-0123",
                    HARMWATCH_MEDIA_DIR=tempfile.mkdtemp()):
        asyncio.run(wait_for_polling(sandbox))
        yield sandbox


@contextmanager
def webhook_bot(url: str) -> Iterator[str]:
    """`harmwatch serve` in webhook mode on database `url`, behind its own sandbox."""
    from tests.live import free_port, serve

    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN))) as sandbox:
        port = free_port()
        with serve(url, Path(tempfile.mkdtemp()), port=port, telegram_token=TOKEN, telegram_api_url=sandbox,
                   telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook"):
            asyncio.run(wait_for_webhook(sandbox))
            yield sandbox


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


def run_echo_bot(sandbox: str) -> None:
    """The baseline bot: python-telegram-bot's echo example, long polling, nothing else."""
    application = (ApplicationBuilder().token(TOKEN).base_url(f"{sandbox}/bot")
                   .base_file_url(f"{sandbox}/file/bot").concurrent_updates(PerChatOrder()).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(timeout=10)


@contextmanager
def echo_bot() -> Iterator[str]:
    """The echo bot in its own process, behind its own sandbox."""
    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN))) as sandbox, \
            process(__file__, "--echo-bot", sandbox):
        asyncio.run(wait_for_polling(sandbox))
        yield sandbox


ECHO_SCRIPT = [("say", f"message {n}") for n in range(len(SCRIPT))]  # as many updates as a report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reporters", type=int, default=50, help="reporters at once, in each round")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (after one warm-up round)")
    parser.add_argument("--echo-bot", metavar="SANDBOX_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_bot:
        run_echo_bot(args.echo_bot)
        return
    modes = ("echo", "polling", "webhook")
    rates: dict[str, list[float]] = {mode: [] for mode in modes}
    with scratch_database("harmwatch_bench_bot") as polled_url, \
            scratch_database("harmwatch_bench_hook") as hooked_url, echo_bot() as echo_sandbox, \
            polling_bot(polled_url) as polled_sandbox, webhook_bot(hooked_url) as hooked_sandbox:
        sandboxes = {"echo": echo_sandbox, "polling": polled_sandbox, "webhook": hooked_sandbox}
        for round_ in range(args.rounds + 1):  # round 0 warms up (connections, caches) and is not counted
            # Each round drives the three bots one after another, in a rotating order, so that a
            # machine getting faster or slower during the run weighs on all three alike.
            for mode in modes[round_ % 3:] + modes[:round_ % 3]:
                script = ECHO_SCRIPT if mode == "echo" else SCRIPT
                updates, seconds = asyncio.run(drive(sandboxes[mode], args.reporters, script))
                if round_ > 0:
                    rates[mode].append(updates / seconds)
        persisted = {"polling": asyncio.run(count_reports(polled_url)),
                     "webhook": asyncio.run(count_reports(hooked_url))}
    expected = args.reporters * (args.rounds + 1)
    median = {mode: statistics.median(values) for mode, values in rates.items()}
    print(f"reporters: {args.reporters} at once, updates per reporter: {len(SCRIPT)}, "
          f"rounds: {args.rounds} (+1 warm-up); updates/s per round, then the median")
    labels = {"polling": "harmwatch, polling:", "webhook": "harmwatch, webhook:", "echo": "bare PTB echo bot:"}
    for mode in ("polling", "webhook", "echo"):
        rounds = " ".join(f"{rate:6.1f}" for rate in rates[mode])
        kept = f", reports persisted {persisted[mode]}/{expected}" if mode in persisted else ""
        print(f"{labels[mode]:21}{rounds}  median {median[mode]:6.1f}{kept}")
    print(f"ratio (polling / echo): {median['polling'] / median['echo']:.2f}")
    print(f"ratio (webhook / echo): {median['webhook'] / median['echo']:.2f}")
    print(f"ratio: {min(median['polling'], median['webhook']) / median['echo']:.2f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
