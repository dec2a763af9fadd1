"""Migration 0003 turns `published` into the incident's state, and back, keeping the data."""

import asyncio
import json

import sqlalchemy as sa

from harmwatch import migrate
from harmwatch.database import Database


def _run(url: str, statement: str) -> list[tuple]:
    async def go() -> list[tuple]:
        db = Database(url)
        async with db.engine.begin() as conn:
            result = await conn.execute(sa.text(statement))
            rows = [tuple(r) for r in result.all()] if result.returns_rows else []
        await db.dispose()
        return rows

    return asyncio.run(go())


INSERT = ("INSERT INTO incidents (report_type, time_precision, export_decimals, codes, summary_public, notes_private, "
          "published, created_at, updated_at) VALUES "
          "('harm', 1, 2, '{}', 'shown', '', TRUE, '2026-11-01 10:00:00', '2026-11-01 10:00:00'), "
          "('harm', 1, 2, '{}', 'hidden', '', FALSE, '2026-11-01 10:00:00', '2026-11-01 10:00:00')")


REPORT = ("INSERT INTO reports (ref_code, report_type, form_id, form_version, channel, lang, status, "
          "time_precision, has_media, answers, assessment, submitted_at, updated_at, incident_id) VALUES "
          "('HW-TEST-0001', 'access', 'access', 1, 'telegram', 'en', 'verified', 1, FALSE, "
          "'{{\"actor_type\": [\"local_ngo\"]}}', '{{}}', '2026-11-01 10:00:00', '2026-11-01 10:00:00', {id})")


def test_access_incidents_get_the_actors_their_reports_answered(database_url):
    migrate.downgrade(database_url, "0002")
    try:
        _run(database_url, "DELETE FROM reports")
        _run(database_url, "DELETE FROM incidents")
        _run(database_url, INSERT)
        first = _run(database_url, "SELECT min(id) FROM incidents")[0][0]
        _run(database_url, REPORT.format(id=first))
        migrate.upgrade(database_url, "0003")
        codes = _run(database_url, f"SELECT codes FROM incidents WHERE id = {first}")[0][0]
        assert (json.loads(codes) if isinstance(codes, str) else codes) == {"actor_types": ["local_ngo"]}
    finally:
        _run(database_url, "DELETE FROM reports")
        _run(database_url, "DELETE FROM incidents")
        migrate.upgrade(database_url)


def test_published_becomes_state_and_back(database_url):
    migrate.downgrade(database_url, "0002")
    try:
        _run(database_url, "DELETE FROM incidents")
        _run(database_url, INSERT)
        migrate.upgrade(database_url, "0003")
        rows = _run(database_url, "SELECT summary_public, state, merged_into_id, withdrawn_reason FROM incidents "
                                  "ORDER BY summary_public")
        assert rows == [("hidden", "unpublished", None, ""), ("shown", "published", None, "")]
        _run(database_url, "UPDATE incidents SET state = 'withdrawn', withdrawn_reason = 'wrong' "
                           "WHERE summary_public = 'hidden'")
        migrate.downgrade(database_url, "0002")
        rows = _run(database_url, "SELECT summary_public, published FROM incidents ORDER BY summary_public")
        assert [(name, bool(flag)) for name, flag in rows] == [("hidden", False), ("shown", True)]
    finally:
        _run(database_url, "DELETE FROM incidents")
        migrate.upgrade(database_url)
    migrate.check(database_url)
