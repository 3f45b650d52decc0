"""Reviewed batches of the shipped vocabulary files reaching databases seeded before them (used by migrations).

A migration seeds ``node_aliases`` (from ``matching/data/aliases.csv``) and ``node_kinds`` (from
``matching/data/kinds.csv``) with the file of the revision that runs it, so a database created before a batch of
either file lacks its rows. A batch is the rows whose source names its marker ("checked alias2", "kinds2"); adding
it inserts each row the table does not hold yet, so operators' own rows and removals of other rows stay as they are,
and removing it deletes only the batch's rows no operator created.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from matching.aliases import read_aliases, read_pairs
from matching.kinds import DEFAULT_KINDS

__all__ = ["add_batch", "remove_batch"]

Vocabulary = Literal["aliases", "kinds"]


def _shipped_aliases() -> list[tuple[str, str, str]]:
    return [(a.alias, a.node, a.source) for a in read_aliases()]


def _shipped_kinds() -> list[tuple[str, str, str]]:
    return [(item, kind, source) for item, kind, source in read_pairs(DEFAULT_KINDS, ("item", "kind", "source"))]


# each vocabulary: its table, the two columns a row is keyed by, and the shipped rows (first, second, source)
_VOCABULARIES: dict[str, tuple[str, str, str, Callable[[], list[tuple[str, str, str]]]]] = {
    "aliases": ("node_aliases", "alias", "node_name", _shipped_aliases),
    "kinds": ("node_kinds", "item", "kind_name", _shipped_kinds),
}


def _table(vocabulary: Vocabulary) -> sa.TableClause:
    name, first, second, _ = _VOCABULARIES[vocabulary]
    return sa.table(name, *(sa.column(c) for c in (first, second, "source", "created_by", "created_at", "updated_at")))


def add_batch(bind: Connection, marker: str, vocabulary: Vocabulary = "aliases") -> int:
    """Insert the shipped rows of the batch ``marker`` that the table lacks; returns how many."""
    _, first, second, shipped = _VOCABULARIES[vocabulary]
    table = _table(vocabulary)
    held = {(a, b) for a, b in bind.execute(sa.select(table.c[first], table.c[second]))}
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        {first: a, second: b, "source": source[:300], "created_at": now, "updated_at": now}
        for a, b, source in shipped() if marker in source and (a, b) not in held
    ]
    if rows:
        bind.execute(sa.insert(table), rows)
    return len(rows)


def remove_batch(bind: Connection, marker: str, vocabulary: Vocabulary = "aliases") -> None:
    table = _table(vocabulary)
    bind.execute(table.delete().where(table.c.source.contains(marker), table.c.created_by.is_(None)))
