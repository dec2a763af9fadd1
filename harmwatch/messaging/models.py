"""The channel to reporters: Telegram updates already processed, and messages waiting to go out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import JSONType, utcnow


class ProcessedUpdate(SQLModel, table=True):
    """One row per Telegram update_id: the unique key makes each update count once. A row is
    written when the update arrives; `applied_at` once its effects are committed."""

    __tablename__ = "processed_updates"

    update_id: int = Field(sa_type=sa.BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    processed_at: datetime = Field(default_factory=utcnow, index=True)
    # The reporter's pseudonym (never the Telegram id), to see their other updates in flight.
    reporter_key: str | None = Field(default=None, sa_type=sa.String(32), index=True)
    applied_at: datetime | None = None


class OutboxMessage(SQLModel, table=True):
    """A message for a reporter (a monitor's question, a review outcome), rendered in their
    language by the bot when it is sent: the desk never needs the reporter's chat id."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporters.id", index=True, ondelete="CASCADE")
    report_id: int | None = Field(default=None, foreign_key="reports.id", ondelete="CASCADE")
    kind: str = Field(sa_type=sa.String(32))
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    # Leased to a sender until then, or waiting until then after a failure (see delivery.py).
    due_at: datetime | None = None


class OutgoingReply(SQLModel, table=True):
    """A reply the bot owes a reporter for one update, written in the same transaction as the
    answer it follows, so that a crash after the commit, or a Telegram outage, loses nothing:
    any worker sends it later. `sent_at` set = done; `outcome` says how it ended."""

    __tablename__ = "replies"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporters.id", index=True, ondelete="CASCADE")
    update_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    # Encrypted like the reporter's, and kept here because /forget's own answer must still go
    # out after the reporter's copy is deleted; wiped once the reply is done.
    chat_id_enc: str | None = Field(default=None, sa_type=sa.String(255))
    text: str = Field(sa_type=sa.Text)
    keyboard: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    edit_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = Field(default_factory=utcnow)
    due_at: datetime | None = None
    sent_at: datetime | None = Field(default=None, index=True)
    attempts: int = 0
    # sent, not_modified, rejected (Telegram refused it for good), unreachable, expired
    outcome: str | None = Field(default=None, sa_type=sa.String(16))
    # "question": the live question once sent; "clean" / "forget": deletes `delete_ids` from the
    # chat, then tells the reporter what could not be deleted. None: a plain message.
    kind: str | None = Field(default=None, sa_type=sa.String(16))
    # [[message_id, unix time sent], ...] still to delete: a question's older copy, or a clean-up's
    # messages. Kept up to date as they go, so a crash half-way deletes the rest later.
    delete_ids: list[list[int]] | None = Field(default=None, sa_type=JSONType)
    # A clean-up's tally so far: {"deleted": n, "too_old": n, "gone": n}.
    tally: dict[str, int] | None = Field(default=None, sa_type=JSONType)


class ChatMessage(SQLModel, table=True):
    """One message of a reporter's private chat with the bot (theirs or the bot's), by its Telegram
    message id, so that the conversation can be deleted from the phone after Send and on /forget.
    It leads to nobody: the reporter row is the only link, and the rows go when the messages do.
    `question` marks the bot's live question, which an error replaces instead of repeating."""

    __tablename__ = "chat_messages"

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporters.id", index=True, ondelete="CASCADE")
    message_id: int = Field(sa_type=sa.BigInteger)
    from_bot: bool = False
    question: bool = False
    # When Telegram got it: after 48 hours it can no longer be deleted for everyone.
    sent_at: datetime = Field(default_factory=utcnow)
