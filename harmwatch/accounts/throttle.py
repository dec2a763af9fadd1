"""Log-in throttling, kept in `login_attempts` so that every worker counts alike.

Three counts: one account from one address (a success there resets it), one address across
accounts, and one account from addresses it never logged in from. So a stranger who guesses
a monitor's password locks out only himself, not the monitor at the address she works from.
Each attempt is counted *before* the password is checked, under a lock (`reserve`): a burst of
concurrent attempts cannot all slip through before the first failure is written."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch import locks
from harmwatch.accounts.models import LoginAttempt
from harmwatch.database import utcnow
from harmwatch.settings import Settings

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 5  # failures of one account from one address in WINDOW (since a success there)
ADDRESS_LIMIT = 20  # failures from one address in WINDOW, whatever the account
ACCOUNT_LIMIT = 50  # failures of one account in WINDOW from addresses it has not logged in from
KNOWN = timedelta(days=30)  # an address with a success this recent is the account's own
KEEP = timedelta(days=1)  # failures older than this are pruned


@dataclass(frozen=True)
class Throttled:
    """Too many failures: `scope` is "account" or "address"; `retry_after` the time to wait."""

    scope: str
    retry_after: timedelta

    @property
    def minutes(self) -> int:
        return max(1, int(self.retry_after.total_seconds() // 60) + 1)


@dataclass(frozen=True)
class Keys:
    """What an attempt counts against: "user:NAME", "ip:" and "pair:" + keyed hashes."""

    account: str
    address: str
    pair: str


@dataclass(frozen=True)
class Reservation:
    """The failure rows written ahead of the check, taken back if it succeeds."""

    keys: Keys
    ids: tuple[int, ...]


def _keyed(settings: Settings, purpose: str, value: str) -> str:
    return hmac.new(settings.derived_key(purpose), value.encode(), hashlib.sha256).hexdigest()[:40]


def keys_for(settings: Settings, name: str, address: str | None) -> Keys:
    # The address itself is personal data of the monitor: keep only keyed hashes.
    account = name.strip().lower()[:80]
    return Keys(account="user:" + account,
                address="ip:" + _keyed(settings, "login-address", address or "?"),
                pair="pair:" + _keyed(settings, "login-pair", f"{account}\0{address or '?'}"))


def _aware(at: datetime | None, now: datetime) -> datetime | None:
    return at.replace(tzinfo=now.tzinfo) if at is not None and at.tzinfo is None else at


async def _last_success(session: AsyncSession, key: str, now: datetime) -> datetime | None:
    at = await session.scalar(
        select(sa.func.max(LoginAttempt.at)).where(LoginAttempt.key == key, LoginAttempt.success.is_(True)))
    return _aware(at, now)


async def _failures(session: AsyncSession, key: str, since: datetime) -> list[datetime]:
    rows = await session.scalars(
        select(LoginAttempt.at)
        .where(LoginAttempt.key == key, LoginAttempt.at > since, LoginAttempt.success.is_(False))
        .order_by(LoginAttempt.at)
    )
    return list(rows.all())


async def check(session: AsyncSession, keys: Keys, *, now: datetime | None = None) -> Throttled | None:
    """Whether an attempt with these keys must wait, and for how long."""
    now = now or utcnow()
    since = now - WINDOW
    pair_success = await _last_success(session, keys.pair, now)
    limits = [("address", keys.address, ADDRESS_LIMIT, since),
              ("account", keys.pair, PAIR_LIMIT, max(since, pair_success) if pair_success else since)]
    if pair_success is None or pair_success < now - KNOWN:
        account_success = await _last_success(session, keys.account, now)
        limits.append(("account", keys.account, ACCOUNT_LIMIT,
                       max(since, account_success) if account_success else since))
    for scope, key, limit, start in limits:
        failures = await _failures(session, key, start)
        if len(failures) >= limit:
            return Throttled(scope, _aware(failures[-limit], now) + WINDOW - now)
    return None


async def reserve(session: AsyncSession, keys: Keys, *, now: datetime | None = None) -> Throttled | Reservation:
    """Count this attempt as a failure before it is checked, unless it must wait. The lock is
    held until the transaction ends, so concurrent attempts are counted one after another: the
    caller commits before checking the password, so that no lock is held during the check (on
    SQLite that would hold up every other writer) and the attempt counts even if the check dies."""
    now = now or utcnow()
    await locks.hold(session, "login:" + keys.account, "login:" + keys.address)
    blocked = await check(session, keys, now=now)
    if blocked is not None:
        return blocked
    rows = [LoginAttempt(key=key, at=now, success=False) for key in (keys.pair, keys.address, keys.account)]
    session.add_all(rows)
    await session.flush()
    return Reservation(keys, tuple(row.id for row in rows))


async def release(session: AsyncSession, reservation: Reservation) -> None:
    """The check passed: the attempt was not a failure after all."""
    await session.execute(sa.delete(LoginAttempt).where(LoginAttempt.id.in_(reservation.ids)))


async def succeeded(session: AsyncSession, reservation: Reservation, *, now: datetime | None = None) -> None:
    """A whole log-in succeeded: reset the account's counts (this address's count stays) and
    prune rows nobody needs any more."""
    now = now or utcnow()
    await release(session, reservation)
    session.add_all([LoginAttempt(key=key, at=now, success=True)
                     for key in (reservation.keys.pair, reservation.keys.account)])
    await session.execute(sa.delete(LoginAttempt).where(
        LoginAttempt.at < now - KEEP, sa.or_(LoginAttempt.success.is_(False), LoginAttempt.at < now - KNOWN)))
    await session.flush()

