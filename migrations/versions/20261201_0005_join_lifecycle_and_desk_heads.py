"""join the lifecycle (0003) and desk (0010-0012) branches: no schema change

Merging main into wt-exports put two heads side by side (wt-record's 0003 and main's 0012, both
from 0002). This merge revision makes one head again so that `alembic upgrade head` works; the
lead re-chains the helpers' migrations at merge and may drop it.

Revision ID: 0005
Revises: 0003, 0012
Create Date: 2026-12-01 16:20:00
"""

from collections.abc import Sequence

revision: str = '0005'
down_revision: str | Sequence[str] | None = ('0003', '0012')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
