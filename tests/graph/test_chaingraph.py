import numpy as np
import pytest

from graph import ChainGraph, NodeSpec, chain_members, edges_from_relations, expand
from graph.chainkg import Relation


def tiny() -> ChainGraph:
    # 锂电池 is made from 正极材料 and 电解液; 正极材料 from 碳酸锂; 电池 has sub-kind 锂电池 -> 动力锂电池
    edges = [
        ("正极材料", "锂电池", "input"),
        ("电解液", "锂电池", "input"),
        ("碳酸锂", "正极材料", "input"),
        ("电池", "锂电池", "subkind"),
        ("锂电池", "动力锂电池", "subkind"),
        ("动力锂电池", "三元动力电池", "subkind"),
        ("三元动力电池", "高镍三元电池", "subkind"),
        ("正极材料", "三元正极材料", "subkind"),
        ("锂电池", "新能源汽车", "input"),
    ]
    return ChainGraph.build([NodeSpec("锂电池", aliases=("锂离子电池",))], edges)


def test_edges_from_relations_converts_all_three_types():
    rels = [
        Relation("锂电池", "碳酸锂", "upstream_material"),
        Relation("碳酸锂", "锂电池", "downstream_product"),
        Relation("电池", "锂电池", "subclass"),
    ]
    assert edges_from_relations(rels) == [("碳酸锂", "锂电池", "input"), ("电池", "锂电池", "subkind")]


def test_build_indexes_names_aliases_and_adjacency():
    g = tiny()
    assert g.names_[0] == "锂电池"
    assert g.lookup("锂离子电池") == 0 and "锂离子电池" in g
    li = g.lookup("锂电池")
    assert {g.names_[i] for i in g.inputs(li)} == {"正极材料", "电解液"}
    assert {g.names_[i] for i in g.outputs(li)} == {"新能源汽车"}
    assert {g.names_[i] for i in g.narrower(li)} == {"动力锂电池"}
    assert {g.names_[i] for i in g.broader(li)} == {"电池"}
    nxg = g.to_networkx()
    assert nxg.edges["正极材料", "锂电池"]["type"] == "input"
    assert nxg.edges["电池", "锂电池"]["type"] == "subkind"


def test_unknown_edge_type_is_rejected():
    with pytest.raises(ValueError):
        ChainGraph.build([], [("a", "b", "sibling")])


def test_node_scope_expansion_decays_by_typed_distance():
    g = tiny()
    li = g.lookup("锂电池")
    exp = expand(g, {li: 1.0}, scope="node")
    w = {g.names_[n]: x for n, x in exp.weights.items()}
    assert w["锂电池"] == 1.0
    assert w["动力锂电池"] == pytest.approx(0.6)
    assert w["三元动力电池"] == pytest.approx(0.45)
    assert "高镍三元电池" not in w  # three levels down is too far
    assert w["电池"] == pytest.approx(0.1)
    assert "正极材料" not in w  # inputs are suppliers, not makers
    path = exp.path(g.lookup("三元动力电池"))
    assert [(g.names_[n], e) for n, e in path] == [
        ("锂电池", ""), ("动力锂电池", "narrower"), ("三元动力电池", "narrower")]


def test_upstream_expansion_finds_inputs_and_avoids_competitors():
    g = tiny()
    li = g.lookup("锂电池")
    exp = expand(g, {li: 1.0}, scope="upstream")
    w = {g.names_[n]: x for n, x in exp.weights.items()}
    assert w["正极材料"] == 1.0 and w["电解液"] == 1.0
    assert w["三元正极材料"] == pytest.approx(0.45)
    assert w["碳酸锂"] == pytest.approx(0.15)
    assert "锂电池" not in w and "动力锂电池" not in w
    assert {g.names_[n] for n in exp.avoid} == {"锂电池", "动力锂电池"}
    assert [(g.names_[n], e) for n, e in exp.path(g.lookup("碳酸锂"))] == [
        ("锂电池", ""), ("正极材料", "input"), ("碳酸锂", "input")]


def test_chain_members():
    g = tiny()
    assert chain_members(g, "锂电池", depth=2) == {
        "锂电池", "正极材料", "电解液", "碳酸锂", "动力锂电池", "三元正极材料", "新能源汽车"}
    assert chain_members(g, "锂电池", depth=1) == {"锂电池", "正极材料", "电解液", "动力锂电池", "三元正极材料",
                                                 "新能源汽车"}
    with pytest.raises(KeyError):
        chain_members(g, "不存在")


def test_degree_counts_all_edge_types():
    g = tiny()
    assert int(g.degree()[g.lookup("锂电池")]) == 5
    assert isinstance(g.degree(), np.ndarray)


def test_upstream_falls_back_to_inputs_of_sub_kinds_and_broader_kinds():
    g = ChainGraph.build([], [
        ("电池", "锂电池", "subkind"), ("锂电池", "动力锂电池", "subkind"),
        ("正极材料", "动力锂电池", "input"), ("外壳", "电池", "input"),
    ])
    exp = expand(g, {g.lookup("锂电池"): 1.0}, scope="upstream")
    w = {g.names_[n]: x for n, x in exp.weights.items()}
    assert w == {"正极材料": pytest.approx(0.5), "外壳": pytest.approx(0.3)}
    assert [(g.names_[n], e) for n, e in exp.path(g.lookup("正极材料"))] == [
        ("锂电池", ""), ("动力锂电池", "narrower"), ("正极材料", "input")]
    assert [(g.names_[n], e) for n, e in exp.path(g.lookup("外壳"))] == [
        ("锂电池", ""), ("电池", "broader"), ("外壳", "input")]
