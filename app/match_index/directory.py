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

_FIRM_SEP, FIELD_SEP = "\x00", "\x1f"
# Changed firms are folded into the big string once there are this many (a rebuild takes ~0.2 s at 100,000).
_REBUILD_AT = 2_000


@dataclass(frozen=True)
class Listing:
    """What the directory knows of one firm: its searchable text and the fields the list filters on."""

    id: int
    names: str  # name and full name, lower-cased, separated by FIELD_SEP
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
        return cls(id_, FIELD_SEP.join(n.lower() for n in names if n), unique, sys.intern(kind), sys.intern(tier),
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


@dataclass
class Columns:
    """Many firms' listings in columns, sorted by id: what a build is made from without a Listing object per firm
    (a million of them took most of a worker's start-up). ``made`` pairs a slot with a product (an index into
    ``products``), each pair once; ``fields`` holds the filter fields' values per slot."""

    ids: np.ndarray
    names: list[str]
    products: list[str]
    made_slot: np.ndarray
    made_product: np.ndarray
    fields: dict[str, list[str]]

    @classmethod
    def of(cls, listings: Sequence[Listing]) -> Columns:
        listings = sorted(listings, key=lambda x: x.id)
        product_ids: dict[str, int] = {}
        made = np.array([product_ids.setdefault(p, len(product_ids)) for x in listings for p in x.products],
                        dtype=np.int64)
        slots = np.repeat(np.arange(len(listings), dtype=np.int64), [len(x.products) for x in listings])
        fields = {"kind": [x.kind for x in listings], "tier": [x.tier for x in listings],
                  **{f"region{k}": [x.region[k] for x in listings] for k in range(3)}}
        return cls(np.array([x.id for x in listings], dtype=np.int64), [x.names for x in listings],
                   list(product_ids), slots, made, fields)


FIELDS = ("kind", "tier", "region0", "region1", "region2")


def combined(a: Columns, b: Columns) -> Columns:
    """The firms of both (no id in both), sorted by id."""
    if not len(b.ids):
        return a
    product_ids = {p: i for i, p in enumerate(a.products)}
    b_products = np.array([product_ids.setdefault(p, len(product_ids)) for p in b.products], dtype=np.int64)
    ids = np.concatenate([a.ids, b.ids])
    order = np.argsort(ids, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    at = order.tolist()
    names = [*a.names, *b.names]
    fields = {n: [*a.fields[n], *b.fields[n]] for n in FIELDS}
    slots = np.concatenate([a.made_slot, b.made_slot + len(a.ids)])
    return Columns(ids[order], [names[i] for i in at], list(product_ids), rank[slots],
                   np.concatenate([a.made_product, b_products[b.made_product]]),
                   {n: [v[i] for i in at] for n, v in fields.items()})


@dataclass(frozen=True)
class _Built:
    """The big strings and arrays of one build: replaced as a whole, so a search never mixes two builds."""

    ids: np.ndarray
    names: Postings  # names and full names, a part per firm
    products: Postings  # distinct product names, a part each
    makers: np.ndarray  # firm slots, grouped by product
    maker_ptr: list[int]
    codes: dict[str, np.ndarray]  # filter field -> code per slot
    values: dict[str, dict[str, int]]  # filter field -> value -> code

    @classmethod
    def of(cls, c: Columns) -> _Built:
        order = np.argsort(c.made_product, kind="stable")
        codes, values = {}, {}
        for name in FIELDS:
            column = c.fields[name]
            # what np.unique(..., return_inverse=True) gives, without sorting 100,000 Python strings (a handful of
            # distinct values: a set and a lookup are ~10x cheaper)
            values[name] = table = {v: i for i, v in enumerate(sorted(set(column)))}
            codes[name] = np.fromiter(map(table.__getitem__, column), np.intp, len(column))
        return cls(c.ids, Postings(*_joined(c.names), _FIRM_SEP), Postings(*_joined(c.products), _FIRM_SEP),
                   c.made_slot[order], np.searchsorted(c.made_product[order], np.arange(len(c.products) + 1)).tolist(),
                   codes, values)

    def merged(self, changed: dict[int, Listing | None]) -> Columns:
        """This build's firms in columns, with ``changed`` replacing (or, None, removing) theirs."""
        keep = ~np.isin(self.ids, np.fromiter(changed, np.int64, len(changed)))
        kept = np.flatnonzero(keep)
        text, starts = self.names.text, self.names.starts
        renumber = np.cumsum(keep) - 1  # old slot -> slot among the kept
        made_product = np.repeat(np.arange(len(self.maker_ptr) - 1, dtype=np.int64), np.diff(self.maker_ptr))
        old_kept = keep[self.makers]
        inverse = {name: list(table) for name, table in self.values.items()}  # sorted values: code -> value
        mine = Columns(self.ids[kept], [text[starts[k]:starts[k + 1] - 1] for k in kept.tolist()],
                       _split(self.products.text, self.products.starts), renumber[self.makers[old_kept]],
                       made_product[old_kept],
                       {n: [inverse[n][i] for i in self.codes[n][kept].tolist()] for n in FIELDS})
        return combined(mine, Columns.of([x for x in changed.values() if x is not None]))

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

    def __init__(self, listings: Sequence[Listing] | Columns = ()) -> None:
        self._changed: dict[int, Listing | None] = {}  # id -> its current listing (None: removed)
        self._built = _Built.of(listings if isinstance(listings, Columns) else Columns.of(listings))

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
            self._built = _Built.of(self._built.merged(dict(self._changed)))
            self._changed = {}

    def search(self, q: str, f: Filter, *, limit: int, offset: int) -> tuple[list[int], int] | None:
        """Ids of the page (by id) and the total of firms whose text contains ``q`` and that ``f`` admits.

        None when the directory cannot answer exactly (the query holds a separator character): ask the database.
        """
        needle = q.lower()
        if not needle or _FIRM_SEP in needle or FIELD_SEP in needle:
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


def _split(text: str, starts: Sequence[int]) -> list[str]:
    """The parts of a :func:`_joined` text."""
    return [text[starts[k]:starts[k + 1] - 1] for k in range(len(starts) - 1)]


def _joined(texts: list[str]) -> tuple[str, list[int]]:
    """One string of all ``texts`` and where each starts (one more: the end)."""
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) + 1 for t in texts], out=starts[1:])
    return _FIRM_SEP.join(texts) + _FIRM_SEP, starts.tolist()

