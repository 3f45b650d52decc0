"""node aliases: the shipped file's fourth coverage pass and category members (rows checked "alias4" and "alias5")
reach databases seeded before them

See app/core/shipped_batches.py: each row of a batch the table does not hold yet is added (operators' own rows and
removals of other rows stay as they are); on a database created after the batches, 0008 has already seeded them and
nothing is added. Downgrade removes the batches' rows no operator created.

Revision ID: 0014_alias_coverage4
Revises: 0013_alias_coverage3
Create Date: 2026-11-28 14:00:00
"""

from collections.abc import Sequence

from alembic import op
from app.core.shipped_batches import add_batch, remove_batch

revision: str = "0014_alias_coverage4"
down_revision: str | None = "0013_alias_coverage3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCHES = ("checked alias4", "checked alias5")


def upgrade() -> None:
    for batch in BATCHES:
        add_batch(op.get_bind(), batch)


def downgrade() -> None:
    for batch in BATCHES:
        remove_batch(op.get_bind(), batch)
