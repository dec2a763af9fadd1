"""The `harmwatch` command: the composition root, the one place that wires every part."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import select

from harmwatch import migrate
from harmwatch.accounts.models import Role, User
from harmwatch.accounts.service import AccountError, create_token, create_user
from harmwatch.audit.service import AuditHead, verify_chain
from harmwatch.database import Database
from harmwatch.i18n import warn_missing_catalogs
from harmwatch.settings import get_settings

app = typer.Typer(help="Harmwatch: report, verify and share civilian harm and blocked aid.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
users_app = typer.Typer(help="Desk and API accounts.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for NGOs.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
places_app = typer.Typer(help="The gazetteer.", no_args_is_help=True)
config_app = typer.Typer(help="The deployment file (HARMWATCH_CONFIG).", no_args_is_help=True)
for sub, name in ((db_app, "db"), (users_app, "users"), (tokens_app, "tokens"), (audit_app, "audit"),
                  (places_app, "places"), (config_app, "config")):
    app.add_typer(sub, name=name)

DEMO_ADMIN = "admin"
DEMO_MONITOR = "monitor"
DEMO_PASSWORD = "harmwatch-demo"


def _run(coro):
    return asyncio.run(coro)


async def _with_db(work):
    db = Database(get_settings().database_url)
    try:
        return await work(db)
    finally:
        await db.dispose()


@app.callback()
def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry the bot token in URLs


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the database to the newest schema (Alembic)."""
    migrate.upgrade(get_settings().database_url)
    typer.echo("Database is up to date.")


class _QuietSandbox(logging.Filter):
    """The sandbox's long polls would fill the access log every few seconds."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/sandbox/" not in record.getMessage()


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app (desk, API, webhook) and the bot in one process."""
    settings = get_settings()
    warn_missing_catalogs()
    _deployment_or_exit()  # before the forms are imported, which ask as the deployment says

    import uvicorn

    from api.main import create_app
    from api.routes.telegram import stop_bot
    from bot.sandbox.background import PromptShutdownServer

    settings.listen_on(host)  # the sandbox is served on a loopback address only
    if settings.is_sqlite:
        migrate.upgrade(settings.database_url)
    logging.getLogger("uvicorn.access").addFilter(_QuietSandbox())
    web = create_app(settings, port=port, with_bot=True)
    # On SIGTERM the bot stops taking updates, finishes those in flight and sends the replies it
    # owes within HARMWATCH_SHUTDOWN_GRACE; then uvicorn gives requests as long again. The bot
    # and the web chat hold long polls open: they are ended before uvicorn waits for requests.
    # Idle connections are kept 75 s (nginx's keepalive_timeout), longer than clients keep them
    # (the bot's aiohttp: 4 s, httpx: 5 s): a server closing one just as a client reuses it
    # makes a webhook delivery or a proxied request fail for nothing (uvicorn's default is 5 s).
    config = uvicorn.Config(web, host=host, port=port, proxy_headers=True, log_level="info",
                            timeout_graceful_shutdown=max(1, round(settings.shutdown_grace)),
                            timeout_keep_alive=75)
    PromptShutdownServer(config, lambda: stop_bot(web)).run()


@app.command()
def bot(take_over: Annotated[bool, typer.Option("--take-over", help="Delete a webhook that is set and poll instead")]
        = False) -> None:
    """Run the bot alone, with long polling, instead of the bot in `serve` (webhook mode). One
    receiver at a time: it refuses to start while a webhook is set, unless --take-over."""
    import signal

    settings = get_settings()
    warn_missing_catalogs()
    _deployment_or_exit()
    from bot.app import ReporterBot, WebhookActive
    from harmwatch.places.service import gazetteer

    if not settings.telegram_token:
        typer.echo("Set HARMWATCH_TELEGRAM_TOKEN (and HARMWATCH_TELEGRAM_API_URL for a self-hosted Bot API "
                   "server). Without a token, `harmwatch serve` runs the bot against its built-in sandbox.",
                   err=True)
        raise typer.Exit(2)

    async def run(db: Database) -> None:
        async with db.transaction() as session:
            places = await gazetteer(session)
        reporter_bot = ReporterBot(settings, db, places)
        reporter_bot.build(token=settings.telegram_token, api_url=settings.telegram_api_url.rstrip("/"),
                           polling=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await reporter_bot.start(polling=True, take_over=take_over)
        except WebhookActive as active:
            typer.echo(f"Not polling: a webhook receives this bot's updates ({active.url}), probably `harmwatch "
                       "serve` in webhook mode. Two receivers would take updates from each other. Stop that, or "
                       "run `harmwatch bot --take-over` to delete the webhook and poll here.", err=True)
            raise typer.Exit(3) from None
        typer.echo("Bot running (long polling; an update is confirmed to Telegram only once it is saved). "
                   "Ctrl-C stops it.")
        try:
            await stop.wait()
        finally:
            await reporter_bot.stop()

    if settings.is_sqlite:
        migrate.upgrade(settings.database_url)
    _run(_with_db(run))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[Role, typer.Option(help="admin, monitor or ngo")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input")] = False,
) -> None:
    """Create an account."""
    password = None if role == Role.NGO and not password_stdin else _read_password(password_stdin)

    async def work(db: Database) -> None:
        async with db.transaction() as session:
            await create_user(session, name=name, role=role, password=password, actor="cli")

    try:
        _run(_with_db(work))
    except AccountError as error:
        typer.echo(error.text("en"), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Created {role.value} account {name!r}.")


@tokens_app.command("add")
def tokens_add(name: Annotated[str, typer.Argument(help="The account the token is for")],
               label: Annotated[str, typer.Option(help="What the token is for")] = "cli") -> None:
    """Print a new API token for an account. It is shown once and stored only as a hash."""

    async def work(db: Database) -> str | None:
        async with db.transaction() as session:
            user = await session.scalar(select(User).where(User.name == name))
            if user is None:
                return None
            plain, _ = await create_token(session, user=user, name=label, actor="cli")
            return plain

    try:
        plain = _run(_with_db(work))
    except AccountError:
        typer.echo(f"{name!r} is not an ngo account: API tokens are for ngo accounts only.", err=True)
        raise typer.Exit(1) from None
    if plain is None:
        typer.echo(f"No account named {name!r}.", err=True)
        raise typer.Exit(1)
    typer.echo(plain)


@app.command("seed")
def seed_command(reports: Annotated[int, typer.Option(min=1, max=10_000_000)] = 1000,
                 batch: Annotated[int, typer.Option(min=1, max=50_000)] = 5000) -> None:
    """Write realistic synthetic reports, some verified into incidents (demos, benchmarks)."""
    from harmwatch.seed import seed

    started = time.perf_counter()
    made = _run(_with_db(lambda db: seed(db, reports=reports, batch=batch)))
    elapsed = time.perf_counter() - started
    typer.echo(f"Seeded {made['reports']} reports and {made['incidents']} incidents in {elapsed:.1f} s "
               f"({made['reports'] / elapsed:,.0f} reports/s).")


@app.command("export")
def export_command(format: Annotated[str, typer.Option("--format")] = "csv",
                   output: Annotated[Path | None, typer.Option("-o")] = None) -> None:
    """Write verified, published incidents as csv, geojson, hxl or a datapackage."""
    from harmwatch.exports.service import ExportFormat, start_export

    try:
        chosen = ExportFormat(format)
    except ValueError:
        typer.echo(f"Unknown format {format!r}: use one of {', '.join(f.value for f in ExportFormat)}.", err=True)
        raise typer.Exit(2) from None

    async def work(db: Database) -> None:
        # The same bytes as GET /api/v1/incidents?format=... (English labels, no filters).
        started = await start_export(db, chosen, actor="cli")
        typer.echo(f"Audit head: {started.anchor} (check later: harmwatch audit verify --expect {started.anchor})",
                   err=True)
        target = open(output, "wb") if output else sys.stdout.buffer
        try:
            async for chunk in started.chunks:
                target.write(chunk)
        finally:
            if output:
                target.close()
            else:
                target.flush()

    _run(_with_db(work))


@audit_app.command("verify")
def audit_verify(expect: Annotated[str | None, typer.Option(
        help="HASH:LENGTH, an export's X-Harmwatch-Audit-Head: fail unless the log still extends it")] = None) -> None:
    """Check the audit log's hash chain; exit non-zero and name the first bad row if broken."""
    try:
        anchor = AuditHead.parse(expect) if expect is not None else None
    except ValueError as error:
        typer.echo(f"--expect {expect!r}: {error}.", err=True)
        raise typer.Exit(2) from None

    async def work(db: Database):
        async with db.transaction() as session:
            return await verify_chain(session, expect=anchor)

    check = _run(_with_db(work))
    if not check.ok:
        where = f"at row {check.first_bad_id}" if check.first_bad_id is not None else "at its end"
        typer.echo(f"Audit chain BROKEN {where}: {check.reason} "
                   f"({check.checked} rows before it are intact).", err=True)
        raise typer.Exit(1)
    extends = f", extending {anchor.hash[:12]}…:{anchor.length}" if anchor else ""
    typer.echo(f"Audit chain intact: {check.checked} rows{extends}.")


@places_app.command("import")
def places_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]) -> None:
    """Import places from a CSV: pcode,name,parent_pcode,level,lat,lon (+ name_<lang> columns)."""
    from harmwatch.places.service import PlaceImportError, import_csv

    async def work(db: Database) -> int:
        async with db.transaction() as session:
            return await import_csv(session, file)

    try:
        count = _run(_with_db(work))
    except PlaceImportError as error:
        typer.echo(f"Nothing imported: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Imported {count} places.")


def _deployment_or_exit():
    """The deployment of HARMWATCH_CONFIG; a clear message naming the bad key, and exit 2."""
    from harmwatch import deployment

    try:
        return deployment.current()
    except deployment.DeploymentError as error:
        typer.echo(f"HARMWATCH_CONFIG is not usable: {error}", err=True)
        raise typer.Exit(2) from None


@config_app.command("check")
def config_check(file: Annotated[Path | None, typer.Argument(help="default: HARMWATCH_CONFIG")] = None) -> None:
    """Check a deployment file: every key known, the country an ISO3 code, no future date."""
    from harmwatch import deployment

    path = file or get_settings().config
    if path is None:
        typer.echo("HARMWATCH_CONFIG is not set: the built-in Syria deployment is used.")
        return
    try:
        found = deployment.load(path)
    except deployment.DeploymentError as error:
        typer.echo(f"{path}: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{path}: OK. {found.country_iso3} ({found.country_name}), reports from {found.earliest_date}, "
               f"{len(found.parties)} parties, levels {' / '.join(found.admin_levels)}, licence {found.licence}, "
               f"places {found.places or 'built in (Syria)'}, support service "
               f"{'in ' + ', '.join(found.support_service) if found.support_service else 'not set'}.")


@app.command()
def demo() -> None:
    """Prepare a demo: migrate, load places, seed if empty, create the demo admin."""
    from harmwatch.places.service import load_builtin
    from harmwatch.reports.models import Report
    from harmwatch.seed import seed

    settings = get_settings()
    migrate.upgrade(settings.database_url)

    async def work(db: Database) -> bool:
        async with db.transaction() as session:
            await load_builtin(session)
            empty = await session.scalar(select(Report.id).limit(1)) is None
            for name, role in ((DEMO_ADMIN, Role.ADMIN), (DEMO_MONITOR, Role.MONITOR)):
                if await session.scalar(select(User).where(User.name == name)) is None:
                    await create_user(session, name=name, role=role, password=DEMO_PASSWORD, actor="demo")
        if empty:
            await seed(db, reports=500)
        return empty

    seeded = _run(_with_db(work))
    if seeded:
        typer.echo("Seeded 500 demo reports.")
    typer.echo(f"Demo log-ins: {DEMO_MONITOR} / {DEMO_PASSWORD} (monitor), "
               f"{DEMO_ADMIN} / {DEMO_PASSWORD} (admin: sets up two-factor with an authenticator app on first log-in)")


if __name__ == "__main__":
    app()
