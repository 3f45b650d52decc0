"""Why a firm was ranked: matched words, the need's nodes, and graph paths with edge types.

Everything returned is plain JSON (dict / list / str / float / int / bool).
"""

from __future__ import annotations

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
    query_terms: set[str],
    cooc_nodes: dict[int, float],
    parts: dict[str, float],
    competitor: bool,
    max_paths: int = 3,
) -> dict:
    rec = index.records_[enterprise_id]
    names = index.graph_.names_
    evidence: list[tuple[float, dict]] = []
    related: list[tuple[float, dict]] = []
    firm_terms: set[str] = set()
    for product, share in rec.products:
        terms = index.product_terms(product)
        firm_terms.update(terms)
        rf = index.revenue_factor(share)
        for node, lw in index.product_links(product):
            w = exp.weights.get(node)
            if w is not None:
                path, text = _path(index, exp, node)
                how = "makes" if lw >= 1.0 else "makes a product named after"
                evidence.append((w * lw * rf, {
                    "product": product,
                    "share": float(share),
                    "node": names[node],
                    "path": path,
                    "weight": round(float(w * lw * rf), 4),
                    "text": f"{text} (this firm {how} {names[node]}: {product}, {_share_text(share)})",
                }))
            elif node in cooc_nodes:
                related.append((cooc_nodes[node], {"product": product, "node": names[node]}))
    firm_terms.update(index.analyzer_.analyze(rec.name))
    if rec.description:
        firm_terms.update(index.analyzer_.analyze(rec.description))
    common = query_terms & firm_terms
    words = sorted(t[2:] for t in common if t.startswith("w:"))
    if not words:
        words = sorted(t[2:] for t in common if t.startswith("g:"))
    evidence.sort(key=lambda x: -x[0])
    related.sort(key=lambda x: -x[0])
    return {
        "matched_words": words,
        "need_nodes": [
            {"node": names[lk.node], "form": lk.form, "how": lk.how, "weight": round(float(lk.weight), 4)}
            for lk in need_links
        ] or [{"node": names[n], "form": names[n], "how": "given", "weight": float(w)} for n, w in seeds.items()],
        "graph_paths": [e for _, e in evidence[:max_paths]],
        "made_together": [r for _, r in related[:max_paths]],
        "competitor": bool(competitor),
        "scores": {k: round(float(v), 4) for k, v in parts.items()},
    }
