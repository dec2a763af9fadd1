"""A reporter, known to the desk only by a pseudonym; the chat id to answer them is encrypted."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import utcnow


class Reporter(SQLModel, table=True):
    __tablename__ = "reporters"

    id: int | None = Field(default=None, primary_key=True)
    # What monitors see: random (harmwatch.privacy.random_pseudonym), new after /forget.
    pseudonym: str = Field(sa_type=sa.String(32), unique=True, index=True)
    # How the bot finds the row from a Telegram id (a keyed hash); None once forgotten.
    lookup_key: str | None = Field(default=None, sa_type=sa.String(32), unique=True, index=True)
    chat_id_enc: str | None = Field(default=None, sa_type=sa.String(255))
    lang: str = Field(default="en", sa_type=sa.String(8))
    forgotten: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    # The report whose monitor question the reporter's next message answers. No foreign key:
    # reports already point here, and a cycle would make SQLite's table copies unsortable.
    awaiting_report_id: int | None = None
    # A message that may be for the monitor's question or for the form, until the reporter says.
    held_text: str | None = Field(default=None, sa_type=sa.Text)
    held_media_id: int | None = None
    # Flood limit, kept here so every bot worker sees the same count.
    flood_window_start: datetime | None = None
    flood_count: int = Field(default=0)
