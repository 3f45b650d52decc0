"""anonymous posters out of stored notifications

Before this revision, accepting an SME's interest in an anonymous need wrote the poster's code and name into the
SME's interest.answered notification; the inbox and webhook deliveries (built from the stored payload when they
are sent) kept naming it. Newer code never writes it; this drops it from the rows already stored.

Revision ID: access_0004
Revises: 0006_load
Create Date: 2026-11-27 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "access_0004"
down_revision: str | None = "0006_load"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_notifications = sa.table("notifications", sa.column("id", sa.Integer), sa.column("event", sa.String),
                          sa.column("payload", sa.JSON))
_needs = sa.table("needs", sa.column("id", sa.Integer), sa.column("anonymous", sa.Boolean))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_notifications.c.id, _notifications.c.payload)
                        .where(_notifications.c.event == "interest.answered")).all()
    named = {row.id: row.payload for row in rows if isinstance(row.payload, dict) and "poster" in row.payload}
    need_ids = {p.get("need_id") for p in named.values() if isinstance(p.get("need_id"), int)}
    if not need_ids:
        return
    anonymous = set(bind.execute(sa.select(_needs.c.id).where(_needs.c.id.in_(sorted(need_ids)),
                                                              _needs.c.anonymous.is_(True))).scalars())
    for note_id, payload in named.items():
        if payload.get("need_id") in anonymous:
            bind.execute(sa.update(_notifications).where(_notifications.c.id == note_id)
                         .values(payload={k: v for k, v in payload.items() if k != "poster"}))


def downgrade() -> None:
    # Nothing to undo: the names removed were never meant to be there, and the schema is unchanged.
    pass
