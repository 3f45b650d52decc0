"""Why a firm was ranked: matched words, the need's nodes, and graph paths with edge types.

Everything returned is plain JSON (dict / list / str / float / int / bool).
"""

from __future__ import annotations

import numpy as np

from graph import Expansion
from matching.index import MatchIndex
from matching.linking import Link

__all__ = ["EDGE_LABELS", "explain", "need_nodes"]

# how a walked edge reads in an explanation path
EDGE_LABELS = {"input": "上游材料", "narrower": "细分品类", "broader": "上位品类"}


def _share_text(share: float) -> str:
    # Explanations are shown to people (web pages, exports), so they read in Chinese.
    return f"占营收{share:.0%}" if share > 0.0011 else "列于经营范围"


def _path(index: MatchIndex, exp: Expansion, node: int) -> tuple[list[dict], str]:
    names = index.graph_.names_
    steps = exp.path(node)
    out = [{"node": names[n], "edge": e} for n, e in steps]
    text = names[steps[0][0]]
    for n, e in steps[1:]:
        text += f" —{EDGE_LABELS.get(e, e)}→ {names[n]}"
    return out, text


def need_nodes(
    index: MatchIndex, seeds: dict[int, float], links: list[Link], given: set[int]
) -> list[dict]:
    """The nodes a query was about, heaviest first; ``how`` is "given" (by the poster), "exact" or
    "fuzzy" (found in the text)."""
    names = index.graph_.names_
    found = {lk.node: lk for lk in links}
    out = []
    for node, weight in sorted(seeds.items(), key=lambda kv: -kv[1]):
        lk = None if node in given else found.get(node)
        out.append({
            "node": names[node],
            "form": lk.form if lk else names[node],
            "how": lk.how if lk else "given",
            "weight": round(float(weight), 4),
        })
    return out


def explain(
    index: MatchIndex,
    enterprise_id: int,
    *,
    need: list[dict],
    exp: Expansion,
    query_cols: np.ndarray,
    cooc_nodes: dict[int, float],
    parts: dict[str, float],
    competitor: bool,
    industry: tuple[int, int] | None = None,
    max_paths: int = 3,
) -> dict:
    """Plain-JSON reasons for one ranked firm (``need`` comes from :func:`need_nodes`); ``industry``:
    how many of the need's makers share the firm's industry and its parent industry, when that counted."""
    names = index.graph_.names_
    ev = index.product_evidence(enterprise_id)
    graph_hits = sorted(
        ((exp.weights[n] * v[0], n) for n, v in ev.items() if n in exp.weights), reverse=True
    )[:max_paths]
    paths = []
    for weight, node in graph_hits:
        _rf_w, product, share, lw = ev[node]
        path, text = _path(index, exp, node)
        if product == names[node]:
            made = f"该企业生产{product}，{_share_text(share)}"
        else:
            made = f"该企业生产{product}（{'即' if lw >= 1.0 else '名称含'}{names[node]}），{_share_text(share)}"
        paths.append({
            "product": product, "share": share, "node": names[node], "path": path,
            "weight": round(float(weight), 4), "text": f"{text}（{made}）",
        })
    related = sorted(((cooc_nodes[n], n) for n in ev if n in cooc_nodes), reverse=True)[:max_paths]
    slot = index.slot_of_[enterprise_id]
    cols, _ = index.text_.row(slot)
    wanted = set(query_cols.tolist())
    common = [index.terms_[c] for c in cols.tolist() if c in wanted]
    words = sorted(t[2:] for t in common if t.startswith("w:")) or sorted(t[2:] for t in common)
    together = [{"product": ev[n][1], "node": names[n]} for _, n in related]
    industry_text = _industry_text(industry, need)
    if paths:
        summary = paths[0]["text"]
    elif words:
        summary = "匹配词：" + "、".join(words)
    elif together:
        summary = "生产常与所需产品同时生产的产品：" + "、".join(t["product"] for t in together)
    elif industry_text:
        summary = industry_text
    else:
        summary = "产品结构与该需求的生产企业相近"
    out = {
        "summary": summary,
        "matched_words": words,
        "need_nodes": need,
        "graph_paths": paths,
        "made_together": together,
        "competitor": bool(competitor),
        "scores": {k: round(float(v), 4) for k, v in parts.items()},
    }
    if industry_text:
        out["industry"] = industry_text
    return out


def _industry_text(industry: tuple[int, int] | None, need: list[dict]) -> str:
    if industry is None or not any(industry):
        return ""
    own, parent = industry
    n = own or parent
    of = f"{n}家{need[0]['node']}生产企业" if need else f"{n}家该需求的生产企业"
    if own:
        return f"与{of}同属一个行业"
    return f"与{of}同属一个上级行业"
