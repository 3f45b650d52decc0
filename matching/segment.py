"""jieba's accurate cut without the HMM, of one run of Chinese, Latin and digits, in one pass.

jieba (0.42) cuts such a run by building a dict of every dictionary word starting at each character (``get_DAG``),
then the best route from the end by ``max`` over a generator of tuples (``calc``), then yields the words from a
generator. Reading an unseen need spends a quarter of its time there. This does the same sums in the same order
and breaks ties as ``max`` over ``(log-probability, end)`` does (the later end), in one backward pass with
lists, so the words are the same, token for token (tests/matching/test_remembered_cuts.py compares them with
jieba's own cut on every benchmark text).
"""

from __future__ import annotations

from math import log

from jieba import re_eng

__all__ = ["cut_run"]


def cut_run(freq: dict[str, int], total: int, run: str) -> tuple[str, ...]:
    """The words of ``run`` (one match of ``jieba.re_han_default``) as ``Tokenizer.cut(run, HMM=False)`` gives
    them, for a tokenizer whose dictionary is ``freq`` (a word's prefixes present with 0) totalling ``total``."""
    n = len(run)
    log_total = log(total)
    score = [0.0] * (n + 1)
    end = [0] * (n + 1)
    for k in range(n - 1, -1, -1):
        best, best_end = 0.0, -1
        i, frag = k, run[k]
        while i < n and frag in freq:
            f = freq[frag]
            if f:
                s = log(f) - log_total + score[i + 1]
                if best_end < 0 or s >= best:  # a tie goes to the later end, as max over (s, end) does
                    best, best_end = s, i
            i += 1
            frag = run[k:i + 1]
        if best_end < 0:  # no word starts here: the character alone, weighing log(1)
            best, best_end = log(freq.get(run[k]) or 1) - log_total + score[k + 1], k
        score[k], end[k] = best, best_end
    words: list[str] = []
    buf = ""
    x = 0
    while x < n:
        y = end[x] + 1
        word = run[x:y]
        if len(word) == 1 and re_eng.match(word):  # single Latin letters and digits go out joined
            buf += word
        else:
            if buf:
                words.append(buf)
                buf = ""
            words.append(word)
        x = y
    if buf:
        words.append(buf)
    return tuple(words)
