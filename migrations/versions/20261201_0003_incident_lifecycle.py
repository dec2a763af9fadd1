"""incident lifecycle: state replaces published; merged_into_id; withdrawn_reason

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 15:20:00

Data: published incidents become state "published", the others "unpublished"; access incidents
get the affected actors their verified reports answered (the access form's `actor_type`, which
incidents used to look for as `actor_types` and so never carried). Downgrading
maps "published" back to published=true and every other state (withdrawn, merged) to false;
merge pointers and withdrawal reasons are lost then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MERGED_FK = 'fk_incidents_merged_into_id_incidents'
JSON = sa.JSON().with_variant(JSONB(), 'postgresql')


def _carry_affected_actors() -> None:
    incidents = sa.table('incidents', sa.column('id', sa.Integer()), sa.column('codes', JSON))
    reports = sa.table('reports', sa.column('incident_id', sa.Integer()), sa.column('status', sa.String()),
                       sa.column('answers', JSON), sa.column('id', sa.Integer()))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(reports.c.incident_id, reports.c.answers)
        .where(reports.c.incident_id.is_not(None), reports.c.status == 'verified').order_by(reports.c.id))
    actors: dict[int, list[str]] = {}
    for incident_id, answers in rows:
        for code in (answers or {}).get('actor_type') or []:
            if code not in actors.setdefault(incident_id, []):
                actors[incident_id].append(code)
    for incident_id, codes in actors.items():
        current = connection.execute(sa.select(incidents.c.codes).where(incidents.c.id == incident_id)).scalar()
        if codes and not (current or {}).get('actor_types'):
            connection.execute(incidents.update().where(incidents.c.id == incident_id)
                               .values(codes={**(current or {}), 'actor_types': codes}))


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))

    incidents = sa.table('incidents', sa.column('published', sa.Boolean()), sa.column('state', sa.String()),
                         sa.column('withdrawn_reason', sa.Text()))
    op.execute(incidents.update().values(
        state=sa.case((incidents.c.published.is_(True), 'published'), else_='unpublished'),
        withdrawn_reason='',
    ))
    _carry_affected_actors()

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.alter_column('state', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('withdrawn_reason', existing_type=sa.Text(), nullable=False)
        batch_op.drop_index('ix_incidents_published_updated')
        batch_op.drop_column('published')
        batch_op.create_foreign_key(MERGED_FK, 'incidents', ['merged_into_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_incidents_state'), ['state'], unique=False)
        batch_op.create_index('ix_incidents_state_updated', ['state', 'updated_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published', sa.Boolean(), nullable=True))

    incidents = sa.table('incidents', sa.column('published', sa.Boolean()), sa.column('state', sa.String()))
    op.execute(incidents.update().values(published=incidents.c.state == 'published'))

    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.alter_column('published', existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_index('ix_incidents_state_updated')
        batch_op.drop_index(batch_op.f('ix_incidents_state'))
        batch_op.drop_constraint(MERGED_FK, type_='foreignkey')
        batch_op.drop_column('withdrawn_reason')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('state')
        batch_op.create_index('ix_incidents_published_updated', ['published', 'updated_at', 'id'], unique=False)
