"""pairs of reports a monitor marked as not related

Revision ID: 0010
Revises: 0004
Create Date: 2026-12-01 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'not_related_pairs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['other_id'], ['reports.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('report_id', 'other_id', name='uq_not_related_pair'),
    )
    with op.batch_alter_table('not_related_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_not_related_pairs_other_id'), ['other_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_not_related_pairs_report_id'), ['report_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('not_related_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_not_related_pairs_report_id'))
        batch_op.drop_index(batch_op.f('ix_not_related_pairs_other_id'))
    op.drop_table('not_related_pairs')
