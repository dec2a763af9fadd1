"""N simulated reporters completing harm reports at once through the sandbox, on PostgreSQL,
with the bot in polling and in webhook mode; in the same run, a bare python-telegram-bot echo
bot through the same sandbox. Prints updates/s for each and the ratio (goal: >= 0.5), and
checks that every report was persisted.

    python benchmarks/bot_throughput.py [--reporters 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
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


def polling_mode(url: str, reporters: int) -> tuple[int, float]:
    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN))) as sandbox, \
            process("-m", "harmwatch.cli", "bot", HARMWATCH_DATABASE_URL=url, HARMWATCH_TELEGRAM_TOKEN=TOKEN,
                    HARMWATCH_TELEGRAM_API_URL=sandbox, HARMWATCH_SECRET_KEY="benchmark-secret-key-0123",
                    HARMWATCH_MEDIA_DIR=tempfile.mkdtemp()):

        async def run() -> tuple[int, float]:
            await wait_for_polling(sandbox)
            return await drive(sandbox, reporters, SCRIPT)

        return asyncio.run(run())


def webhook_mode(url: str, reporters: int) -> tuple[int, float]:
    from tests.live import free_port, serve

    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN))) as sandbox:
        port = free_port()
        with serve(url, Path(tempfile.mkdtemp()), port=port, telegram_token=TOKEN, telegram_api_url=sandbox,
                   telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook"):

            async def run() -> tuple[int, float]:
                async with SandboxClient(sandbox) as client:
                    for _ in range(200):
                        if (await client.webhook()).get("url"):
                            break
                        await asyncio.sleep(0.1)
                return await drive(sandbox, reporters, SCRIPT)

            return asyncio.run(run())


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


def run_echo_bot(sandbox: str) -> None:
    """The baseline bot: python-telegram-bot's echo example, long polling, nothing else."""
    application = (ApplicationBuilder().token(TOKEN).base_url(f"{sandbox}/bot")
                   .base_file_url(f"{sandbox}/file/bot").concurrent_updates(PerChatOrder()).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(timeout=10)


def echo_mode(reporters: int) -> tuple[int, float]:
    """The same number of updates, each answered by the echo bot in its own process."""
    with serve_in_thread(create_sandbox_app(SandboxState(token=TOKEN))) as sandbox, \
            process(__file__, "--echo-bot", sandbox):

        async def run() -> tuple[int, float]:
            await wait_for_polling(sandbox)
            return await drive(sandbox, reporters, [("say", f"message {n}") for n in range(len(SCRIPT))])

        return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--echo-bot", metavar="SANDBOX_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_bot:
        run_echo_bot(args.echo_bot)
        return
    with scratch_database("harmwatch_bench_bot") as url:
        polled, polled_s = polling_mode(url, args.reporters)
        polled_reports = asyncio.run(count_reports(url))
        hooked, hooked_s = webhook_mode(url, args.reporters)
        hooked_reports = asyncio.run(count_reports(url))
    echoed, echo_s = echo_mode(args.reporters)
    rates = {"polling": polled / polled_s, "webhook": hooked / hooked_s, "echo": echoed / echo_s}
    print(f"reporters: {args.reporters}, updates per reporter: {len(SCRIPT)}")
    print(f"harmwatch, polling:  {polled} updates in {polled_s:6.1f} s = {rates['polling']:7.1f} updates/s, "
          f"reports persisted {polled_reports}/{args.reporters}")
    print(f"harmwatch, webhook:  {hooked} updates in {hooked_s:6.1f} s = {rates['webhook']:7.1f} updates/s, "
          f"reports persisted {hooked_reports}/{args.reporters}")
    print(f"bare PTB echo bot:   {echoed} updates in {echo_s:6.1f} s = {rates['echo']:7.1f} updates/s")
    print(f"ratio (polling / echo): {rates['polling'] / rates['echo']:.2f}")
    print(f"ratio: {min(rates['polling'], rates['webhook']) / rates['echo']:.2f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
