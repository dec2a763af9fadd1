"""The audit log: append-only, each row carrying the hash of the one before it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import JSONType, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(sa_type=sa.String(64), index=True)
    action: str = Field(sa_type=sa.String(64), index=True)
    object_type: str | None = Field(default=None, sa_type=sa.String(32))
    object_id: str | None = Field(default=None, sa_type=sa.String(64))
    before: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    # Unique: two rows can never follow the same row, so the chain cannot fork.
    prev_hash: str = Field(sa_type=sa.String(64), unique=True)
    hash: str = Field(sa_type=sa.String(64), unique=True)
