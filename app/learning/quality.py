"""The quality check a learned re-ranker must pass before it is installed: benchmark queries (bench/ format, one
JSON object a line with ``text``, ``nodes``, ``scope``, ``relevant`` {company code: grade}) ranked by the live
index without and with the model; nDCG@10 must not drop on any file."""

from __future__ import annotations

import json
import math
from pathlib import Path

from app.learning.service import QualityCheck
from matching import MatchIndex, MatchQuery, rank
from matching.learner import Reranker


def _ndcg(ranked: list[str], relevant: dict[str, float], k: int = 10) -> float:
    dcg = sum((2 ** relevant.get(c, 0.0) - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:k]))
    ideal = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:k]))
    return dcg / ideal if ideal > 0 else 0.0


def file_check(index: MatchIndex, paths: list[Path]) -> QualityCheck:
    code_of = {rec.id: rec.code for rec in index.records_.values()}
    id_of = {c: i for i, c in code_of.items()}
    sets = {p.stem: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            for p in paths}

    def figure(queries: list[dict], model: Reranker | None) -> float:
        out = []
        for q in queries:
            mq = MatchQuery(text=q.get("text", ""), nodes=tuple(q.get("nodes", ())), scope=q.get("scope", "node"),
                            exclude=frozenset(id_of[c] for c in q.get("exclude", ()) if c in id_of), limit=50)
            results = rank(index, mq)
            if model is not None:
                results = model.rerank(results)
            out.append(_ndcg([code_of[r.enterprise_id] for r in results], q["relevant"]))
        return sum(out) / max(len(out), 1)

    def check(model: Reranker) -> dict[str, tuple[float, float]]:
        return {name: (figure(qs, None), figure(qs, model)) for name, qs in sets.items()}

    return check
