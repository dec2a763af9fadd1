"""Desk and API accounts, and the API tokens NGOs use (stored hashed)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import JSONType, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    MONITOR = "monitor"
    NGO = "ngo"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(64), unique=True, index=True)
    role: str = Field(sa_type=sa.String(16))
    password_hash: str | None = Field(default=None, sa_type=sa.String(255))
    totp_secret_enc: str | None = Field(default=None, sa_type=sa.String(255))
    recovery_codes: list[str] = Field(default_factory=list, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    lang: str = Field(default="en", sa_type=sa.String(8))
    active: bool = True
    # Bumped by "log out everywhere": sessions carrying an older epoch are refused.
    session_epoch: int = 0
    created_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(sa_type=sa.String(64))
    token_hash: str = Field(sa_type=sa.String(64), unique=True)
    prefix: str = Field(sa_type=sa.String(12))
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginAttempt(SQLModel, table=True):
    """Recent log-in attempts by account and by address, kept in the database so that every
    worker throttles alike. `key` is "user:NAME" or "ip:" + a keyed hash of the address."""

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index("ix_login_attempts_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=sa.String(96))
    at: datetime = Field(default_factory=utcnow)
    success: bool = False


class SpentCode(SQLModel, table=True):
    """One-off codes already accepted: a TOTP step or a recovery code, per account. The key is
    the primary key, so two concurrent uses of one code can never both be accepted."""

    __tablename__ = "spent_codes"

    key: str = Field(sa_type=sa.String(96), primary_key=True)
    at: datetime = Field(default_factory=utcnow)


class LoginSession(SQLModel, table=True):
    """A desk log-in the server still honours. The cookie carries the session's id; only its
    SHA-256 is stored. Log-out deletes the row, so a copied cookie stops working at once."""

    __tablename__ = "login_sessions"

    id_hash: str = Field(sa_type=sa.String(64), primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow)
