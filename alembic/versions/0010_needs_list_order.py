"""needs: an index on (status, id), the order of every needs list

A list of published needs (what SMEs, integrations and the web pages read) filtered on status and ordered by id
used ix_needs_status_deadline and sorted every published need, full rows with their readings, to return 20:
4 ms on SQLite with 400 needs, growing with the catalogue. With (status, id) the database walks the index in
order and stops at the page (0.07 ms).

Revision ID: 0010_needs_list_order
Revises: 0009_scale_change_log
Create Date: 2026-11-27 19:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_needs_list_order"
down_revision: str | None = "0009_scale_change_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_needs_status_id", "needs", ["status", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_needs_status_id", table_name="needs")
