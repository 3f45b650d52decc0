"""The sparse evidence path ranks exactly as the dense one it replaced.

``matching.evidence.gather`` works on the slots a need touches (sparse vectors). ``dense_gather`` below is
the way the engine computed the same evidence before (issue #15): arrays as long as the index for every
kind of evidence, masks over all slots, ``flatnonzero`` for the candidates. Ranking a few hundred varied
needs on the real data through both must give the same firms in the same order with the same scores,
匹配度 and explanations, also after updates (overlay rows, dead slots) and after dead slots are dropped.
"""

import importlib
import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bench.quality_data import load, read_queries
from graph import Expansion
from matching import MatchIndex, MatchQuery, rank
from matching.bm25 import bm25_idf
from matching.cooccur import _spread
from matching.evidence import Evidence
from matching.industry import IndustryVote
from matching.understanding import Understanding

SHARED = Path(os.environ.get("CHAINMATCH_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
DATA, BENCH = SHARED / "data" / "chainkg", SHARED / "bench"

pytestmark = pytest.mark.skipif(not (DATA.is_dir() and (BENCH / "queries.jsonl").exists()),
                                reason="shared chainkg data not found (set CHAINMATCH_SHARED)")

rank_module = importlib.import_module("matching.rank")  # the package exports the function under the same name
REGIONS = ("山东省/济南市/历下区", "山东省/青岛市", "江苏省/苏州市", "广东省/深圳市", "")
KINDS, TIERS = ("sme", "large", "leader"), ("none", "innovative", "little_giant")


def dense_gather(index: MatchIndex, query: MatchQuery, exp: Expansion, cols: np.ndarray, u: Understanding | None,
                 seeds: dict[int, float]) -> Evidence | None:
    """The evidence as the engine computed it before the sparse path, with dense per-slot arrays."""
    cfg, n = index.config, len(index.alive_)
    text = index.text_.column_sums(cols, bm25_idf(index.df_[cols], max(index.size, 1))) if len(cols) else np.zeros(n)
    nodes = np.fromiter(exp.weights.keys(), dtype=np.int64, count=len(exp.weights))
    weights = np.fromiter(exp.weights.values(), dtype=np.float64, count=len(exp.weights))
    e_rows, e_which, e_vals = index.nodes_.column_entries(nodes, weights)
    g_max = np.zeros(n)
    np.maximum.at(g_max, e_rows, e_vals)
    g_sum = np.bincount(e_rows, weights=e_vals, minlength=n).astype(np.float64)
    mask = index.alive_.copy()
    for eid in query.exclude:
        if eid in index.slot_of_:
            mask[index.slot_of_[eid]] = False
    if query.kinds:
        mask &= index.code_mask("kind", query.kinds)
    if query.tiers:
        mask &= index.code_mask("tier", query.tiers)
    if query.regions:
        mask &= index.region_mask(query.regions)
    text_top = float(np.max(text, where=mask, initial=0.0))
    cooc, fb, ind = np.zeros(n), np.zeros(n), np.zeros(n)
    cooc_nodes: dict[int, float] = {}
    vote = None
    if query.scope == "node":
        guess = g_max + (cfg.cooc_from_text / text_top) * text if text_top > 0 else g_max
        ev = np.where(index.alive_, guess, 0.0)
        mk = np.flatnonzero(ev > 0)
        if len(mk) > cfg.cooc_makers:
            mk = mk[np.argpartition(-ev[mk], cfg.cooc_makers - 1)[: cfg.cooc_makers]]
        mk_w = ev[mk]
        if len(mk):
            max_df = max(cfg.cooc_max_df * index.size, 10.0)
            kw = {"smoothing": cfg.cooc_smoothing, "power": cfg.cooc_idf_power, "max_df": max_df}
            skip = np.fromiter(exp.weights, dtype=np.int64, count=len(exp.weights))
            _, cooc_nodes = _spread(index.nodes_, mk, mk_w, index.node_df_, skip, keep=cfg.cooc_nodes, **kw)
            _, fb_terms = _spread(index.text_, mk, mk_w, index.df_, cols, keep=cfg.feedback_terms, **kw)
            for out, store, chosen in ((cooc, index.nodes_, cooc_nodes), (fb, index.text_, fb_terms)):
                if chosen:
                    out[:] = store.column_sums(np.array(list(chosen)), np.array(list(chosen.values())))
        n_codes = len(index.industry_codes_)
        codes = index.industry_[mk]
        vote = IndustryVote(np.bincount(codes[:, 0], minlength=n_codes), np.bincount(codes[:, 1], minlength=n_codes))
        if codes.any():
            size = index.industry_size_ + cfg.industry_smoothing
            own = np.bincount(codes[:, 0], weights=mk_w, minlength=n_codes) / size
            parent = np.bincount(codes[:, 1], weights=mk_w, minlength=n_codes) / size
            own[0] = parent[0] = 0.0
            ind = own[index.industry_[:, 0]] + cfg.industry_parent * parent[index.industry_[:, 1]]
    cand = np.flatnonzero(((g_max > 0) | (text > 0) | (cooc > 0) | (fb > 0) | (ind > 0)) & mask)
    if len(cand) == 0:
        return None
    competitor = np.zeros(n)
    if exp.avoid:
        avoid = np.fromiter(exp.avoid, dtype=np.int64)
        listed = index.nodes_.column_sums(avoid, np.ones(len(avoid)), reduce="max")
        competitor = (listed >= 0.999 * index.revenue_factor(0.0)).astype(float)
    peer, aside, owns = dense_set_aside(index, u, seeds, cand, g_max[cand])
    return Evidence(
        cand=cand, graph=g_max[cand], graph_sum=g_sum[cand], text=text[cand], cooc=cooc[cand], feedback=fb[cand],
        industry=ind[cand], competitor=competitor[cand], peer=peer, aside=aside, owns=owns,
        any_graph=bool(g_max.any()),
        cooc_nodes=cooc_nodes, vote=vote, nodes=nodes, weights=weights, entries=(e_rows, e_which, e_vals),
    )


def dense_set_aside(index: MatchIndex, u: Understanding | None, seeds: dict[int, float], cand: np.ndarray,
                    g_c: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """The peer and aside flags as the engine computed them before, one dense maximum per node set, and which
    candidates list an own product at all."""
    if u is None:
        return None, None, None
    names = index.graph_.names_
    own = {n for n in u.own_ids if n not in seeds
           and index.linker_._specificity(names[n].lower()) >= index.config.own_specificity}
    aside = {n for n in u.aside_ids if n not in seeds} - own
    flags: list[np.ndarray | None] = []
    owns = None
    for nodes in (own, aside):
        if not nodes:
            flags.append(None)
            continue
        cols = np.fromiter(nodes, dtype=np.int64, count=len(nodes))
        best = index.nodes_.column_sums(cols, np.ones(len(cols)), reduce="max")
        listed = best[cand] >= 0.999 * index.revenue_factor(0.0)
        owns = listed if owns is None and nodes is own else owns
        flags.append((listed & (g_c < index.config.wanted_evidence)).astype(float))
    return flags[0], flags[1], owns


@pytest.fixture(scope="module")
def index_and_queries():
    _, graph, firms = load(DATA)
    # filters need regions, kinds and tiers, which chainkg does not have: drawn from the row number
    firms = [replace(r, region=REGIONS[r.id % 5], kind=KINDS[r.id % 7 % 3], tier=TIERS[r.id % 11 % 3]) for r in firms]
    index = MatchIndex().fit(graph, firms)
    qs = read_queries(BENCH / "queries.jsonl")
    picked = [qs[i * len(qs) // 160] for i in range(160)]
    queries = [MatchQuery(text=q["text"], nodes=tuple(q["nodes"]), scope=q["scope"]) for q in picked]
    realistic = [line for line in (BENCH / "realistic_needs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    queries += [MatchQuery(text=json.loads(line)["text"]) for line in realistic[:80]]
    some = [firms[i].id for i in range(0, len(firms), 97)]
    for i, q in enumerate(queries[:120:2]):
        queries.append(replace(q, regions=(REGIONS[i % 4], "山东") if i % 3 else (), kinds=KINDS[: 1 + i % 2],
                               tiers=TIERS[i % 3:], exclude=frozenset(some[i % 5::3]), limit=5 + i % 40))
    return index, firms, queries


def _answers(index: MatchIndex, queries: list[MatchQuery]) -> list[list[tuple]]:
    return [[(r.enterprise_id, r.score, r.match, r.explanation) for r in rank(index, q)] for q in queries]


def _assert_same(index: MatchIndex, queries: list[MatchQuery], monkeypatch: pytest.MonkeyPatch) -> None:
    sparse = _answers(index, queries)
    with monkeypatch.context() as m:
        m.setattr(rank_module, "gather", dense_gather)
        dense = _answers(index, queries)
    assert sum(len(a) for a in sparse) > 20 * len(queries) // 2  # the needs do find firms
    for q, got, want in zip(queries, sparse, dense, strict=True):
        assert [a[0] for a in got] == [a[0] for a in want], q
        # the same sums in the same order: equal to the last bit, not just within 1e-9
        assert [a[1] for a in got] == [a[1] for a in want], q
        assert [a[2:] for a in got] == [a[2:] for a in want], q


def test_sparse_evidence_ranks_as_the_dense_arrays_did(index_and_queries, monkeypatch):
    index, _, queries = index_and_queries
    assert len(queries) >= 300
    _assert_same(index, queries, monkeypatch)


def test_also_after_updates_and_after_dropping_dead_slots(index_and_queries, monkeypatch):
    index, firms, queries = index_and_queries
    for k, r in enumerate(firms[::23]):  # overlay rows, dead slots, a new industry column
        if k % 4 == 0:
            index.remove(r.id)
        else:
            index.upsert(replace(r, products=r.products[1:], industry="X/X1/X11" if k % 4 == 1 else r.industry))
    _assert_same(index, queries[::2], monkeypatch)
    index._drop_dead()  # slots renumbered: the industry postings must notice
    _assert_same(index, queries[1::2], monkeypatch)
