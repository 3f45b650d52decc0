"""node kinds: the shipped kinds file's second pass (rows marked "kinds2", item by item) reaches databases seeded
before it

See app/core/shipped_batches.py: each row of the batch the table does not hold yet is added (operators' own rows and
removals of other rows stay as they are); on a database created after the batch, 0016 has already seeded it and
nothing is added. Downgrade removes the batch's rows no operator created.

Revision ID: 0017_kinds2
Revises: 0016_node_kinds
Create Date: 2026-11-29 06:30:00
"""

from collections.abc import Sequence

from alembic import op
from app.core.shipped_batches import add_batch, remove_batch

revision: str = "0017_kinds2"
down_revision: str | None = "0016_node_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = "kinds2 by domain knowledge"


def upgrade() -> None:
    add_batch(op.get_bind(), BATCH, "kinds")


def downgrade() -> None:
    remove_batch(op.get_bind(), BATCH, "kinds")
