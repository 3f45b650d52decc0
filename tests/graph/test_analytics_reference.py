"""The vectorised figures against a plain loop over firms that follows the module docstring word by word."""

import math
import random
from collections import defaultdict

import pytest

from graph import ChainGraph, Firm, Supply, supply_table
from graph.analytics import chain_analysis
from graph.supply import TIERS

NODES = [f"n{i}" for i in range(30)]
REGIONS = ["山东省/济南市", "山东省/青岛市", "江苏省/南京市", "山东省", "广东省/深圳市"]


def random_world(seed: int):
    rng = random.Random(seed)
    edges = set()
    for _ in range(45):
        a, b = rng.sample(NODES, 2)
        edges.add((a, b, "input" if rng.random() < 0.8 else "subkind"))
    G = ChainGraph.build([], sorted(edges))
    firms = [Firm(f"f{i}", rng.choice(REGIONS), rng.choice(TIERS), "leader" if rng.random() < 0.15 else "sme")
             for i in range(60)]
    links = []
    for f in firms:
        for node in rng.sample(G.names_, rng.randint(1, 4)):
            share = rng.choice([None, 0.001, round(rng.uniform(0.01, 0.6), 3)])
            links.append(Supply(f.id, node, share, rng.choice(["declared", "imported", "estimated"])))
    chain = rng.sample(G.names_, 15)
    return G, firms, links, chain


def reference(G, firms, links, chain, region, min_tier):
    """Suppliers, HHI, capacity and the chain's 配套率, computed firm by firm."""
    def local(f):
        return f.region == region or f.region.startswith(region + "/")

    qualifies = {f.id: local(f) and TIERS.index(f.tier) >= TIERS.index(min_tier) for f in firms}
    direct = {(lk.firm, lk.node): lk.share for lk in links}
    makers = defaultdict(dict)  # node -> firm -> [known shares]
    for (firm, node), share in direct.items():
        known = [] if share is None or share <= 0.001 else [share]
        for p in [node, *(G.names_[b] for b in G.broader(G.index_[node]))]:
            makers[p].setdefault(firm, []).extend(known)
    out = {}
    for p in {*chain, *(G.names_[i] for c in chain for i in G.inputs(G.index_[c]))}:
        sup = {f: min(sum(s), 1.0) if s else None for f, s in makers[p].items() if qualifies[f]}
        known = [s for s in sup.values() if s is not None]
        mean = sum(known) / len(known) if known else 1.0
        shares = [mean if s is None else s for s in sup.values()]
        hhi = 10000 * sum(s * s for s in shares) / sum(shares) ** 2 if shares else None
        out[p] = (len(sup), sum(known), hhi, set(sup))

    leaders = [f for f in firms if f.kind == "leader" and local(f)
               and any((f.id, c) in direct for c in chain)]
    rates = []
    for lead in leaders:
        own = {node: s for (firm, node), s in direct.items() if firm == lead.id}
        known_total = sum(s for s in own.values() if s is not None and s > 0.001)
        n_unknown = sum(1 for s in own.values() if s is None or s <= 0.001)
        w = {}
        for p in chain:
            if (lead.id, p) in direct and len(G.inputs(G.index_[p])):
                s = own[p]
                w[p] = s if s is not None and s > 0.001 else max(0.0, 1 - known_total) / max(n_unknown, 1)
        if not w:
            continue
        if sum(w.values()) <= 0:
            w = dict.fromkeys(w, 1.0)
        total = sum(w.values())
        rate = 0.0
        for p, wp in w.items():
            ins = [G.names_[i] for i in G.inputs(G.index_[p])]
            for i in ins:
                if out[i][3] - {lead.id}:
                    rate += wp / total / len(ins)
        rates.append(rate)
    return out, (sum(rates) / len(rates) if rates else None)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize(("region", "min_tier"), [("山东省", "none"), ("山东省/济南市", "innovative"),
                                                  ("江苏省", "provincial")])
def test_vectorised_figures_equal_the_loop(seed, region, min_tier):
    G, firms, links, chain = random_world(seed)
    page = chain_analysis(G, supply_table(G, firms, links), chain, region=region, min_tier=min_tier)
    want, rate = reference(G, firms, links, chain, region, min_tier)
    for node in page.nodes:
        n_sup, capacity, hhi, _ = want[node.node]
        assert node.suppliers.value == n_sup
        assert node.capacity.value == pytest.approx(capacity)
        assert (node.hhi.value is None) == (hhi is None)
        if hhi is not None:
            assert node.hhi.value == pytest.approx(hhi, abs=1e-5)
    if page.supply.weighting == "leaders":
        assert page.supply.rate.value == pytest.approx(rate)
    else:
        assert rate is None
    assert math.isclose(sum(m.uncovered for m in page.supply.missing) + (page.supply.rate.value or 0), 1.0) or \
        page.supply.rate.value is None
