"""What monitors decided about pairs of reports that are not duplicates of each other, so the
desk stops proposing them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import utcnow


class NotRelated(SQLModel, table=True):
    """Two reports a monitor said are about different events (stored lower id first)."""

    __tablename__ = "not_related_pairs"
    __table_args__ = (sa.UniqueConstraint("report_id", "other_id", name="uq_not_related_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", index=True)
    other_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utcnow)
