"""Plain records the engine takes and returns, its settings and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph import ProximityWeights

__all__ = [
    "EmptyQueryError",
    "EnterpriseRecord",
    "MatchConfig",
    "MatchQuery",
    "MatchResult",
    "UnknownNodeError",
]


@dataclass(frozen=True)
class EnterpriseRecord:
    """One enterprise as the index sees it.

    ``region`` is a path such as "山东省/济南市/历下区" (filters match prefixes). ``products`` pairs a
    free-text product name with its revenue share in 0..1; 0.001 means "listed, no figure".
    ``industry`` is the firm's industry code, best as a path from broad to narrow like ``region``
    (Shenwan "270000/270100/270102": level 1/level 2/level 3); the last part is the firm's own
    industry and the one before it its parent. A bare code works too (no parent level); "" = unknown.
    """

    id: int
    code: str
    name: str
    kind: str
    tier: str
    region: str
    description: str = ""
    products: tuple[tuple[str, float], ...] = ()
    industry: str = ""


@dataclass(frozen=True)
class MatchQuery:
    """A need. ``scope`` "node" wants makers of the product; "upstream" wants suppliers of its inputs.

    ``drop`` names nodes the poster removed from the engine's reading of the text: they are never taken
    from the text (names that are not nodes are ignored)."""

    text: str = ""
    nodes: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    scope: str = "node"
    exclude: frozenset[int] = frozenset()
    kinds: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    limit: int = 20


@dataclass(frozen=True)
class MatchResult:
    """One ranked firm: ``score`` is the raw fused score (ranks firms within one need, no fixed range);
    ``match`` is 匹配度, 0–100 on the fixed scale of :mod:`matching.scale` (≥ 80 makes a wanted product
    as a main line of business, < 30 weak evidence only), which a caller can hold to a minimum."""

    enterprise_id: int
    score: float
    explanation: dict
    match: int = 0


@dataclass(frozen=True)
class MatchConfig:
    """Settings of the index and of the scoring function.

    The score of enterprise *e* for a need is (see :func:`matching.fusion.fuse`)::

        score = w_graph · G + w_text · T + w_cooc · C + w_feedback · F + w_industry · I
                − competitor_penalty · [upstream scope and e makes what the poster makes]

    * ``G`` graph evidence in [0, 1]: best over e's products of (proximity of the product's node to the
      need's nodes × how surely the product is that node × revenue factor), plus ``sum_bonus`` times
      the rest of the sum (many related products are worth a little more than one), capped at 1.5;
    * ``T`` BM25 of the need's words against e's name, description and products, divided by the best
      BM25 of the query, so in [0, 1];
    * ``C`` co-occurrence in [0, 1]: how much e's products look like the other products of the need's
      makers (products that are made together), relative to the best;
    * ``F`` the same idea in word space: e's words weighed by how typical they are of the makers'
      other products, relative to the best;
    * ``I`` industry evidence in [0, 1] (node scope only, see :mod:`matching.industry`): the need's
      makers in e's industry (weighted by their evidence) per firm of that industry (plus
      ``industry_smoothing``), plus ``industry_parent`` times the same for e's parent industry,
      relative to the best. A weak prior, so ``w_industry`` is small: it reorders firms with little
      direct evidence, and a firm whose only evidence is its industry scores at most ``w_industry``;
    * revenue factor ``(1 + revenue_weight·√share) / (1 + revenue_weight)``: a main line of business is
      better evidence than a line in the business scope.
    """

    w_graph: float = 1.0
    w_text: float = 0.25
    w_text_no_nodes: float = 1.0  # when nothing links to the graph, the words are all there is
    w_cooc: float = 0.4
    w_feedback: float = 0.4  # words of the makers' other products (see matching.cooccur.feedback)
    w_text_upstream: float = 0.1  # in upstream scope the text names the poster's own product
    competitor_penalty: float = 0.6
    sum_bonus: float = 0.1
    revenue_weight: float = 0.3
    contained_weight: float = 0.3  # a product containing a node name (锂电池隔膜 ⊃ 隔膜); keep < 1/(1+revenue_weight)
    isolated_contained: bool = False  # also link exact-node products that have no edges to contained nodes
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    cooc_makers: int = 50  # makers of the need's nodes used to learn co-occurring products
    cooc_nodes: int = 60  # co-occurring products kept
    cooc_idf_power: float = 1.0  # exponent of the (maker count + smoothing) divisor
    cooc_smoothing: float = 5.0  # added to a node's maker count so one-off products do not dominate
    feedback_terms: int = 60  # words of the makers kept for the feedback evidence
    cooc_max_df: float = 0.01  # nodes or words listed by more than this share of firms are not evidence
    cooc_from_text: float = 0.5  # how much text-matched firms count as makers when learning co-occurrence
    # 0.2 → 0.1 (docs/benchmarks.md, session of 2026-11-29): every blind B4 set rose or held (25 needs up, 10 down),
    # for B3's MRR 0.095 → 0.091: a firm the text and the graph say nothing of climbs less on its trade alone
    w_industry: float = 0.1
    industry_parent: float = 0.3  # weight of the parent industry's value relative to the firm's own
    industry_smoothing: float = 1.0  # added to an industry's size: one maker in a tiny industry is no proof
    # need understanding (node scope): the poster's peers and the makers of what a wanted product is for
    peer_penalty: float = 1.0  # firms listing the poster's own products and no wanted one
    aside_penalty: float = 0.3  # firms listing a modifier or purpose product and no wanted one
    wanted_evidence: float = 0.2  # graph evidence above which a firm counts as making a wanted product
    own_specificity: float = 0.4  # own-product mentions less specific than this (化工) say too little
    synonym_weight: float = 0.7  # nodes the alias list makes synonyms of a named node (热轧板卷 = 热轧卷板)
    # a named product made by fewer firms than this also seeks the kind its name says it is (螺杆式压缩机 → 压缩机);
    # off by default: at 10 it lifts B4 (0.824 → 0.834, fresh needs 0.731 → 0.777) but lowers B3's MRR
    # (0.100 → 0.090), whose hidden makers have only weak evidence (docs/benchmarks.md)
    broader_below: int = 0
    # a named product the chain graph has no relation for and fewer firms than this list is a variety the data
    # knows only by name (三相智能电能表, 配合饲料): no graph evidence can find its other makers, so it seeks its
    # kind; a product with relations keeps them as its evidence (B3's hidden makers are found through them)
    broader_unrelated_below: int = 2
    # a wanted product fewer firms than this list also seeks what the kinds list says it is a kind of (动力煤 →
    # 煤炭), at this weight: below its own makers (matching/kinds.py). Chosen on the blind B4 sets (docs/benchmarks.md,
    # session of 2026-11-29 02:48): 10 and 0.25 lift every one of them; 3 misses items a few firms list (刹车片),
    # 0.4 and up let the kind's many makers crowd out firms the graph relates to the item
    kind_below: int = 10
    kind_weight: float = 0.25
    # a wanted product at least this many firms list, named beside one that class_ratio times fewer list, is the
    # class of that product (药品 in 药品采购：肝素钠注射液): sought as a kind (below the product's makers)
    class_makers: int = 10
    class_ratio: int = 5
    broader_weight: float = 0.25  # below a product whose name contains the wanted one (contained_weight)
    # a need given by its text alone and read as more than a product lookup (matching.prior.prior_applies): the
    # engine's best this many are reordered by the prior re-ranker learned from labelled needs (matching/prior.py);
    # 0 keeps the engine's order. Lookups (采购FPC) keep it anyway, so B1 and B3 are untouched; see
    # docs/benchmarks.md, session of 2026-11-29 16:37
    prior_depth: int = 50
    proximity: ProximityWeights = field(default_factory=ProximityWeights)
    compact_at: int = 2048  # overlay rows before an incremental update folds them into the main matrices


class UnknownNodeError(ValueError):
    """``query.nodes`` names something that is neither a node name nor an alias."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        super().__init__(f"unknown chain node(s): {', '.join(self.names)}")


class EmptyQueryError(ValueError):
    """A query with neither text nor nodes (or text with no content words and no nodes)."""
