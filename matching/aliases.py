"""Vocabulary as data: abbreviations, trade names and synonyms that name chain nodes.

Need texts say MCU, IGBT, 热卷 or 灯珠; the chain data says 微控制器, 半导体器件, 热轧卷板 and LED封装. The
engine takes such pairs as plain input (``MatchIndex.fit(…, aliases=[(alias, node), …])``), so a caller can
keep them wherever it likes. This module reads the reviewed list shipped with the engine,
``matching/data/aliases.csv``: one row per ``alias,node,source``, where ``source`` says where the entry
comes from (a standard, an industry usage) so a reviewer can check it. An alias may name several nodes
(several rows); an alias that is itself a node name makes the nodes synonyms. Lines starting with ``#``
are comments.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["DEFAULT_ALIASES", "Alias", "AliasFileError", "default_aliases", "read_aliases", "read_pairs"]

DEFAULT_ALIASES = Path(__file__).resolve().parent / "data" / "aliases.csv"
_COLUMNS = ("alias", "node", "source")


@dataclass(frozen=True)
class Alias:
    """``alias`` names chain node ``node``; ``source`` says where that knowledge comes from."""

    alias: str
    node: str
    source: str


class AliasFileError(ValueError):
    """An alias file that cannot be used as it is, with the line at fault."""

    def __init__(self, line: int, reason: str) -> None:
        self.line, self.reason = line, reason
        super().__init__(f"line {line}: {reason}")


def read_pairs(path: str | Path, columns: tuple[str, str, str]) -> list[tuple[str, str, str]]:
    """Rows of a reviewed vocabulary file (a pair of names and where the pair comes from), checked: the
    header ``columns``, three non-empty fields, no pair twice, no name paired with itself."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    if not rows:
        raise AliasFileError(1, "no header row")
    first, header = rows[0]
    if tuple(h.strip() for h in next(csv.reader([header]))) != columns:
        raise AliasFileError(first, f"header must be {','.join(columns)}")
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for n, line in rows[1:]:
        fields = [f.strip() for f in next(csv.reader(io.StringIO(line)))]
        if len(fields) != 3 or not all(fields):
            raise AliasFileError(n, f"expected three non-empty fields: {', '.join(columns)}")
        a, b, source = fields
        if a == b:
            raise AliasFileError(n, f"{a!r} is an {columns[0]} of itself")
        if (a, b) in seen:
            raise AliasFileError(n, f"{a!r} -> {b!r} appears twice")
        seen.add((a, b))
        out.append((a, b, source))
    return out


def read_aliases(path: str | Path = DEFAULT_ALIASES) -> list[Alias]:
    """Rows of an alias file, checked: the header, three non-empty fields, no row twice."""
    return [Alias(*row) for row in read_pairs(path, _COLUMNS)]


@lru_cache(maxsize=1)
def _default() -> tuple[tuple[str, str], ...]:
    return tuple((a.alias, a.node) for a in read_aliases(DEFAULT_ALIASES))


def default_aliases() -> list[tuple[str, str]]:
    """The shipped list as ``(alias, node)`` pairs (read once per process)."""
    return list(_default())
