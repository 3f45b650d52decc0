"""The one place that translates between the database and the matching engine."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from sqlalchemy.orm import Session

from app.chains import service as chains
from app.core.errors import AppError, Invalid
from app.enterprises import service as enterprises
from app.match_index.holder import IndexHolder
from app.matches.schemas import BRIEF_REASONS, MatchRequest
from app.models import Principal
from matching import EmptyQueryError, MatchIndex, MatchQuery, MatchResult, UnknownNodeError, rank


def _node_names(session: Session, keys: list[str | int], index: MatchIndex) -> tuple[str, ...]:
    """Names for the engine; a key that names no node is passed on as it is, so the engine reports it unknown."""
    if not keys:
        return ()
    if names_only(keys, index):
        # the database would give each back as it is (no query per match)
        return tuple(dict.fromkeys(k.strip() for k in keys if isinstance(k, str)))
    nodes, unknown = chains.nodes_by_key(session, keys)
    return tuple(dict.fromkeys([n.name for n in nodes] + unknown))


def names_only(keys: list[str | int], index: MatchIndex) -> bool:
    """Whether every key is a node name the index holds (none is an id or an unknown word)."""
    return all(isinstance(k, str) and index.graph_.is_name(k.strip()) for k in keys)


def _exclusions(session: Session, keys: list[str | int]) -> frozenset[int]:
    if not keys:
        return frozenset()
    ids, unknown = enterprises.ids_for_keys(session, [str(k) for k in keys])
    if unknown:
        raise Invalid("exclude", f"unknown enterprise(s): {', '.join(unknown[:10])}")
    return frozenset(ids)


_RERANK_MORE, _RERANK_MAX = 30, 400


def _ready(holder: IndexHolder) -> MatchIndex:
    if holder.index is None:
        raise AppError("the match index is still being built; try again shortly", code="index_not_ready", status=503)
    return holder.index


def rank_query(*, holder: IndexHolder, query: MatchQuery) -> tuple[list[MatchResult], int]:
    """Rank with the live index; returns the results and the index version they come from.

    Used by POST /match, by a stored need's matches and by targeted publication, so all three agree.
    """
    index = _ready(holder)
    model = holder.reranker
    try:
        if model is None:
            return rank(index, query), index.version_
        # the learned order may lift firms from a little further down the engine's list; only the firms it
        # returns are explained
        wider = dataclasses.replace(query, limit=min(query.limit + _RERANK_MORE, _RERANK_MAX))
        return rank(index, wider, rerank=model.rerank, keep=query.limit), index.version_
    except UnknownNodeError as exc:
        raise Invalid("nodes", f"unknown chain node(s): {', '.join(exc.names)}") from None
    except EmptyQueryError as exc:
        raise Invalid("text", str(exc) or "nothing to match in the text") from None


def _sized(explanation: dict, detail: str) -> dict:  # type: ignore[type-arg]
    # need_nodes is the same for every firm: the answer carries it once
    if detail == "full":
        return explanation
    return {k: v for k, v in explanation.items() if k in BRIEF_REASONS}


_SHOWN = ("code", "name", "kind", "tier", "region")


def _summaries(index: MatchIndex, ids: list[int]) -> dict[int, dict[str, object]]:
    """The ranked firms as EnterpriseSummary dicts, from the index that ranked them (its records hold the same
    columns, kept fresh from the change log): no database statement per match. A firm the index no longer holds is
    left out of the answer, as one deleted from the database was."""
    out: dict[int, dict[str, object]] = {}
    for eid in ids:
        shown = index.record_fields(eid, _SHOWN)
        if shown is not None:
            out[eid] = {"id": eid, **dict(zip(_SHOWN, shown, strict=True))}
    return out


def match(*, session: Session, holder: IndexHolder, request: MatchRequest, principal: Principal) -> dict:  # type: ignore[type-arg]
    """The answer as plain data shaped as MatchResponse (the router sends it as it is: no models to build)."""
    started = time.perf_counter()
    index = _ready(holder)
    exclude = _exclusions(session, request.exclude)
    if principal.role == "leader" and principal.org_id is not None:
        exclude |= {principal.org_id}  # a firm is never its own supplier
    query = MatchQuery(text=request.text, nodes=_node_names(session, request.nodes, index), scope=request.scope,
                       exclude=exclude, kinds=tuple(request.filters.kinds), tiers=tuple(request.filters.tiers),
                       regions=tuple(request.filters.regions), limit=request.limit)
    ranked_at = time.perf_counter()
    results, version = rank_query(holder=holder, query=query)
    engine_ms = (time.perf_counter() - ranked_at) * 1000
    understanding = index.understand(request.text).as_dict() if request.text else None
    firms = _summaries(holder.index or index, [r.enterprise_id for r in results])
    items = [{"enterprise": firms[r.enterprise_id], "score": round(r.score, 6), "match": r.match,
              "explanation": _sized(r.explanation, request.explain)} for r in results if r.enterprise_id in firms]
    need = results[0].explanation.get("need_nodes", []) if results else []
    return {"understanding": understanding, "items": items, "need_nodes": need, "index_version": version,
            "took_ms": round((time.perf_counter() - started) * 1000, 3), "engine_ms": round(engine_ms, 3)}


def reading(*, holder: IndexHolder, text: str) -> dict[str, list[str]]:
    """How the engine reads a need's text, for showing back to its poster: wanted products, what they are for,
    the poster's own products, and what was set aside (specifications, quantities, terms). Empty without an index."""
    index = holder.index
    if index is None or not text.strip():
        return {}
    seen = index.understand(text)

    def names(mentions: Any) -> list[str]:
        return list(dict.fromkeys(m.words for m in mentions))

    return {"wanted": names(seen.wanted), "modifiers": names(seen.modifiers), "purposes": names(seen.purposes),
            "own": names(seen.own), "ignored": list(dict.fromkeys(seen.ignored))[:12]}
