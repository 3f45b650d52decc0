"""The analyzer's remembered cuts are jieba's own, token for token, and the reading made with them is the same.

``ChineseAnalyzer.cut`` remembers the cut of each run of Chinese, Latin and digits across texts (issue #15: the
reader of an unseen need cuts its text twice, the match route of a need with nodes twice more). Remembering is
right only if it changes nothing: every text below is cut both ways, also after the dictionary changed, and the
needs of the shared benchmark sets are read and ranked with jieba's own cut in place of the remembered one.
"""

import json
import os
from pathlib import Path

import pytest

from bench.quality_data import load
from matching import ChineseAnalyzer, MatchIndex, MatchQuery, NeedReader, NodeLinker, rank
from matching.analyzer import normalize

SHARED = Path(os.environ.get("CHAINMATCH_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
DATA, BENCH = SHARED / "data" / "chainkg", SHARED / "bench"
REPO_BENCH = Path(__file__).resolve().parents[2] / "bench"
# development sets only: bench/b4_fresh6_needs.jsonl is a blind test set and is never read here
FRESH = ("b4_fresh_needs", "b4_fresh2_needs", "b4_fresh3_needs", "b4_fresh4_needs", "b4_fresh5_needs")

ODD = [
    "", " ", "\n\n", "采购", "a", "LED灯 2000W，\r\n需要\t变压器", "需求如下：\n1、镀锌钢管\n2、变压器（10kV）",
    "【采购公告】IATF16949认证，99.5%碳酸锂≥500吨，交付至济南", "用于SMT贴片的0402电阻；另外：锂电池-隔膜/电解液",
    "型号ABC-123_x.y#z&w%，规格：φ20×3mm", "全角：ＡＢＣ１２３，半角abc123", "emoji 🙂 与 ①② 编号",
]


def jieba_cut(analyzer: ChineseAnalyzer, text: str) -> list[str]:
    return list(analyzer.tokenizer_.cut(text, HMM=False))


def needs_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in (BENCH / "queries.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    texts += [json.loads(line)["text"] for line in (BENCH / "realistic_needs.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    for name in FRESH:
        path = REPO_BENCH / f"{name}.jsonl"
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()
                      if line.strip()]
    return texts


def test_cut_is_jiebas_and_follows_dictionary_changes(graph):
    analyzer = ChineseAnalyzer().fit(graph.surface_forms())
    texts = [normalize(t) for t in ODD] + ODD
    for t in texts * 2:  # the second time from what was remembered
        assert analyzer.cut(t) == jieba_cut(analyzer, t)
    before = analyzer.cut("采购奇异新材料甲")
    analyzer.add_word("奇异新材料甲")
    assert analyzer.cut("采购奇异新材料甲") == jieba_cut(analyzer, "采购奇异新材料甲") != before
    analyzer.remove_word("奇异新材料甲")
    assert analyzer.cut("采购奇异新材料甲") == jieba_cut(analyzer, "采购奇异新材料甲") == before
    for form in ("三相智能电能表", "铝电解电容器", "led灯"):
        assert analyzer.general_cut(form) == [w for w in analyzer._general.cut(form, HMM=False) if w]


@pytest.mark.skipif(not (DATA.is_dir() and (BENCH / "queries.jsonl").exists()),
                    reason="shared chainkg data not found (set CHAINMATCH_SHARED)")
def test_readings_and_rankings_with_remembered_cuts_are_jiebas(monkeypatch):
    _, graph, firms = load(DATA)
    texts = needs_texts()
    analyzer = ChineseAnalyzer().fit(graph.surface_forms())
    for t in texts:
        assert analyzer.cut(normalize(t)) == jieba_cut(analyzer, normalize(t))

    remembered = NeedReader().fit(NodeLinker().fit(graph, analyzer), graph)
    own_analyzer = ChineseAnalyzer().fit(graph.surface_forms())
    monkeypatch.setattr(own_analyzer, "cut", lambda text: jieba_cut(own_analyzer, text))
    monkeypatch.setattr(own_analyzer, "general_cut",
                        lambda text: [w for w in own_analyzer._general.cut(text, HMM=False) if w])
    jiebas = NeedReader().fit(NodeLinker().fit(graph, own_analyzer), graph)
    for t in texts:
        assert remembered.read(t) == jiebas.read(t), t

    index = MatchIndex().fit(graph, firms[:4000])
    queries = [MatchQuery(text=t, limit=10) for t in texts[::7]]
    queries += [MatchQuery(text=t, scope="upstream", limit=10) for t in texts[3::29]]
    answers = [[(r.enterprise_id, r.score, r.match, r.explanation) for r in rank(index, q)] for q in queries]
    index._understand.cache_clear()
    index._link_need.cache_clear()
    monkeypatch.setattr(index.analyzer_, "cut", lambda text: jieba_cut(index.analyzer_, text))
    again = [[(r.enterprise_id, r.score, r.match, r.explanation) for r in rank(index, q)] for q in queries]
    assert again == answers
