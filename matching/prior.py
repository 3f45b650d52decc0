"""The prior re-ranker: an order learned from labelled needs, applied to the engine's best firms for a need text.

The engine's evidence (graph, text, co-occurrence, industry, 匹配度) says well what a firm makes, and how close
that is to what the reading found; it weighs badly what the reading cannot decide: whether a broad business
line (变电站类) covers the items a need names (主变压器、GIS、SVG), whether a firm that lists several of the named
items beats one that lists one, how much a product list resembles the words of the text. Gradient-boosted
regression trees (scikit-learn's ``GradientBoostingRegressor``, fitted by ``bench/fit_prior.py`` on the B4
development sets' needs, whose relevance grades the data give) weigh these from generic features only: no
product, word or firm is a feature, so what it learned carries to products it never saw. The blind B4 sets,
never used in fitting, are how it is judged (docs/benchmarks.md).

The trees are stored as plain arrays in ``matching/data/prior.json`` (reviewable, no pickle, no scikit-learn
at query time) and evaluated with numpy; :data:`FEATURES` names what each column means.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from matching.analyzer import normalize
from matching.scale import BANDS

if TYPE_CHECKING:
    from matching.index import MatchIndex
    from matching.understanding import Understanding

__all__ = ["FEATURES", "BigramSpace", "Trees", "default_prior", "prior_applies", "prior_features", "prior_order",
           "prior_space"]

FEATURES = (
    "position",  # 1 / log2(rank + 2) in the engine's order
    "match",  # 匹配度 / 100
    "graph", "text", "cooccurrence", "industry",  # the engine's evidence, relative within the need
    "competitor", "rival",  # flags the engine set
    "covered_share", "covered",  # wanted mentions whose products (or their synonyms, kinds) the firm lists
    "aside", "own",  # the firm lists a modifier or purpose product; one of the poster's own products
    "n_products",  # log(1 + products listed): a broad business line is listed by firms of many products
    "wanted_share",  # the highest revenue share among the wanted products the firm lists
    "n_wanted",  # wanted mentions of the reading
    "bigram_cos", "bigram_cos_rel", "bigram_cos_product",  # product names against the text (see BigramSpace)
    "kind_covered",  # wanted mentions a class of which (by the kinds list: 动力煤 → 煤炭) the firm lists
)
_DATA = Path(__file__).with_name("data") / "prior.json"
# the floor of the scale's "makes a wanted product" bands, as the feature holds 匹配度 (over 100)
_MAKES = next(floor for floor, level, _ in BANDS if level == "makes") / 100.0
_SPACE = re.compile(r"\s+")
_SPACE_NO_LINE = re.compile(r"[^\S\n]+")
# kept between queries: firms' product-name vectors (1.7 KB a firm on the shared data), and each product name's
# vector, which firms share (0.4 KB a name; a firm made of cached names costs a fifth of one made from the text)
_FIRM_CACHE = 10_000
_NAME_CACHE = 50_000


def _codes(s: str) -> np.ndarray:
    """Each character bigram of ``s`` as one number: the two code points (each below 2^21) side by side."""
    points = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    return (points[:-1] << 21) | points[1:]


class BigramSpace:
    """Character bigrams weighted by their rarity among the chain graph's product names (IDF), the space in
    which a firm's product names are compared with a need text; the graph never changes under a fitted index,
    so neither does the space.

    A bigram is a number (:func:`_codes`) and its column the position of that number in a sorted array: 1.5 MB on
    the shared data's 95,560 names, where a dictionary of bigram strings took 14 MB."""

    def __init__(self, names: Sequence[str]) -> None:
        # every name at once: one normalisation, the bigrams of the whole text, those across a line break dropped,
        # each counted once per name
        joined = _SPACE_NO_LINE.sub("", normalize("\n".join(names)))
        codes = _codes(joined)
        breaks = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32) == ord("\n")
        name_of = np.cumsum(breaks)[:-1]
        inside = ~(breaks[:-1] | breaks[1:])
        pairs = np.unique((name_of[inside].astype(np.int64) << 42) | codes[inside])
        self.codes, df = np.unique(pairs & ((1 << 42) - 1), return_counts=True)
        n = len(names)
        self.idf = np.log((n + 1) / (df + 1.0)) + 1.0
        self._firms: dict[int, _Firm] = {}
        self._names: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def name_vector(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`vector` of a product name, cached."""
        hit = self._names.get(name)
        if hit is None:
            if len(self._names) >= _NAME_CACHE:
                self._names.clear()
            hit = self._names[name] = self.vector(name)
        return hit

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Known bigrams of ``text`` and their unit-length weights, (1 + log tf) · idf."""
        codes = _codes(_SPACE.sub("", normalize(text)))
        at = np.searchsorted(self.codes, codes)
        known = at < len(self.codes)
        known[known] = self.codes[at[known]] == codes[known]
        cols, tf = np.unique(at[known], return_counts=True)
        if not len(cols):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        vals = (1.0 + np.log(tf)) * self.idf[cols]
        return cols, vals / np.linalg.norm(vals)

    def firm(self, eid: int, products: tuple[tuple[str, float], ...]) -> _Firm:
        """A firm's product-name vectors and what the features read of its products, cached while its products
        are the same (compared by value: a snapshot's records are rebuilt at each reading, and an update may
        change them)."""
        hit = self._firms.get(eid)
        if hit is not None and hit.products == products:
            return hit
        shares = {p: s for p, s in products}
        # a product with no known bigram has no vector
        parts = [part for part in map(self.name_vector, shares) if len(part[0])]
        cols = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
        vals = np.concatenate([v for _, v in parts]) if parts else np.zeros(0)
        # the firm's vector is the sum of its unit product vectors: its norm, by summing weights per column
        summed = np.bincount(np.unique(cols, return_inverse=True)[1], weights=vals) if parts else vals
        firm = _Firm(products, cols, vals, np.array([len(c) for c, _ in parts], dtype=np.int64),
                     float(np.sqrt(summed @ summed)), shares)
        if len(self._firms) >= _FIRM_CACHE:
            self._firms.clear()
        self._firms[eid] = firm
        return firm


class _Firm(NamedTuple):
    products: tuple[tuple[str, float], ...]
    cols: np.ndarray  # bigram columns of its product names, product after product
    vals: np.ndarray
    lengths: np.ndarray  # how many of them each product has
    norm: float
    shares: dict[str, float]


def prior_space(index: MatchIndex) -> BigramSpace:
    """The index's bigram space (``MatchIndex.prior_space_``): made with its language when the prior is on, else
    at the first use; a new language (a changed graph) resets it."""
    if index.prior_space_ is None:
        index.prior_space_ = BigramSpace(index.graph_.names_)
    return index.prior_space_


def _similarities(q: np.ndarray, firms: Sequence[_Firm]) -> tuple[np.ndarray, np.ndarray]:
    """Per firm, the cosine of the text with all its product names together, and the best with one of them."""
    n = len(firms)
    if not n:
        return np.zeros(0), np.zeros(0)
    per = q[np.concatenate([f.cols for f in firms])] * np.concatenate([f.vals for f in firms])
    lengths = np.concatenate([f.lengths for f in firms])
    per_product = np.bincount(np.repeat(np.arange(len(lengths)), lengths), weights=per, minlength=len(lengths))
    products = np.array([len(f.lengths) for f in firms])
    owner = np.repeat(np.arange(n), products)
    dots = np.bincount(owner, weights=per_product, minlength=n)
    best = np.zeros(n)
    np.maximum.at(best, owner, per_product)
    norms = np.array([f.norm for f in firms])
    return np.divide(dots, norms, out=np.zeros(n), where=norms > 0), best


def prior_features(
    index: MatchIndex, u: Understanding, text: str, eids: Sequence[int],
    columns: Mapping[str, Sequence[float] | np.ndarray], match: Sequence[int], competitor: Sequence[bool] | np.ndarray,
    rival: Sequence[bool],
) -> np.ndarray:
    """One row of :data:`FEATURES` per firm of ``eids`` (in the engine's order); ``columns`` holds the engine's
    relative evidence per firm (``graph``, ``text``, ``cooccurrence``, ``industry``), rounded as explanations
    give it, so the features of a ranked answer and of its explanations agree."""
    space = prior_space(index)
    # the poster's own products and what the goods are for are named in the text too: a firm listing them would
    # look like the text without being what is sought
    for m in (*u.own, *u.purposes):
        text = text.replace(m.words, " ")
    qc, qv = space.vector(text)
    q = np.zeros(len(space.idf))
    q[qc] = qv
    wanted = [{*m.nodes, *m.synonyms, *m.broader} for m in u.wanted]
    aside = {n for m in (*u.modifiers, *u.purposes) for n in (*m.nodes, *m.synonyms)}
    own = {n for m in u.own for n in (*m.nodes, *m.synonyms)}
    names = index.graph_.names_
    kinds = [{names[k] for k in index.kinds_of(m)} for m in u.wanted]
    firms = [space.firm(eid, index.products_of(eid)) for eid in eids]
    n = len(firms)
    out = np.zeros((n, len(FEATURES)))
    col = {f: i for i, f in enumerate(FEATURES)}
    out[:, col["position"]] = 1.0 / np.log2(np.arange(n) + 2.0)
    out[:, col["match"]] = np.asarray(match, dtype=np.float64) / 100.0
    for c in ("graph", "text", "cooccurrence", "industry"):
        if c in columns:
            out[:, col[c]] = np.round(np.asarray(columns[c], dtype=np.float64), 4)
    out[:, col["competitor"]] = np.asarray(competitor, dtype=bool)
    out[:, col["rival"]] = np.asarray(rival, dtype=bool)
    any_wanted = set().union(*wanted)
    for k, f in enumerate(firms):
        listed = f.shares.keys()
        out[k, col["n_products"]] = math.log1p(len(listed))
        out[k, col["aside"]] = not aside.isdisjoint(listed)
        out[k, col["own"]] = not own.isdisjoint(listed)
        out[k, col["kind_covered"]] = sum(not kd.isdisjoint(listed) for kd in kinds)
        hits = any_wanted & listed
        if hits:
            covered = sum(not w.isdisjoint(hits) for w in wanted)
            out[k, col["covered_share"]] = covered / len(wanted)
            out[k, col["covered"]] = covered
            out[k, col["wanted_share"]] = max(f.shares[p] or 0.0 for p in hits)
    out[:, col["n_wanted"]] = len(wanted)
    cos, best = _similarities(q, firms)
    out[:, col["bigram_cos"]] = cos
    out[:, col["bigram_cos_product"]] = best
    top = cos.max() if n else 0.0
    if top > 0:
        out[:, col["bigram_cos_rel"]] = cos / top
    return out


def prior_applies(u: Understanding) -> bool:
    """Whether the reading holds something for the trees to weigh: several wanted products, or one linked by
    an alias or loosely, or words set aside or left in context beside it. A text that names one product exactly
    and nothing else (采购FPC, 需要截止阀) is a product lookup, which the engine's order (makers by revenue share,
    then firms with hidden capability) answers as asked; the trees were learned from sentences, and on lookups
    they cost B1 (0.994 -> 0.953) and B3's MRR (0.087 -> 0.068). A reading that found nothing leaves nothing to
    weigh either."""
    if not u.wanted:
        return False
    return (len(u.wanted) > 1 or u.wanted[0].how != "exact"
            or bool(u.modifiers or u.purposes or u.own or u.context))


def prior_order(scores: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Positions of the rows of ``X`` (the engine's order) in the order the trees' ``scores`` give, within two
    limits the engine sets: a firm making what the reading found wanted (匹配度 ≥ 65) stays above one that does
    not, so the scale's meaning holds in the order and a poster who corrects the reading sees the correction's
    makers first; a rival (it makes the poster's own products, by the reading) keeps the engine's place, and the
    others are reordered around it. Ties keep the engine's order."""
    n = len(scores)
    makes = X[:, FEATURES.index("match")] >= _MAKES - 1e-9
    order = np.lexsort((np.arange(n), -scores, ~makes))
    fixed = X[:, FEATURES.index("rival")] > 0
    placed = np.arange(n)
    placed[~fixed] = order[~fixed[order]]
    return placed


@dataclass(frozen=True)
class Trees:
    """An additive ensemble of binary regression trees: ``base`` plus, per tree, the value of the leaf a row
    reaches (already scaled by the learning rate). A row goes left where ``x[feature] <= threshold``, its
    features compared as float32, as scikit-learn does.

    Each tree is held complete to ``depth`` (``2^depth - 1`` splits, ``2^depth`` leaves, heap order): a leaf
    met higher up becomes splits that always go left, over copies of its value, so that every row takes
    ``depth`` steps and all rows and trees step at once.
    """

    features: tuple[str, ...]
    base: float
    feature: np.ndarray  # (trees, splits)
    threshold: np.ndarray  # (trees, splits)
    value: np.ndarray  # (trees, leaves)
    depth: int
    meta: dict

    @classmethod
    def from_dict(cls, d: dict) -> Trees:
        """From the nodes as scikit-learn numbers them (``feature``, ``threshold``, ``left``, ``right``,
        ``value`` per tree; a leaf has ``left`` -1), as bench/fit_prior.py writes them."""
        depth = int(d["depth"])
        splits, leaves = 2**depth - 1, 2**depth
        feature = np.zeros((len(d["trees"]), splits), dtype=np.int64)
        threshold = np.full((len(d["trees"]), splits), np.inf)
        value = np.zeros((len(d["trees"]), leaves))
        for t, tree in enumerate(d["trees"]):
            stack = [(0, 0, 0)]  # (node as written, heap position, level)
            while stack:
                node, pos, level = stack.pop()
                if level == depth:
                    if tree["left"][node] != -1:
                        raise ValueError(f"tree {t} is deeper than {depth}")
                    value[t, pos - splits] = tree["value"][node]
                    continue
                leaf = tree["left"][node] == -1
                if not leaf:
                    feature[t, pos], threshold[t, pos] = tree["feature"][node], tree["threshold"][node]
                stack += [(node if leaf else tree["left"][node], 2 * pos + 1, level + 1),
                          (node if leaf else tree["right"][node], 2 * pos + 2, level + 1)]
        return cls(tuple(d["features"]), float(d["base"]), feature, threshold, value, depth, dict(d.get("meta", {})))

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32).astype(np.float64)
        right = X[:, self.feature] > self.threshold  # (rows, trees, splits): every split's answer at once
        node = np.zeros((X.shape[0], self.feature.shape[0], 1), dtype=np.int64)
        for _ in range(self.depth):
            node = 2 * node + 1 + np.take_along_axis(right, node, axis=2)
        leaf = node[:, :, 0] - self.feature.shape[1]
        return self.base + self.value[np.arange(self.value.shape[0])[None, :], leaf].sum(axis=1)


@lru_cache(maxsize=1)
def default_prior() -> Trees | None:
    """The trees shipped with the engine, or None when the file is absent (the engine's order is kept)."""
    if not _DATA.exists():
        return None
    trees = Trees.from_dict(json.loads(_DATA.read_text(encoding="utf-8")))
    if trees.features != FEATURES:
        raise ValueError(f"{_DATA} was fitted on other features; refit it with bench/fit_prior.py")
    return trees
