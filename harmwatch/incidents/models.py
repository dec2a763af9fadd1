"""An incident: one event, merged from the reports that verify it; what NGOs receive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from harmwatch.database import utcnow
from harmwatch.incidents.enums import IncidentState
from harmwatch.reports.models import CountRanges, json_field


class Incident(CountRanges, table=True):
    __tablename__ = "incidents"
    __table_args__ = (
        sa.Index("ix_incidents_state_updated", "state", "updated_at", "id"),
        # "Verify into an existing incident" lists the same type in the same governorate by date.
        sa.Index("ix_incidents_type_adm1_occurred", "report_type", "adm1_pcode", "occurred_on"),
        # The change feed's position, written by the database's own triggers on every insert and
        # update (migration 0004, harmwatch/exports/positions.py); not mapped, so no code sets it.
        sa.Column("change_seq", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("change_xid", sa.BigInteger, nullable=False, server_default="0"),
        sa.Index("ix_incidents_change", "change_xid", "change_seq"),
    )
    __mapper_args__ = {"exclude_properties": ["change_seq", "change_xid"]}

    id: int | None = Field(default=None, primary_key=True)
    report_type: str = Field(sa_type=sa.String(16), index=True)
    event_type: str | None = Field(default=None, sa_type=sa.String(48), index=True)
    access_constraint: str | None = Field(default=None, sa_type=sa.String(48), index=True)
    occurred_on: date | None = Field(default=None, index=True)
    time_precision: int = 1
    adm1_pcode: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    adm2_pcode: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    # Below the district, when the place is known that far: sub-district, then community or town.
    adm3_pcode: str | None = Field(default=None, sa_type=sa.String(16))
    adm4_pcode: str | None = Field(default=None, sa_type=sa.String(16))
    # The locality's name as published: the matched town or village below the district, or what
    # a monitor wrote (never the reporter's own words unchecked: those stay on the report).
    location: str | None = Field(default=None, sa_type=sa.String(255))
    lat: float | None = None
    lon: float | None = None
    geo_precision: str | None = Field(default=None, sa_type=sa.String(16))
    # Decimal places kept in exports: 2 is about 1 km (DOMAIN.md's default).
    export_decimals: int = 2
    grade: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    # Multi-valued codes (objects hit, sectors, actor types, weapon, sources...).
    codes: dict[str, Any] = json_field()
    summary_public: str = Field(default="", sa_type=sa.Text)
    notes_private: str = Field(default="", sa_type=sa.Text)
    state: str = Field(default=IncidentState.UNPUBLISHED.value, sa_type=sa.String(16), index=True)
    # A merged incident points to the one that took its reports (the desk and the API follow it).
    merged_into_id: int | None = Field(default=None, foreign_key="incidents.id", index=True)
    withdrawn_reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
