"""notifications: a partial index of the undispatched ones, the webhook dispatcher's poll

The dispatcher asks for the oldest undispatched notifications, a few times a second in every worker. Nearly all
notifications are dispatched, so an index on the flag is all one value; without statistics (autovacuum off, or not
yet run) PostgreSQL walked the primary key and filtered out every dispatched row: 23-31 ms of the database's CPU
a poll with 23,300 notifications (the 100,000-firm load data), growing with the history. The partial index holds
only the undispatched ones, in id order: the poll reads what there is to send.

Revision ID: 0011_undispatched_notifications
Revises: 0010_needs_list_order
Create Date: 2026-11-27 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0011_undispatched_notifications"
down_revision: str | None = "0010_needs_list_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_notifications_undispatched", "notifications", ["id"], unique=False,
                    postgresql_where=sa.text("dispatched IS FALSE"), sqlite_where=sa.text("dispatched IS 0"))


def downgrade() -> None:
    op.drop_index("ix_notifications_undispatched", table_name="notifications")
