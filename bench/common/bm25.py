"""The one baseline the ranking benchmarks compare against: bm25s over character bigrams of each firm's name and
product list. quality.py scores it, quality_scale.py and match_speed.py time it next to the engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np


class Firm(Protocol):
    """What the baseline reads of a firm (matching.EnterpriseRecord has it)."""

    @property
    def name(self) -> str: ...

    @property
    def products(self) -> Sequence[tuple[str, float]]: ...


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of the text without white space, lower-cased (a one-character text is itself)."""
    text = "".join(text.split()).lower()
    return [text[i : i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


class BigramBM25:
    """A bm25s index (library defaults) of the firms, in their order: results are positions in that order."""

    def __init__(self, firms: Iterable[Firm]) -> None:
        import bm25s  # a dev dependency: only the benchmarks and tests load it

        corpus = [bigrams(f.name + " " + " ".join(p for p, _ in f.products)) for f in firms]
        self.size = len(corpus)
        self.retriever: Any = bm25s.BM25()
        self.retriever.index(corpus, show_progress=False)
        self.vocab: dict[str, int] = self.retriever.vocab_dict

    def tokens(self, text: str) -> list[str]:
        """The text's bigrams the index knows (bm25s refuses unknown ones)."""
        return [t for t in bigrams(text) if t in self.vocab]

    def top(self, text: str, k: int, *, full: bool = False, exclude: Iterable[int] = ()) -> list[int]:
        """Positions of the k best-scoring firms with a positive score, best first (ties by position).

        get_scores over the whole corpus, then an argpartition of the k best, or (full) an argsort of every score;
        positions in ``exclude`` never come back.
        """
        toks = self.tokens(text)
        if not toks:
            return []
        neg = -self.retriever.get_scores(toks)
        for i in exclude:
            neg[i] = np.inf
        if full or k >= self.size:
            best = np.argsort(neg, kind="stable")[:k]
        else:
            best = np.argpartition(neg, k)[:k]
            best = best[np.argsort(neg[best], kind="stable")]
        return [int(i) for i in best if neg[i] < 0]

    def retrieve(self, tokens: list[str], k: int) -> Any:
        """The library's own top-k call on already known tokens (see tokens), as its docs show a single query:
        no progress bar, and the default n_threads=0, which scores in the caller's thread. n_threads=1 (used until
        branch match300) opened a thread pool per call and added 3-5 ms to every query; see docs/benchmarks.md."""
        return self.retriever.retrieve([tokens], k=k, show_progress=False)
