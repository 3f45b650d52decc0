"""quarter reports frozen at the quarter's close (chain analytics)

Revision ID: 0008_analytics
Revises: 0005_throttle
Create Date: 2026-11-27 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008_analytics"
down_revision: str | None = "0008_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quarter_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("chain_code", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("min_tier", sa.String(length=16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(), nullable=False),
        sa.Column("frozen_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["frozen_by"], ["principals.id"], name=op.f("fk_quarter_reports_frozen_by_principals"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_reports")),
        sa.UniqueConstraint("period", "chain_code", "region", "min_tier", name="uq_quarter_reports_scope"),
    )


def downgrade() -> None:
    op.drop_table("quarter_reports")
