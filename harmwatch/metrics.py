"""What `/metrics` shows (Prometheus text format). Two kinds, on purpose:

- events (updates handled, replies that failed, export rows) are counters of this process,
  kept by prometheus-client: every `harmwatch serve` is its own process on its own port and
  its own scrape target, so Prometheus adds the workers up (`sum by (outcome)`); no
  multiprocess directory is needed. Events cannot be counted from the database: the tables
  that record them are pruned after 48 hours, and a total must never go down.
- state (reports by status, the backlog of messages owed to reporters) is read from the
  database at each scrape: the same answer from every worker on every machine (take `max`).

Labels are codes only (an outcome, a reason, a status, a format): never a person, a chat, a
place or a free text."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
import sqlalchemy as sa

from harmwatch.database import Database, utcnow
from harmwatch.messaging.models import OutboxMessage, OutgoingReply
from harmwatch.reports.enums import ReportStatus
from harmwatch.reports.models import Report

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REGISTRY = CollectorRegistry()

UPDATE_OUTCOMES = ("applied", "duplicate", "group", "failed")
UPDATES_HANDLED = Counter(
    "harmwatch_updates_handled", "Telegram updates this process handled: applied (committed), duplicate "
    "(delivered again or applied by another worker), group (from a group chat), failed (not committed; "
    "Telegram delivers it again)", ["outcome"], registry=REGISTRY)
REPLY_FAILURE_REASONS = ("retry", "rejected", "unreachable", "expired")
REPLIES_FAILED = Counter(
    "harmwatch_replies_failed", "Messages to reporters this process could not send: retry (a temporary "
    "failure, sent again later), rejected (refused by Telegram for good), unreachable (the reporter "
    "blocked the bot or is forgotten), expired (too old to send)", ["reason"], registry=REGISTRY)
EXPORT_ROWS = Counter("harmwatch_export_rows", "Incident rows this process wrote into exports, by format",
                      ["format"], registry=REGISTRY)
for _outcome in UPDATE_OUTCOMES:  # every series from the start: a rate needs its zero
    UPDATES_HANDLED.labels(_outcome)
for _reason in REPLY_FAILURE_REASONS:
    REPLIES_FAILED.labels(_reason)


def update_handled(outcome: str) -> None:
    UPDATES_HANDLED.labels(outcome).inc()


def reply_failed(reason: str) -> None:
    REPLIES_FAILED.labels(reason).inc()


def export_rows(format: str, rows: int) -> None:
    EXPORT_ROWS.labels(format).inc(rows)


async def _database_state(db: Database) -> list[GaugeMetricFamily]:
    reports = GaugeMetricFamily("harmwatch_reports", "Reports in the database, by review status", labels=["status"])
    backlog = GaugeMetricFamily("harmwatch_outbox_backlog",
                                "Messages owed to reporters and not sent yet: replies to their updates, and "
                                "messages from the desk (questions, outcomes)", labels=["queue"])
    oldest = GaugeMetricFamily("harmwatch_outbox_oldest_seconds", "Age of the oldest message not sent yet",
                               labels=["queue"])
    async with db.transaction() as session:
        counts = dict((await session.execute(
            sa.select(Report.status, sa.func.count()).group_by(Report.status))).all())
        for status in ReportStatus:
            reports.add_metric([status.value], counts.get(status.value, 0))
        now = utcnow()
        for queue, model in (("replies", OutgoingReply), ("messages", OutboxMessage)):
            count, first = (await session.execute(
                sa.select(sa.func.count(), sa.func.min(model.created_at)).where(model.sent_at.is_(None)))).one()
            backlog.add_metric([queue], count)
            if first is not None and first.tzinfo is None:
                first = first.replace(tzinfo=now.tzinfo)
            oldest.add_metric([queue], 0.0 if first is None else max(0.0, (now - first).total_seconds()))
    return [reports, backlog, oldest]


class _Snapshot(Collector):
    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self):
        yield from self.families


async def exposition(db: Database) -> bytes:
    """This process's counters and the database's state, in the Prometheus text format."""
    state = CollectorRegistry()
    state.register(_Snapshot(await _database_state(db)))
    return generate_latest(REGISTRY) + generate_latest(state)
