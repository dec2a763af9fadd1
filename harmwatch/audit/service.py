"""Append to and verify the audit log. Each row's hash covers its content and the previous
row's hash, so an edited or deleted row breaks the chain from there on."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch import locks
from harmwatch.audit.models import AuditEvent
from harmwatch.database import utcnow

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """JSON as it will be read back, so the hash of what is stored equals the hash written."""
    return None if value is None else json.loads(json.dumps(value, default=str, sort_keys=True))


def row_hash(event: AuditEvent) -> str:
    body = json.dumps(
        [
            event.prev_hash,
            event.at.isoformat(timespec="microseconds"),
            event.actor,
            event.action,
            event.object_type,
            event.object_id,
            event.before,
            event.after,
        ],
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain (flushed, committed by the caller's transaction).
    The chain's lock is taken before its head is read: two appends can never follow one row."""
    await locks.hold(session, "audit-chain")
    last = await session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=_plain(before),
        after=_plain(after),
        prev_hash=last or GENESIS,
        hash="",
    )
    event.hash = row_hash(event)
    session.add(event)
    await session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    first_bad_id: int | None = None
    reason: str | None = None


async def _in_order(session: AsyncSession, batch: int = 2000) -> AsyncIterator[AuditEvent]:
    last_id = 0
    while True:
        rows = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        last_id = rows[-1].id


async def verify_chain(session: AsyncSession) -> ChainCheck:
    """Walk the log in order; name the first row whose hash or link does not hold."""
    previous = GENESIS
    checked = 0
    async for event in _in_order(session):
        if event.prev_hash != previous:
            return ChainCheck(False, checked, event.id, "a row before it was deleted or changed")
        if row_hash(event) != event.hash:
            return ChainCheck(False, checked, event.id, "its content was changed")
        previous = event.hash
        checked += 1
    return ChainCheck(True, checked)
