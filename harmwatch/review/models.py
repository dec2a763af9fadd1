"""What monitors keep among themselves: pairs of reports that are not duplicates (so the desk
stops proposing them), internal comments, and the notices that tell a monitor something
happened, and the verifications waiting for a second monitor. None of it is ever exported or
sent to a reporter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import JSONType, utcnow


class NotRelated(SQLModel, table=True):
    """Two reports a monitor said are about different events (stored lower id first)."""

    __tablename__ = "not_related_pairs"
    __table_args__ = (sa.UniqueConstraint("report_id", "other_id", name="uq_not_related_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", index=True)
    other_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utcnow)


class Comment(SQLModel, table=True):
    """A monitor's internal note on a report or an incident, for other monitors."""

    __tablename__ = "desk_comments"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="CASCADE", index=True)
    incident_id: int | None = Field(default=None, foreign_key="incidents.id", ondelete="CASCADE", index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    body: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow)


class Notice(SQLModel, table=True):
    """Something a monitor should know: a reporter answered, a report was assigned to them,
    someone mentioned them. Unread until they open it."""

    __tablename__ = "desk_notices"
    __table_args__ = (sa.Index("ix_desk_notices_user_unread", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(sa_type=sa.String(24))  # reporter_answered | assigned | mentioned
    # Indexed, as every foreign key here: deleting a report or an incident looks its notices up.
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="CASCADE", index=True)
    incident_id: int | None = Field(default=None, foreign_key="incidents.id", ondelete="CASCADE", index=True)
    by_user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


class SavedFilter(SQLModel, table=True):
    """A queue view a monitor named, to come back to (its filters as a query string)."""

    __tablename__ = "saved_filters"
    __table_args__ = (sa.UniqueConstraint("user_id", "name", name="uq_saved_filter_name"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE", index=True)
    name: str = Field(sa_type=sa.String(64))
    query: str = Field(default="", sa_type=sa.String(2000))
    created_at: datetime = Field(default_factory=utcnow)


class VerificationProposal(SQLModel, table=True):
    """A verification one monitor proposed, waiting for a second monitor to confirm it or send it
    back (HARMWATCH_REQUIRE_SECOND_VERIFICATION); gone once the report is decided."""

    __tablename__ = "verification_proposals"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", ondelete="CASCADE", unique=True)
    proposed_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL", index=True)
    proposed_by_name: str = Field(sa_type=sa.String(64))
    grade: str = Field(sa_type=sa.String(16))
    # No foreign key: an incident that is gone when the proposal is confirmed is refused by name
    # ("incident_gone"), not silently turned into "a new incident". None: a new incident.
    incident_id: int | None = None
    corroboration: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType,
                                          sa_column_kwargs={"nullable": False})
    assessment: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    proposed_at: datetime = Field(default_factory=utcnow)
