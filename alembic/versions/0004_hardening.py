"""webhooks belong to the token that created them

Revision ID: 0004_hardening
Revises: 0003
Create Date: 2026-12-02 10:00:00

Existing hooks are given their owner's token. Every principal made by ``create_token`` has exactly one token, and
only tokens can create hooks, so that is the token each hook was created with; a hook whose owner has no token
keeps NULL, and its deliveries stop.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004_hardening"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_webhooks_token_id"), ["token_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_webhooks_token_id_api_tokens"), "api_tokens", ["token_id"],
                                    ["id"], ondelete="SET NULL")
    op.execute("UPDATE webhooks SET token_id = (SELECT min(api_tokens.id) FROM api_tokens "
               "WHERE api_tokens.principal_id = webhooks.owner_id)")


def downgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_webhooks_token_id_api_tokens"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_webhooks_token_id"))
        batch_op.drop_column("token_id")
