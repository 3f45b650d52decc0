"""A firm's product evidence (what explanations say it makes, and why) after index updates equals a fresh fit's,
whether the firm was explained before the update (its evidence cached) or not, fitted or mapped from a snapshot."""

import pytest

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchIndex, MatchQuery, rank
from matching.snapshot import load_index, save_index

GRAPH = ChainGraph.build([NodeSpec(n) for n in ("半导体器件", "热轧卷板", "热轧板卷", "钢材", "锂电池")], [])
FIRMS = [
    EnterpriseRecord(1, "1", "甲微电子", "sme", "none", "", products=(("半导体器件", 0.7), ("IGBT模块", 0.2))),
    EnterpriseRecord(2, "2", "乙钢铁", "sme", "none", "", products=(("热卷", 0.6), ("钢材", 0.1))),
    EnterpriseRecord(3, "3", "丙钢铁", "sme", "none", "", products=(("热轧卷板", 0.6), ("热卷", 0.3))),
    EnterpriseRecord(4, "4", "丁电池", "sme", "none", "", products=(("锂电池", 0.9),)),
]
ALIASES = [("IGBT", "半导体器件"), ("热卷", "热轧卷板"), ("热轧板卷", "热轧卷板")]
TEXTS = ("采购IGBT模块", "采购热卷", "求购热轧卷板500吨", "钢材", "锂电池")


def explained(index: MatchIndex) -> list[list[tuple[int, dict]]]:
    # the parts' scores of a firm read again are stored as an update stores them (float32): compared elsewhere
    return [[(r.enterprise_id, {k: v for k, v in r.explanation.items() if k != "scores"})
             for r in rank(index, MatchQuery(text=t))] for t in TEXTS]


def evidence(index: MatchIndex) -> dict[int, dict]:
    return {eid: index.product_evidence(eid) for eid in sorted(index.slot_of_)}


@pytest.fixture(params=["fitted", "mapped"])
def opened(request, tmp_path):
    def make(firms, aliases):
        index = MatchIndex().fit(GRAPH, firms, aliases=aliases)
        if request.param == "fitted":
            return index
        save_index(index, tmp_path / "snap")
        return load_index(tmp_path / "snap")
    return make


def test_evidence_after_an_alias_change_equals_a_fresh_fit(opened):
    index = opened(FIRMS, ALIASES[2:])
    evidence(index), explained(index)  # every firm's evidence cached under the old aliases
    index.set_aliases(ALIASES)
    fresh = MatchIndex().fit(GRAPH, FIRMS, aliases=ALIASES)
    assert evidence(index) == evidence(fresh)
    assert explained(index) == explained(fresh)
    index.set_aliases(ALIASES[2:])  # and back
    back = MatchIndex().fit(GRAPH, FIRMS, aliases=ALIASES[2:])
    assert evidence(index) == evidence(back)
    assert explained(index) == explained(back)


def test_evidence_after_upserts_and_a_removal_equals_a_fresh_fit(opened):
    index = opened(FIRMS, ALIASES)
    evidence(index), explained(index)
    changed = [EnterpriseRecord(2, "2", "乙钢铁", "sme", "none", "", products=(("钢材", 0.8), ("热卷", 0.05))),
               EnterpriseRecord(5, "5", "戊电子", "sme", "none", "", products=(("IGBT", 0.5), ("半导体器件", 0.5)))]
    for rec in changed:
        index.upsert(rec)
    index.remove(4)
    firms = [changed[0] if r.id == 2 else r for r in FIRMS if r.id != 4] + [changed[1]]
    fresh = MatchIndex().fit(GRAPH, firms, aliases=ALIASES)
    assert evidence(index) == evidence(fresh)
    assert explained(index) == explained(fresh)
