"""/metrics: reports by status and the backlog read from the database, this process's counters of
updates handled, replies failed and export rows; codes only in labels; loopback or a token."""

from __future__ import annotations

import asyncio

import httpx
from prometheus_client.parser import text_string_to_metric_families

from api.main import create_app
from bot.sandbox.client import SandboxClient
from harmwatch.messaging.models import OutboxMessage, OutgoingReply
from tests.api.ngo.conftest import bearer, make_incident, make_token
from tests.conftest import one_database
from tests.factories import make_report, make_reporter

LABELS = {"harmwatch_updates_handled_total": {"outcome"}, "harmwatch_replies_failed_total": {"reason"},
          "harmwatch_export_rows_total": {"format"}, "harmwatch_reports": {"status"},
          "harmwatch_outbox_backlog": {"queue"}, "harmwatch_outbox_oldest_seconds": {"queue"}}


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def _client(settings, database, host: str) -> httpx.AsyncClient:
    app = create_app(settings)
    app.state.db = database  # what the lifespan would do
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(host, 40000)),
                             base_url="http://harmwatch.test")


async def test_metrics_show_reports_by_status_backlog_and_export_rows_without_personal_data(database, settings):
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings)
        for status in ("submitted", "submitted", "verified"):
            await make_report(session, reporter=reporter, status=status,
                              answers={"description": "Amal Haddad saw the market hit"})
        session.add(OutgoingReply(reporter_id=reporter.id, text="Thank you, Amal Haddad"))
        session.add(OutboxMessage(reporter_id=reporter.id, kind="question", params={"text": "Amal?"}))
        for _ in range(3):
            await make_incident(session)
    token = await make_token(database)
    async with await _client(settings, database, "127.0.0.1") as client:
        before = samples((await client.get("/metrics")).text)
        export = await client.get("/api/v1/incidents", params={"format": "csv"}, headers=bearer(token))
        assert export.status_code == 200
        response = await client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)
    assert value(after, "harmwatch_reports", status="submitted") == 2
    assert value(after, "harmwatch_reports", status="verified") == 1
    assert value(after, "harmwatch_reports", status="rejected") == 0
    assert value(after, "harmwatch_outbox_backlog", queue="replies") == 1
    assert value(after, "harmwatch_outbox_backlog", queue="messages") == 1
    assert value(after, "harmwatch_outbox_oldest_seconds", queue="replies") >= 0
    rows = value(after, "harmwatch_export_rows_total", format="csv") - value(
        before, "harmwatch_export_rows_total", format="csv")
    assert rows == 3
    for name, labels in after:  # codes only: no reporter, chat, place or text in any label
        if name.removesuffix("_created") in LABELS:
            assert {key for key, _ in labels} <= LABELS[name.removesuffix("_created")], (name, labels)
    for personal in ("Amal", "Haddad", reporter.pseudonym, reporter.lookup_key, reporter.chat_id_enc):
        assert personal not in response.text


@one_database
async def test_metrics_answer_loopback_clients_or_the_token_only(database, settings):
    async with await _client(settings, database, "203.0.113.7") as client:
        assert (await client.get("/metrics")).status_code == 403
    settings.metrics_token = "metrics-token-for-tests-0123456789"
    async with await _client(settings, database, "203.0.113.7") as client:
        assert (await client.get("/metrics")).status_code == 403
        assert (await client.get("/metrics", headers=bearer("wrong"))).status_code == 403
        allowed = await client.get("/metrics", headers=bearer(settings.metrics_token))
        assert allowed.status_code == 200 and "harmwatch_reports" in allowed.text
    async with await _client(settings, database, "127.0.0.1") as client:  # the token is then needed here too
        assert (await client.get("/metrics")).status_code == 403


async def _until(check, *, rounds: int = 300):
    for _ in range(rounds):
        if result := await check():
            return result
        await asyncio.sleep(0.1)
    return await check()


@one_database
async def test_metrics_count_the_updates_handled_and_the_replies_that_failed(live_server, database, settings):
    async with httpx.AsyncClient(base_url=live_server) as http:
        async def ready():
            return (await http.get("/readyz")).status_code == 200

        async def metrics():
            return samples((await http.get("/metrics")).text)

        assert await _until(ready)
        before = await metrics()
        async with SandboxClient(f"{live_server}/sandbox") as sandbox:
            user = await sandbox.create_user("en", first_name="Amal")
            sent = await sandbox.send_text(user, "/start")
            await sandbox.wait_for_bot_message(user, after=sent["message"]["message_id"], timeout=30)
        async with database.transaction() as session:  # a reply with no chat to go to (a forgotten reporter's)
            reporter = await make_reporter(session, settings)
            session.add(OutgoingReply(reporter_id=reporter.id, text="owed"))

        async def failed():
            found = await metrics()
            return found if value(found, "harmwatch_replies_failed_total", reason="unreachable") > value(
                before, "harmwatch_replies_failed_total", reason="unreachable") else None

        after = await _until(failed)
        assert after is not None
    delta = {outcome: value(after, "harmwatch_updates_handled_total", outcome=outcome)
             - value(before, "harmwatch_updates_handled_total", outcome=outcome)
             for outcome in ("applied", "duplicate", "group", "failed")}
    assert delta == {"applied": 1, "duplicate": 0, "group": 0, "failed": 0}
    assert value(after, "harmwatch_replies_failed_total", reason="unreachable") - value(
        before, "harmwatch_replies_failed_total", reason="unreachable") == 1
