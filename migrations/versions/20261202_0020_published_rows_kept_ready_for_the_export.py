"""published rows kept ready for the export: each published incident's CSV row, written once
per rendering and used again while neither the incident nor the rendering changed
(harmwatch/exports/models.py)

Revision ID: 0020
Revises: 0014
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# A kept row is of no use once its incident changes (its change_seq moves): it goes in the same
# transaction, so that nothing of a withdrawn or merged incident stays behind. Only PostgreSQL's
# exports keep rows; SQLite has the table but never writes to it.
PG_FUNCTION = """
CREATE FUNCTION export_lines_forget_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM export_lines WHERE incident_id = NEW.id;
    RETURN NULL;
END
$$
"""
PG_TRIGGER = """
CREATE TRIGGER incidents_forget_export_lines AFTER UPDATE ON incidents
FOR EACH ROW EXECUTE FUNCTION export_lines_forget_changed()
"""


def upgrade() -> None:
    op.create_table('export_lines',
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=False),
    sa.Column('change_seq', sa.BigInteger(), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'key')
    )
    if op.get_bind().dialect.name == 'postgresql':
        # What it holds can always be written again: not worth the write-ahead log.
        op.execute("ALTER TABLE export_lines SET UNLOGGED")
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS incidents_forget_export_lines ON incidents")
        op.execute("DROP FUNCTION IF EXISTS export_lines_forget_changed()")
    op.drop_table('export_lines')
