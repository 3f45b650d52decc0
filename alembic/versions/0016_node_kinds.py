"""node kinds: what a product buyers name is a kind of (动力煤 → 煤炭), seeded from the reviewed
matching/data/kinds.csv of this revision; operators edit them through /api/v1/nodes/{key}/members

Revision ID: 0016_node_kinds
Revises: 0015_alias_coverage5
Create Date: 2026-11-29 04:15:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op
from matching.aliases import read_pairs
from matching.kinds import DEFAULT_KINDS

revision: str = "0016_node_kinds"
down_revision: str | None = "0015_alias_coverage5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "node_kinds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("kind_name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["principals.id"], name=op.f("fk_node_kinds_created_by_principals"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node_kinds")),
        sa.UniqueConstraint("item", "kind_name", name="uq_node_kinds_item_kind_name"),
    )
    with op.batch_alter_table("node_kinds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_node_kinds_kind_name"), ["kind_name"], unique=False)
    rows = sa.table("node_kinds", sa.column("item", sa.String), sa.column("kind_name", sa.String),
                    sa.column("source", sa.String), sa.column("created_at", sa.DateTime),
                    sa.column("updated_at", sa.DateTime))
    now = datetime.now(UTC).replace(tzinfo=None)
    pairs = read_pairs(DEFAULT_KINDS, ("item", "kind", "source"))
    op.bulk_insert(rows, [{"item": item, "kind_name": kind, "source": source[:300], "created_at": now,
                           "updated_at": now} for item, kind, source in pairs])


def downgrade() -> None:
    with op.batch_alter_table("node_kinds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_node_kinds_kind_name"))
    op.drop_table("node_kinds")
