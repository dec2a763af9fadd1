"""Log-in throttling per account and per address, kept in `login_attempts` so that every worker
counts alike. A locked account or address gets a clear message with the time left."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.models import LoginAttempt
from harmwatch.database import utcnow
from harmwatch.settings import Settings

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5  # failures per account in WINDOW (since its last success)
ADDRESS_LIMIT = 20  # failures per address in WINDOW (a success does not reset it)
KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Throttled:
    """Too many failures: `scope` is "account" or "address"; `retry_after` the time to wait."""

    scope: str
    retry_after: timedelta

    @property
    def minutes(self) -> int:
        return max(1, int(self.retry_after.total_seconds() // 60) + 1)


def account_key(name: str) -> str:
    return "user:" + name.strip().lower()[:80]


def address_key(settings: Settings, address: str | None) -> str:
    # The address itself is personal data of the monitor: keep only a keyed hash.
    digest = hmac.new(settings.derived_key("login-address"), (address or "?").encode(), hashlib.sha256)
    return "ip:" + digest.hexdigest()[:40]


async def _failures(session: AsyncSession, key: str, since: datetime) -> list[datetime]:
    rows = await session.scalars(
        select(LoginAttempt.at)
        .where(LoginAttempt.key == key, LoginAttempt.at > since, LoginAttempt.success.is_(False))
        .order_by(LoginAttempt.at)
    )
    return list(rows.all())


async def check(session: AsyncSession, *, account: str, address: str, now: datetime | None = None) -> Throttled | None:
    """Whether a log-in from this address to this account must wait, and for how long."""
    now = now or utcnow()
    since = now - WINDOW
    last_success = await session.scalar(
        select(sa.func.max(LoginAttempt.at)).where(LoginAttempt.key == account, LoginAttempt.success.is_(True))
    )
    if last_success is not None and last_success.tzinfo is None:
        last_success = last_success.replace(tzinfo=now.tzinfo)
    for scope, key, limit, start in (
        ("address", address, ADDRESS_LIMIT, since),
        ("account", account, ACCOUNT_LIMIT, max(since, last_success) if last_success else since),
    ):
        failures = await _failures(session, key, start)
        if len(failures) >= limit:
            oldest = failures[-limit]
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=now.tzinfo)
            return Throttled(scope, oldest + WINDOW - now)
    return None


async def note(session: AsyncSession, *, keys: tuple[str, ...], success: bool, now: datetime | None = None) -> None:
    """Count one attempt against each key; a success also prunes rows nobody needs any more."""
    now = now or utcnow()
    for key in keys:
        session.add(LoginAttempt(key=key, at=now, success=success))
    if success:
        await session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
    await session.flush()


async def seen(session: AsyncSession, key: str) -> bool:
    """Whether a one-off key (a used TOTP step) was noted already."""
    return await session.scalar(select(LoginAttempt.id).where(LoginAttempt.key == key).limit(1)) is not None
