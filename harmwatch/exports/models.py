"""Published rows kept ready (PostgreSQL's CSV and HXL exports, pg_copy.py): each published
incident's CSV row as the export writes it, for one rendering of the export. A row is used only
while both still hold: its incident has not changed since (its change_seq, which the database
moves on every write to the incident) and the rendering is the same (its key: a hash of the SQL
that writes the row with every label, place name and rule it holds, see pg_copy.rendering_key).
Anything else is written again by that SQL, so a row kept here never serves stale data. On
PostgreSQL a trigger (migration 0020) deletes an incident's kept rows whenever it is updated:
nothing of a withdrawn or merged incident stays behind. The table is UNLOGGED there: what it holds
can always be written again, so it is not worth the write-ahead log (after a crash PostgreSQL
empties it, and the next export writes the rows again)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ExportLine(SQLModel, table=True):
    __tablename__ = "export_lines"

    # The primary key is the only index (each one more slowed writing the rows by about a third):
    # incident first, so that the copy reads the rows in the export's order and a deleted incident's
    # rows are found at once.
    incident_id: int = Field(primary_key=True, foreign_key="incidents.id", ondelete="CASCADE")
    key: str = Field(primary_key=True, sa_type=sa.String(64))
    # The language of the rendering: a new key for it replaces that language's rows.
    lang: str = Field(sa_type=sa.String(16))
    change_seq: int = Field(sa_type=sa.BigInteger)
    line: str = Field(sa_type=sa.Text)
