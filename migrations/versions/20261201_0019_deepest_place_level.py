"""the deepest place level: admin-3 and admin-4 P-codes on reports and incidents, and the
incident's published locality name

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ('reports', 'incidents'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('adm3_pcode', sa.String(length=16), nullable=True))
            batch_op.add_column(sa.Column('adm4_pcode', sa.String(length=16), nullable=True))
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('location')
    for table in ('incidents', 'reports'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('adm4_pcode')
            batch_op.drop_column('adm3_pcode')
