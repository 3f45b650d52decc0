import pytest

from graph import ChainGraph, NodeSpec
from matching import ChineseAnalyzer, EnterpriseRecord, MatchIndex, NodeLinker
from matching.understanding import NeedReader, Understanding


def need_reader(nodes: tuple[str, ...], edges: list[tuple[str, str, str]] | None = None,
                aliases: list[tuple[str, str]] | None = None) -> NeedReader:
    """A need reader over a graph of just ``nodes`` (the understanding tests' hand-checkable vocabulary)."""
    graph = ChainGraph.build([NodeSpec(n) for n in nodes], edges or [])
    analyzer = ChineseAnalyzer().fit([*graph.surface_forms(), *(a for a, _ in aliases or [])])
    return NeedReader().fit(NodeLinker().fit(graph, analyzer, aliases or []), graph)


def wanted(u: Understanding) -> list[str]:
    return [n for m in u.wanted for n in m.nodes]


def own(u: Understanding) -> list[str]:
    return [n for m in u.own for n in m.nodes]


def purposes(u: Understanding) -> list[str]:
    return [n for m in u.purposes for n in m.nodes]


def tiny_graph() -> ChainGraph:
    nodes = [NodeSpec(n) for n in ("锂电池", "碳酸锂", "正极材料", "电解液", "出境游", "计划", "AP", "原材料供应",
                                   "动力锂电池", "隔膜", "材料")]
    nodes.append(NodeSpec("氢氧化锂", aliases=("单水氢氧化锂",)))
    edges = [
        ("正极材料", "锂电池", "input"),
        ("电解液", "锂电池", "input"),
        ("隔膜", "锂电池", "input"),
        ("碳酸锂", "正极材料", "input"),
        ("锂电池", "动力锂电池", "subkind"),
    ]
    return ChainGraph.build(nodes, edges)


def tiny_records() -> list[EnterpriseRecord]:
    def rec(i: int, name: str, products: tuple[tuple[str, float], ...], region: str = "山东省/济南市/历下区",
            kind: str = "sme", tier: str = "none") -> EnterpriseRecord:
        return EnterpriseRecord(i, f"{i:06d}", name, kind, tier, region, products=products)

    return [
        rec(1, "甲电池", (("锂电池", 0.8), ("储能系统", 0.2))),
        rec(2, "乙动力", (("动力锂电池", 0.9),), region="江苏省/苏州市"),
        rec(3, "丙锂业", (("碳酸锂", 0.32), ("氢氧化锂", 0.5)), kind="large"),
        rec(4, "丁材料", (("正极材料", 0.6),), tier="gold"),
        rec(5, "戊化工", (("电解液", 0.001), ("锂电池隔膜", 0.1))),
        rec(6, "己旅游", (("出境旅游", 0.7), ("国内游", 0.3))),
        rec(7, "庚软件", (("APP开发", 0.5),)),
    ]


@pytest.fixture(scope="session")
def graph() -> ChainGraph:
    return tiny_graph()


@pytest.fixture()
def records() -> list[EnterpriseRecord]:
    return tiny_records()


@pytest.fixture()
def index(graph: ChainGraph) -> MatchIndex:
    return MatchIndex().fit(graph, tiny_records())
