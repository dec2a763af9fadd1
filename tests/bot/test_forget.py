"""/forget holds: after it, nobody holding the database, the secret key and the reporter's
Telegram id can find their old reports, or tie them to what the person sends later."""

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.messaging.models import OutboxMessage
from harmwatch.models import metadata
from harmwatch.privacy import ChatIdCipher, lookup_key, pseudonym
from harmwatch.reporters import service as reporters
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from harmwatch.review.queue import QueueFilter, page as queue_page
from tests.bot.chatting import send_report
from tests.factories import make_user


async def _all_rows(database) -> dict[str, list[dict]]:
    async with database.transaction() as session:
        return {table.name: [dict(row._mapping) for row in await session.execute(sa.select(table))]
                for table in metadata.sorted_tables}


async def _the_reporter(database) -> Reporter:
    async with database.transaction() as session:
        return (await session.scalars(sa.select(Reporter).where(Reporter.forgotten.is_(False)))).one()


async def test_after_forget_nothing_computed_from_the_telegram_id_finds_the_old_reports(
        chatter, database, settings):
    telegram_id = chatter.user["id"]
    sent = await send_report(chatter)
    reporter = await _the_reporter(database)
    async with database.transaction() as session:
        [report] = (await session.scalars(sa.select(Report))).all()
        # A monitor asks a question: an outbox row now points from the reporter to the report.
        monitor = await make_user(session)
        await review.claim(session, report, user=monitor)
        await review.ask_reporter(session, report, user=monitor, question="Which street?")
    assert report.ref_code in sent["text"]
    # Before /forget the desk knows the reporter by a pseudonym, with a track record.
    assert reporter.pseudonym != pseudonym(settings, telegram_id)  # not derivable from the Telegram id
    async with database.transaction() as session:
        page = await queue_page(session, QueueFilter(status=None, pseudonym=reporter.pseudonym))
        assert [r.id for r in page.reports] == [report.id]
        assert (await reporters.track_record(session, reporter.id))["sent"] == 1

    confirm = await chatter.say("/forget")
    await chatter.toggle("Yes, forget me")
    assert confirm["message_id"]
    await send_report(chatter)  # the same person reports again, later

    identifiers = {str(telegram_id), pseudonym(settings, telegram_id), lookup_key(settings, telegram_id),
                   reporter.pseudonym}
    rows = await _all_rows(database)
    async with database.transaction() as session:
        found = (await session.scalars(
            sa.select(Reporter).where(Reporter.lookup_key == lookup_key(settings, telegram_id)))).all()
        old_report = await session.get(Report, report.id)
        audit = (await session.scalars(sa.select(AuditEvent))).all()
        outbox = (await session.scalars(sa.select(OutboxMessage))).all()
    [now] = found  # the lookup finds the person's new row only
    assert now.id != reporter.id and now.pseudonym != reporter.pseudonym
    assert old_report.reporter_id is None  # the report stays, anonymous
    assert not [o for o in outbox if o.report_id == report.id or o.reporter_id == reporter.id]
    # The audit log names no reporter: every reporter action is by "reporter", whoever they are.
    assert {e.actor for e in audit if e.actor.startswith("reporter")} == {"reporter"}
    assert not [e for e in audit if e.object_type == "reporter" and e.object_id == str(reporter.id)]
    # Every identifier appears only on the new reporter's own row.
    cipher = ChatIdCipher(settings)
    for table, table_rows in rows.items():
        for row in table_rows:
            text = repr(row)
            hits = [i for i in identifiers if i in text]
            if table == "reporters" and row["id"] == now.id:
                assert reporter.pseudonym not in text
                continue
            assert not hits, (table, hits)
            if table == "reporters" and row["chat_id_enc"]:
                assert cipher.decrypt(row["chat_id_enc"]) != telegram_id
    async with database.transaction() as session:
        assert report.id not in [r.id for r in await reporters.reports_of(session, now)]
