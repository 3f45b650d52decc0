"""Which parts of a joined text contain a substring, from posting lists of characters and character pairs.

The directory (directory.py) keeps every firm's names in one string, and the distinct product names in another,
parts separated by a character no query holds. Scanning the string with ``str.find`` costs the length of the
string for every query (~2.9 M characters at 100,000 firms: 3 ms a search, most of the directory's time), however
few firms match. Here each character and each pair of adjacent characters lists the parts it occurs in: a query of
one or two characters reads its list; a longer one intersects the lists of its pairs (the shortest first) and
checks the few parts left with ``in``. Answers are the same as scanning (tests/app/enterprises/test_directory.py).

Arrays only (no dict of pairs: half a million keys would cost more memory than the lists): pair codes sorted,
with offsets into one array of part numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_SHIFT = np.uint64(21)  # a code point fits in 21 bits: a pair is (first << 21) | second


class Postings:
    """Parts of ``text`` holding each character and pair; ``starts[k]`` is where part k begins, ``starts[-1]``
    the end (as directory._joined makes them); ``separator`` ends every part and is in no query."""

    def __init__(self, text: str, starts: Sequence[int], separator: str) -> None:
        self.text, self.starts = text, starts
        chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        bounds = np.asarray(starts, dtype=np.int64)
        part = np.repeat(np.arange(len(starts) - 1, dtype=np.int64), bounds[1:] - bounds[:-1])
        keep = chars != ord(separator)
        self._one = _lists(chars[keep], part[keep], len(starts))
        pair_ok = keep[:-1] & keep[1:]
        pairs = (chars[:-1] << _SHIFT) | chars[1:]
        self._two = _lists(pairs[pair_ok], part[:-1][pair_ok], len(starts))

    def parts(self, needle: str) -> np.ndarray:
        """The numbers of the parts that contain ``needle`` (non-empty, no separator), ascending, each once."""
        codes = [ord(c) for c in needle]
        if len(codes) == 1:
            return _read(self._one, codes[0])
        lists = sorted((_read(self._two, (a << 21) | b) for a, b in zip(codes, codes[1:], strict=False)), key=len)
        found = lists[0]
        for other in lists[1:]:
            # a list far longer than the candidates costs more to intersect than checking them (股份 in 某某股份)
            if not len(found) or len(other) > 16 * len(found):
                break
            found = np.intersect1d(found, other, assume_unique=True)
        if len(codes) == 2 or not len(found):
            return found
        # every pair is there, but maybe not in this order: check the candidates themselves
        text, starts = self.text, self.starts
        return found[[needle in text[starts[k]:starts[k + 1]] for k in found.tolist()]]


def _lists(codes: np.ndarray, parts: np.ndarray, n_parts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct codes, offsets, part numbers): the parts of code ``keys[i]`` are ``parts[offsets[i]:offsets[i+1]]``,
    ascending and distinct."""
    # sort and drop repeats by hand: np.unique took 20x a plain sort on these keys (numpy 2)
    key = np.sort(codes * np.uint64(n_parts) + parts.astype(np.uint64))  # by code, then part
    key = key[np.r_[True, key[1:] != key[:-1]]]
    code_of, part_of = key // np.uint64(n_parts), (key % np.uint64(n_parts)).astype(np.int32)
    offsets = np.flatnonzero(np.r_[True, code_of[1:] != code_of[:-1]])
    return code_of[offsets], np.append(offsets, len(code_of)).astype(np.int64), part_of


def _read(lists: tuple[np.ndarray, np.ndarray, np.ndarray], code: int) -> np.ndarray:
    keys, offsets, parts = lists
    i = int(np.searchsorted(keys, np.uint64(code)))
    if i == len(keys) or int(keys[i]) != code:
        return parts[:0]
    return parts[offsets[i]:offsets[i + 1]]
