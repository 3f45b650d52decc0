"""Firms that also make the poster's own products (its rivals) come after the firms of the same 匹配度 band that do
not, and say so in their reasons; a firm making the wanted product as a main line keeps its place."""

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank


def _firm(i: int, *products: tuple[str, float]) -> EnterpriseRecord:
    return EnterpriseRecord(i, str(i), f"企业{i}", "sme", "none", "", products=products)


def _index(**config: int) -> MatchIndex:
    graph = ChainGraph.build([NodeSpec(n) for n in ("白卡纸", "化机浆", "面料")], [])
    firms = [
        _firm(1, ("化机浆", 0.06), ("面料", 0.9)),  # makes the pulp as a small line
        _firm(2, ("化机浆", 0.08), ("白卡纸", 0.9)),  # the same, and the poster's own board: a rival
        _firm(3, ("化机浆", 0.5), ("白卡纸", 0.5)),  # pulp as a main line, and the board
        _firm(4, ("白卡纸", 1.0)),
    ]
    return MatchIndex(MatchConfig(**config)).fit(graph, firms, aliases=[], kinds=())


def test_a_rival_comes_after_the_firms_of_its_band_that_are_not():
    idx = _index()
    res = rank(idx, MatchQuery(text="我司为白卡纸生产企业，长期采购化机浆", limit=10))
    ids = [r.enterprise_id for r in res]
    by_id = {r.enterprise_id: r for r in res}
    assert ids[0] == 3 and by_id[3].match >= 80 and by_id[3].explanation["rival"] is False  # main line: first
    # firm 2 lists more pulp than firm 1 (a higher raw score in the same band), but it also makes 白卡纸
    assert ids.index(1) < ids.index(2)
    assert by_id[2].explanation["rival"] is True and "需求方自身的产品" in by_id[2].explanation["rival_note"]
    # a buyer who names no product of its own sees the two small makers by the engine's evidence (the prior
    # re-ranker, tests/matching/test_prior.py, may then reorder them: neither is a rival)
    plain = _index(prior_depth=0)
    ids = [r.enterprise_id for r in rank(plain, MatchQuery(text="长期采购化机浆", limit=10))]
    assert ids.index(2) < ids.index(1)
