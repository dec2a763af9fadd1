"""The seed writes nothing in the future: a report is submitted after it happened and before
now, and each incident's updated_at is in the past, so the CSV and the JSON feed agree."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from harmwatch.database import utcnow
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.seed import seed


async def count(session, table, *where) -> int:
    return (await session.execute(sa.select(sa.func.count()).select_from(table).where(*where))).scalar_one()


async def test_the_seed_never_writes_a_future_timestamp(database):
    before = utcnow()
    made = await seed(database, reports=4000, batch=2000)
    after = utcnow()
    async with database.sessions() as session:
        # Some reports happened in the last four days: those are the ones that could end up later than now.
        recent = await count(session, Report, Report.occurred_on >= (before - timedelta(days=3)).date())
        future_reports = await count(session, Report, sa.or_(Report.submitted_at > after, Report.updated_at > after))
        future_incidents = await count(session, Incident, sa.or_(Incident.updated_at > after,
                                                                 Incident.created_at > after))
    assert made["incidents"] > 0 and recent > 0
    assert (future_reports, future_incidents) == (0, 0)


async def test_a_seed_added_to_a_seed_never_reuses_a_reference_code(database):
    # The same random generator twice draws the same codes: the second seed must step around
    # them (as it steps around the birthday clashes of 40-bit codes in a million-row seed).
    await seed(database, reports=300, seed=5)
    await seed(database, reports=300, seed=5)
    async with database.sessions() as session:
        codes = (await session.scalars(sa.select(Report.ref_code))).all()
    assert len(codes) == 600 and len(set(codes)) == 600
