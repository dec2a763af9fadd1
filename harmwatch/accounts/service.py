"""Accounts and API tokens: argon2id passwords, tokens shown once and stored as SHA-256.
API tokens belong to ngo accounts only: a desk account's power never leaks into a token that
would outlive its password change or "log out everywhere"."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import threading
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.accounts.models import ApiToken, Role, User
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.errors import DomainError
from harmwatch.settings import get_settings

# Verifications at once, per process: a burst of log-ins must leave a core to everything else.
_VERIFYING = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "hw_"


class AccountError(DomainError):
    """A request about accounts that cannot be carried out."""


@cache
def password_hasher(profile: str = "production") -> PasswordHasher:
    """argon2id. "production": the library's recommended costs (RFC 9106's low-memory choice:
    3 passes over 64 MiB, 4 lanes). "test": the same algorithm and format at the lowest costs,
    for the test suite only, where ~1 s a hash would be most of the run."""
    if profile == "test":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    if profile != "production":
        raise ValueError(f"unknown password hash profile {profile!r}")
    return PasswordHasher()


def hash_password(password: str) -> str:
    return password_hasher(get_settings().password_hash_profile).hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:  # the costs are read from the hash itself: any profile's hash verifies
        return password_hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str, password: str) -> bool:
    """`password_matches` off the event loop (argon2 takes a good part of a second of CPU), a
    few at a time."""
    def verify() -> bool:
        with _VERIFYING:
            return password_matches(password_hash, password)

    return await asyncio.to_thread(verify)


async def create_user(
    session: AsyncSession, *, name: str, role: Role | str, password: str | None, actor: str = "system"
) -> User:
    role = Role(role)
    name = name.strip()
    if not name or len(name) > 64:
        raise AccountError("bad_name")
    if await session.scalar(select(User.id).where(User.name == name)):
        raise AccountError("name_taken")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    user = User(name=name, role=role, password_hash=hash_password(password) if password else None)
    session.add(user)
    await session.flush()
    await record(session, actor=actor, action="user.created", object_type="user", object_id=user.id,
                 after={"name": name, "role": role.value})
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(session: AsyncSession, *, user: User, name: str, actor: str = "system") -> tuple[str, ApiToken]:
    """A new random token; the plain text is returned once and never stored."""
    if user.role != Role.NGO:
        raise AccountError("not_for_api")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_token_hash(plain), prefix=plain[:10])
    session.add(token)
    await session.flush()
    await record(session, actor=actor, action="token.created", object_type="api_token", object_id=token.id,
                 after={"user": user.name, "name": name})
    return plain, token


async def user_for_token(session: AsyncSession, plain: str) -> tuple[User, ApiToken] | None:
    """The active account behind a token, marking it used; None when unknown or revoked."""
    token = await session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(plain)))
    if token is None or token.revoked_at is not None:
        return None
    user = await session.get(User, token.user_id)
    if user is None or not user.active or user.role != Role.NGO:  # e.g. an account moved to the desk
        return None
    token.last_used_at = utcnow()
    return user, token


async def revoke_token(session: AsyncSession, *, token: ApiToken, actor: str) -> None:
    token.revoked_at = utcnow()
    await record(session, actor=actor, action="token.revoked", object_type="api_token", object_id=token.id)
