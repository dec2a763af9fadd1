"""Drafts (the bot's conversation state), reports, their media and their thread with monitors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import JSONType, utcnow


def json_field(default_factory=dict) -> Any:
    return Field(default_factory=default_factory, sa_type=JSONType, sa_column_kwargs={"nullable": False})


class CountRanges(SQLModel):
    """Counts as ranges, never one number; None is unknown, never zero (DOMAIN.md)."""

    killed_min: int | None = None
    killed_max: int | None = None
    injured_min: int | None = None
    injured_max: int | None = None
    missing_min: int | None = None
    missing_max: int | None = None
    children_killed_min: int | None = None
    children_killed_max: int | None = None
    children_injured_min: int | None = None
    children_injured_max: int | None = None
    aid_workers_killed_min: int | None = None
    aid_workers_killed_max: int | None = None
    aid_workers_injured_min: int | None = None
    aid_workers_injured_max: int | None = None
    aid_workers_abducted_min: int | None = None
    aid_workers_abducted_max: int | None = None
    people_not_reached_min: int | None = None
    people_not_reached_max: int | None = None


COUNT_NAMES = (
    "killed",
    "injured",
    "missing",
    "children_killed",
    "children_injured",
    "aid_workers_killed",
    "aid_workers_injured",
    "aid_workers_abducted",
    "people_not_reached",
)


class Draft(SQLModel, table=True):
    """A report being written in the bot: saved at every answer, so nothing is lost."""

    __tablename__ = "drafts"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporters.id", unique=True, ondelete="CASCADE")
    form_id: str = Field(sa_type=sa.String(32))
    form_version: int = 1
    answers: dict[str, Any] = json_field()
    # The question being asked; None once every question is answered (the summary).
    current: str | None = Field(default=None, sa_type=sa.String(64))
    # Set while the reporter changes one answer from the summary.
    editing: bool = False
    # Bumped at each answer: a button carrying an older step is stale.
    step: int = 0
    # Words the reporter typed for a place that matched several: kept if they choose "keep what I wrote".
    typed_place: str | None = Field(default=None, sa_type=sa.String(255))
    # The chat around the answers: {"answered": {telegram message id: question id}} so an edited
    # message updates its answer, and {"fragments": [...]} for a long text Telegram split.
    chat: dict[str, Any] = json_field()
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Report(CountRanges, table=True):
    """What a reporter said, in typed columns for the frame plus every answer as given."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.Index("ix_reports_status_submitted", "status", "submitted_at", "id"),
        # Duplicate candidates: same type near in time, then in the same district or near a point.
        sa.Index("ix_reports_type_adm2_occurred", "report_type", "adm2_pcode", "occurred_on"),
        sa.Index("ix_reports_type_occurred_point", "report_type", "occurred_on", "lat", "lon"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ref_code: str = Field(sa_type=sa.String(16), unique=True, index=True)
    reporter_id: int | None = Field(default=None, foreign_key="reporters.id", index=True, ondelete="SET NULL")
    report_type: str = Field(sa_type=sa.String(16))
    channel: str = Field(default="telegram", sa_type=sa.String(16))
    lang: str = Field(default="en", sa_type=sa.String(8), index=True)
    form_id: str = Field(sa_type=sa.String(32))
    form_version: int = 1
    status: str = Field(default="submitted", sa_type=sa.String(16))
    grade: str | None = Field(default=None, sa_type=sa.String(16))
    occurred_on: date | None = Field(default=None)
    time_precision: int = 1
    time_of_day: str | None = Field(default=None, sa_type=sa.String(16))
    adm1_pcode: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    adm2_pcode: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    # The sub-district and the community or town, when the reporter's place is that precise.
    adm3_pcode: str | None = Field(default=None, sa_type=sa.String(16))
    adm4_pcode: str | None = Field(default=None, sa_type=sa.String(16))
    place_text: str | None = Field(default=None, sa_type=sa.String(255))
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = Field(default=None, sa_type=sa.String(16))
    event_type: str | None = Field(default=None, sa_type=sa.String(48), index=True)
    access_constraint: str | None = Field(default=None, sa_type=sa.String(48), index=True)
    has_media: bool = False
    answers: dict[str, Any] = json_field()
    submitted_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    incident_id: int | None = Field(default=None, foreign_key="incidents.id", index=True, ondelete="SET NULL")
    reject_reason: str | None = Field(default=None, sa_type=sa.String(32))
    duplicate_of_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="SET NULL")
    claimed_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    claimed_until: datetime | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    reviewed_at: datetime | None = None
    # Who should look at it next (a monitor's hand-over; claiming is separate and expires).
    assigned_to_id: int | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")
    # The monitor's conclusions, kept apart from the reporter's answers (ODK: no overwrite).
    assessment: dict[str, Any] = json_field()


class Media(SQLModel, table=True):
    """A file as received: the original bytes are kept untouched, their SHA-256 taken at receipt."""

    __tablename__ = "media"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(sa_type=sa.String(64), index=True)
    size: int
    mime_type: str = Field(sa_type=sa.String(100))
    path: str = Field(sa_type=sa.String(255))
    # How Telegram carried it: "photo" (recompressed by Telegram, metadata stripped: not the
    # original), or "document", "video", "voice", "audio" (the file as sent). None: not recorded.
    sent_as: str | None = Field(default=None, sa_type=sa.String(16))
    received_at: datetime = Field(default_factory=utcnow)
    draft_id: int | None = Field(default=None, foreign_key="drafts.id", index=True, ondelete="SET NULL")
    report_id: int | None = Field(default=None, foreign_key="reports.id", index=True, ondelete="CASCADE")


class ReportMessage(SQLModel, table=True):
    """The thread between a monitor and a reporter about one report."""

    __tablename__ = "report_messages"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reports.id", index=True, ondelete="CASCADE")
    direction: str = Field(sa_type=sa.String(16))  # "to_reporter" | "from_reporter"
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    body: str = Field(default="", sa_type=sa.Text)
    media_id: int | None = Field(default=None, foreign_key="media.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
