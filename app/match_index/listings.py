"""The directory's listings from the match index's records: one at a time for a change, in columns at a build.

A worker started from a snapshot builds its directory from the snapshot's firms. Going through a record and a
Listing per firm (decoding each firm's products into tuples, lower-casing and interning every product mention)
took 45 s of a worker's start-up at a million firms (11 M product mentions). In columns, each distinct product
name (~95,000) is lower-cased once and the (firm, product) pairs are numpy arrays; the result is the same
directory (tests/app/enterprises/test_listings.py compares the two paths).
"""

from __future__ import annotations

import sys

import numpy as np

from app.match_index.directory import FIELD_SEP, Columns, Listing, combined
from matching import EnterpriseRecord, MatchIndex
from matching.columns import RecordTable

Fields = dict[int, tuple[str, list[str]]]  # id -> (full name, [province, city, district]) as load_directory_fields


def listing(record: EnterpriseRecord, fields: tuple[str, list[str]]) -> Listing:
    full_name, region = fields
    return Listing.of(record.id, names=[record.name, full_name], products=[p for p, _ in record.products],
                      kind=record.kind, tier=record.tier, region=region)


def directory_columns(index: MatchIndex, fields: Fields) -> Columns:
    """Every firm of ``index`` that ``fields`` has, as the directory's columns."""
    records = index.records_
    if not isinstance(records, RecordTable):  # fitted in memory: records are objects already
        return Columns.of([listing(r, fields[r.id]) for r in index.all_records() if r.id in fields])
    ids, rows = records.base_live()
    known = np.isin(ids, np.fromiter(fields, np.int64, len(fields)))
    ids, rows = ids[known], rows[known]
    at = rows.tolist()
    names, kinds, tiers = (records.column(f).all() for f in ("name", "kind", "tier"))
    firm_fields = [fields[i] for i in ids.tolist()]
    joined = [FIELD_SEP.join(n.lower() for n in (names[r], full) if n) for r, (full, _) in zip(at, firm_fields,
                                                                                               strict=True)]
    regions = [[*(region or ()), "", "", ""][:3] for _, region in firm_fields]
    column_fields = {"kind": [sys.intern(kinds[r]) for r in at], "tier": [sys.intern(tiers[r]) for r in at],
                     **{f"region{k}": [sys.intern(reg[k] or "") for reg in regions] for k in range(3)}}
    slots, products, distinct = _made(records, rows)
    base = Columns(ids, joined, distinct, slots, products, column_fields)
    extra = [listing(r, fields[r.id]) for r in records.added() if r.id in fields]
    return combined(base, Columns.of(extra))


def _made(records: RecordTable, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(slot, product) pairs, each once, of the base ``rows`` (slot k is rows[k]), and the distinct lower-cased
    product names they index; empty names are left out, as Listing.of does."""
    ptr, raw = records.product_column()
    lowered: dict[str, int] = {}
    lower_of = np.array([lowered.setdefault(sys.intern(p.lower()), len(lowered)) if p else -1
                         for p in records.product_names()], dtype=np.int64)
    lo, hi = ptr[rows].astype(np.int64), ptr[rows + 1].astype(np.int64)
    counts = hi - lo
    slot = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    mention = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(len(slot))
    product = lower_of[raw[mention]]
    slot, product = slot[product >= 0], product[product >= 0]
    key = np.sort(slot * max(len(lowered), 1) + product)  # sorted by hand: np.unique's hashing took 6 s here
    key = key[np.r_[True, key[1:] != key[:-1]]]
    return key // max(len(lowered), 1), key % max(len(lowered), 1), list(lowered)
