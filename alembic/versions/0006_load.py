"""indexes for search and the index-sync poll under load

Revision ID: 0006_load
Revises: 0007_jobs
Create Date: 2026-11-27 10:00:00

Enterprise search (name, full name or a product's node name contains q) gets trigram GIN indexes on PostgreSQL
(pg_trgm; plain b-trees on SQLite, which its LIKE scans instead of the wider table rows); enterprises.updated_at
is indexed for the twice-a-second change poll of every worker.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_load"
down_revision: str | None = "0007_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _pg():
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index("ix_enterprises_full_name", ["full_name"], unique=False, postgresql_using="gin",
                              postgresql_ops={"full_name": "gin_trgm_ops"})
        batch_op.create_index("ix_enterprises_updated_at", ["updated_at"], unique=False)
        if _pg():
            # Nothing looks a firm up by its exact name; the trigram index replaces the b-tree.
            batch_op.drop_index("ix_enterprises_name")
            batch_op.create_index("ix_enterprises_name", ["name"], unique=False, postgresql_using="gin",
                                  postgresql_ops={"name": "gin_trgm_ops"})
    op.create_index("ix_chain_nodes_name_trgm", "chain_nodes", ["name"], unique=False, postgresql_using="gin",
                    postgresql_ops={"name": "gin_trgm_ops"})


def downgrade() -> None:
    op.drop_index("ix_chain_nodes_name_trgm", table_name="chain_nodes")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        if _pg():
            batch_op.drop_index("ix_enterprises_name")
            batch_op.create_index("ix_enterprises_name", ["name"], unique=False)
        batch_op.drop_index("ix_enterprises_updated_at")
        batch_op.drop_index("ix_enterprises_full_name")
    # pg_trgm stays: it may have been installed before this revision, and it holds no data.
