"""Per-firm state of a match index kept in flat arrays, so an index opened from a snapshot maps them from disk
(shared by every process of a machine through the page cache) instead of holding a Python object per firm.

Each table is the snapshot's read-only base plus a small in-memory overlay of the changes applied since; the
index sees an ordinary mapping.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping, Sequence
from typing import TypeVar

import numpy as np

from matching.types import EnterpriseRecord

__all__ = ["RecordTable", "RegionSlots", "SlotMap", "StringColumn", "pack_strings"]

V = TypeVar("V")


def pack_strings(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """UTF-8 bytes of all strings end to end, and offsets (``len(values) + 1``) into them."""
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, dtype=np.uint8)
    return blob, offsets


class StringColumn:
    """Strings packed by :func:`pack_strings`, decoded one at a time on access."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets = blob, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return bytes(self.blob[self.offsets[i] : self.offsets[i + 1]]).decode("utf-8")

    def span(self, lo: int, hi: int) -> list[str]:
        """Strings ``lo`` to ``hi - 1`` (one read of their bytes, then slicing)."""
        offs = self.offsets[lo : hi + 1].tolist()
        text, base = bytes(self.blob[offs[0] : offs[-1]]), offs[0]
        return [text[offs[i] - base : offs[i + 1] - base].decode("utf-8") for i in range(len(offs) - 1)]

    def all(self) -> list[str]:
        """Every string (one decode of the whole blob, then slicing: much faster than item by item)."""
        text = bytes(self.blob)
        offs = self.offsets.tolist()
        return [text[offs[i] : offs[i + 1]].decode("utf-8") for i in range(len(offs) - 1)]


class _Overlaid(MutableMapping[int, V]):
    """Sorted base ids (a snapshot) with entries added, replaced and removed since, in memory."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray) -> None:
        self._ids, self._rows = ids, rows  # ids sorted; rows[k] = base row of ids[k]
        self._removed: set[int] = set()  # base ids deleted or replaced
        self._added: dict[int, V] = {}

    def _base(self, row: int) -> V:
        raise NotImplementedError

    def _position(self, key: int) -> int | None:
        # the array's own method: np.searchsorted's dispatch wrapper cost twice the search (ids are looked up per
        # explained firm and per update)
        pos = int(self._ids.searchsorted(key))
        return pos if pos < len(self._ids) and int(self._ids[pos]) == key else None

    def _base_row(self, key: int) -> int:
        pos = self._position(key)
        if pos is None or key in self._removed:
            raise KeyError(key)
        return int(self._rows[pos])

    def __getitem__(self, key: int) -> V:
        if key in self._added:
            return self._added[key]
        return self._base(self._base_row(key))

    def __setitem__(self, key: int, value: V) -> None:
        if self._position(key) is not None:
            self._removed.add(key)
        self._added[key] = value

    def __delitem__(self, key: int) -> None:
        in_base = self._position(key) is not None
        if key in self._added:
            del self._added[key]  # a replaced base entry is already in _removed
        elif not in_base or key in self._removed:
            raise KeyError(key)
        else:
            self._removed.add(key)

    def __iter__(self) -> Iterator[int]:
        yield from (k for k in self._ids.tolist() if k not in self._removed)
        yield from self._added

    def __len__(self) -> int:
        return len(self._ids) - len(self._removed) + len(self._added)


class SlotMap(_Overlaid[int]):
    """enterprise id -> slot: the snapshot's slots by binary search, later ones from a dict."""

    def _base(self, row: int) -> int:
        return row


class RecordTable(_Overlaid[EnterpriseRecord]):
    """enterprise id -> :class:`EnterpriseRecord`, rebuilt from the columns when asked for (explanations, the
    rare region-prefix scan), so the snapshot's firms cost no memory of their own until then."""

    FIELDS = ("code", "name", "kind", "tier", "region", "description", "industry")

    def __init__(self, ids: np.ndarray, rows: np.ndarray, base_ids: np.ndarray, columns: dict[str, StringColumn],
                 product_ptr: np.ndarray, product_ids: np.ndarray, product_names: StringColumn,
                 product_shares: np.ndarray) -> None:
        super().__init__(ids, rows)
        self._base_id = base_ids  # base row -> enterprise id
        self._columns, self._ptr = columns, product_ptr
        # each mention is a number into the distinct product names (~95,000 for 11 M mentions at a million firms)
        self._pids, self._pnames, self._pshares = product_ids, product_names, product_shares
        self._distinct: list[str] | None = None

    def product_names(self) -> list[str]:
        """The distinct product names, decoded once (a few MB) on first use."""
        if self._distinct is None:
            self._distinct = self._pnames.all()
        return self._distinct

    def every(self) -> Iterator[EnterpriseRecord]:
        """Every record, the snapshot's decoded column by column in bulk: item by item (``values()``) decodes each
        string from the mapped blobs on its own, minutes for 100,000 firms on a busy machine instead of seconds."""
        cols = {f: self._columns[f].all() for f in self.FIELDS}
        distinct, shares, ptr = self.product_names(), self._pshares.tolist(), self._ptr.tolist()
        names = [distinct[i] for i in self._pids.tolist()]
        for key, row in zip(self._ids.tolist(), self._rows.tolist(), strict=True):
            if key not in self._removed:
                lo, hi = ptr[row], ptr[row + 1]
                yield EnterpriseRecord(id=key, products=tuple(zip(names[lo:hi], shares[lo:hi], strict=True)),
                                       **{f: cols[f][row] for f in self.FIELDS})
        yield from self._added.values()

    def fields(self, key: int, names: Sequence[str]) -> list[str]:
        """The named string fields of ``self[key]`` (of FIELDS) without decoding the others or the products (what
        an answer shows of a firm); KeyError for a firm not held."""
        if key in self._added:
            return [getattr(self._added[key], f) for f in names]
        row = self._base_row(key)
        return [self._columns[f][row] for f in names]

    def base_live(self) -> tuple[np.ndarray, np.ndarray]:
        """Ids (ascending) and base rows of the snapshot's firms that were neither removed nor replaced since."""
        if not self._removed:
            return self._ids, self._rows
        keep = ~np.isin(self._ids, np.fromiter(self._removed, np.int64, len(self._removed)))
        return self._ids[keep], self._rows[keep]

    def added(self) -> list[EnterpriseRecord]:
        """The firms added or replaced since the snapshot."""
        return list(self._added.values())

    def column(self, field: str) -> StringColumn:
        """One of :attr:`FIELDS` of every base row."""
        return self._columns[field]

    def product_column(self) -> tuple[np.ndarray, np.ndarray]:
        """Base row ``r``'s products are mentions ``ptr[r]`` to ``ptr[r + 1] - 1``; mention k names
        ``product_names()[ids[k]]``: (ptr, ids)."""
        return self._ptr, self._pids

    def products(self, key: int) -> tuple[tuple[str, float], ...]:
        """``self[key].products`` without decoding the firm's other fields (all that explanations read)."""
        if key in self._added:
            return self._added[key].products
        return self._products(self._base_row(key))

    def _products(self, row: int) -> tuple[tuple[str, float], ...]:
        lo, hi = int(self._ptr[row]), int(self._ptr[row + 1])
        distinct = self.product_names()
        return tuple(zip([distinct[i] for i in self._pids[lo:hi].tolist()], self._pshares[lo:hi].tolist(),
                         strict=True))

    def _base(self, row: int) -> EnterpriseRecord:
        return EnterpriseRecord(id=int(self._base_id[row]), products=self._products(row),
                                **{f: self._columns[f][row] for f in self.FIELDS})


class RegionSlots:
    """Region prefix -> slots of the firms under it: the snapshot's as array slices, later ones in lists.

    Offers the two dict methods the index uses (``get`` and ``setdefault(...).append``)."""

    def __init__(self, keys: list[str], ptr: np.ndarray, slots: np.ndarray) -> None:
        self._where = {k: i for i, k in enumerate(keys)}
        self._ptr, self._slots = ptr, slots
        self._added: dict[str, list[int]] = {}

    def get(self, key: str) -> np.ndarray | None:
        i = self._where.get(key)
        extra = self._added.get(key)
        if i is None:
            return None if extra is None else np.asarray(extra, dtype=np.int64)
        base = self._slots[self._ptr[i] : self._ptr[i + 1]]
        return base if not extra else np.concatenate([base, np.asarray(extra, dtype=base.dtype)])

    def setdefault(self, key: str, default: list[int]) -> list[int]:
        return self._added.setdefault(key, default)
