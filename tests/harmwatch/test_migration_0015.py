"""Migration 0015 on existing data: a verification proposal kept in a report's assessment becomes
a VerificationProposal row (and the assessment loses the hidden key); downgrading puts it back."""

import asyncio
import json

import sqlalchemy as sa

from harmwatch import migrate
from harmwatch.database import Database
from harmwatch.review.models import VerificationProposal
from tests.factories import make_report, make_user

OLD_KEY = "proposed_verification"


def test_a_proposal_kept_in_the_assessment_becomes_its_own_record(database_url):
    async def make() -> tuple[int, int]:
        db = Database(database_url)
        async with db.transaction() as session:
            ana = await make_user(session, name="ana")
            report = await make_report(session)
            ids = report.id, ana.id
        await db.dispose()
        return ids

    async def hide_proposal(report_id: int, ana_id: int) -> None:
        proposal = {"by": ana_id, "by_name": "ana", "grade": "fair", "incident_id": None,
                    "corroboration": {"witness": "confirms"}, "assessment": {"note": "phoned"},
                    "at": "2026-11-30T10:00:00+00:00"}
        db = Database(database_url)
        async with db.transaction() as session:
            await session.execute(sa.text("UPDATE reports SET assessment = :a WHERE id = :id"),
                                  {"a": json.dumps({"note": "kept", OLD_KEY: proposal}), "id": report_id})
        await db.dispose()

    async def read(report_id: int):
        db = Database(database_url)
        async with db.transaction() as session:
            rows = (await session.scalars(sa.select(VerificationProposal))).all()
            assessment = await session.scalar(sa.text("SELECT assessment FROM reports WHERE id = :id"),
                                              {"id": report_id})
        await db.dispose()
        return rows, assessment if isinstance(assessment, dict) else json.loads(assessment)

    report_id, ana_id = asyncio.run(make())
    migrate.downgrade(database_url, "0015-1")
    asyncio.run(hide_proposal(report_id, ana_id))
    migrate.upgrade(database_url)
    rows, assessment = asyncio.run(read(report_id))
    assert [(p.report_id, p.proposed_by_id, p.proposed_by_name, p.grade, p.corroboration, p.assessment)
            for p in rows] == [(report_id, ana_id, "ana", "fair", {"witness": "confirms"}, {"note": "phoned"})]
    assert assessment == {"note": "kept"}
    migrate.downgrade(database_url, "0015-1")
    db = Database(database_url)

    async def kept() -> dict:
        async with db.transaction() as session:
            value = await session.scalar(sa.text("SELECT assessment FROM reports WHERE id = :id"), {"id": report_id})
        await db.dispose()
        return value if isinstance(value, dict) else json.loads(value)

    back = asyncio.run(kept())
    assert back["note"] == "kept" and back[OLD_KEY]["grade"] == "fair" and back[OLD_KEY]["by"] == ana_id
    migrate.upgrade(database_url)
