"""Structural importance: a hand-computed graph, then networkx and brute force as references on random graphs."""

import random

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from graph.importance import betweenness, cut_off_counts


def adjacency(n: int, edges: list[tuple[int, int]]) -> sp.csr_matrix:
    rows, cols = zip(*edges, strict=True) if edges else ((), ())
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def test_hand_computed_betweenness():
    # 0 -> 1 -> 2 and 3 -> 1: the pairs (0, 2) and (3, 2) pass through 1; normalised by (4-1)(4-2)
    A = adjacency(4, [(0, 1), (1, 2), (3, 1)])
    assert betweenness(A).tolist() == pytest.approx([0, 2 / 6, 0, 0])
    assert betweenness(A, normalized=False).tolist() == pytest.approx([0, 2, 0, 0])
    # two shortest paths 0 -> 1 -> 3 and 0 -> 2 -> 3 share the pair (0, 3)
    assert betweenness(adjacency(4, [(0, 1), (0, 2), (1, 3), (2, 3)]), normalized=False).tolist() == [0, 0.5, 0.5, 0]


def test_hand_computed_cut_offs():
    # upstream edges from the target 0: 0 -> 1 -> {2, 3}, 0 -> 4; node 5 is not reachable
    A = adjacency(6, [(0, 1), (1, 2), (1, 3), (0, 4)])
    assert cut_off_counts(A, [0]).tolist() == [4, 2, 0, 0, 0, 0]
    # a second route to 2 through 4: losing 1 now only cuts 3 off
    A = adjacency(6, [(0, 1), (1, 2), (1, 3), (0, 4), (4, 2)])
    assert cut_off_counts(A, [0]).tolist() == [4, 1, 0, 0, 0, 0]
    # with 4 a target too, losing 0 cuts nothing reachable from 4
    assert cut_off_counts(A, [0, 4]).tolist() == [2, 1, 0, 0, 0, 0]
    assert cut_off_counts(A, []).tolist() == [0] * 6
    with pytest.raises(ValueError):
        cut_off_counts(A, [6])


def random_graph(seed: int) -> tuple[int, list[tuple[int, int]]]:
    rng = random.Random(seed)
    n = rng.randint(3, 40)
    m = rng.randint(0, 3 * n)
    edges = {(rng.randrange(n), rng.randrange(n)) for _ in range(m)}
    return n, sorted((a, b) for a, b in edges if a != b)


@pytest.mark.parametrize("seed", range(25))
def test_betweenness_equals_networkx(seed):
    n, edges = random_graph(seed)
    G = nx.DiGraph(edges)
    G.add_nodes_from(range(n))
    want = nx.betweenness_centrality(G)
    assert betweenness(adjacency(n, edges)).tolist() == pytest.approx([want[i] for i in range(n)])


@pytest.mark.parametrize("seed", range(25))
def test_cut_offs_equal_brute_force_removal(seed):
    n, edges = random_graph(seed)
    targets = random.Random(seed).sample(range(n), k=min(3, n))
    G = nx.DiGraph(edges)
    G.add_nodes_from(range(n))

    def reach(H: nx.DiGraph) -> set[int]:
        out: set[int] = set()
        for t in targets:
            if t in H:
                out |= {t} | nx.descendants(H, t)
        return out

    before = reach(G)
    want = []
    for v in range(n):
        H = G.copy()
        H.remove_node(v)
        want.append(len(before - {v} - reach(H)) if v in before else 0)
    assert cut_off_counts(adjacency(n, edges), targets).tolist() == want
