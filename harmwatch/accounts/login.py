"""Desk log-in: password, then two-factor; throttled per account and per address; every
success, failure and refusal is an audit event. Errors are `LoginRefused(code)`."""

from __future__ import annotations

import secrets
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts import throttle, two_factor
from harmwatch.accounts.models import Role, User
from harmwatch.accounts.service import hash_password, password_matches
from harmwatch.audit.service import record
from harmwatch.settings import Settings

DESK_ROLES = frozenset({Role.ADMIN, Role.MONITOR})


@cache
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so that timing does not tell."""
    return hash_password(secrets.token_hex(16))


class LoginRefused(Exception):
    """`code`: bad_credentials, bad_code, throttled, not_for_desk, inactive.
    `minutes`: how long to wait when throttled; `scope`: account or address."""

    def __init__(self, code: str, *, minutes: int | None = None, scope: str | None = None) -> None:
        super().__init__(code)
        self.code, self.minutes, self.scope = code, minutes, scope


async def _refuse_if_throttled(session: AsyncSession, keys: tuple[str, str], actor: str) -> None:
    blocked = await throttle.check(session, account=keys[0], address=keys[1])
    if blocked is not None:
        await record(session, actor=actor, action="login.throttled", after={"scope": blocked.scope})
        raise LoginRefused("throttled", minutes=blocked.minutes, scope=blocked.scope)


async def _fail(session: AsyncSession, keys: tuple[str, str], user: User | None, reason: str) -> None:
    await throttle.note(session, keys=keys, success=False)
    await record(session, actor=f"user:{user.name}" if user else "anonymous", action="login.failed",
                 object_type="user" if user else None, object_id=user.id if user else None,
                 after={"reason": reason})


async def check_password(session: AsyncSession, settings: Settings, *, name: str, password: str,
                         address: str | None) -> User:
    """The first step. Returns the user, whose second factor (if any) is still to check."""
    keys = (throttle.account_key(name), throttle.address_key(settings, address))
    user = await session.scalar(select(User).where(User.name == name.strip()))
    await _refuse_if_throttled(session, keys, f"user:{user.name}" if user else "anonymous")
    if user is None:
        password_matches(_dummy_hash(), password)
        await _fail(session, keys, None, "unknown_account")
        raise LoginRefused("bad_credentials")
    if not password_matches(user.password_hash, password):
        await _fail(session, keys, user, "bad_password")
        raise LoginRefused("bad_credentials")
    if not user.active:
        await _fail(session, keys, user, "inactive")
        raise LoginRefused("inactive")
    if user.role not in DESK_ROLES:
        await _fail(session, keys, user, "not_for_desk")
        raise LoginRefused("not_for_desk")
    return user


async def check_second_factor(session: AsyncSession, settings: Settings, *, user: User, code: str,
                              address: str | None) -> str:
    """The second step: a TOTP or recovery code, under the same throttle as passwords."""
    keys = (throttle.account_key(user.name), throttle.address_key(settings, address))
    await _refuse_if_throttled(session, keys, f"user:{user.name}")
    method = await two_factor.check(session, settings, user, code)
    if method is None:
        await _fail(session, keys, user, "bad_code")
        raise LoginRefused("bad_code")
    return method


async def succeeded(session: AsyncSession, settings: Settings, *, user: User, address: str | None,
                    method: str) -> None:
    """Both steps passed: reset the account's failure count and log the log-in."""
    keys = (throttle.account_key(user.name), throttle.address_key(settings, address))
    await throttle.note(session, keys=keys[:1], success=True)
    await record(session, actor=f"user:{user.name}", action="login.succeeded", object_type="user",
                 object_id=user.id, after={"method": method})


async def log_out(session: AsyncSession, user: User, *, everywhere: bool) -> None:
    """End this session (the cookie is dropped by the caller) or, with `everywhere`, all of them."""
    if everywhere:
        user.session_epoch += 1
        await session.flush()
    await record(session, actor=f"user:{user.name}", action="logout.everywhere" if everywhere else "logout",
                 object_type="user", object_id=user.id)
