"""periodic jobs: a unique key per period

Revision ID: 0007_jobs
Revises: 0004_hardening
Create Date: 2026-11-27 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0007_jobs"
down_revision: str | None = "0004_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a constraint to an existing table without copying it.
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("key", sa.String(length=80), nullable=True))
        batch.create_unique_constraint("uq_jobs_key", ["key"])


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_constraint("uq_jobs_key", type_="unique")
        batch.drop_column("key")
