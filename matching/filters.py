"""Which slots of the match index pass a query's filters: region prefixes, kinds and tiers.

The index (:class:`matching.index.MatchIndex`) keeps, per slot, a kind and a tier code and, per region prefix,
the slots under it; these are the methods that build and read those codes.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import numpy as np

from matching.analyzer import normalize
from matching.columns import RegionSlots
from matching.sparse import union
from matching.types import EnterpriseRecord

__all__ = ["SlotFilters", "region_keys"]


def region_keys(region: str) -> list[str]:
    """The prefixes a region filter may name: "山东省", "山东省/济南市", "山东省/济南市/历下区"."""
    parts = [p for p in normalize(region).split("/") if p]
    return ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]


class SlotFilters:
    """Filter codes of a :class:`matching.index.MatchIndex` (a base class of it, not used alone)."""

    _kind_codes: dict[str, int]
    _tier_codes: dict[str, int]
    _regions: dict[str, list[int]] | RegionSlots
    kind_: np.ndarray
    tier_: np.ndarray
    alive_: np.ndarray
    records_: MutableMapping[int, EnterpriseRecord]
    slot_of_: MutableMapping[int, int]

    @staticmethod
    def _code(table: dict[str, int], value: str) -> int:
        return table.setdefault(value, len(table))

    def _index_region(self, region: str, slot: int) -> None:
        for key in region_keys(region):
            self._regions.setdefault(key, []).append(slot)

    def region_mask(self, prefixes: tuple[str, ...]) -> np.ndarray:
        mask = np.zeros(len(self.alive_), dtype=bool)
        mask[self.region_slots(prefixes)] = True
        return mask

    def region_slots(self, prefixes: tuple[str, ...]) -> np.ndarray:
        """Ascending slots whose region starts with one of ``prefixes``."""
        found: list[int] = []
        for raw in prefixes:
            pre = normalize(raw).strip("/")
            slots = self._regions.get(pre)
            if slots is not None:
                # a list here, or a snapshot's mapped array (matching.columns.RegionSlots): += would add them
                found.extend(slots.tolist() if isinstance(slots, np.ndarray) else slots)
                continue
            # not a whole level ("山东" for "山东省"): fall back to a string-prefix scan
            records = self.records_
            found += [slot for eid, slot in self.slot_of_.items() if normalize(records[eid].region).startswith(pre)]
        return union(np.asarray(found, dtype=np.int64), n_slots=len(self.alive_))

    def code_mask(self, table: str, values: tuple[str, ...], slots: np.ndarray | None = None) -> np.ndarray:
        """Whether each slot (or each of ``slots``) has one of the kinds (``table`` "kind") or tiers."""
        codes = self._kind_codes if table == "kind" else self._tier_codes
        arr = self.kind_ if table == "kind" else self.tier_
        wanted = [codes[v] for v in values if v in codes]
        return np.isin(arr if slots is None else arr[slots], np.asarray(wanted, dtype=np.int32))
