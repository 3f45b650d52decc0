"""What a product is a kind of, as reviewed data: 动力煤 is a 煤炭, 铜排 a 铜材, 永磁同步电机 an 电机.

Buyers name the item (a grade of coal, a copper bar, a motor type); annual reports list the category the item
belongs to, and the few firms that list the item itself seldom fill a shortlist. The chain graph's
``subclass`` links hold few such pairs and a name's head words find only the kinds the name spells out
(永磁同步电机 → 电机, never 动力煤 → 煤炭), so the pairs are written down: ``matching/data/kinds.csv``, one row
per ``item,kind,source``, where ``source`` says how the pair was checked. A ranker seeks the kinds of a wanted
product that few firms list, below the product's own makers (see :mod:`matching.rank`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from matching.aliases import read_pairs

__all__ = ["DEFAULT_KINDS", "default_kinds", "kind_map", "read_kinds"]

DEFAULT_KINDS = Path(__file__).resolve().parent / "data" / "kinds.csv"
_COLUMNS = ("item", "kind", "source")


def read_kinds(path: str | Path = DEFAULT_KINDS) -> list[tuple[str, str]]:
    """``(item, kind)`` pairs of a kinds file, checked like an alias file."""
    return [(item, kind) for item, kind, _source in read_pairs(path, _COLUMNS)]


@lru_cache(maxsize=1)
def _default() -> tuple[tuple[str, str], ...]:
    return tuple(read_kinds(DEFAULT_KINDS))


def default_kinds() -> list[tuple[str, str]]:
    """The shipped list (read once per process)."""
    return list(_default())


def kind_map(pairs: Iterable[tuple[str, str]], lookup: Callable[[str], int | None]) -> dict[str, tuple[int, ...]]:
    """Item (lower case) -> the nodes it is a kind of, for the pairs whose kind names a node (``lookup``). The
    item is a name as a need writes it: a node's name or another name the alias list gives a node."""
    out: dict[str, list[int]] = defaultdict(list)
    for item, kind in pairs:
        k = lookup(kind)
        if k is not None and lookup(item) != k and k not in out[item.lower()]:
            out[item.lower()].append(k)
    return {i: tuple(ks) for i, ks in out.items()}
