"""Why a firm was ranked: matched words, the need's nodes, and graph paths with edge types.

Everything returned is plain JSON (dict / list / str / float / int / bool).
"""

from __future__ import annotations

import re

import numpy as np

from graph import Expansion
from matching.index import MatchIndex
from matching.linking import Link
from matching.scale import band_of
from matching.understanding import Understanding

__all__ = ["EDGE_LABELS", "explain", "found_in_text", "need_nodes", "shown_columns", "whole_words"]

_LATIN = re.compile(r"[a-z0-9][a-z0-9.\-+/#]*")

# how a walked edge reads in an explanation path
EDGE_LABELS = {"input": "上游材料", "narrower": "细分品类", "broader": "上位品类"}


def _share_text(share: float) -> str:
    # Explanations are shown to people (web pages, exports), so they read in Chinese.
    return f"占营收{share:.0%}" if share > 0.0011 else "列于经营范围"


def _path(index: MatchIndex, exp: Expansion, node: int,
          seen: dict[int, tuple[list[tuple[str, str]], str]] | None) -> tuple[list[dict], str]:
    known = seen.get(node) if seen is not None else None
    if known is None:
        names = index.graph_.names_
        steps = exp.path(node)
        text = names[steps[0][0]]
        for n, e in steps[1:]:
            text += f" —{EDGE_LABELS.get(e, e)}→ {names[n]}"
        known = ([(names[n], e) for n, e in steps], text)
        if seen is not None:
            seen[node] = known
    # fresh dicts for every firm: a caller may change one explanation without changing another
    return [{"node": n, "edge": e} for n, e in known[0]], known[1]


def found_in_text(links: list[Link], u: Understanding | None) -> dict[int, tuple[str, str]]:
    """node -> (the words that named it, how): "exact", "alias", "fuzzy" or "synonym" (of a named node)."""
    if u is None:
        return {lk.node: (lk.form, lk.how) for lk in links}
    out: dict[int, tuple[str, str]] = {}
    for m in u.wanted:
        for n in m.node_ids:
            out.setdefault(n, (m.words, m.how))
        for n in m.synonym_ids:
            out.setdefault(n, (m.words, "synonym"))
    return out


def need_nodes(
    index: MatchIndex, seeds: dict[int, float], found: dict[int, tuple[str, str]], given: set[int],
    kinds: frozenset[int] = frozenset(),
) -> list[dict]:
    """The nodes a query was about, heaviest first; ``how`` is "given" (by the poster), "kind" (what a
    named product is a kind of) or how the text named it (see :func:`found_in_text`)."""
    names = index.graph_.names_
    out = []
    for node, weight in sorted(seeds.items(), key=lambda kv: -kv[1]):
        if node in given or node not in found:
            form, how = names[node], ("kind" if node in kinds and node not in given else "given")
        else:
            form, how = found[node]
        out.append({"node": names[node], "form": form, "how": how, "weight": round(float(weight), 4)})
    return out


def whole_words(index: MatchIndex, words: list[str] | tuple[str, ...]) -> set[str]:
    """The query words fit to show people: product names and general Chinese words of two characters
    or more, and Latin words; never a fragment such as 极材 or 化 that a cut left behind."""
    forms = index.linker_.forms_
    return {
        w for w in words
        if _LATIN.fullmatch(w) or (len(w) > 1 and (w in forms or index.analyzer_.is_general_word(w)))
    }


def shown_columns(index: MatchIndex, query_cols: np.ndarray, shown_words: set[str] | None) -> dict[int, str]:
    """The query's term columns that may be shown as matched words (``shown_words``, all if None), with the word."""
    out = {}
    for c in set(query_cols.tolist()):
        term = index.terms_[c]
        # whole words only: bigrams and cut-off pieces (极材, 化) are evidence, not reasons people read
        if term.startswith("w:") and (shown_words is None or term[2:] in shown_words):
            out[c] = term[2:]
    return out


def explain(
    index: MatchIndex,
    enterprise_id: int,
    *,
    need: list[dict],
    exp: Expansion,
    query_cols: np.ndarray | dict[int, str],
    cooc_nodes: dict[int, float],
    parts: dict[str, float],
    competitor: bool,
    industry: tuple[int, int] | None = None,
    shown_words: set[str] | None = None,
    match: int | None = None,
    max_paths: int = 3,
    paths_seen: dict[int, tuple[list[tuple[str, str]], str]] | None = None,
    slot: int | None = None,
    rival: bool = False,
) -> dict:
    """Plain-JSON reasons for one ranked firm (``need`` comes from :func:`need_nodes`); ``industry``:
    how many of the need's makers share the firm's industry and its parent industry, when that counted;
    ``shown_words``: the query words fit to show (see :func:`whole_words`); ``match``: its 匹配度;
    ``paths_seen``: a dict kept over the firms of one answer, so each graph path is walked once; ``slot``: the
    firm's slot when the caller knows it (a lookup less); ``query_cols``: the query's term columns, or what
    :func:`shown_columns` makes of them and ``shown_words`` once per answer; ``rival``: the firm also makes the
    poster's own products, and was placed after the firms of its band that do not."""
    names = index.graph_.names_
    ev = index.product_evidence(enterprise_id)
    # (weight, node) pairs are distinct, so sorting the intersection gives the same order as any scan
    weights = exp.weights
    graph_hits = sorted(((weights[n] * ev[n][0], n) for n in ev.keys() & weights.keys()), reverse=True)[:max_paths]
    paths = []
    for weight, node in graph_hits:
        _rf_w, product, share, lw = ev[node]
        path, text = _path(index, exp, node, paths_seen)
        if product == names[node]:
            made = f"该企业生产{product}，{_share_text(share)}"
        else:
            made = f"该企业生产{product}（{'即' if lw >= 1.0 else '名称含'}{names[node]}），{_share_text(share)}"
        paths.append({
            "product": product, "share": share, "node": names[node], "path": path,
            "weight": round(float(weight), 4), "text": f"{text}（{made}）",
        })
    related = sorted(((cooc_nodes[n], n) for n in ev.keys() & cooc_nodes.keys()), reverse=True)[:max_paths]
    shown = query_cols if isinstance(query_cols, dict) else shown_columns(index, query_cols, shown_words)
    words: list[str] = []
    if shown:
        cols, _ = index.text_.row(index.slot_of_[enterprise_id] if slot is None else slot)
        words = sorted(shown[c] for c in shown.keys() & cols.tolist())
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
        "rival": bool(rival),
        "scores": {k: round(float(v), 4) for k, v in parts.items()},
    }
    if industry_text:
        out["industry"] = industry_text
    if rival:
        out["rival_note"] = "该企业也生产需求方自身的产品，可能是需求方的同行，排序已相应靠后"
    if match is not None:
        level, meaning = band_of(match)
        out["match"] = {"score": match, "level": level, "meaning": meaning}
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
