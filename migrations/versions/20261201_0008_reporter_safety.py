"""reporter safety: a lookup key apart from the pseudonym, no pseudonym in the audit log,
how each file was sent

Existing reporters keep being found (their old keyed pseudonym becomes their lookup key) and get
a random pseudonym; audit events that named a reporter (`reporter:R-…`) now say `reporter`, and
the hash chain is sealed again from the first changed row, with an `audit.resealed` event that
says so (a chain that kept the old actors would tie every report to a Telegram id for ever).

Revision ID: 0008
Revises: 0012
Create Date: 2026-12-01 15:30:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0012'  # chained after main's desk migrations at merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _random_pseudonym() -> str:
    from harmwatch.privacy import random_pseudonym

    return random_pseudonym()


def _move_pseudonyms(connection) -> None:
    reporters = sa.table('reporters', sa.column('id'), sa.column('pseudonym'), sa.column('lookup_key'),
                         sa.column('forgotten'))
    for row in connection.execute(sa.select(reporters)).all():
        connection.execute(reporters.update().where(reporters.c.id == row.id).values(
            lookup_key=None if row.forgotten else row.pseudonym, pseudonym=_random_pseudonym()))


def _reseal_audit_log(connection) -> None:
    """Rewrite `reporter:<pseudonym>` actors to `reporter` and re-hash the chain from there."""
    from harmwatch.audit.models import AuditEvent
    from harmwatch.audit.service import GENESIS, row_hash
    from harmwatch.database import utcnow

    table = AuditEvent.__table__
    first = connection.scalar(sa.select(sa.func.min(table.c.id)).where(table.c.actor.like('reporter:%')))
    if first is None:
        return
    previous = connection.scalar(sa.select(table.c.hash).where(table.c.id < first).order_by(table.c.id.desc())
                                 .limit(1)) or GENESIS
    changed = 0
    for row in connection.execute(sa.select(table).where(table.c.id >= first).order_by(table.c.id)).all():
        event = AuditEvent(**row._mapping)
        if event.actor.startswith('reporter:'):
            event.actor, changed = 'reporter', changed + 1
        event.prev_hash = previous
        event.hash = row_hash(event)
        connection.execute(table.update().where(table.c.id == row.id).values(
            actor=event.actor, prev_hash=event.prev_hash, hash=event.hash))
        previous = event.hash
    seal = AuditEvent(at=utcnow(), actor='system', action='audit.resealed', object_type=None, object_id=None,
                      before=None, after=json.loads(json.dumps({
                          'reason': 'reporter pseudonyms removed from the log (migration 0008)',
                          'events_changed': changed, 'from_id': first})),
                      prev_hash=previous, hash='')
    seal.hash = row_hash(seal)
    connection.execute(table.insert().values(at=seal.at, actor=seal.actor, action=seal.action,
                                             after=seal.after, prev_hash=seal.prev_hash, hash=seal.hash))


def upgrade() -> None:
    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lookup_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_reporters_lookup_key'), ['lookup_key'], unique=True)
        batch_op.add_column(sa.Column('held_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('held_media_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                                      nullable=False, server_default='{}'))
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sent_as', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True))
    connection = op.get_bind()
    _move_pseudonyms(connection)
    _reseal_audit_log(connection)


def downgrade() -> None:
    # The old pseudonyms come back from the lookup keys; forgotten rows keep a random one.
    reporters = sa.table('reporters', sa.column('id'), sa.column('pseudonym'), sa.column('lookup_key'))
    connection = op.get_bind()
    connection.execute(reporters.update().where(reporters.c.lookup_key.is_not(None))
                       .values(pseudonym=reporters.c.lookup_key))
    with op.batch_alter_table('media', schema=None) as batch_op:
        batch_op.drop_column('sent_as')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_column('chat')
    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.drop_column('held_media_id')
        batch_op.drop_column('held_text')
        batch_op.drop_index(batch_op.f('ix_reporters_lookup_key'))
        batch_op.drop_column('lookup_key')

