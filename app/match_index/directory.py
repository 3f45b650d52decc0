"""The firm directory in memory: substring search over names, full names and products, with the list filters.

Enterprise search asks "which firms' name, full name or a product contains q" and wants the total. In the
database that is a scan of 100,000 names and ~1.1 M product rows per query (a 1–2 character query cannot use a
trigram index, and a total means visiting every match): 0.3–1 s at 100,000 firms. Here names and full names are
one lower-cased string and the distinct product names (~39,000 for 1.1 M product rows) another, each with posting
lists of its characters and character pairs (ngrams.py), so a query reads the parts that hold it instead of
scanning ~2.9 M characters; matching products reach their firms through a posting array, and the filters are
boolean masks. Totals stay exact.

Kept fresh with the match index (the same commit hook and change log, see holder.py): a changed, new or removed
firm is looked up in a small side table until the next rebuild folds it in. The page's rows are then read from
the database, so what is shown is always current; which firms match may trail another worker's or node's change
by the change feed's delay (a notification on PostgreSQL, the 0.5 s poll on SQLite), as ranking does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from app.match_index.ngrams import Postings

_FIRM_SEP, _FIELD_SEP = "\x00", "\x1f"
# Changed firms are folded into the big string once there are this many (a rebuild takes ~0.2 s at 100,000).
_REBUILD_AT = 2_000


@dataclass(frozen=True)
class Listing:
    """What the directory knows of one firm: its searchable text and the fields the list filters on."""

    id: int
    names: str  # name and full name, lower-cased, separated by _FIELD_SEP
    products: tuple[str, ...]  # lower-cased
    kind: str
    tier: str
    region: tuple[str, str, str]  # province, city, district ("" when unknown)

    @classmethod
    def of(cls, id_: int, *, names: Iterable[str], products: Iterable[str], kind: str, tier: str,
           region: Sequence[str | None]) -> Listing:
        parts = [*(region or ()), "", "", ""][:3]
        # interned: ~1.2 M product mentions at 100,000 firms are ~39,000 distinct names, one copy each per worker
        unique = tuple(dict.fromkeys([sys.intern(p.lower()) for p in products if p]))
        return cls(id_, _FIELD_SEP.join(n.lower() for n in names if n), unique, sys.intern(kind), sys.intern(tier),
                   (sys.intern(parts[0] or ""), sys.intern(parts[1] or ""), sys.intern(parts[2] or "")))

    def contains(self, needle: str) -> bool:
        return needle in self.names or any(needle in p for p in self.products)


@dataclass(frozen=True)
class Filter:
    kinds: Sequence[str] = ()
    tiers: Sequence[str] = ()
    region: Sequence[str] = ()  # province[, city[, district]]: each given part must be equal

    def admits(self, x: Listing) -> bool:  # for the few changed firms; the rest go through masks
        return ((not self.kinds or x.kind in self.kinds) and (not self.tiers or x.tier in self.tiers)
                and all(a == b for a, b in zip(self.region, x.region, strict=False)))


@dataclass(frozen=True)
class _Built:
    """The big strings and arrays of one build: replaced as a whole, so a search never mixes two builds."""

    listings: list[Listing]
    ids: np.ndarray
    names: Postings  # names and full names, a part per firm
    products: Postings  # distinct product names, a part each
    makers: np.ndarray  # firm slots, grouped by product
    maker_ptr: list[int]
    codes: dict[str, np.ndarray]  # filter field -> code per slot
    values: dict[str, dict[str, int]]  # filter field -> value -> code

    @classmethod
    def of(cls, listings: list[Listing]) -> _Built:
        product_ids: dict[str, int] = {}
        made = np.array([product_ids.setdefault(p, len(product_ids)) for x in listings for p in x.products],
                        dtype=np.int64)
        slots = np.repeat(np.arange(len(listings)), [len(x.products) for x in listings])
        order = np.argsort(made, kind="stable")
        codes, values = {}, {}
        for name, column in (("kind", [x.kind for x in listings]), ("tier", [x.tier for x in listings]),
                             *((f"region{k}", [x.region[k] for x in listings]) for k in range(3))):
            # what np.unique(..., return_inverse=True) gives, without sorting 100,000 Python strings (a handful of
            # distinct values: a set and a lookup are ~10x cheaper)
            values[name] = table = {v: i for i, v in enumerate(sorted(set(column)))}
            codes[name] = np.fromiter(map(table.__getitem__, column), np.intp, len(column))
        return cls(listings, np.array([x.id for x in listings], dtype=np.int64),
                   Postings(*_joined([x.names for x in listings]), _FIRM_SEP),
                   Postings(*_joined(list(product_ids)), _FIRM_SEP), slots[order],
                   np.searchsorted(made[order], np.arange(len(product_ids) + 1)).tolist(), codes, values)

    def position(self, id_: int) -> int | None:
        k = int(np.searchsorted(self.ids, id_))
        return k if k < len(self.ids) and self.ids[k] == id_ else None

    def admitted(self, f: Filter, changed: Iterable[int]) -> np.ndarray:
        """True for the firms of the big strings that the filter admits and that have not changed since."""
        mask = np.ones(len(self.ids), dtype=bool)
        for name, wanted in (("kind", f.kinds), ("tier", f.tiers),
                             *((f"region{k}", (part,)) for k, part in enumerate(f.region))):
            if wanted:
                table = self.values[name]
                mask &= np.isin(self.codes[name], [table[w] for w in wanted if w in table])
        # a changed firm is answered from its new listing, not from the big strings
        mask[[k for id_ in changed if (k := self.position(id_)) is not None]] = False
        return mask


class Directory:
    """Safe to search from request threads while the holder (under its lock) changes it: a search reads the side
    table first, then the build; a rebuild replaces the build first, then empties the side table."""

    def __init__(self, listings: Iterable[Listing] = ()) -> None:
        self._changed: dict[int, Listing | None] = {}  # id -> its current listing (None: removed)
        self._built = _Built.of(sorted(listings, key=lambda x: x.id))

    def __len__(self) -> int:
        built, changed = self._built, dict(self._changed)
        stale = sum(1 for i in changed if built.position(i) is not None)
        return len(built.ids) - stale + sum(1 for x in changed.values() if x is not None)

    def upsert(self, listing: Listing) -> None:
        self._changed[listing.id] = listing
        self._maybe_rebuild()

    def remove(self, id_: int) -> None:
        self._changed[id_] = None
        self._maybe_rebuild()

    def _maybe_rebuild(self) -> None:
        if len(self._changed) >= _REBUILD_AT:
            current = {x.id: x for x in self._built.listings}
            for id_, x in self._changed.items():
                if x is None:
                    current.pop(id_, None)
                else:
                    current[id_] = x
            self._built = _Built.of(sorted(current.values(), key=lambda x: x.id))
            self._changed = {}

    def search(self, q: str, f: Filter, *, limit: int, offset: int) -> tuple[list[int], int] | None:
        """Ids of the page (by id) and the total of firms whose text contains ``q`` and that ``f`` admits.

        None when the directory cannot answer exactly (the query holds a separator character): ask the database.
        """
        needle = q.lower()
        if not needle or _FIRM_SEP in needle or _FIELD_SEP in needle:
            return None
        changed = dict(self._changed)  # a copy made in one step: other threads may add to it meanwhile
        built = self._built
        found = np.zeros(len(built.ids), dtype=bool)
        found[built.names.parts(needle)] = True
        products = built.products.parts(needle).tolist()
        if products:
            ptr = built.maker_ptr
            found[np.concatenate([built.makers[ptr[j]:ptr[j + 1]] for j in products])] = True
        found &= built.admitted(f, changed)
        want = offset + limit
        page = built.ids[np.flatnonzero(found)[:want]].tolist()
        total = int(np.count_nonzero(found))
        extra = sorted(id_ for id_, x in changed.items() if x is not None and x.contains(needle) and f.admits(x))
        if extra:
            total += len(extra)
            page = sorted(page + extra)[:want]
        return page[offset:want], total


def _joined(texts: list[str]) -> tuple[str, list[int]]:
    """One string of all ``texts`` and where each starts (one more: the end)."""
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts], out=starts[1:])
    return _FIRM_SEP.join(texts) + _FIRM_SEP, starts.tolist()

