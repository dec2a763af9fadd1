"""change feed: a position for every change to an incident

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 15:40:00

Every inserted or updated incident row gets a position from the database itself (triggers), so
that no code path, ORM or Core, can change an incident without the change feed seeing it; see
harmwatch/exports/positions.py. Existing incidents get positions in (updated_at, id) order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_FUNCTION = """
CREATE FUNCTION incident_change_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('incident_change_seq');
    NEW.change_xid := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$
"""
PG_TRIGGER = """
CREATE TRIGGER incidents_change_position BEFORE INSERT OR UPDATE ON incidents
FOR EACH ROW EXECUTE FUNCTION incident_change_position()
"""
# SQLite cannot change NEW in a BEFORE trigger: the row is numbered right after it is written.
# Its single writer holds the write lock until commit, so the next number is the newest plus one.
_SQLITE_NUMBER = """
CREATE TRIGGER incidents_change_on_{event} AFTER {event} ON incidents FOR EACH ROW BEGIN
    UPDATE incidents SET change_seq = (SELECT coalesce(max(change_xid), 0) + 1 FROM incidents),
                         change_xid = (SELECT coalesce(max(change_xid), 0) + 1 FROM incidents)
    WHERE id = NEW.id;
END
"""
BACKFILL = """
UPDATE incidents SET change_seq = ordered.n{also}
FROM (SELECT id, row_number() OVER (ORDER BY updated_at, id) AS n FROM incidents) AS ordered
WHERE incidents.id = ordered.id
"""


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('change_xid', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index('ix_incidents_change', ['change_xid', 'change_seq'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(BACKFILL.format(also=", change_xid = ordered.n"))
        for event in ('INSERT', 'UPDATE'):
            op.execute(_SQLITE_NUMBER.format(event=event))
        return
    op.execute("CREATE SEQUENCE incident_change_seq AS bigint")
    op.execute(BACKFILL.format(also=""))  # change_xid 0: committed before any reader
    op.execute("SELECT setval('incident_change_seq', max(change_seq)) FROM incidents HAVING count(*) > 0")
    op.execute(PG_FUNCTION)
    op.execute(PG_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for event in ('INSERT', 'UPDATE'):
            op.execute(f"DROP TRIGGER IF EXISTS incidents_change_on_{event}")
    else:
        op.execute("DROP TRIGGER IF EXISTS incidents_change_position ON incidents")
        op.execute("DROP FUNCTION IF EXISTS incident_change_position()")
        op.execute("DROP SEQUENCE IF EXISTS incident_change_seq")
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_change')
        batch_op.drop_column('change_xid')
        batch_op.drop_column('change_seq')
