"""node aliases: the shipped file's second coverage pass (rows checked "alias2") reach databases seeded before it

0008 seeds node_aliases from the alias file of the revision that runs it, so a database created before the second
coverage pass of matching/data/aliases.csv lacks its rows. This adds each of them that the table does not hold yet
(operators' own rows and removals of other rows stay as they are); on a database created after it, 0008 has already
seeded them and nothing is added.

Revision ID: 0012_alias_coverage2
Revises: 0011_undispatched_notifications
Create Date: 2026-11-28 11:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op
from matching.aliases import read_aliases

revision: str = "0012_alias_coverage2"
down_revision: str | None = "0011_undispatched_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = "checked alias2"
_aliases = sa.table(
    "node_aliases",
    sa.column("alias", sa.String),
    sa.column("node_name", sa.String),
    sa.column("source", sa.String),
    sa.column("created_by", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def upgrade() -> None:
    bind = op.get_bind()
    held = {(a, n) for a, n in bind.execute(sa.select(_aliases.c.alias, _aliases.c.node_name))}
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {"alias": a.alias, "node_name": a.node, "source": a.source[:300], "created_at": now, "updated_at": now}
        for a in read_aliases() if BATCH in a.source and (a.alias, a.node) not in held
    ]
    if rows:
        op.bulk_insert(_aliases, rows)


def downgrade() -> None:
    op.execute(_aliases.delete().where(_aliases.c.source.contains(BATCH), _aliases.c.created_by.is_(None)))
