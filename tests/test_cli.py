"""The `harmwatch` command on SQLite and PostgreSQL: its commands in this process (tests.commands),
and as a real process what only a process shows (`python -m harmwatch.cli`, the exit of `serve`)."""

import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from tests.commands import harmwatch
from tests.live import ROOT, environment


async def _count(database, model, *where):
    async with database.transaction() as session:
        return await session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


async def test_db_upgrade_users_add_and_tokens_add(database, database_url, tmp_path):
    assert harmwatch(database_url, tmp_path, "db", "upgrade").returncode == 0
    added = harmwatch(database_url, tmp_path, "users", "add", "amal", "--role", "monitor", "--password-stdin",
                      stdin="a long enough passphrase\n")
    assert added.returncode == 0, added.stderr
    again = harmwatch(database_url, tmp_path, "users", "add", "amal", "--role", "monitor", "--password-stdin",
                      stdin="a long enough passphrase\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    short = harmwatch(database_url, tmp_path, "users", "add", "ben", "--role", "admin", "--password-stdin",
                      stdin="short\n")
    assert short.returncode == 1 and "too short" in short.stderr
    refused = harmwatch(database_url, tmp_path, "tokens", "add", "amal")  # a monitor: tokens are for ngo accounts
    assert refused.returncode == 1 and "ngo accounts only" in refused.stderr
    assert harmwatch(database_url, tmp_path, "users", "add", "hdx", "--role", "ngo").returncode == 0
    token = harmwatch(database_url, tmp_path, "tokens", "add", "hdx")
    assert token.returncode == 0 and token.stdout.strip().startswith("hw_")
    assert harmwatch(database_url, tmp_path, "tokens", "add", "nobody").returncode == 1


async def test_seed_writes_both_types_and_verified_incidents(database, database_url, tmp_path):
    result = harmwatch(database_url, tmp_path, "seed", "--reports", "600", "--batch", "250")
    assert result.returncode == 0, result.stderr
    assert await _count(database, Report) == 600
    assert await _count(database, Report, Report.report_type == "access") > 50
    verified = await _count(database, Report, Report.status == "verified")
    assert verified > 100 and await _count(database, Incident) == verified
    assert await _count(database, Report, Report.status == "verified", Report.incident_id.is_(None)) == 0
    async with database.transaction() as session:
        languages = set((await session.scalars(sa.select(Report.lang).distinct())).all())
    assert languages == {"en", "ar", "fr", "es", "uk", "ru", "fa"}


async def test_audit_verify_names_the_first_bad_row(database, database_url, tmp_path):
    from harmwatch.audit.service import record

    async with database.transaction() as session:
        for n in range(4):
            await record(session, actor="user:ana", action="report.viewed", object_id=n)
    assert harmwatch(database_url, tmp_path, "audit", "verify").returncode == 0
    async with database.transaction() as session:
        await session.execute(sa.update(AuditEvent).where(AuditEvent.id == 3).values(action="report.deleted"))
    broken = harmwatch(database_url, tmp_path, "audit", "verify")
    assert broken.returncode == 1 and "row 3" in broken.stderr


async def test_places_import_reports_the_bad_line_and_imports_nothing(database, database_url, tmp_path):
    good = tmp_path / "ua.csv"
    good.write_text("pcode,name,parent_pcode,level,lat,lon,name_uk\nUA80,Kyiv,,1,50.45,30.52,Київ\n"
                    "UA8000,Kyiv city,UA80,2,50.45,30.52,місто Київ\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("pcode,name,parent_pcode,level,lat,lon\nUA46,Lviv,,1,49.8,24.0\nUA4600,Lviv city,UA99,2,49.8,24.0\n")
    failed = harmwatch(database_url, tmp_path, "places", "import", str(bad))
    assert failed.returncode == 1 and "line 3" in failed.stderr
    from harmwatch.places.models import Place

    assert await _count(database, Place) == 0
    assert harmwatch(database_url, tmp_path, "places", "import", str(good)).returncode == 0
    assert await _count(database, Place) == 2


def test_bot_without_a_token_says_how_to_run_it(tmp_path):
    """As a real process: `python -m harmwatch.cli` parses, exits with its status, writes to stderr."""
    env = environment(f"sqlite+aiosqlite:///{tmp_path}/x.db", tmp_path)
    env.pop("HARMWATCH_TELEGRAM_TOKEN", None)
    result = subprocess.run([sys.executable, "-m", "harmwatch.cli", "bot"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "HARMWATCH_TELEGRAM_TOKEN" in result.stderr


async def test_demo_prepares_once_and_prints_the_log_ins(database, database_url, tmp_path):
    from harmwatch.accounts.models import User

    first = harmwatch(database_url, tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "Seeded 500 demo reports" in first.stdout and "monitor / harmwatch-demo" in first.stdout
    second = harmwatch(database_url, tmp_path, "demo")
    assert second.returncode == 0 and "Seeded" not in second.stdout
    assert await _count(database, Report) == 500 and await _count(database, User) == 2


def test_serve_stops_cleanly_while_the_bot_and_the_web_chat_long_poll(tmp_path):
    """SIGTERM with the bot's getUpdates and a web chat's long poll both waiting in the sandbox:
    both are answered, the process exits 0, and nothing is logged as an error."""
    import concurrent.futures

    import httpx

    from tests.live import running

    with running(f"sqlite+aiosqlite:///{tmp_path}/serve.db", tmp_path) as served:
        deadline = time.monotonic() + 60
        while "Bot running against the sandbox" not in served.log():  # the bot is long polling
            assert served.process.poll() is None and time.monotonic() < deadline, served.log()
            time.sleep(0.05)
        control = f"{served.url}/sandbox/control"
        user = httpx.post(f"{control}/users", json={}).json()
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            web_chat = pool.submit(httpx.get, f"{control}/chats/{user['id']}/messages",
                                   params={"wait": 25}, timeout=60)
            # Stop only once the sandbox holds the web chat's poll beside the bot's getUpdates.
            while httpx.get(f"{control}/waiting").json()["long_polls"] < 2:
                assert time.monotonic() < deadline and not web_chat.done(), served.log()
                time.sleep(0.02)
            status = served.stop()
            answered = web_chat.result()
    log = served.log()
    assert status == -signal.SIGTERM, log  # uvicorn re-raises the signal once it has shut down
    assert answered.status_code == 200 and answered.json()["messages"] == []
    assert "Traceback" not in log and "ERROR" not in log, log
    assert "Application shutdown complete" in log and "Finished server process" in log
