"""Industry evidence on a hand-checkable example.

Three makers of 锂电池 (same revenue share, so the same evidence w each): 1 and 2 in industry A11,
3 in A12; both under A1. Non-makers: 4 in A11, 5 in A12, 6 in B11, 7 with no industry.
Live sizes: A11 = 3, A12 = 2, A1 = 5. With smoothing 1 and parent weight 0.3:
    A11 = 2w / (3 + 1) = 0.5w,  A12 = w / (2 + 1) = w/3,  A1 = 3w / (5 + 1) = 0.5w
    firm in A11: 0.5w + 0.3 · 0.5w = 0.65w;  firm in A12: w/3 + 0.15w ≈ 0.4833w;  B11, none: 0.
"""

import numpy as np
import pytest

from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank
from matching.cooccur import makers
from matching.industry import industry_evidence
from matching.sparse import values_at

CFG = MatchConfig(w_cooc=0.0, w_feedback=0.0, w_industry=0.2, industry_parent=0.3, industry_smoothing=1.0)


def rec(i: int, products: tuple[tuple[str, float], ...], industry: str) -> EnterpriseRecord:
    return EnterpriseRecord(i, f"{i:06d}", f"企业{i}", "sme", "none", "", products=products, industry=industry)


BATTERY = (("锂电池", 0.25),)
OTHER = (("出境旅游", 0.5),)


@pytest.fixture()
def idx(graph):
    recs = [
        rec(1, BATTERY, "A/A1/A11"), rec(2, BATTERY, "A/A1/A11"), rec(3, BATTERY, "A/A1/A12"),
        rec(4, OTHER, "A/A1/A11"), rec(5, OTHER, "A/A1/A12"), rec(6, OTHER, "B/B1/B11"), rec(7, OTHER, ""),
    ]
    return MatchIndex(CFG).fit(graph, recs)


def evidence(idx: MatchIndex) -> dict[int, float]:
    g = idx.nodes_.column_vector(np.array([idx.graph_.lookup("锂电池")]), np.ones(1))
    slots, w = makers(idx, g)
    ind, _ = industry_evidence(idx, slots, w)
    slots = np.array(sorted(idx.slot_of_.values()))
    at = dict(zip(slots.tolist(), values_at(ind, slots).tolist(), strict=True))
    return {eid: at[slot] for eid, slot in idx.slot_of_.items()}


def test_industry_evidence_by_hand(idx):
    w = idx.revenue_factor(0.25)
    ev = evidence(idx)
    assert ev[4] == pytest.approx(0.65 * w) and ev[1] == pytest.approx(0.65 * w)
    assert ev[5] == pytest.approx((1 / 3 + 0.15) * w) and ev[3] == pytest.approx(ev[5])
    assert ev[6] == 0.0 and ev[7] == 0.0


def test_industry_orders_non_makers_below_makers_and_explains(idx):
    res = rank(idx, MatchQuery(nodes=("锂电池",)))
    got = [r.enterprise_id for r in res]
    assert got[:3] in ([1, 2, 3], [2, 1, 3])  # industry breaks the tie between equal makers, never lifts
    assert got[3:] == [4, 5]  # no evidence but the industry: A11 (denser in makers) before A12; 6, 7 absent
    four = res[3]
    assert four.score == pytest.approx(CFG.w_industry)  # relative industry evidence 1.0
    assert four.explanation["scores"]["industry"] == pytest.approx(1.0)
    assert four.explanation["industry"] == "与2家锂电池生产企业同属一个行业"
    assert four.explanation["summary"] == four.explanation["industry"]
    five = res[4].explanation
    assert five["scores"]["industry"] == pytest.approx((1 / 3 + 0.15) / 0.65, abs=1e-4)
    assert five["industry"] == "与1家锂电池生产企业同属一个行业"
    assert "industry" not in res[0].explanation or res[0].explanation["graph_paths"]


def test_industry_is_kept_current_by_upsert_and_remove(idx):
    idx.remove(4)  # A11 now holds only makers: 2w / (2 + 1)
    w = idx.revenue_factor(0.25)
    assert evidence(idx)[1] == pytest.approx((2 / 3 + 0.3 * 3 / 5) * w)
    idx.upsert(rec(8, OTHER, "A/A1/A13"))  # a new industry column: only parent evidence
    idx.upsert(rec(6, OTHER, "A/A1/A11"))  # moved from B11: A11 = {1, 2, 6}, A1 = {1, 2, 3, 5, 6, 8}
    ev = evidence(idx)
    assert ev[8] == pytest.approx(0.3 * 3 / 7 * w)
    assert ev[6] == pytest.approx((2 / 4 + 0.3 * 3 / 7) * w)
    assert [r.enterprise_id for r in rank(idx, MatchQuery(nodes=("锂电池",)))][3:] == [6, 5, 8]


def test_bare_code_and_no_industry(graph):
    recs = [rec(1, BATTERY, "A11"), rec(2, OTHER, "A11"), rec(3, OTHER, "")]
    idx = MatchIndex(CFG).fit(graph, recs)
    res = rank(idx, MatchQuery(nodes=("锂电池",)))
    assert [r.enterprise_id for r in res] == [1, 2]
    plain = MatchIndex(CFG).fit(graph, [rec(1, BATTERY, ""), rec(2, OTHER, "")])
    res = rank(plain, MatchQuery(nodes=("锂电池",)))
    assert [r.enterprise_id for r in res] == [1] and res[0].explanation["scores"]["industry"] == 0.0
    assert "industry" not in res[0].explanation


def test_upstream_scope_uses_no_industry(idx):
    res = rank(idx, MatchQuery(nodes=("锂电池",), scope="upstream"))
    assert all(r.enterprise_id in (1, 2, 3) for r in res)  # only the penalised competitors, if anything
    assert all("industry" not in r.explanation["scores"] for r in res)
