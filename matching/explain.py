"""Why a firm was ranked: matched words, the need's nodes, and graph paths with edge types.

Everything returned is plain JSON (dict / list / str / float / int / bool).
"""

from __future__ import annotations

import numpy as np

from graph import Expansion
from matching.index import MatchIndex
from matching.linking import Link

__all__ = ["EDGE_LABELS", "explain"]

# how a walked edge reads in an explanation path
EDGE_LABELS = {"input": "上游材料", "narrower": "细分品类", "broader": "上位品类"}


def _share_text(share: float) -> str:
    return f"{share:.0%} of revenue" if share > 0.0011 else "listed in its business scope"


def _path(index: MatchIndex, exp: Expansion, node: int) -> tuple[list[dict], str]:
    names = index.graph_.names_
    steps = exp.path(node)
    out = [{"node": names[n], "edge": e} for n, e in steps]
    text = names[steps[0][0]]
    for n, e in steps[1:]:
        text += f" —{EDGE_LABELS.get(e, e)}→ {names[n]}"
    return out, text


def explain(
    index: MatchIndex,
    enterprise_id: int,
    *,
    need_links: list[Link],
    seeds: dict[int, float],
    exp: Expansion,
    query_cols: np.ndarray,
    cooc_nodes: dict[int, float],
    parts: dict[str, float],
    competitor: bool,
    max_paths: int = 3,
) -> dict:
    names = index.graph_.names_
    ev = index.product_evidence(enterprise_id)
    graph_hits = sorted(
        ((exp.weights[n] * v[0], n) for n, v in ev.items() if n in exp.weights), reverse=True
    )[:max_paths]
    paths = []
    for weight, node in graph_hits:
        _rf_w, product, share, lw = ev[node]
        path, text = _path(index, exp, node)
        how = "makes" if lw >= 1.0 else "makes a product named after"
        paths.append({
            "product": product, "share": share, "node": names[node], "path": path,
            "weight": round(float(weight), 4),
            "text": f"{text} (this firm {how} {names[node]}: {product}, {_share_text(share)})",
        })
    related = sorted(((cooc_nodes[n], n) for n in ev if n in cooc_nodes), reverse=True)[:max_paths]
    slot = index.slot_of_[enterprise_id]
    cols, _ = index.text_.row(slot)
    common = [index.terms_[c] for c in np.intersect1d(cols, query_cols).tolist()]
    words = sorted(t[2:] for t in common if t.startswith("w:")) or sorted(t[2:] for t in common)
    return {
        "matched_words": words,
        "need_nodes": [
            {"node": names[lk.node], "form": lk.form, "how": lk.how, "weight": round(float(lk.weight), 4)}
            for lk in need_links
        ] or [{"node": names[n], "form": names[n], "how": "given", "weight": float(w)} for n, w in seeds.items()],
        "graph_paths": paths,
        "made_together": [{"product": ev[n][1], "node": names[n]} for _, n in related],
        "competitor": bool(competitor),
        "scores": {k: round(float(v), 4) for k, v in parts.items()},
    }
