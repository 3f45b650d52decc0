"""The product chain graph: node names, aliases and typed sparse adjacency.

Nodes are products or services. Two edge types exist:

* ``input``: ``(src, dst, "input")`` means ``src`` is an upstream input of ``dst``;
* ``subkind``: ``(src, dst, "subkind")`` means ``dst`` is a narrower kind of ``src``.

The graph is immutable once built: the matching index caches neighbourhoods against it, so a changed
chain means a new ``ChainGraph`` (and a refit), never an in-place edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.chainkg import Relation

__all__ = ["EDGE_TYPES", "ChainGraph", "NodeSpec", "edges_from_relations"]

EDGE_TYPES = ("input", "subkind")


@dataclass(frozen=True)
class NodeSpec:
    """A node to put in the graph; aliases are other surface forms that mean the same node."""

    name: str
    aliases: tuple[str, ...] = ()


def edges_from_relations(relations: Iterable[Relation]) -> list[tuple[str, str, str]]:
    """Turn chainkg relation rows into ``(src, dst, type)`` edges, dropping duplicates.

    ``upstream_material`` and ``downstream_product`` state the same fact from the two ends, so both
    become ``input`` edges pointing downstream.
    """
    out: dict[tuple[str, str, str], None] = {}
    for r in relations:
        if r.relation == "upstream_material":
            edge = (r.related, r.product, "input")
        elif r.relation == "downstream_product":
            edge = (r.product, r.related, "input")
        elif r.relation == "subclass":
            edge = (r.product, r.related, "subkind")
        else:
            raise ValueError(f"unknown relation type {r.relation!r}")
        if edge[0] != edge[1]:
            out[edge] = None
    return list(out)


def _csr(rows: list[int], cols: list[int], n: int) -> sp.csr_matrix:
    m = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(n, n),
    )
    m.sum_duplicates()
    m.data[:] = 1.0  # repeated edges are one fact, not a heavier one
    return m


class ChainGraph:
    """Node index <-> name, alias lookup and four CSR views of the two edge types.

    Learned state (all read-only after :meth:`build`):

    * ``names_``: node index -> name; ``index_``: name -> index;
    * ``aliases_``: alias -> node index (names map to themselves through ``index_``);
    * ``inputs_[d]`` lists the inputs of ``d``; ``outputs_[s]`` the products made from ``s``;
    * ``narrower_[p]`` lists the sub-kinds of ``p``; ``broader_[c]`` the kinds ``c`` belongs to.
    """

    def __init__(self) -> None:
        self.names_: list[str] = []
        self.index_: dict[str, int] = {}
        self.aliases_: dict[str, int] = {}
        n = 0
        empty = sp.csr_matrix((n, n), dtype=np.float32)
        self.inputs_ = self.outputs_ = self.narrower_ = self.broader_ = empty

    @classmethod
    def build(cls, nodes: Iterable[NodeSpec], edges: Iterable[tuple[str, str, str]]) -> ChainGraph:
        """Build from node specs and ``(src, dst, type)`` edges; unknown edge ends become nodes."""
        g = cls()

        def add(name: str) -> int:
            i = g.index_.get(name)
            if i is None:
                i = g.index_[name] = len(g.names_)
                g.names_.append(name)
            return i

        specs = list(nodes)
        for spec in specs:
            if not spec.name:
                raise ValueError("a node needs a non-empty name")
            add(spec.name)
        in_r: list[int] = []
        in_c: list[int] = []
        sub_r: list[int] = []
        sub_c: list[int] = []
        for src, dst, kind in edges:
            s, d = add(src), add(dst)
            if s == d:
                continue
            if kind == "input":
                in_r.append(d)
                in_c.append(s)
            elif kind == "subkind":
                sub_r.append(s)
                sub_c.append(d)
            else:
                raise ValueError(f"unknown edge type {kind!r}; expected one of {EDGE_TYPES}")
        for spec in specs:
            for alias in spec.aliases:
                # a real node name always wins over someone else's alias
                if alias and alias not in g.index_:
                    g.aliases_.setdefault(alias, g.index_[spec.name])
        n = len(g.names_)
        g.inputs_ = _csr(in_r, in_c, n)
        g.outputs_ = g.inputs_.T.tocsr()
        g.narrower_ = _csr(sub_r, sub_c, n)
        g.broader_ = g.narrower_.T.tocsr()
        return g

    @property
    def n_nodes(self) -> int:
        return len(self.names_)

    def __len__(self) -> int:
        return len(self.names_)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self.index_ or name in self.aliases_)

    def is_name(self, name: str) -> bool:
        """Whether ``name`` is a node's own name (an alias is not)."""
        return name in self.index_

    def lookup(self, name: str) -> int | None:
        """Node index of a name or alias, or None."""
        i = self.index_.get(name)
        return self.aliases_.get(name) if i is None else i

    def surface_forms(self) -> dict[str, int]:
        """Every string that names a node (names and aliases) -> node index."""
        forms = dict(self.aliases_)
        forms.update(self.index_)
        return forms

    @staticmethod
    def _row(m: sp.csr_matrix, i: int) -> np.ndarray:
        return m.indices[m.indptr[i] : m.indptr[i + 1]]

    def inputs(self, i: int) -> np.ndarray:
        return self._row(self.inputs_, i)

    def outputs(self, i: int) -> np.ndarray:
        return self._row(self.outputs_, i)

    def narrower(self, i: int) -> np.ndarray:
        return self._row(self.narrower_, i)

    def broader(self, i: int) -> np.ndarray:
        return self._row(self.broader_, i)

    def degree(self) -> np.ndarray:
        """Total typed degree of each node (a cheap measure of how generic a node is)."""
        return np.asarray(
            np.diff(self.inputs_.indptr)
            + np.diff(self.outputs_.indptr)
            + np.diff(self.narrower_.indptr)
            + np.diff(self.broader_.indptr)
        )

    def to_networkx(self) -> nx.DiGraph:
        """A DiGraph view with ``type`` on each edge, oriented as in :meth:`build`'s edges."""
        G = nx.DiGraph()
        G.add_nodes_from(self.names_)
        names = self.names_
        coo = self.inputs_.tocoo()
        G.add_edges_from((names[s], names[d], {"type": "input"}) for d, s in zip(coo.row, coo.col, strict=True))
        coo = self.narrower_.tocoo()
        G.add_edges_from((names[p], names[c], {"type": "subkind"}) for p, c in zip(coo.row, coo.col, strict=True))
        return G
