"""Per-firm state of a match index kept in flat arrays, so an index opened from a snapshot maps them from disk
(shared by every process of a machine through the page cache) instead of holding a Python object per firm.

Each table is the snapshot's read-only base plus a small in-memory overlay of the changes applied since; the
index sees an ordinary mapping.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping, Sequence

import numpy as np

from matching.types import EnterpriseRecord

__all__ = ["RecordTable", "RegionSlots", "SlotMap", "StringColumn", "pack_strings"]


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

    def all(self) -> list[str]:
        """Every string (one decode of the whole blob, then slicing: much faster than item by item)."""
        text = bytes(self.blob)
        offs = self.offsets.tolist()
        return [text[offs[i] : offs[i + 1]].decode("utf-8") for i in range(len(offs) - 1)]


class _Overlaid:
    """Sorted base ids (a snapshot) with entries added and removed since."""

    def __init__(self, ids: np.ndarray, rows: np.ndarray) -> None:
        self._ids, self._rows = ids, rows  # ids sorted; rows[k] = base row of ids[k]
        self._removed: set[int] = set()

    def _base_row(self, key: int) -> int | None:
        pos = int(np.searchsorted(self._ids, key))
        if pos < len(self._ids) and int(self._ids[pos]) == key and key not in self._removed:
            return int(self._rows[pos])
        return None

    def _in_base(self, key: int) -> bool:
        pos = int(np.searchsorted(self._ids, key))
        return pos < len(self._ids) and int(self._ids[pos]) == key

    def _base_keys(self) -> Iterator[int]:
        return (k for k in self._ids.tolist() if k not in self._removed)


class SlotMap(_Overlaid, MutableMapping[int, int]):
    """enterprise id -> slot: the snapshot's slots by binary search, later ones from a dict."""

    def __init__(self, ids: np.ndarray, slots: np.ndarray) -> None:
        super().__init__(ids, slots)
        self._added: dict[int, int] = {}

    def __getitem__(self, key: int) -> int:
        if key in self._added:
            return self._added[key]
        row = self._base_row(key)
        if row is None:
            raise KeyError(key)
        return row

    def __setitem__(self, key: int, slot: int) -> None:
        if self._in_base(key):
            self._removed.add(key)
        self._added[key] = slot

    def __delitem__(self, key: int) -> None:
        if self._added.pop(key, None) is not None:
            return
        if self._base_row(key) is None:
            raise KeyError(key)
        self._removed.add(key)

    def __iter__(self) -> Iterator[int]:
        yield from self._base_keys()
        yield from self._added

    def __len__(self) -> int:
        return len(self._ids) - len(self._removed) + len(self._added)


class RecordTable(_Overlaid, MutableMapping[int, EnterpriseRecord]):
    """enterprise id -> :class:`EnterpriseRecord`, rebuilt from the columns when asked for (explanations, the
    rare region-prefix scan), so the snapshot's firms cost no memory of their own until then."""

    FIELDS = ("code", "name", "kind", "tier", "region", "description", "industry")

    def __init__(self, ids: np.ndarray, rows: np.ndarray, base_ids: np.ndarray, columns: dict[str, StringColumn],
                 product_ptr: np.ndarray, product_names: StringColumn, product_shares: np.ndarray) -> None:
        super().__init__(ids, rows)
        self._base_id = base_ids  # base row -> enterprise id
        self._columns, self._ptr = columns, product_ptr
        self._pnames, self._pshares = product_names, product_shares
        self._added: dict[int, EnterpriseRecord] = {}

    def record(self, row: int) -> EnterpriseRecord:
        lo, hi = int(self._ptr[row]), int(self._ptr[row + 1])
        products = tuple((self._pnames[i], float(self._pshares[i])) for i in range(lo, hi))
        return EnterpriseRecord(id=int(self._base_id[row]), products=products,
                                **{f: self._columns[f][row] for f in self.FIELDS})

    def __getitem__(self, key: int) -> EnterpriseRecord:
        if key in self._added:
            return self._added[key]
        row = self._base_row(key)
        if row is None:
            raise KeyError(key)
        return self.record(row)

    def __setitem__(self, key: int, record: EnterpriseRecord) -> None:
        if self._in_base(key):
            self._removed.add(key)
        self._added[key] = record

    def __delitem__(self, key: int) -> None:
        if self._added.pop(key, None) is not None:
            return
        if self._base_row(key) is None:
            raise KeyError(key)
        self._removed.add(key)

    def __iter__(self) -> Iterator[int]:
        yield from self._base_keys()
        yield from self._added

    def __len__(self) -> int:
        return len(self._ids) - len(self._removed) + len(self._added)


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
