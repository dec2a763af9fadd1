"""verification proposals as their own record (four eyes), moved out of reports.assessment

Revision ID: 0015
Revises: 0009
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql


revision: str = '0015'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PROPOSAL = "proposed_verification"  # where a proposal was kept, inside the report's assessment, before
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
reports = sa.table("reports", sa.column("id", sa.Integer), sa.column("assessment", JSON))
proposals = sa.table("verification_proposals", sa.column("report_id", sa.Integer),
                     sa.column("proposed_by_id", sa.Integer), sa.column("proposed_by_name", sa.String),
                     sa.column("grade", sa.String), sa.column("incident_id", sa.Integer),
                     sa.column("corroboration", JSON), sa.column("assessment", JSON),
                     sa.column("proposed_at", sa.DateTime))


def _naive_utc(moment: datetime) -> datetime:
    """As the UTCDateTime columns hold it (TIMESTAMP WITHOUT TIME ZONE, in UTC)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def upgrade() -> None:
    op.create_table('verification_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_by_name', sa.String(length=64), nullable=False),
    sa.Column('grade', sa.String(length=16), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('corroboration', JSON, nullable=False),
    sa.Column('assessment', JSON, nullable=False),
    sa.Column('proposed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id')
    )
    with op.batch_alter_table('verification_proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_proposals_proposed_by_id'), ['proposed_by_id'],
                              unique=False)
    # Proposals waiting today move from the report's assessment into their own rows.
    bind = op.get_bind()
    for report_id, assessment in bind.execute(sa.select(reports.c.id, reports.c.assessment)).all():
        if not isinstance(assessment, dict) or PROPOSAL not in assessment:
            continue
        kept = dict(assessment)
        proposal = kept.pop(PROPOSAL)
        at = proposal.get("at")
        bind.execute(proposals.insert().values(
            report_id=report_id, proposed_by_id=proposal.get("by"), proposed_by_name=proposal.get("by_name") or "",
            grade=proposal["grade"], incident_id=proposal.get("incident_id"),
            corroboration=proposal.get("corroboration") or {}, assessment=proposal.get("assessment") or {},
            proposed_at=_naive_utc(datetime.fromisoformat(at) if at else datetime.now(UTC))))
        bind.execute(reports.update().where(reports.c.id == report_id).values(assessment=kept))


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(proposals)).mappings().all()
    for row in rows:
        assessment = bind.scalar(sa.select(reports.c.assessment).where(reports.c.id == row["report_id"])) or {}
        at = row["proposed_at"]
        proposal = {"by": row["proposed_by_id"], "by_name": row["proposed_by_name"], "grade": row["grade"],
                    "incident_id": row["incident_id"], "corroboration": row["corroboration"],
                    "assessment": row["assessment"],
                    "at": (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat() if at else None}
        bind.execute(reports.update().where(reports.c.id == row["report_id"])
                     .values(assessment={**assessment, PROPOSAL: proposal}))
    with op.batch_alter_table('verification_proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_proposals_proposed_by_id'))
    op.drop_table('verification_proposals')
