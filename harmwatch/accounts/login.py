"""Desk log-in: password, then two-factor; throttled per account and address (each attempt
counted before it is checked); every failure does the same password work, so that timing does
not tell which accounts exist; every success, failure and refusal is an audit event.
Errors are `LoginRefused(code)`."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts import throttle, two_factor
from harmwatch.accounts.models import LoginSession, Role, User
from harmwatch.accounts.service import hash_password, verify_password
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.errors import DomainError
from harmwatch.settings import Settings

DESK_ROLES = frozenset({Role.ADMIN, Role.MONITOR})
SESSION_LIFETIME = timedelta(hours=12)  # as long as the desk's cookie lives


@cache
def _dummy_hash() -> str:
    """Verified against when the account does not exist or has no password (ngo accounts)."""
    return hash_password(secrets.token_hex(16))


class LoginRefused(DomainError):
    """`code`: bad_credentials, bad_code, throttled, not_for_desk, inactive.
    `minutes`: how long to wait when throttled; `scope`: account or address."""

    def __init__(self, code: str, *, minutes: int | None = None, scope: str | None = None) -> None:
        super().__init__(code, **({"minutes": minutes} if minutes is not None else {}))
        self.minutes, self.scope = minutes, scope

    @property
    def message_code(self) -> str:
        return f"throttled_{self.scope}" if self.code == "throttled" else self.code


@dataclass(frozen=True)
class Attempt:
    """A step that passed: the user, and the attempt's place in the throttle's counts."""

    user: User
    reservation: throttle.Reservation


async def count_attempt(session: AsyncSession, settings: Settings, *, name: str,
                        address: str | None) -> throttle.Reservation:
    """Before a password or code is checked: refuse when throttled, else count the attempt as
    a failure already. The caller commits this before the check (see throttle.reserve)."""
    held = await throttle.reserve(session, throttle.keys_for(settings, name, address))
    if isinstance(held, throttle.Throttled):
        known = await session.scalar(select(User.name).where(User.name == name.strip()))
        await record(session, actor=f"user:{known}" if known else "anonymous", action="login.throttled",
                     after={"scope": held.scope})
        raise LoginRefused("throttled", minutes=held.minutes, scope=held.scope)
    return held


async def _fail(session: AsyncSession, user: User | None, reason: str) -> None:
    # The attempt was counted as a failure already, by `count_attempt`.
    await record(session, actor=f"user:{user.name}" if user else "anonymous", action="login.failed",
                 object_type="user" if user else None, object_id=user.id if user else None,
                 after={"reason": reason})


async def check_password(session: AsyncSession, *, reservation: throttle.Reservation, name: str,
                         password: str) -> Attempt:
    """The first step, once counted. Returns the user, whose second factor (if any) is still to check."""
    user = await session.scalar(select(User).where(User.name == name.strip()))
    stored = user.password_hash if user is not None else None
    if stored is None:
        await verify_password(await asyncio.to_thread(_dummy_hash), password)
    matches = stored is not None and await verify_password(stored, password)
    if not matches:
        await _fail(session, user, "bad_password" if user else "unknown_account")
        raise LoginRefused("bad_credentials")
    if not user.active:
        await _fail(session, user, "inactive")
        raise LoginRefused("inactive")
    if user.role not in DESK_ROLES:
        await _fail(session, user, "not_for_desk")
        raise LoginRefused("not_for_desk")
    if two_factor.is_enabled(user):
        await throttle.release(session, reservation)  # the second step is counted on its own
    return Attempt(user, reservation)


async def check_second_factor(session: AsyncSession, settings: Settings, *, reservation: throttle.Reservation,
                              user: User, code: str) -> tuple[Attempt, str]:
    """The second step, once counted like a password: a TOTP or recovery code.
    Returns the attempt and how it passed ("totp" or "recovery_code")."""
    method = await two_factor.check(session, settings, user, code)
    if method is None:
        await _fail(session, user, "bad_code")
        raise LoginRefused("bad_code")
    return Attempt(user, reservation), method


async def succeeded(session: AsyncSession, attempt: Attempt, *, method: str) -> None:
    """Both steps passed: reset the account's failure count and log the log-in."""
    await throttle.succeeded(session, attempt.reservation)
    await record(session, actor=f"user:{attempt.user.name}", action="login.succeeded", object_type="user",
                 object_id=attempt.user.id, after={"method": method})


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


async def start_session(session: AsyncSession, user: User) -> str:
    """A new desk session the server honours until log-out; returns its id, for the cookie."""
    session_id = secrets.token_urlsafe(32)
    await session.execute(sa.delete(LoginSession).where(LoginSession.started_at < utcnow() - SESSION_LIFETIME))
    session.add(LoginSession(id_hash=_session_hash(session_id), user_id=user.id))
    await session.flush()
    return session_id


async def session_is_open(session: AsyncSession, user: User, session_id: object) -> bool:
    if not isinstance(session_id, str):
        return False
    row = await session.get(LoginSession, _session_hash(session_id))
    return row is not None and row.user_id == user.id


async def log_out(session: AsyncSession, user: User, *, session_id: object = None, everywhere: bool = False) -> None:
    """End this session or, with `everywhere`, every session of the account, on the server:
    a copy of the cookie is refused from then on."""
    if everywhere:
        user.session_epoch += 1
        await session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    elif isinstance(session_id, str):
        await session.execute(sa.delete(LoginSession).where(LoginSession.id_hash == _session_hash(session_id)))
    await session.flush()
    await record(session, actor=f"user:{user.name}", action="logout.everywhere" if everywhere else "logout",
                 object_type="user", object_id=user.id)
