"""The directory built in columns from a mapped snapshot's records equals the one built listing by listing."""

from __future__ import annotations

from pathlib import Path

from app.match_index.directory import Columns, Directory, Filter
from app.match_index.listings import directory_columns, listing
from matching import EnterpriseRecord, MatchIndex
from matching.snapshot import load_index, save_index
from tests.matching.conftest import tiny_graph, tiny_records


def pairs(c: Columns) -> set[tuple[int, str]]:
    return {(int(c.ids[s]), c.products[p]) for s, p in zip(c.made_slot.tolist(), c.made_product.tolist(), strict=True)}


def test_columns_from_a_snapshot_equal_listings(tmp_path: Path) -> None:
    records = [*tiny_records(),
               EnterpriseRecord(8, "000008", "Acme锂电", "sme", "none", "广东省", products=(
                   ("APP开发", 0.2), ("app开发", 0.3), ("", 0.1), ("锂电池", 0.4))),
               EnterpriseRecord(9, "000009", "空壳", "large", "gold", "", products=())]
    save_index(MatchIndex().fit(tiny_graph(), records), tmp_path / "snap")
    index = load_index(tmp_path / "snap")
    # changes since the snapshot: a replaced firm, a new one, a removed one
    index.upsert(EnterpriseRecord(2, "000002", "乙动力新", "sme", "none", "江苏省", products=(("碳酸锂", 0.5),)))
    index.upsert(EnterpriseRecord(10, "000010", "新锂", "sme", "none", "", products=(("锂电池", 1.0),)))
    index.remove(5)
    fields = {i: (f"全称{i}有限公司", ["山东省", "济南市", ""] if i % 2 else ["广东省", "", ""])
              for i in range(1, 11) if i != 7}  # no fields: not listed (as a firm gone from the database)
    fast = directory_columns(index, fields)
    slow = Columns.of([listing(r, fields[r.id]) for r in index.all_records() if r.id in fields])
    assert fast.ids.tolist() == slow.ids.tolist() == [1, 2, 3, 4, 6, 8, 9, 10]
    assert fast.names == slow.names and fast.fields == slow.fields
    assert pairs(fast) == pairs(slow) and ("8", "") not in pairs(fast)
    a, b = Directory(fast), Directory(slow)
    for needle in ["锂", "app", "App开发", "有限公司", "碳酸", "acme"]:
        for f in (Filter(), Filter(kinds=("large",)), Filter(region=("山东省",))):
            assert a.search(needle, f, limit=50, offset=0) == b.search(needle, f, limit=50, offset=0)
