"""The in-memory match index: enterprise × term (BM25) and enterprise × node matrices, kept fresh.

Everything a query needs is computed here once: each enterprise's terms, the nodes its products stand
for, document frequencies and filter codes. An update touches one enterprise: its old slot is marked
dead, a new slot is appended to both matrices' overlays, and the frequencies are adjusted, so the cost
does not grow with the number of enterprises (bar an occasional compaction).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from functools import lru_cache
from itertools import chain

import numpy as np
import scipy.sparse as sp

from graph import ChainGraph, Expansion, expand
from matching.aliases import default_aliases
from matching.analyzer import ChineseAnalyzer, normalize
from matching.bm25 import bm25_tf
from matching.columns import RecordTable, RegionSlots
from matching.filters import SlotFilters
from matching.kinds import default_kinds, kind_map
from matching.linking import Link, NodeLinker
from matching.prior import BigramSpace
from matching.store import SparseRows
from matching.types import EnterpriseRecord, MatchConfig
from matching.understanding import Mention, NeedReader, Understanding
from matching.vocabulary import VocabularyUpdates

__all__ = ["MatchIndex"]

_CACHE = 4096


class MatchIndex(SlotFilters, VocabularyUpdates):
    """Fit on a graph and enterprises; then :func:`matching.rank` queries it.

    Learned state: ``graph_``, ``analyzer_``, ``linker_``, the two :class:`SparseRows` stores
    (``text_``, ``nodes_``), ``vocab_``/``df_`` (term document frequencies), ``node_df_`` (enterprises
    per node), ``alive_`` (slot mask), ``version_`` (bumped on every change), ``layout_`` (bumped when
    slots are renumbered: what per-slot caches such as :mod:`matching.industry`'s slot lists check).
    """

    # a class default too: an index assembled without __init__ (restored from a snapshot) still has one
    layout_ = 0

    def __init__(self, config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self.version_ = 0
        self.layout_ = 0  # bumped whenever slots are renumbered (a fit, dropping dead slots)
        # updates and queries may come from different threads (a web worker ranks while a poller
        # upserts); :func:`matching.rank` holds this lock too, so a query never sees half an update
        self.lock = threading.RLock()

    # ---- building ------------------------------------------------------------------------------
    def fit(
        self, graph: ChainGraph, enterprises: Iterable[EnterpriseRecord],
        aliases: Iterable[tuple[str, str]] | None = None, kinds: Iterable[tuple[str, str]] | None = None,
    ) -> MatchIndex:
        """Index ``enterprises`` against ``graph``.

        ``aliases`` are ``(alias, node name)`` pairs that name nodes in need texts and product lists
        (abbreviations, trade names, synonyms); ``None`` uses the reviewed list shipped with the engine
        (:func:`matching.aliases.default_aliases`), ``()`` none at all. ``kinds`` are ``(item, kind)`` pairs of
        node names (动力煤 is a 煤炭), ``None`` the reviewed list (:func:`matching.kinds.default_kinds`).
        """
        with self.lock:
            return self._fit(graph, enterprises, default_aliases() if aliases is None else list(aliases),
                             default_kinds() if kinds is None else list(kinds))

    def _fit(
        self, graph: ChainGraph, enterprises: Iterable[EnterpriseRecord], aliases: list[tuple[str, str]],
        kind_pairs: list[tuple[str, str]],
    ) -> MatchIndex:
        cfg = self.config
        self._fit_language(graph, aliases, kind_pairs)
        self.vocab_: dict[str, int] = {}
        self.records_: MutableMapping[int, EnterpriseRecord] = {}
        self.slot_of_: MutableMapping[int, int] = {}
        self._kind_codes: dict[str, int] = {}
        self._tier_codes: dict[str, int] = {}
        # industry code -> column of the industry indicator; column 0 is "no industry given"
        self.industry_codes_: dict[str, int] = {"": 0}
        self._regions: dict[str, list[int]] | RegionSlots = {}
        self._evidence: dict[int, dict[int, tuple[float, str, float, float]]] = {}

        records = list(enterprises)
        # one pass, keeping only compact arrays per firm (a Counter per firm would cost ~5 KB each)
        term_cols, term_tfs = [], []
        node_rows = []
        slot_ids, kinds, tiers, sizes, industries = [], [], [], [], []
        vocab = self.vocab_
        for slot, rec in enumerate(records):
            if rec.id in self.slot_of_:
                raise ValueError(f"enterprise id {rec.id} appears twice")
            counts = self._term_counts(rec)
            # new terms get the next columns in the order met (as setdefault term by term did), in bulk
            new = [t for t in counts if t not in vocab]
            if new:
                vocab.update(zip(new, range(len(vocab), len(vocab) + len(new)), strict=True))
            term_cols.append(np.fromiter(map(vocab.__getitem__, counts), np.int32, len(counts)))
            term_tfs.append(np.fromiter(counts.values(), np.float32, len(counts)))
            node_rows.append(self._node_row(rec))
            self.records_[rec.id] = rec
            self.slot_of_[rec.id] = slot
            slot_ids.append(rec.id)
            sizes.append(len(rec.products))
            kinds.append(self._code(self._kind_codes, rec.kind))
            tiers.append(self._code(self._tier_codes, rec.tier))
            industries.append(self._industry_row(rec))
            self._index_region(rec.region, slot)
        self.terms_ = list(vocab)  # column -> term
        lengths = np.array([tf.sum() for tf in term_tfs], dtype=np.float64)
        self.avgdl_ = float(lengths.mean()) if len(lengths) else 1.0
        counts_per_row = np.array([len(c) for c in term_cols], dtype=np.int64)
        all_cols = np.concatenate(term_cols) if term_cols else np.zeros(0, dtype=np.int32)
        all_tf = np.concatenate(term_tfs) if term_tfs else np.zeros(0, dtype=np.float32)
        self.df_ = np.bincount(all_cols, minlength=len(vocab)).astype(np.int64)
        weights = bm25_tf(all_tf, np.repeat(lengths, counts_per_row), self.avgdl_, cfg.bm25_k1, cfg.bm25_b)
        indptr = np.concatenate([[0], np.cumsum(counts_per_row)])
        text = sp.csr_matrix((weights.astype(np.float32), all_cols, indptr), shape=(len(records), len(vocab)))
        del term_cols, term_tfs, all_cols, all_tf, weights
        self.node_df_ = np.zeros(graph.n_nodes, dtype=np.int64)
        for cols, _ in node_rows:
            self.node_df_[cols] += 1
        self.text_ = SparseRows(cfg.compact_at).from_csr(text)
        self.nodes_ = SparseRows(cfg.compact_at).build(node_rows, graph.n_nodes)
        self.slot_ids_ = np.array(slot_ids, dtype=np.int64)
        self.kind_ = np.array(kinds, dtype=np.int32)
        self.tier_ = np.array(tiers, dtype=np.int32)
        self.alive_ = np.ones(len(records), dtype=bool)
        self.n_products_ = np.array(sizes, dtype=np.int32)
        self.industry_ = np.array(industries, dtype=np.int32).reshape(len(records), 2)
        self.industry_size_ = np.zeros(len(self.industry_codes_), dtype=np.int64)  # live firms per column
        np.add.at(self.industry_size_, self.industry_.ravel(), 1)
        self.version_ += 1
        self.layout_ += 1
        return self

    def _fit_language(self, graph: ChainGraph, aliases: list[tuple[str, str]], kinds: list[tuple[str, str]]) -> None:
        """What the graph and the alias list alone decide: the analyzer, the node linker, the need reader and
        their caches (also all that :func:`matching.snapshot.load_index` computes instead of reading)."""
        self.graph_ = graph
        self.aliases_ = aliases
        self.kind_pairs_ = kinds
        self.kinds_ = kind_map(kinds, graph.lookup)
        self.analyzer_ = ChineseAnalyzer().fit([*graph.surface_forms(), *(a for a, _ in aliases)])
        self.linker_ = NodeLinker().fit(graph, self.analyzer_, aliases)
        self.reader_ = NeedReader().fit(self.linker_, graph)
        self._isolated = graph.degree() == 0
        self._terms_cache: dict[str, list[str]] = {}
        self._links_cache: dict[str, list[tuple[int, float]]] = {}
        self._link_need = lru_cache(maxsize=_CACHE)(self.linker_.link_need)
        self._understand = lru_cache(maxsize=_CACHE)(self.reader_.read)
        self._expand_cached = lru_cache(maxsize=_CACHE)(self._expand)
        # made here rather than at the first need (0.3 s on the shared data's 95,560 names), so that no request
        # pays for it
        self.prior_space_ = BigramSpace(graph.names_) if self.config.prior_depth else None

    def kinds_of(self, m: Mention) -> tuple[int, ...]:
        """What the kinds list says a mention is a kind of (动力煤 → 煤炭), in the list's order: under its words as
        written or its nodes' names, lower case (a name the alias list gives a node may be listed as the item)."""
        names = (m.words.lower(), *(self.graph_.names_[n].lower() for n in (*m.node_ids, *m.synonym_ids)))
        return tuple(dict.fromkeys(k for w in names for k in self.kinds_.get(w, ())))

    def related(self, node: int) -> bool:
        """Whether the chain graph has any relation (input, output, kind) for ``node``."""
        return not bool(self._isolated[node])

    @property
    def size(self) -> int:
        """Number of enterprises in the index (0 before :meth:`fit`)."""
        return len(self.__dict__.get("records_", ()))

    @property
    def fitted(self) -> bool:
        return "graph_" in self.__dict__

    def _industry_row(self, rec: EnterpriseRecord) -> tuple[int, int]:
        """Indicator columns of the firm's industry and of its parent (0 where not given)."""
        parts = [p for p in rec.industry.strip().strip("/").split("/") if p]
        if not parts:
            return 0, 0
        own = self._code(self.industry_codes_, parts[-1])
        parent = self._code(self.industry_codes_, parts[-2]) if len(parts) > 1 else 0
        return own, parent

    def product_terms(self, product: str) -> list[str]:
        terms = self._terms_cache.get(product)
        if terms is None:
            p = normalize(product).strip()
            # a product that is a node name is one dictionary word: skip the tokenizer
            words = [p] if p in self.linker_.forms_ else self.analyzer_.words(p)
            terms = self._terms_cache[product] = self.analyzer_.terms_of_words(words)
        return terms

    def product_links(self, product: str) -> list[tuple[int, float]]:
        links = self._links_cache.get(product)
        if links is None:
            cfg = self.config
            exact = self.linker_.forms_.get(normalize(product).strip())
            also = cfg.isolated_contained and exact is not None and bool(self._isolated[exact])
            links = self.linker_.link_product(product, contained_weight=cfg.contained_weight, also_contained=also)
            self._links_cache[product] = links
        return links

    def _term_counts(self, rec: EnterpriseRecord) -> Counter[str]:
        # one Counter over all the parts: the same counts and order as updating it part by part, at a fraction
        # of the cost (Counter.update per product was a fifth of the fit)
        parts = [self.analyzer_.analyze(rec.name)]
        if rec.description:
            parts.append(self.analyzer_.analyze(rec.description))
        parts.extend([self.product_terms(product) for product, _share in rec.products])
        return Counter(chain.from_iterable(parts))

    def _text_row(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        cfg = self.config
        cols = np.fromiter((self.vocab_[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        return cols, bm25_tf(tf, float(tf.sum()), self.avgdl_, cfg.bm25_k1, cfg.bm25_b)

    def revenue_factor(self, share: float) -> float:
        rw = self.config.revenue_weight
        # math, not numpy: called once per listed product, where a numpy scalar call costs 20 times more
        return (1.0 + rw * math.sqrt(max(share, 0.0))) / (1.0 + rw)

    def link_and_share(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Undo the revenue factor of node-matrix values: (link weight, revenue share). A value at or above
        the lowest revenue factor is an exact link whose share the factor gives back; one below is a
        contained link (``contained_weight < 1/(1 + revenue_weight)`` keeps the two apart), share unknown."""
        rw = self.config.revenue_weight
        values = np.asarray(values, dtype=np.float64)
        exact = values >= 0.999 / (1.0 + rw)  # revenue_factor(0.0)
        share = np.clip((values * (1.0 + rw) - 1.0) / rw, 0.0, 1.0) ** 2 if rw > 0 else np.zeros(len(values))
        return np.where(exact, 1.0, values), np.where(exact, share, 0.0)

    def _node_row(self, rec: EnterpriseRecord) -> tuple[np.ndarray, np.ndarray]:
        best: dict[int, float] = {}
        for product, share in rec.products:
            rf = self.revenue_factor(share)
            for node, w in self.product_links(product):
                if w * rf > best.get(node, 0.0):
                    best[node] = w * rf
        cols = np.fromiter(best.keys(), dtype=np.int64, count=len(best))
        return cols, np.fromiter(best.values(), dtype=np.float64, count=len(best))

    def products_of(self, enterprise_id: int) -> tuple[tuple[str, float], ...]:
        """The firm's (product, revenue share) pairs, without decoding a snapshot's other fields."""
        recs = self.records_
        return recs.products(enterprise_id) if isinstance(recs, RecordTable) else recs[enterprise_id].products

    def product_evidence(self, enterprise_id: int) -> dict[int, tuple[float, str, float, float]]:
        """node -> (link weight × revenue factor, product, share, link weight) of the firm's best product
        for that node; cached per firm for explanations."""
        ev = self._evidence.get(enterprise_id)
        if ev is None:
            ev = {}
            for product, share in self.products_of(enterprise_id):
                rf = self.revenue_factor(share)
                for node, w in self.product_links(product):
                    if node not in ev or w * rf > ev[node][0]:
                        ev[node] = (w * rf, product, float(share), w)
            if len(self._evidence) > 65536:
                self._evidence.clear()
            self._evidence[enterprise_id] = ev
        return ev

    # ---- freshness -----------------------------------------------------------------------------
    def _kill(self, enterprise_id: int) -> None:
        slot = self.slot_of_.pop(enterprise_id)
        self.alive_[slot] = False
        cols, _ = self.text_.row(slot)
        self.df_[cols] -= 1
        ncols, _ = self.nodes_.row(slot)
        self.node_df_[ncols] -= 1
        np.subtract.at(self.industry_size_, self.industry_[slot], 1)
        del self.records_[enterprise_id]
        self._evidence.pop(enterprise_id, None)

    def upsert(self, record: EnterpriseRecord) -> None:
        """Add an enterprise, or replace the one with the same id."""
        if not self.fitted:
            raise RuntimeError("fit the index before updating it")
        with self.lock:
            self._upsert(record)

    def _upsert(self, record: EnterpriseRecord) -> None:
        if record.id in self.slot_of_:
            self._kill(record.id)
        counts = self._term_counts(record)
        for t in counts:
            if t not in self.vocab_:
                self.vocab_[t] = len(self.vocab_)
                self.terms_.append(t)
        if len(self.vocab_) > len(self.df_):
            self.df_ = np.concatenate([self.df_, np.zeros(len(self.vocab_) - len(self.df_), dtype=np.int64)])
        tcols, tvals = self._text_row(counts)
        self.df_[tcols] += 1
        ncols, nvals = self._node_row(record)
        self.node_df_[ncols] += 1
        slot = self.text_.append(tcols, tvals, len(self.vocab_))
        self.nodes_.append(ncols, nvals, self.graph_.n_nodes)
        self.records_[record.id] = record
        self.slot_of_[record.id] = slot
        self.slot_ids_ = np.append(self.slot_ids_, record.id)
        self.kind_ = np.append(self.kind_, self._code(self._kind_codes, record.kind))
        self.tier_ = np.append(self.tier_, self._code(self._tier_codes, record.tier))
        self.alive_ = np.append(self.alive_, True)
        self.n_products_ = np.append(self.n_products_, len(record.products))
        row = np.array([self._industry_row(record)], dtype=np.int32)
        if len(self.industry_codes_) > len(self.industry_size_):
            grow = len(self.industry_codes_) - len(self.industry_size_)
            self.industry_size_ = np.concatenate([self.industry_size_, np.zeros(grow, dtype=np.int64)])
        np.add.at(self.industry_size_, row[0], 1)
        self.industry_ = np.vstack([self.industry_, row])
        self._index_region(record.region, slot)
        self._after_change()

    def remove(self, enterprise_id: int) -> None:
        """Remove an enterprise; an id not in the index is ignored (nothing changes, nor the version),
        so a caller may remove "whatever is there" after a delete without checking first."""
        with self.lock:
            if enterprise_id not in self.slot_of_:
                return
            self._kill(enterprise_id)
            self._after_change()

    def _after_change(self) -> None:
        self.version_ += 1
        dead = len(self.alive_) - len(self.slot_of_)
        if dead > max(self.config.compact_at, len(self.alive_) // 4):
            self._drop_dead()

    def _drop_dead(self) -> None:
        """Renumber slots without the dead ones (amortised: runs after many removals)."""
        keep = self.alive_
        self.layout_ += 1
        self.text_.compact(keep)
        self.nodes_.compact(keep)
        self.slot_ids_ = self.slot_ids_[keep]
        self.kind_, self.tier_ = self.kind_[keep], self.tier_[keep]
        self.n_products_ = self.n_products_[keep]
        self.industry_ = self.industry_[keep]
        self.alive_ = np.ones(int(keep.sum()), dtype=bool)
        self.slot_of_ = {int(e): s for s, e in enumerate(self.slot_ids_.tolist())}
        self._regions = {}
        for eid, slot in self.slot_of_.items():
            self._index_region(self.records_[eid].region, slot)

    def all_records(self) -> Iterable[EnterpriseRecord]:
        """Every firm's record; from a snapshot decoded in bulk (see :meth:`matching.columns.RecordTable.every`)."""
        records = self.records_
        return records.every() if isinstance(records, RecordTable) else records.values()

    def record_fields(self, enterprise_id: int, names: Sequence[str]) -> list[str] | None:
        """Named string fields of a firm's record (code, name, kind, tier, region...), None for a firm not held; from
        a snapshot only those are decoded (an answer shows five of them for each of its firms)."""
        records = self.records_
        try:
            if isinstance(records, RecordTable):
                return records.fields(enterprise_id, names)
            record = records[enterprise_id]
        except KeyError:
            return None
        return [getattr(record, f) for f in names]

    # ---- query-side helpers --------------------------------------------------------------------
    def link_need(self, text: str, *, respect_filler: bool = True) -> list[Link]:
        return list(self._link_need(text, respect_filler=respect_filler))

    def understand(self, text: str) -> Understanding:
        """What a need text asks for and what it sets aside (see :class:`matching.NeedReader`); cached."""
        return self._understand(text)

    def expansion(self, seeds: tuple[tuple[int, float], ...], scope: str) -> Expansion:
        """Cached typed neighbourhood of the seeds (the graph never changes under a fitted index)."""
        return self._expand_cached(seeds, scope)

    def _expand(self, seeds: tuple[tuple[int, float], ...], scope: str) -> Expansion:
        return expand(self.graph_, dict(seeds), scope=scope, weights=self.config.proximity)
