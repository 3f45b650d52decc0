"""Reviewed batches of the shipped alias file reaching databases seeded before them (used by migrations).

A migration seeds ``node_aliases`` from the alias file of the revision that runs it, so a database created before a
batch of ``matching/data/aliases.csv`` lacks its rows. A batch is the rows whose source names its marker
("checked alias2"); adding it inserts each row the table does not hold yet, so operators' own rows and removals of
other rows stay as they are, and removing it deletes only the batch's rows no operator created.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from matching.aliases import read_aliases

__all__ = ["add_batch", "remove_batch"]

_aliases = sa.table(
    "node_aliases",
    sa.column("alias", sa.String),
    sa.column("node_name", sa.String),
    sa.column("source", sa.String),
    sa.column("created_by", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def add_batch(bind: Connection, marker: str) -> int:
    """Insert the shipped rows of the batch ``marker`` that the table lacks; returns how many."""
    held = {(a, n) for a, n in bind.execute(sa.select(_aliases.c.alias, _aliases.c.node_name))}
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {"alias": a.alias, "node_name": a.node, "source": a.source[:300], "created_at": now, "updated_at": now}
        for a in read_aliases() if marker in a.source and (a.alias, a.node) not in held
    ]
    if rows:
        bind.execute(sa.insert(_aliases), rows)
    return len(rows)


def remove_batch(bind: Connection, marker: str) -> None:
    bind.execute(_aliases.delete().where(_aliases.c.source.contains(marker), _aliases.c.created_by.is_(None)))
