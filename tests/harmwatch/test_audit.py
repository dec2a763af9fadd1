"""The audit log is a hash chain: any edited or deleted row is found and named."""

import pytest
import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.audit.service import GENESIS, record, verify_chain


async def _three_events(database):
    async with database.transaction() as session:
        for n in range(3):
            await record(session, actor="user:ana", action="report.verified", object_type="report",
                         object_id=n, before={"status": "in_review"}, after={"status": "verified", "n": n})


async def test_each_row_links_to_the_previous_hash(database):
    await _three_events(database)
    async with database.transaction() as session:
        rows = (await session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))).all()
        assert rows[0].prev_hash == GENESIS
        assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
        check = await verify_chain(session)
    assert check.ok and check.checked == 3


# An edited row is named; a deleted row breaks the chain at the next row.
@pytest.mark.parametrize(("tampering", "first_bad_id"), [
    ("UPDATE audit_events SET actor = 'user:mallory' WHERE id = 2", 2),
    ("DELETE FROM audit_events WHERE id = 2", 3),
], ids=["edited_row_is_named", "deleted_row_breaks_the_chain_at_the_next_row"])
async def test_tampering_is_found_at_the_first_row_that_no_longer_links(database, tampering, first_bad_id):
    await _three_events(database)
    async with database.transaction() as session:
        await session.execute(sa.text(tampering))
    async with database.transaction() as session:
        check = await verify_chain(session)
    assert not check.ok and check.first_bad_id == first_bad_id


async def test_prev_hash_is_unique_so_the_chain_cannot_fork(database):
    from sqlalchemy.exc import IntegrityError

    await _three_events(database)
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            first = await session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id))
            session.add(AuditEvent(actor="x", action="y", prev_hash=first.prev_hash, hash="f" * 64))
