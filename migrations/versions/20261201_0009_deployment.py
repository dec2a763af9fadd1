"""rate buckets shared by every worker; when each place was last imported

Revision ID: 0009
Revises: 0013
Create Date: 2026-12-01 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0013'  # chained after the other migrations of 2026-12-01 at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'rate_buckets',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('tokens', sa.Float(), nullable=False),
        sa.Column('at', sa.Float(), nullable=False),
        sa.Column('granted', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False,
                                      server_default=sa.text("'2026-12-01 00:00:00'")))
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.alter_column('updated_at', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
    op.drop_table('rate_buckets')
