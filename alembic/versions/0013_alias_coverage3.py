"""node aliases: the shipped file's third coverage pass (rows checked "alias3") reach databases seeded before it

See app/core/shipped_batches.py: each row of the batch the table does not hold yet is added (operators' own rows and
removals of other rows stay as they are); on a database created after the batch, 0008 has already seeded it and
nothing is added. Downgrade removes the batch's rows no operator created.

Revision ID: 0013_alias_coverage3
Revises: 0012_alias_coverage2
Create Date: 2026-11-28 13:00:00
"""

from collections.abc import Sequence

from alembic import op
from app.core.shipped_batches import add_batch, remove_batch

revision: str = "0013_alias_coverage3"
down_revision: str | None = "0012_alias_coverage2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = "checked alias3"


def upgrade() -> None:
    add_batch(op.get_bind(), BATCH)


def downgrade() -> None:
    remove_batch(op.get_bind(), BATCH)
