"""The kinds list: a wanted product few firms list also seeks what it is a kind of (动力煤 → 煤炭), below its makers."""

import pytest

from graph import ChainGraph, NodeSpec
from matching import EnterpriseRecord, MatchConfig, MatchIndex, MatchQuery, rank
from matching.aliases import AliasFileError, read_pairs
from matching.kinds import DEFAULT_KINDS, default_kinds, kind_map, read_kinds
from matching.snapshot import load_index, save_index

GRAPH = ChainGraph.build(
    [NodeSpec(n) for n in ("动力煤", "煤炭", "焦炭", "铜排", "铜材", "电缆", "汽车", "螺纹钢")],
    [("煤炭", "焦炭", "input"), ("铜材", "电缆", "input")],
)
KINDS = [("动力煤", "煤炭"), ("铜排", "铜材"), ("螺纹钢", "钢材")]  # 钢材 is no node here: left out


def _firm(i: int, *products: str) -> EnterpriseRecord:
    return EnterpriseRecord(i, str(i), f"企业{i}", "sme", "none", "", products=tuple((p, 0.6) for p in products))


FIRMS = [_firm(1, "动力煤"), _firm(2, "煤炭"), _firm(3, "煤炭", "焦炭"), _firm(4, "焦炭"), _firm(5, "汽车"),
         _firm(6, "铜材"), _firm(7, "电缆")]


def _ranked(idx: MatchIndex, text: str) -> list[tuple[int, int]]:
    return [(r.enterprise_id, r.match) for r in rank(idx, MatchQuery(text=text, limit=10))]


def test_a_product_few_firms_list_brings_the_firms_listing_its_kind_after_its_makers():
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=(), kinds=KINDS)
    got = _ranked(idx, "电厂采购动力煤5万吨")
    ids = [i for i, _ in got]
    assert ids[0] == 1  # its one maker first
    assert set(ids[1:3]) == {2, 3}  # then the firms listing 煤炭
    # the kind's makers are a chain relation on the 匹配度 scale (30-50), not makers of the product itself
    assert all(30 <= m < 50 for i, m in got if i in (2, 3))
    assert 5 not in ids
    need = {n["node"]: n["how"] for n in rank(idx, MatchQuery(text="电厂采购动力煤5万吨"))[0].explanation["need_nodes"]}
    assert need == {"动力煤": "exact", "煤炭": "kind"}


def test_a_kind_the_poster_makes_itself_is_not_sought():
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=(), kinds=KINDS)
    # the poster lists 煤炭 itself: its makers are the poster's peers, not suppliers of 动力煤
    ids = [i for i, _ in _ranked(idx, "我司为煤炭企业，主营煤炭，现采购动力煤")]
    assert ids[0] == 1 and 2 not in ids[:3]


def test_a_kind_the_posters_own_product_is_a_kind_of_is_not_sought():
    graph = ChainGraph.build([NodeSpec(n) for n in ("动力煤", "焦煤", "煤炭", "汽车")], [])
    firms = [_firm(1, "动力煤"), _firm(2, "煤炭"), _firm(3, "煤炭"), _firm(4, "焦煤"), _firm(5, "汽车")]
    idx = MatchIndex().fit(graph, firms, aliases=(), kinds=[("动力煤", "煤炭"), ("焦煤", "煤炭")])
    assert {2, 3} <= {i for i, _ in _ranked(idx, "电厂采购动力煤")}
    # a 焦煤 producer buying 动力煤: 煤炭 is what its own product is a kind of, its listers are the poster's peers
    ids = [i for i, _ in _ranked(idx, "我司为焦煤企业，主营焦煤，现采购动力煤")]
    assert ids[0] == 1 and not {2, 3} & set(ids)


def test_without_the_pair_the_kind_is_not_sought():
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=(), kinds=())
    assert {i for i, _ in _ranked(idx, "电厂采购动力煤5万吨")} & {2, 3} == set()


def test_a_product_enough_firms_list_keeps_to_its_makers():
    firms = [*FIRMS, _firm(8, "动力煤"), _firm(9, "动力煤")]
    idx = MatchIndex(MatchConfig(kind_below=3)).fit(GRAPH, firms, aliases=(), kinds=KINDS)
    ids = [i for i, _ in _ranked(idx, "采购动力煤")]
    assert set(ids[:3]) == {1, 8, 9}
    assert 2 not in ids  # as many makers as kind_below fill the list well enough: 煤炭 is not sought
    off = MatchIndex(MatchConfig(kind_below=0)).fit(GRAPH, FIRMS, aliases=(), kinds=KINDS)
    assert 2 not in [i for i, _ in _ranked(off, "采购动力煤")]


def test_the_kind_is_said_back_only_through_the_ranking_not_as_a_want():
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=(), kinds=KINDS)
    u = idx.understand("采购铜排")
    assert [n for m in u.wanted for n in m.nodes] == ["铜排"]
    assert [i for i, _ in _ranked(idx, "采购铜排")][0] == 6  # no firm lists 铜排: the 铜材 maker leads


def test_an_item_the_alias_list_names_seeks_its_kind_too():
    # 电煤 is no node: the alias list makes it another name of 动力煤, and the kinds list says it is a 煤炭
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=[("电煤", "动力煤")], kinds=[("电煤", "煤炭")])
    got = dict(_ranked(idx, "采购电煤"))
    assert list(got)[0] == 1 and 30 <= got[2] < 50 and 30 <= got[3] < 50


def test_kind_map_keeps_pairs_whose_kind_is_a_node():
    got = kind_map([*KINDS, ("PowerCoal", "煤炭")], GRAPH.lookup)
    names = GRAPH.names_
    assert {i: [names[k] for k in ks] for i, ks in got.items()} == {
        "动力煤": ["煤炭"], "铜排": ["铜材"], "powercoal": ["煤炭"]}


def test_a_kinds_file_with_another_header_names_the_line(tmp_path):
    # the rest of a file's checks are the alias reader's (read_pairs, tests/matching/test_aliases.py)
    path = tmp_path / "kinds.csv"
    path.write_text("# kinds\nalias,node,source\n动力煤,煤炭,x\n", encoding="utf-8")
    with pytest.raises(AliasFileError, match="line 2: header must be item,kind,source"):
        read_kinds(path)


def test_the_shipped_list_reads_and_says_where_each_pair_comes_from():
    rows = read_kinds(DEFAULT_KINDS)
    assert rows == default_kinds()
    text = DEFAULT_KINDS.read_text(encoding="utf-8")
    assert all(line.count(",") >= 2 for line in text.splitlines()[1:] if line and not line.startswith("#"))


def test_a_snapshot_keeps_the_kinds(tmp_path):
    idx = MatchIndex().fit(GRAPH, FIRMS, aliases=(), kinds=KINDS)
    save_index(idx, tmp_path / "snap")
    loaded = load_index(tmp_path / "snap")
    assert _ranked(loaded, "电厂采购动力煤5万吨") == _ranked(idx, "电厂采购动力煤5万吨")


def test_the_shipped_kinds_keep_to_their_rules():
    """matching/data/kinds.csv (its header says why): every kind a product two or more firms list, every item a
    product of the data or a name the alias list gives one, never listed by more firms than its kind (in the second
    pass by fewer), an item seeking at most six kinds, each row saying which pass wrote it."""
    from collections import Counter

    from graph.chainkg import read_chainkg
    from matching.aliases import read_aliases
    from tests.matching.test_aliases import _listed
    from tests.matching.test_snapshot import SHARED

    listed = _listed()
    names = {*read_chainkg(SHARED / "data" / "chainkg").product_names(), *(a.alias for a in read_aliases())}
    rows = read_pairs(DEFAULT_KINDS, ("item", "kind", "source"))
    assert len(rows) >= 3000
    assert all(listed[kind] >= 2 for _, kind, _ in rows)
    assert all(item in names for item, _, _ in rows)
    assert not [(i, k) for i, k, _ in rows if listed[i] > listed[k]]
    assert max(Counter(item for item, _, _ in rows).values()) <= 6
    assert all(source.endswith(("kinds1 by domain knowledge (no page fetched)",
                                "kinds2 by domain knowledge (no page fetched)")) for _, _, source in rows)
    assert not [(i, k) for i, k, source in rows if "kinds2" in source and listed[i] >= listed[k]]
