"""Places of the gazetteer: OCHA common operational dataset areas with P-codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from harmwatch.database import JSONType, utcnow


class Place(SQLModel, table=True):
    __tablename__ = "places"

    pcode: str = Field(sa_type=sa.String(16), primary_key=True)
    # 1 = admin-1 (governorate, oblast), 2 = admin-2 (district, raion), 3 = admin-3 (sub-district,
    # hromada), 4 = admin-4 (community, town or village).
    level: int = Field(index=True)
    parent_pcode: str | None = Field(default=None, sa_type=sa.String(16), index=True)
    name: str = Field(sa_type=sa.String(128))
    # Names by language code, e.g. {"ar": "حلب", "fr": "Alep"}.
    names: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType, sa_column_kwargs={"nullable": False})
    lat: float | None = None
    lon: float | None = None
    # Set by every import, so that each worker sees cheaply when its cached gazetteer is stale.
    updated_at: datetime = Field(default_factory=utcnow)
