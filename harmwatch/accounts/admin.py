"""What admins (and users themselves) change on accounts: role, active, password, language.
Every change is an audit event with before and after; what narrows access ends sessions."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.accounts.models import Role, User
from harmwatch.accounts.service import MIN_PASSWORD_LENGTH, AccountError, hash_password, password_matches
from harmwatch.audit.service import record
from harmwatch.i18n import LANGUAGES


async def set_role(session: AsyncSession, user: User, *, role: Role | str, actor: User) -> User:
    try:
        role = Role(role)
    except ValueError:
        raise AccountError("bad_role") from None
    if user.id == actor.id and role != Role.ADMIN:
        raise AccountError("cannot_demote_self")
    before = user.role
    if before == role:
        return user
    user.role = role.value
    user.session_epoch += 1  # a changed role starts from a fresh log-in
    await session.flush()
    await record(session, actor=f"user:{actor.name}", action="user.role_changed", object_type="user",
                 object_id=user.id, before={"role": before}, after={"role": role.value})
    return user


async def set_active(session: AsyncSession, user: User, *, active: bool, actor: User) -> User:
    if user.id == actor.id and not active:
        raise AccountError("cannot_deactivate_self")
    if user.active == active:
        return user
    user.active = active
    user.session_epoch += 1
    await session.flush()
    await record(session, actor=f"user:{actor.name}", action="user.activated" if active else "user.deactivated",
                 object_type="user", object_id=user.id, before={"active": not active}, after={"active": active})
    return user


async def set_password(session: AsyncSession, user: User, *, password: str, actor: User,
                       current: str | None = None) -> User:
    """A new password, set by an admin or by the user (who must give the current one)."""
    if current is not None and not password_matches(user.password_hash, current):
        raise AccountError("wrong_password")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    await session.flush()
    await record(session, actor=f"user:{actor.name}", action="user.password_changed", object_type="user",
                 object_id=user.id)
    return user


async def set_language(session: AsyncSession, user: User, *, lang: str) -> User:
    if lang not in LANGUAGES:
        raise AccountError("bad_language")
    before = user.lang
    user.lang = lang
    await session.flush()
    await record(session, actor=f"user:{user.name}", action="user.language_changed", object_type="user",
                 object_id=user.id, before={"lang": before}, after={"lang": lang})
    return user
