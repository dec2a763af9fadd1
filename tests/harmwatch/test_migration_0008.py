"""Migration 0008 on existing data: reporters are still found, under a new random pseudonym,
and the audit log no longer names them, with its chain sealed again."""

import asyncio

import sqlalchemy as sa

from harmwatch import migrate
from harmwatch.audit.models import AuditEvent
from harmwatch.audit.service import record, verify_chain
from harmwatch.database import Database
from harmwatch.privacy import lookup_key
from harmwatch.reporters.service import find_reporter

TELEGRAM_ID = 777_000_111


def test_existing_reporters_and_audit_events_are_migrated(database_url, database, settings):
    old_pseudonym = lookup_key(settings, TELEGRAM_ID)  # what 0002 stored as the pseudonym

    async def before() -> None:
        db = Database(database_url)
        async with db.transaction() as session:
            await session.execute(sa.text("INSERT INTO reporters (pseudonym, lang, forgotten, created_at, "
                                          "last_seen_at, flood_count) VALUES (:p, 'en', false, "
                                          "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"), {"p": old_pseudonym})
            await record(session, actor="admin:root", action="user.login")
            await record(session, actor=f"reporter:{old_pseudonym}", action="report.submitted",
                         object_type="report", object_id=1)
            await record(session, actor="monitor:amal", action="report.claimed", object_type="report", object_id=1)
        await db.dispose()

    async def after() -> tuple:
        db = Database(database_url)
        async with db.transaction() as session:
            reporter = await find_reporter(session, settings, telegram_user_id=TELEGRAM_ID)
            actors = (await session.scalars(sa.select(AuditEvent.actor).order_by(AuditEvent.id))).all()
            check = await verify_chain(session)
        await db.dispose()
        return reporter, actors, check

    migrate.downgrade(database_url, "0008-1")
    asyncio.run(before())
    migrate.upgrade(database_url)
    reporter, actors, check = asyncio.run(after())
    assert reporter is not None and reporter.pseudonym != old_pseudonym
    assert list(actors) == ["admin:root", "reporter", "monitor:amal", "system"]
    assert check.ok and check.checked == 4
