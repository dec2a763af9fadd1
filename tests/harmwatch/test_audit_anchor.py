"""The audit anchor: every export and feed page carries the chain's head (HASH:LENGTH), and
`harmwatch audit verify --expect HASH:LENGTH` fails when the log no longer extends that head: a
cut-off tail, or a tail rewritten from there on. Through the real command."""

from __future__ import annotations

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.audit.service import GENESIS, AuditHead, head, record
from tests.conftest import one_database
from tests.test_cli import harmwatch


async def _log(database, count: int) -> AuditHead:
    async with database.transaction() as session:
        for n in range(count):
            await record(session, actor="user:ana", action="report.viewed", object_id=n)
        return await head(session)


async def test_verify_expect_passes_while_the_log_extends_the_head(database, database_url, tmp_path):
    anchor = await _log(database, 3)
    assert anchor.length == 3 and len(anchor.hash) == 64
    await _log(database, 2)  # the log grows: it still extends the anchor
    done = harmwatch(database_url, tmp_path, "audit", "verify", "--expect", str(anchor))
    assert done.returncode == 0, done.stderr
    assert "intact: 5 rows" in done.stdout and "extending" in done.stdout


async def test_verify_expect_fails_on_a_cut_off_tail(database, database_url, tmp_path):
    anchor = await _log(database, 4)
    async with database.transaction() as session:  # the last two rows go: the chain itself still holds
        last_two = (await session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(2))).all()
        await session.execute(sa.delete(AuditEvent).where(AuditEvent.id.in_(last_two)))
    assert harmwatch(database_url, tmp_path, "audit", "verify").returncode == 0  # blind without the anchor
    done = harmwatch(database_url, tmp_path, "audit", "verify", "--expect", str(anchor))
    assert done.returncode == 1
    assert "BROKEN" in done.stderr and "fewer than the expected head's 4" in done.stderr and "cut off" in done.stderr


async def test_verify_expect_fails_when_the_tail_was_rewritten(database, database_url, tmp_path):
    anchor = await _log(database, 3)
    async with database.transaction() as session:
        last = await session.scalar(sa.select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
        await session.execute(sa.delete(AuditEvent).where(AuditEvent.id == last))
    await _log(database, 2)  # a new, valid chain from the cut: as long, but not the anchored one
    done = harmwatch(database_url, tmp_path, "audit", "verify", "--expect", str(anchor))
    assert done.returncode == 1 and "not the expected head" in done.stderr


@one_database
async def test_a_malformed_expectation_is_refused(database, database_url, tmp_path):
    for bad in ("abc", f"{GENESIS}:x", "zz" * 32 + ":1"):
        done = harmwatch(database_url, tmp_path, "audit", "verify", "--expect", bad)
        assert done.returncode == 2 and "HASH:LENGTH" in done.stderr
