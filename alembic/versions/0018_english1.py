"""node aliases: the shipped alias file's English trade names (rows checked "english1") reach databases seeded
before them

See app/core/shipped_batches.py: each row of the batch the table does not hold yet is added (operators' own rows and
removals of other rows stay as they are); on a database created after the batch, 0008 has already seeded it and
nothing is added. Downgrade removes the batch's rows no operator created.

Revision ID: 0018_english1
Revises: 0017_kinds2
Create Date: 2026-11-29 07:00:00
"""

from collections.abc import Sequence

from alembic import op
from app.core.shipped_batches import add_batch, remove_batch

revision: str = "0018_english1"
down_revision: str | None = "0017_kinds2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = "checked english1"


def upgrade() -> None:
    add_batch(op.get_bind(), BATCH)


def downgrade() -> None:
    remove_batch(op.get_bind(), BATCH)
