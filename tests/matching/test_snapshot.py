"""The on-disk index: saved, mapped back, and ranking exactly as the index it was saved from, before and after
incremental updates."""

import json
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from graph import ChainGraph, NodeSpec, edges_from_relations
from graph.chainkg import read_chainkg
from matching import EnterpriseRecord, MatchIndex, MatchQuery, rank
from matching.snapshot import SnapshotError, load_index, read_manifest, save_index, verify_files
from tests.matching.conftest import tiny_graph, tiny_records

SHARED = Path(os.environ.get("CHAINMATCH_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
DATA, BENCH = SHARED / "data" / "chainkg", SHARED / "bench"

QUERIES = [MatchQuery(text="采购锂电池"), MatchQuery(text="碳酸锂 供应商", regions=("山东省",)),
           MatchQuery(nodes=("锂电池",), scope="upstream"), MatchQuery(text="隔膜", kinds=("sme",)),
           MatchQuery(text="单水氢氧化锂", tiers=("none", "gold")),
           MatchQuery(text="正极材料", regions=("江苏省/苏州市",))]


def ranked(index: MatchIndex, queries: list[MatchQuery]) -> list[list[tuple[int, float, int, str]]]:
    return [[(r.enterprise_id, r.score, r.match, json.dumps(r.explanation, sort_keys=True, ensure_ascii=False))
             for r in rank(index, q)] for q in queries]


def is_mapped(arr: np.ndarray) -> bool:
    while arr is not None and not isinstance(arr, np.memmap):
        arr = arr.base  # type: ignore[assignment]
    return isinstance(arr, np.memmap)


def test_round_trip_ranks_identically_and_maps_the_arrays(tmp_path):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    expected = ranked(built, QUERIES)
    manifest = save_index(built, tmp_path / "snap", version=3, position=41)
    assert manifest["version"] == 3 and manifest["position"] == 41
    assert read_manifest(tmp_path / "snap")["files"] == manifest["files"]
    loaded = load_index(tmp_path / "snap")
    assert ranked(loaded, QUERIES) == expected
    assert loaded.size == built.size and dict(loaded.slot_of_) == dict(built.slot_of_)
    assert {i: loaded.records_[i] for i in loaded.records_} == {i: built.records_[i] for i in built.records_}
    for arr in (loaded.text_._main_csc.data, loaded.text_._main_csc.indices, loaded.nodes_._main_csr.indptr,
                loaded.slot_ids_, loaded.kind_):
        assert is_mapped(arr)
    assert not is_mapped(loaded.df_)  # counts change with updates: a private copy


def test_updates_after_loading_match_the_same_updates_in_memory(tmp_path):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    save_index(built, tmp_path / "snap")
    loaded = load_index(tmp_path / "snap")
    changes = [EnterpriseRecord(8, "000008", "辛电池", "sme", "none", "山东省/青岛市", products=(("锂电池", 0.5),)),
               EnterpriseRecord(3, "000003", "丙锂业", "large", "none", "山东省/济南市", products=(("电解液", 0.9),))]
    for index in (built, loaded):
        for rec in changes:
            index.upsert(rec)
        index.remove(5)
        index.remove(999)  # not there: nothing happens
    assert ranked(loaded, QUERIES) == ranked(built, QUERIES)
    assert 5 not in loaded.records_ and loaded.records_[3].products == (("电解液", 0.9),)
    assert len(loaded.records_) == len(built.records_) == 7
    # the bulk read (directory builds, alias changes) gives what item-by-item reads give, with the updates
    assert sorted(loaded.all_records(), key=lambda r: r.id) == sorted(built.all_records(), key=lambda r: r.id) \
        == sorted(loaded.records_.values(), key=lambda r: r.id)
    # the files were never written to
    verify_files(tmp_path / "snap")


def test_a_saved_snapshot_of_a_loaded_and_updated_index_round_trips(tmp_path):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    save_index(built, tmp_path / "a")
    loaded = load_index(tmp_path / "a")
    loaded.upsert(EnterpriseRecord(9, "000009", "壬隔膜", "sme", "none", "江苏省/苏州市", products=(("隔膜", 0.7),)))
    loaded.remove(1)
    save_index(loaded, tmp_path / "b")
    again = load_index(tmp_path / "b", mmap=False)
    assert ranked(again, QUERIES) == ranked(loaded, QUERIES)


def test_a_damaged_or_unfinished_snapshot_is_refused(tmp_path):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    save_index(built, tmp_path / "snap")
    target = tmp_path / "snap" / "terms.blob.npy"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF
    target.write_bytes(bytes(data))
    verify_files(tmp_path / "snap", checksums=False)  # same size: only the checksum tells
    with pytest.raises(SnapshotError, match="checksum"):
        verify_files(tmp_path / "snap")
    (tmp_path / "snap" / "df.npy").unlink()
    with pytest.raises(SnapshotError, match="missing"):
        load_index(tmp_path / "snap")
    with pytest.raises(SnapshotError):
        load_index(tmp_path / "nothing-here")


@pytest.mark.skipif(not (DATA.is_dir() and (BENCH / "queries.jsonl").exists()),
                    reason="shared chainkg data not found (set CHAINMATCH_SHARED)")
def test_real_data_round_trip_ranks_identically(tmp_path):
    kg = read_chainkg(DATA)
    shares = defaultdict(list)
    for cp in kg.company_products:
        shares[cp.company_code].append((cp.product, cp.revenue_share))
    regions = ("山东省/济南市", "山东省/青岛市", "江苏省/苏州市", "")
    records = [EnterpriseRecord(i, c.code, c.short_name, "sme", "none", regions[i % 4], products=tuple(shares[c.code]))
               for i, c in enumerate(kg.companies)]
    graph = ChainGraph.build((NodeSpec(n) for n in kg.product_names()), edges_from_relations(kg.relations))
    built = MatchIndex().fit(graph, records)
    with open(BENCH / "queries.jsonl", encoding="utf-8") as fh:
        raw = [json.loads(line) for line in fh][::25]
    queries = [MatchQuery(text=q["text"], nodes=tuple(q["nodes"]), scope=q["scope"],
                          regions=("山东省",) if i % 3 == 0 else ()) for i, q in enumerate(raw)]
    save_index(built, tmp_path / "snap")
    loaded = load_index(tmp_path / "snap")
    assert ranked(loaded, queries) == ranked(built, queries)


def test_overlaid_tables_count_and_iterate_as_dicts_do(tmp_path):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    save_index(built, tmp_path / "snap")
    slots = load_index(tmp_path / "snap").slot_of_
    plain = dict(slots)
    for table in (slots, plain):
        table[100] = 50  # new
        table[2] = 51  # replaces a base entry
        del table[100]
        del table[3]
        table[3] = 52  # back again
        with pytest.raises(KeyError):
            del table[100]
    assert dict(slots) == plain and len(slots) == len(plain) and sorted(slots) == sorted(plain)


def test_record_fields_read_as_the_records_do_mapped_or_not(tmp_path):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    save_index(built, tmp_path / "snap")
    loaded = load_index(tmp_path / "snap")
    for index in (built, loaded):
        index.upsert(EnterpriseRecord(3, "000003", "丙锂业新名", "large", "none", "山东省",
                                      products=(("电解液", 0.9),)))
        index.remove(5)
    shown = ("code", "name", "kind", "tier", "region")
    for eid in [*built.records_, 5, 999]:
        expected = [getattr(built.records_[eid], f) for f in shown] if eid in built.records_ else None
        assert built.record_fields(eid, shown) == loaded.record_fields(eid, shown) == expected
    assert loaded.record_fields(3, ("name", "region")) == ["丙锂业新名", "山东省"]


def test_a_loaded_index_has_linked_every_product_name_before_its_first_explanation(tmp_path, monkeypatch):
    built = MatchIndex().fit(tiny_graph(), tiny_records())
    expected = ranked(built, QUERIES)
    save_index(built, tmp_path / "snap")
    loaded = load_index(tmp_path / "snap")
    # ranking and explaining after loading never link a product name again, and answer as the fitted index does
    monkeypatch.setattr(loaded.linker_, "link_product", lambda *a, **k: pytest.fail("linked while answering"))
    assert ranked(loaded, QUERIES) == expected
