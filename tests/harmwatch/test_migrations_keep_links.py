"""Migrating an existing database keeps every row that points into a table a migration rebuilds.
SQLite alters a table by copying it and dropping the old one: with foreign keys on, that drop
deleted the report's files (ON DELETE CASCADE) and unlinked reports from their incidents (SET
NULL). Migration 0019 rebuilds both `reports` and `incidents`."""

import asyncio

import sqlalchemy as sa

from harmwatch import migrate
from harmwatch.database import Database
from harmwatch.reports.models import Media, Report
from harmwatch.review import service as review
from tests.factories import make_report, make_user


def test_rows_pointing_into_rebuilt_tables_survive_a_migration(database_url):
    async def make() -> tuple[int, int]:
        db = Database(database_url)
        async with db.transaction() as session:
            monitor = await make_user(session, name="mona")
            report = await make_report(session)
            session.add(Media(sha256="0" * 64, size=3, mime_type="image/jpeg", path="x.jpg", report_id=report.id))
            await review.claim(session, report, user=monitor)
            incident = await review.verify(session, report, user=monitor, grade="fair")
            ids = report.id, incident.id
        await db.dispose()
        return ids

    async def read(report_id: int) -> tuple[int | None, int]:
        db = Database(database_url)
        async with db.transaction() as session:
            incident_id = await session.scalar(sa.select(Report.incident_id).where(Report.id == report_id))
            files = await session.scalar(sa.select(sa.func.count()).select_from(Media).where(
                Media.report_id == report_id))
        await db.dispose()
        return incident_id, files

    report_id, incident_id = asyncio.run(make())
    migrate.downgrade(database_url, "0015")
    assert asyncio.run(read(report_id)) == (incident_id, 1)
    migrate.upgrade(database_url)
    assert asyncio.run(read(report_id)) == (incident_id, 1)
