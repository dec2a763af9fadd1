"""The back-channel to reporters, without their identity: the desk puts a message in the
outbox by report; the bot, which alone can decrypt the chat id, renders and sends it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.database import utcnow
from harmwatch.messaging.models import OutboxMessage, ProcessedUpdate
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report, ReportMessage


class ReporterUnreachable(Exception):
    """The reporter used /forget (or the report has no reporter): nobody can be messaged."""


async def _reporter(session: AsyncSession, report: Report) -> Reporter | None:
    if report.reporter_id is None:
        return None
    reporter = await session.get(Reporter, report.reporter_id)
    if reporter is None or reporter.forgotten or reporter.chat_id_enc is None:
        return None
    return reporter


async def ensure_reachable(session: AsyncSession, report: Report) -> Reporter:
    reporter = await _reporter(session, report)
    if reporter is None:
        raise ReporterUnreachable()
    return reporter


async def send_question(session: AsyncSession, report: Report, message: ReportMessage) -> OutboxMessage:
    reporter = await ensure_reachable(session, report)
    reporter.awaiting_report_id = report.id
    outgoing = OutboxMessage(
        reporter_id=reporter.id,
        report_id=report.id,
        kind="question",
        params={"ref_code": report.ref_code, "question": message.body},
    )
    session.add(outgoing)
    await session.flush()
    return outgoing


async def notify_outcome(session: AsyncSession, report: Report) -> OutboxMessage | None:
    """Tell the reporter their report was verified or not, without the monitor's reasons."""
    reporter = await _reporter(session, report)
    if reporter is None:
        return None
    if reporter.awaiting_report_id == report.id:
        reporter.awaiting_report_id = None
    outgoing = OutboxMessage(
        reporter_id=reporter.id,
        report_id=report.id,
        kind="outcome",
        params={"ref_code": report.ref_code, "status": report.status},
    )
    session.add(outgoing)
    await session.flush()
    return outgoing


async def mark_sent(session: AsyncSession, message: OutboxMessage) -> None:
    message.sent_at = utcnow()
    await session.flush()


async def claim_update(session: AsyncSession, update_id: int) -> bool:
    """Record a Telegram update as processed; False when it was already (a redelivery, or
    another worker has it). Inside the caller's transaction, so it counts only if it commits."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    result = await session.execute(
        insert(ProcessedUpdate).values(update_id=update_id, processed_at=utcnow()).on_conflict_do_nothing()
    )
    return result.rowcount == 1
