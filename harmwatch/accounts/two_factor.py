"""TOTP two-factor (RFC 6238, pyotp) with single-use recovery codes. The secret is stored
encrypted, recovery codes as keyed hashes. Each code is accepted once only, even when sent
from several sessions at the same moment: a spent code is a row with a unique key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch import locks
from harmwatch.accounts.models import Role, SpentCode, User
from harmwatch.accounts.service import AccountError
from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.privacy import crockford
from harmwatch.settings import Settings

ISSUER = "Harmwatch"
RECOVERY_CODES = 10
SETUP_LIFETIME = 3600  # seconds a secret being enrolled stays usable


def required_for(user: User) -> bool:
    """Admins must use two-factor; monitors may."""
    return user.role == Role.ADMIN


def is_enabled(user: User) -> bool:
    return bool(user.totp_secret_enc)


def _fernet(settings: Settings, purpose: str = "totp-secret") -> Fernet:
    return Fernet(base64.urlsafe_b64encode(settings.derived_key(purpose)))


def new_secret() -> str:
    return pyotp.random_base32()


def seal_setup(settings: Settings, secret: str) -> str:
    """The secret being enrolled, encrypted for the session cookie (signed, not secret itself)."""
    return _fernet(settings, "totp-setup").encrypt(secret.encode()).decode()


def open_setup(settings: Settings, sealed: object) -> str | None:
    if not isinstance(sealed, str):
        return None
    try:
        return _fernet(settings, "totp-setup").decrypt(sealed.encode(), ttl=SETUP_LIFETIME).decode()
    except InvalidToken:
        return None


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def _secret_of(settings: Settings, user: User) -> str | None:
    if not user.totp_secret_enc:
        return None
    try:
        return _fernet(settings).decrypt(user.totp_secret_enc.encode()).decode()
    except InvalidToken:
        return None


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(settings: Settings, code: str) -> str:
    return hmac.new(settings.derived_key("recovery-code"), _normalise(code).encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = crockford(secrets.token_bytes(7), 10)
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


async def _spend(session: AsyncSession, key: str) -> bool:
    """Mark a one-off code used; False when it was used already (now or by a concurrent request,
    whose uncommitted row the unique key waits for)."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    result = await session.execute(dialect.insert(SpentCode).values(key=key, at=utcnow())
                                   .on_conflict_do_nothing(index_elements=["key"]))
    return result.rowcount == 1


def _matching_step(secret: str, code: str, at: float) -> int | None:
    """The 30-second step a code belongs to (one step of clock drift either way), or None."""
    totp = pyotp.TOTP(secret)
    code = _normalise(code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    step = int(at // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


async def enable(session: AsyncSession, settings: Settings, user: User, *, secret: str, code: str,
                 actor: str) -> list[str]:
    """Turn two-factor on once the user proved their app has the secret; returns the recovery
    codes, in plain text this once."""
    step = _matching_step(secret, code, time.time())
    if step is None:
        raise AccountError("bad_code")
    await _spend(session, f"totp:{user.id}:{step}")
    codes = _new_recovery_codes()
    user.totp_secret_enc = _fernet(settings).encrypt(secret.encode()).decode()
    user.recovery_codes = [_code_hash(settings, c) for c in codes]
    await session.flush()
    await record(session, actor=actor, action="user.totp_enabled", object_type="user", object_id=user.id)
    return codes


async def new_recovery_codes(session: AsyncSession, settings: Settings, user: User, *, actor: str) -> list[str]:
    if not is_enabled(user):
        raise AccountError("totp_not_enabled")
    await locks.hold(session, f"recovery-codes:{user.id}")
    codes = _new_recovery_codes()
    user.recovery_codes = [_code_hash(settings, c) for c in codes]
    await session.flush()
    await record(session, actor=actor, action="user.recovery_codes_renewed", object_type="user", object_id=user.id)
    return codes


async def check(session: AsyncSession, settings: Settings, user: User, code: str, *,
                at: float | None = None) -> str | None:
    """Accept a current TOTP code (each once) or an unused recovery code (then spent).
    Returns "totp" or "recovery_code", or None when the code is wrong."""
    secret = _secret_of(settings, user)
    if secret is None:
        return None
    step = _matching_step(secret, code, time.time() if at is None else at)
    if step is not None:
        return "totp" if await _spend(session, f"totp:{user.id}:{step}") else None  # else replayed
    hashed = _code_hash(settings, code)
    # The list is rewritten below: read it afresh under the account's lock (no lost update).
    await locks.hold(session, f"recovery-codes:{user.id}")
    await session.refresh(user, ["recovery_codes"])
    remaining = [h for h in user.recovery_codes if not hmac.compare_digest(h, hashed)]
    if len(remaining) < len(user.recovery_codes) and await _spend(session, f"recovery:{user.id}:{hashed}"):
        user.recovery_codes = remaining
        await session.flush()
        await record(session, actor=f"user:{user.name}", action="user.recovery_code_used", object_type="user",
                     object_id=user.id, after={"remaining": len(remaining)})
        return "recovery_code"
    return None


async def reset(session: AsyncSession, user: User, *, actor: str) -> None:
    """An admin turns a user's two-factor off (lost phone); the user must enrol again."""
    user.totp_secret_enc = None
    user.recovery_codes = []
    user.session_epoch += 1
    await session.flush()
    await record(session, actor=actor, action="user.totp_reset", object_type="user", object_id=user.id)
