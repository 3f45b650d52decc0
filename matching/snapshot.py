"""A fitted :class:`MatchIndex` on disk, opened with memory mapping.

Format ``chainmatch-index/2``: one folder holding

* ``manifest.json``: ``format``, the caller's fields (e.g. a version and a change-log position), ``meta`` (the
  few small tables: avgdl, kind/tier/industry codes, the alias list, the graph's alias map, region keys) and
  ``files``: for every array file its ``bytes`` and ``sha256``;
* one uncompressed ``.npy`` per array (``np.save``; opened with ``np.load(mmap_mode="r")``):
  ``text.csr.{data,indices,indptr}`` and ``text.csc.*`` (BM25 document weights, firms × terms),
  ``nodes.csr.*`` and ``nodes.csc.*`` (firms × chain nodes), ``slot_ids``, ``kind``, ``tier``,
  ``n_products``, ``industry`` (one row per firm, in slot order), ``df``, ``node_df``, ``industry_size``,
  ``ids_sorted``/``slots_sorted`` (id lookup by binary search), the strings of the firms
  (``rec.<field>.{blob,offsets}``: UTF-8 bytes end to end and offsets), their products (``products.ptr``,
  ``products.id``: per mention a number into ``products.names.*``, the distinct product names;
  ``products.share``), ``terms.*`` (vocabulary in column order), ``regions.{ptr,slots}``
  (the slots under each region key of ``meta``), and the chain graph (``graph.names.*``,
  ``graph.inputs.*``, ``graph.narrower.*``).

Everything a query reads per firm is mapped, so the processes of a machine share one copy in the page cache;
what depends only on the graph (analyzer, node linker: seconds, not minutes) and the vocabulary dict are
rebuilt in each process. Changes applied after loading go to in-memory overlays, never to the files.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from graph import ChainGraph, NodeSpec
from matching.columns import RecordTable, RegionSlots, SlotMap, StringColumn, pack_strings
from matching.filters import region_keys
from matching.index import MatchIndex
from matching.kinds import default_kinds
from matching.store import SparseRows
from matching.types import MatchConfig

__all__ = ["FORMAT", "SnapshotError", "load_index", "read_manifest", "save_index", "verify_files"]

FORMAT = "chainmatch-index/2"  # 2: products as numbers into the distinct names (1: every mention's name)
MANIFEST = "manifest.json"


class SnapshotError(ValueError):
    """A snapshot folder that is incomplete, of another format, or whose files do not match the manifest."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.files = folder, {}  # type: ignore[var-annotated]

    def array(self, name: str, arr: np.ndarray) -> None:
        path = self.folder / f"{name}.npy"
        np.save(path, np.ascontiguousarray(arr), allow_pickle=False)
        self.files[path.name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}

    def strings(self, name: str, values: list[str]) -> None:
        blob, offsets = pack_strings(values)
        self.array(f"{name}.blob", blob)
        self.array(f"{name}.offsets", offsets)

    def csr(self, name: str, m: sp.spmatrix) -> None:
        for part in ("data", "indices", "indptr"):
            self.array(f"{name}.{part}", getattr(m, part))


def _compact(index: MatchIndex) -> None:
    """Fold overlays and drop dead slots, so slot i is row i of the main matrices."""
    if len(index.alive_) != len(index.slot_of_):
        index._drop_dead()
    index.text_.compact()
    index.nodes_.compact()


def save_index(index: MatchIndex, folder: str | os.PathLike[str], **fields: Any) -> dict[str, Any]:
    """Write ``index`` into the empty or new ``folder``; ``fields`` go into the manifest. Returns the manifest."""
    if not index.fitted:
        raise ValueError("fit the index before saving it")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    w = _Writer(out)
    with index.lock:
        _compact(index)
        n = len(index.slot_ids_)
        ids = np.asarray(index.slot_ids_, dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        w.array("ids_sorted", ids[order])
        w.array("slots_sorted", order.astype(np.int64))
        for name, store in (("text", index.text_), ("nodes", index.nodes_)):
            w.csr(f"{name}.csr", store._main_csr)
            w.csr(f"{name}.csc", store._main_csc)
        for name in ("slot_ids", "kind", "tier", "n_products", "industry", "df", "node_df", "industry_size"):
            w.array(name, getattr(index, f"{name}_"))
        records = [index.records_[int(i)] for i in ids.tolist()]
        for field in RecordTable.FIELDS:
            w.strings(f"rec.{field}", [getattr(r, field) for r in records])
        w.array("products.ptr", np.concatenate([[0], np.cumsum([len(r.products) for r in records])]).astype(np.int64))
        distinct: dict[str, int] = {}  # 11 M mentions of ~95,000 names at a million firms: each name stored once
        w.array("products.id", np.fromiter(
            (distinct.setdefault(p, len(distinct)) for r in records for p, _ in r.products), np.int32))
        w.strings("products.names", list(distinct))
        w.array("products.share", np.array([s for r in records for _, s in r.products], dtype=np.float64))
        w.strings("terms", list(index.terms_))
        regions: dict[str, list[int]] = {}
        for slot, rec in enumerate(records):
            for key in region_keys(rec.region):
                regions.setdefault(key, []).append(slot)
        keys = list(regions)
        w.array("regions.ptr", np.concatenate([[0], np.cumsum([len(regions[k]) for k in keys])]).astype(np.int64))
        w.array("regions.slots", np.array([s for k in keys for s in regions[k]], dtype=np.int64))
        g = index.graph_
        w.strings("graph.names", list(g.names_))
        w.csr("graph.inputs", g.inputs_)
        w.csr("graph.narrower", g.narrower_)
        meta = {"enterprises": n, "text_cols": index.text_.n_cols, "node_cols": index.nodes_.n_cols,
                "avgdl": index.avgdl_, "kind_codes": index._kind_codes, "tier_codes": index._tier_codes,
                "industry_codes": index.industry_codes_, "aliases": [list(a) for a in index.aliases_],
                "kinds": [list(k) for k in index.kind_pairs_],
                "graph_aliases": g.aliases_, "region_keys": keys}
    manifest = {"format": FORMAT, **fields, "meta": meta, "files": w.files}
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out / MANIFEST)  # the manifest appears last: a folder without one is unfinished
    return manifest


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise SnapshotError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    return manifest  # type: ignore[no-any-return]


def verify_files(folder: str | os.PathLike[str], *, checksums: bool = True) -> dict[str, Any]:
    """Check every file against the manifest (sizes always; SHA-256 too unless ``checksums`` is False)."""
    manifest = read_manifest(folder)
    for name, info in manifest["files"].items():
        path = Path(folder) / name
        if not path.is_file() or path.stat().st_size != info["bytes"]:
            raise SnapshotError(f"{path}: missing or not {info['bytes']} bytes")
        if checksums and _sha256(path) != info["sha256"]:
            raise SnapshotError(f"{path}: checksum differs from the manifest")
    return manifest


class _Reader:
    def __init__(self, folder: Path, mmap: bool) -> None:
        self.folder, self.mmap = folder, mmap

    def array(self, name: str) -> np.ndarray:
        path = self.folder / f"{name}.npy"
        if not self.mmap:
            return np.load(path, allow_pickle=False)
        # a plain ndarray over the map (its base): np.memmap's Python-level __getitem__ and __array_finalize__ ran
        # on every slice and every result computed from it, ~25 % of a first-time match's CPU (explanations
        # reading the firms' products item by item); the pages are the same, shared through the page cache
        return np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)

    def strings(self, name: str) -> StringColumn:
        return StringColumn(self.array(f"{name}.blob"), self.array(f"{name}.offsets"))

    def matrix(self, name: str, kind: type[sp.csr_matrix] | type[sp.csc_matrix], shape: tuple[int, int]) -> Any:
        parts = tuple(self.array(f"{name}.{p}") for p in ("data", "indices", "indptr"))
        return kind(parts, shape=shape, copy=False)


def _graph(r: _Reader, graph_aliases: dict[str, int]) -> ChainGraph:
    names = r.strings("graph.names").all()
    n = len(names)
    by_node: dict[int, list[str]] = {}
    for alias, node in graph_aliases.items():
        by_node.setdefault(node, []).append(alias)
    specs = [NodeSpec(name, tuple(by_node.get(i, ()))) for i, name in enumerate(names)]
    inputs = r.matrix("graph.inputs", sp.csr_matrix, (n, n)).tocoo()
    narrower = r.matrix("graph.narrower", sp.csr_matrix, (n, n)).tocoo()
    # inputs_[d, s]: s is an input of d; narrower_[s, d]: d is a narrower kind of s (see ChainGraph.build)
    edges = [(names[s], names[d], "input") for d, s in zip(inputs.row.tolist(), inputs.col.tolist(), strict=True)]
    edges += [(names[s], names[d], "subkind")
              for s, d in zip(narrower.row.tolist(), narrower.col.tolist(), strict=True)]
    return ChainGraph.build(specs, edges)


def load_index(folder: str | os.PathLike[str], config: MatchConfig | None = None, *, mmap: bool = True) -> MatchIndex:
    """Open a snapshot written by :func:`save_index`: arrays mapped read-only (``mmap=False`` reads them into
    memory), ready for :func:`matching.rank` and for incremental updates."""
    manifest = verify_files(folder, checksums=False)
    meta = manifest["meta"]
    r = _Reader(Path(folder), mmap)
    index = MatchIndex(config)
    with index.lock:
        index._fit_language(_graph(r, meta["graph_aliases"]), [(a, b) for a, b in meta["aliases"]],
                            [(a, b) for a, b in meta["kinds"]] if "kinds" in meta else default_kinds())
        n, g = int(meta["enterprises"]), index.graph_
        index.terms_ = r.strings("terms").all()
        index.vocab_ = {t: i for i, t in enumerate(index.terms_)}
        ids_sorted, slots_sorted = r.array("ids_sorted"), r.array("slots_sorted")
        index.slot_ids_ = r.array("slot_ids")
        index.slot_of_ = SlotMap(ids_sorted, slots_sorted)
        index.records_ = RecordTable(ids_sorted, slots_sorted, index.slot_ids_,
                                     {f: r.strings(f"rec.{f}") for f in RecordTable.FIELDS},
                                     r.array("products.ptr"), r.array("products.id"), r.strings("products.names"),
                                     r.array("products.share"))
        index._kind_codes, index._tier_codes = dict(meta["kind_codes"]), dict(meta["tier_codes"])
        index.industry_codes_ = dict(meta["industry_codes"])
        index._regions = RegionSlots(meta["region_keys"], r.array("regions.ptr"), r.array("regions.slots"))
        index._evidence = {}
        index.avgdl_ = float(meta["avgdl"])
        for name, cols in (("text", int(meta["text_cols"])), ("nodes", int(meta["node_cols"]))):
            store = SparseRows(index.config.compact_at).adopt(r.matrix(f"{name}.csr", sp.csr_matrix, (n, cols)),
                                                              r.matrix(f"{name}.csc", sp.csc_matrix, (n, cols)))
            setattr(index, f"{name}_", store)
        for name in ("kind", "tier", "n_products", "industry"):
            setattr(index, f"{name}_", r.array(name))
        # Counts change with every update: private copies (a few bytes per term, node or industry).
        for name in ("df", "node_df", "industry_size"):
            setattr(index, f"{name}_", np.array(r.array(name)))
        index.alive_ = np.ones(n, dtype=bool)
        if g.n_nodes != index.nodes_.n_cols:
            raise SnapshotError(f"{folder}: {g.n_nodes} graph nodes but {index.nodes_.n_cols} node columns")
        # the first explanation of a firm links each of its products: linking every distinct name now (a fifth of
        # a second at 100,000 firms) halves what a firm costs the first time it is explained
        for name in index.records_.product_names():
            index.product_links(name)
        index.version_ += 1
    return index
