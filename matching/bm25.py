"""BM25 ("Lucene" variant, as bm25s computes it by default), split into a document part fixed at index
time and an idf applied at query time, so document frequencies can change with each update."""

from __future__ import annotations

import numpy as np

__all__ = ["bm25_idf", "bm25_tf"]


def bm25_tf(
    tf: np.ndarray, doc_len: float | np.ndarray, avg_len: float, k1: float = 1.2, b: float = 0.75
) -> np.ndarray:
    """Saturated term frequency ``tf / (tf + k1·(1 − b + b·|d|/avgdl))``; ``doc_len`` per term or one."""
    tf = np.asarray(tf, dtype=np.float64)
    return tf / (tf + k1 * (1.0 - b + b * doc_len / max(avg_len, 1e-9)))


def bm25_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """Lucene idf ``ln(1 + (N − df + 0.5)/(df + 0.5))``: never negative, even for very common terms."""
    df = np.asarray(df, dtype=np.float64)
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))
